"""The region file: branches, float pool, and errors that name the entry at fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.region.spec import Floater, RegionBranch, RegionSpec, dump_region, load_region


def _spec() -> RegionSpec:
    return RegionSpec(
        id="R1",
        name="片区",
        branches=[RegionBranch(id="B1", path="b1"), RegionBranch(id="B2", path="b2")],
        floaters=[Floater(id="F1", name="机动", posts=["lobby", "cash_teller"], days=["mon"])],
    )


def test_region_file_round_trips(tmp_path: Path) -> None:
    """What dump_region writes, load_region reads back unchanged."""
    dump_region(_spec(), tmp_path)
    assert load_region(tmp_path) == _spec()


def test_unknown_floater_day_names_the_entry(tmp_path: Path) -> None:
    """A floater's bad weekday is refused with the file, the entry and the allowed names."""
    (tmp_path / "region.yaml").write_text(
        "id: R1\nbranches:\n- {id: B1, path: b1}\n"
        "floaters:\n- {id: F1, name: x, posts: [lobby], days: [monday]}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_region(tmp_path)
    (issue,) = err.value.issues
    assert issue.file == str(tmp_path / "region.yaml")
    assert issue.location == "floaters[0]"
    assert "unknown weekday(s) monday" in issue.message


def test_branch_listed_twice_is_refused(tmp_path: Path) -> None:
    """Each branch of a region is run once: a repeated branch id is an input error."""
    (tmp_path / "region.yaml").write_text(
        "id: R1\nbranches:\n- {id: B1, path: b1}\n- {id: B1, path: b2}\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        load_region(tmp_path)
    assert [i.message for i in err.value.issues] == ["branch id(s) listed twice: B1"]


def test_missing_region_file_says_what_is_expected(tmp_path: Path) -> None:
    """A folder without region.yaml gives an input error, not a traceback."""
    with pytest.raises(InputError) as err:
        load_region(tmp_path)
    (issue,) = err.value.issues
    assert issue.file == str(tmp_path / "region.yaml")
    assert issue.allowed == "region.yaml"


def test_region_without_branches_says_so_in_plain_words(tmp_path: Path) -> None:
    """``branches: []`` is an empty list that needs at least one entry (not pydantic's words)."""
    (tmp_path / "region.yaml").write_text("id: R1\nbranches: []\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_region(tmp_path)
    (issue,) = err.value.issues
    assert issue.location == "branches"
    assert issue.message == "is an empty list"
    assert issue.allowed == "at least 1 entry"
