"""The region file (``region.yaml``): the branches of a region and its shared float pool.

A region folder holds ``region.yaml`` and one folder per branch (``branch.yaml``,
``traffic.csv.gz``, ``availability/``). A branch entry may also carry the generator's recipe
(family, seed, volume), so that a large synthetic region can be written lazily: the branch
folder is generated the first time it is needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from scheduler.calendar import Horizon
from scheduler.domain.branch import ID_PATTERN
from scheduler.errors import InputError, Issue
from scheduler.io.atomic import atomic_write_text
from scheduler.io.config_file import (
    decode_text,
    issues_from_validation,
    safe_load_yaml,
    too_deep,
)

REGION_FILE = "region.yaml"
"""Name of the region file inside a region folder."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class BranchRecipe(_Model):
    """How the region generator builds a branch folder that is not written yet.

    Attributes:
        family: Instance family of the branch (``S``, ``M``, ``L``).
        seed: Seed of the branch (staff, hours, traffic noise).
        volume: Multiplier on the traffic volume the staff are sized for.
        history_weeks: Weeks of traffic history to write.
    """

    family: Literal["S", "M", "L"]
    seed: int = Field(ge=0)
    volume: float = Field(1.0, gt=0, le=5)
    history_weeks: int = Field(16, ge=3, le=260)


class RegionBranch(_Model):
    """One branch of the region.

    Attributes:
        id: Branch id (must match ``branch.id`` in its configuration).
        path: The branch folder, relative to the region folder.
        recipe: Generator recipe, for branch folders written on first use.
    """

    id: str = Field(pattern=ID_PATTERN)
    path: str
    recipe: BranchRecipe | None = None

    @field_validator("path")
    @classmethod
    def _usable_path(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the branch folder is empty (use e.g. branches/B001)")
        if any(ord(c) < 32 for c in value):
            raise ValueError("the branch folder holds a control character")
        if any(len(part.encode()) > 255 for part in Path(value).parts):
            raise ValueError("a part of the branch folder is longer than 255 bytes")
        return value


class Floater(_Model):
    """A member of the shared float pool (高峰期临时增援), sent to one branch per day.

    Attributes:
        id: Staff number; must not clash with any branch's staff.
        name: Display name.
        posts: Posts the floater is qualified for (at any branch that has them).
        hourly_rate: Cost of one ordinary hour, in yuan.
        max_days: Most days the floater is sent out in the planned week.
        max_hours_per_day: Most hours the floater works on a day sent out.
        days: Weekdays the floater can be sent (``mon`` .. ``sun``); empty = every day.
    """

    id: str = Field(pattern=ID_PATTERN)
    name: str
    posts: list[str] = Field(min_length=1)
    hourly_rate: float = Field(60.0, ge=0)
    max_days: int = Field(5, ge=0, le=7)
    max_hours_per_day: float = Field(8.0, gt=0, le=12)
    days: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_days(self) -> Floater:
        bad = [d for d in self.days if d not in WEEKDAYS]
        if bad:
            raise ValueError(f"unknown weekday(s) {', '.join(bad)}; use {', '.join(WEEKDAYS)}")
        return self


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday names a floater's ``days`` may use, Monday first."""


class RegionSpec(_Model):
    """A region: its branches and its float pool.

    Attributes:
        id: Region id.
        name: Display name.
        week: The ISO week generated availability files are written for (branches with a
            recipe are generated for it); ``None`` for a region of real files.
        branches: The branches, each with its folder.
        floaters: The shared float pool (may be empty).
    """

    id: str = Field(pattern=ID_PATTERN)
    name: str = ""
    week: str | None = Field(None, pattern=r"^[0-9]{4}-W[0-9]{2}$")
    branches: list[RegionBranch] = Field(min_length=1)
    floaters: list[Floater] = Field(default_factory=list)

    @field_validator("week")
    @classmethod
    def _real_week(cls, value: str | None) -> str | None:
        if value is not None:
            Horizon.iso_week(value)  # its ValueError says what is wrong (2026 has no week 99)
        return value

    @model_validator(mode="after")
    def _week_for_recipes(self) -> RegionSpec:
        lazy = [b.id for b in self.branches if b.recipe is not None]
        if lazy and self.week is None:
            listed = ", ".join(lazy[:5]) + (" ..." if len(lazy) > 5 else "")
            raise ValueError(
                f"branches with a recipe ({listed}) need the region's week to write their "
                "files: add e.g. week: 2026-W49"
            )
        return self

    @model_validator(mode="after")
    def _unique(self) -> RegionSpec:
        for what, ids in (
            ("branch", [b.id for b in self.branches]),
            ("floater", [f.id for f in self.floaters]),
        ):
            seen: set[str] = set()
            dupes = sorted({i for i in ids if i in seen or seen.add(i)})  # type: ignore[func-returns-value]
            if dupes:
                raise ValueError(f"{what} id(s) listed twice: {', '.join(dupes)}")
        return self

    def branch(self, branch_id: str) -> RegionBranch:
        """The branch entry with this id.

        Raises:
            KeyError: If the region has no such branch.
        """
        for b in self.branches:
            if b.id == branch_id:
                return b
        raise KeyError(branch_id)


def load_region(folder: str | Path) -> RegionSpec:
    """Read and validate ``region.yaml`` in ``folder`` (or the file itself).

    Raises:
        InputError: If the file is missing, not YAML or invalid; each issue names the file,
            the YAML path of the entry, the bad value and what is allowed.
    """
    path = Path(folder)
    if path.is_dir():
        path = path / REGION_FILE
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(
            [Issue(str(path), f"cannot read the region file: {exc.strerror}", allowed=REGION_FILE)]
        ) from None
    text = decode_text(raw, str(path))
    try:
        data = safe_load_yaml(text)
    except yaml.YAMLError as exc:
        raise InputError([Issue(str(path), f"not valid YAML: {exc}")]) from None
    except RecursionError:
        raise InputError([too_deep(str(path))]) from None
    if not isinstance(data, dict):
        raise InputError(
            [Issue(str(path), "the region file must be a mapping", value=type(data).__name__)]
        )
    try:
        return RegionSpec.model_validate(data)
    except ValidationError as exc:
        raise InputError(issues_from_validation(exc, data, str(path))) from None


def region_data(spec: RegionSpec) -> dict[str, Any]:
    """The region as plain data, without defaults left unset (what ``region.yaml`` holds)."""
    return spec.model_dump(mode="json", exclude_none=True)


def dump_region(spec: RegionSpec, folder: str | Path) -> Path:
    """Write ``region.yaml`` into ``folder`` atomically."""
    text = yaml.safe_dump(region_data(spec), allow_unicode=True, sort_keys=False)
    return atomic_write_text(Path(folder) / REGION_FILE, text)
