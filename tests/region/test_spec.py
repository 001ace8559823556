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


@pytest.mark.parametrize(
    ("text", "location", "message"),
    [
        ("week: 2026-W49\nbranches:\n- {id: B1, path: b1, recipe: {family: XL, seed: 1}}\n",
         "branches[0].recipe.family", "Input should be 'S', 'M' or 'L'"),
        ("week: 2026-W99\nbranches:\n- {id: B1, path: b1}\n", "week", "2026 has no ISO week 99"),
        ("branches:\n- {id: B1, path: b1, recipe: {family: M, seed: 1}}\n", "(top level)",
         "branches with a recipe (B1) need the region's week to write their files: add e.g. "
         "week: 2026-W49"),
        ('branches:\n- {id: B1, path: "a\\0b"}\n', "branches[0].path",
         "the branch folder holds a control character"),
        ("branches:\n- {id: B1, path: ' '}\n", "branches[0].path",
         "the branch folder is empty (use e.g. branches/B001)"),
    ],
)  # fmt: skip
def test_region_entries_that_cannot_be_run_are_refused_at_their_line(
    tmp_path: Path, text: str, location: str, message: str
) -> None:
    """Entries a region run cannot use are located input errors, not crashes.

    A family the generator lacks, a week that does not exist, a recipe without the week to
    write it for, and an unusable folder name.
    """
    (tmp_path / "region.yaml").write_text("id: R1\n" + text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_region(tmp_path)
    (issue,) = err.value.issues
    assert issue.location.startswith(location)
    assert issue.message == message


def test_a_branch_folder_that_is_a_file_is_named_in_the_region_file(tmp_path: Path) -> None:
    """``path: notes.txt`` (a file) fails that branch with the region file, entry and value."""
    from scheduler.region.generate import ensure_branch

    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    spec = RegionSpec(id="R1", branches=[RegionBranch(id="B1", path="notes.txt")])
    with pytest.raises(InputError) as err:
        ensure_branch(tmp_path, spec, spec.branches[0])
    (issue,) = err.value.issues
    assert (issue.file, issue.column, issue.value) == (
        str(tmp_path / "region.yaml"),
        "path",
        "notes.txt",
    )
    assert issue.message == "the folder of branch B1 is a file"
