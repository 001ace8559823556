"""The branch configuration file: round trip and located errors."""

from __future__ import annotations

import datetime as dt
import json
import tomllib

import pytest
import yaml

from scheduler.domain import BranchConfig
from scheduler.errors import InputError
from scheduler.io.config_file import config_to_data, dump_config, load_config, parse_config_text


def test_round_trip_is_lossless(sample_cfg, tmp_path):
    """Writing a configuration and reading it back gives the same configuration."""
    path = dump_config(sample_cfg, tmp_path / "branch.yaml")
    assert load_config(path) == sample_cfg


def test_unquoted_clock_times_are_times_not_base60_numbers(sample_cfg, tmp_path):
    """A manager writing `end: 17:00` without quotes gets 17:00, not the number 1020."""
    text = dump_config(sample_cfg, tmp_path / "b.yaml").read_text(encoding="utf-8")
    text = text.replace("end: '17:00'", "end: 17:00")
    cfg = parse_config_text(text, "b.yaml")
    assert cfg.branch.opening_hours["mon"].end.hour == 17


def test_every_cross_reference_problem_is_reported_with_its_line(sample_cfg, tmp_path):
    """Unknown posts, unknown staff and duplicate ids are all listed at once, each located."""
    text = dump_config(sample_cfg, tmp_path / "b.yaml").read_text(encoding="utf-8")
    text = text.replace("post: lobby", "post: lobbyy", 1).replace("id: S03", "id: S02")
    with pytest.raises(InputError) as caught:
        parse_config_text(text, "b.yaml")
    messages = [str(i) for i in caught.value.issues]
    assert len(messages) == 3
    assert any("duplicate id in staff" in m and "'S02'" in m and "line" in m for m in messages)
    assert any("unknown post" in m and "'lobbyy'" in m for m in messages)
    assert any("backup_pairs[0].b" in m and "'S03'" in m for m in messages)


def test_every_contradictory_labour_bound_is_located_at_its_field(sample_cfg, tmp_path):
    """Each labour minimum above its maximum is reported at once, at the minimum's line."""
    text = dump_config(sample_cfg, tmp_path / "b.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "labour:\n",
        "labour:\n  min_consecutive_days: 7\n  max_consecutive_days: 5\n"
        "  min_total_hours: 50\n  max_total_hours: 40\n",
        1,
    )
    with pytest.raises(InputError) as caught:
        parse_config_text(text, "b.yaml")
    issues = caught.value.issues
    assert [(i.location.split(" ")[0], i.value, i.allowed) for i in issues] == [
        ("labour.min_consecutive_days", 7, "at most max_consecutive_days (5)"),
        ("labour.min_total_hours", 50.0, "at most max_total_hours (40)"),
    ]
    assert all("(line " in i.location for i in issues)
    assert issues[0].message == "min_consecutive_days (7) exceeds max_consecutive_days (5)"


def test_a_rule_about_a_whole_section_does_not_print_the_section(sample_cfg, tmp_path):
    """A problem found across a section's fields names them; the section is not dumped."""
    text = dump_config(sample_cfg, tmp_path / "b.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "labour:\n", "labour:\n  max_hours_per_day: 12\n  max_hours_per_week: 10\n", 1
    )
    with pytest.raises(InputError) as caught:
        parse_config_text(text, "b.yaml")
    (issue,) = caught.value.issues
    assert issue.message == "max_hours_per_day (12) exceeds max_hours_per_week (10)"
    assert "{" not in str(issue)


def _closed_sunday(cfg: BranchConfig, written_as: object) -> BranchConfig:
    """The configuration with Sunday closed, written as ``None`` or (``...``) left out."""
    data = config_to_data(cfg)
    if written_as is None:
        data["branch"]["opening_hours"]["sun"] = None
    else:
        del data["branch"]["opening_hours"]["sun"]
    return BranchConfig.model_validate(data)


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".toml"])
def test_round_trip_in_every_format(sample_cfg, tmp_path, suffix):
    """dump_config writes the format its suffix names, and load_config reads it back equal."""
    path = dump_config(sample_cfg, tmp_path / f"branch{suffix}")
    assert load_config(path) == sample_cfg
    text = path.read_text("utf-8")
    parsed = {".yaml": yaml.safe_load, ".json": json.loads, ".toml": tomllib.loads}[suffix](text)
    assert parsed["branch"]["id"] == "SH-PD-001"


@pytest.mark.parametrize(("suffix", "read_as"), [(".yaml", None), (".json", None), (".toml", ...)])
def test_closed_day_round_trip(sample_cfg, tmp_path, suffix, read_as):
    """A closed day (``null``) reads back closed from every format.

    YAML and JSON keep the ``null``; TOML has none and leaves the day out (closed too).
    """
    cfg = _closed_sunday(sample_cfg, None)
    back = load_config(dump_config(cfg, tmp_path / f"branch{suffix}"))
    assert back == _closed_sunday(sample_cfg, read_as)
    assert back.branch.opening_hours.get("sun") is None


def test_dump_config_refuses_an_unknown_format(sample_cfg, tmp_path):
    """A suffix load_config could not read is refused instead of writing YAML under it."""
    with pytest.raises(InputError) as caught:
        dump_config(sample_cfg, tmp_path / "branch.txt")
    (issue,) = caught.value.issues
    assert (issue.message, issue.value, issue.allowed) == (
        "unknown configuration format",
        ".txt",
        ".yaml, .yml, .toml, .json",
    )
    assert not (tmp_path / "branch.txt").exists()


def test_json_key_given_twice_is_refused_with_its_path_and_line(sample_cfg):
    """JSON keeps the last of two equal keys silently; the configuration refuses it, located."""
    text = json.dumps(config_to_data(sample_cfg), ensure_ascii=False, indent=2)
    text = text.replace('"id": "SH-PD-001",', '"id": "SH-PD-001",\n    "id": "SH-PD-002",', 1)
    with pytest.raises(InputError) as caught:
        parse_config_text(text, "branch.json", ".json")
    (issue,) = caught.value.issues
    assert (issue.file, issue.location, issue.message, issue.allowed) == (
        "branch.json",
        "branch.id (line 4)",
        "the key 'id' is given twice (first on line 3); keep one",
        "each key once in its object",
    )


def test_json_problems_are_located_at_their_line(sample_cfg):
    """A bad JSON value names its path and line, as in YAML."""
    text = json.dumps(config_to_data(sample_cfg), ensure_ascii=False, indent=2)
    text = text.replace('"min_rest_hours": 12.0', '"min_rest_hours": -3', 1)
    line = 1 + text.splitlines().index('    "min_rest_hours": -3,')
    with pytest.raises(InputError) as caught:
        parse_config_text(text, "branch.json", ".json")
    (issue,) = caught.value.issues
    assert issue.location == f"labour.min_rest_hours (line {line})"


def test_toml_key_given_twice_is_refused_naming_the_key():
    """TOML refuses a repeated key by its specification; the message names the key and line."""
    with pytest.raises(InputError) as caught:
        parse_config_text('[branch]\nid = "A"\nid = "B"\n', "branch.toml", ".toml")
    (issue,) = caught.value.issues
    assert (issue.location, issue.message) == (
        "line 3, column 9",
        "not valid TOML: the key 'id' is given twice (Cannot overwrite a value); keep one",
    )


def _sample_text(cfg: BranchConfig, tmp_path) -> str:
    return dump_config(cfg, tmp_path / "b.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("written", "replacement", "field", "read"),
    [
        ("employment_start: '2010-03-15'", "employment_start: 2010/3/15", "employment_start",
         dt.date(2010, 3, 15)),
        ("employment_start: '2010-03-15'", "employment_start: 2010年3月15日", "employment_start",
         dt.date(2010, 3, 15)),
        ("hourly_rate: 90.0", "hourly_rate: ９０", "hourly_rate", 90.0),
        ("home_post: ops_supervisor\n", "home_post: ops_supervisor\n  part_time: 是\n",
         "part_time", True),
    ],
)  # fmt: skip
def test_values_written_as_people_write_them_are_read_as_meant(
    sample_cfg, tmp_path, written, replacement, field, read
):
    """Dates with slashes or 年月日, full-width digits and 是/否 are read as meant."""
    text = _sample_text(sample_cfg, tmp_path).replace(written, replacement, 1)
    assert getattr(parse_config_text(text, "b.yaml").staff[1], field) == read


def test_full_width_comma_in_a_list_is_a_comma(sample_cfg, tmp_path):
    """`pension_days: [10，20]` typed with a Chinese input method is the list 10, 20."""
    text = _sample_text(sample_cfg, tmp_path).replace(
        "pension_days:\n    - 10", "pension_days: [10，20]"
    )
    assert parse_config_text(text, "b.yaml").branch.calendar.pension_days == [10, 20]


@pytest.mark.parametrize(
    ("written", "replacement", "message", "value", "allowed"),
    [
        (
            "employment_start: '2010-03-15'",
            "employment_start: 2010/13/45",
            "not a date",
            "2010/13/45",
            "a date such as 2010-03-15 (also 2010/3/15 or 2010年3月15日)",
        ),
        (
            "hourly_rate: 90.0",
            "hourly_rate: 90元",
            "not a number",
            "90元",
            "a number such as 90 or 90.5 (digits, no unit)",
        ),
        (
            "home_post: ops_supervisor\n",
            "home_post: ops_supervisor\n  part_time: 也许\n",
            "not yes or no",
            "也许",
            "true or false (also yes/no, 是/否)",
        ),
        (
            "- id: S02",
            "- id: off",
            "'off' was read as the boolean false, not as text "
            "(YAML reads unquoted yes, no, on, off, true, false that way)",
            "off",
            "text in quotes, e.g. 'off'",
        ),
    ],
)
def test_a_value_of_the_wrong_kind_names_what_is_allowed(
    sample_cfg, tmp_path, written, replacement, message, value, allowed
):
    """A date, number, yes/no or text that cannot be read says what would be accepted."""
    text = _sample_text(sample_cfg, tmp_path).replace(written, replacement, 1)
    with pytest.raises(InputError) as caught:
        parse_config_text(text, "b.yaml")
    (issue,) = caught.value.issues
    assert (issue.message, issue.value, issue.allowed) == (message, value, allowed)
    assert issue.location.startswith("staff[1].") and "(line " in issue.location


def test_a_default_bound_in_a_contradiction_is_named_as_the_default():
    """A limit left at its default is named as the default in a contradiction.

    Setting only max_hours_per_week below the default daily limit says so.
    """
    from pydantic import ValidationError

    from scheduler.domain import LabourRules

    with pytest.raises(ValidationError) as caught:
        LabourRules(max_hours_per_week=3)
    text = str(caught.value)
    assert "max_hours_per_day (9) exceeds max_hours_per_week (3)" in text
    assert "max_hours_per_day is the default: set it too" in text


def test_hour_limits_no_shift_fits_and_seven_days_off_are_refused(sample_cfg):
    """Limits that leave nobody able to work are refused when the configuration is read.

    A hard daily or weekly limit below the shortest shift, and 7 days off a week; they were
    found only as conflicts of every post after the solve.
    """
    from pydantic import ValidationError

    from scheduler.domain import LabourRules
    from scheduler.domain.config import cross_reference_issues

    tight = sample_cfg.model_copy(
        update={"labour": LabourRules(max_hours_per_day=3, max_hours_per_week=3)}
    )
    found = [p for p in cross_reference_issues(tight) if "no shift fits" in p[1]]
    shortest = min(sample_cfg.shifts, key=lambda s: s.paid_minutes)
    hours = shortest.paid_minutes / 60
    assert [(p[0], p[2]) for p in found] == [
        ("labour.max_hours_per_day", 3),
        ("labour.max_hours_per_week", 3),
    ]
    assert found[0][1] == (
        f"no shift fits: the shortest, {shortest.id}, has {hours:g} paid hours, more than "
        "max_hours_per_day (3), so nobody could work"
    )
    assert list(cross_reference_issues(sample_cfg)) == []
    with pytest.raises(ValidationError):
        LabourRules(min_days_off_per_week=7)


def test_a_list_too_short_says_how_many_entries_it_needs(sample_cfg):
    """An empty ``posts`` list, and a rotation cycle of one post, name the least count."""
    data = config_to_data(sample_cfg)
    data["posts"] = []
    with pytest.raises(InputError) as caught:
        parse_config_text(json.dumps(data), "b.json", ".json")
    short = [i for i in caught.value.issues if i.location.startswith("posts")]
    assert [(i.message, i.allowed) for i in short] == [("is an empty list", "at least 1 entry")]
    data = config_to_data(sample_cfg)
    data["rotation_cycles"] = [{"name": "c", "posts": ["lobby"], "anchor": "2026-01-01"}]
    with pytest.raises(InputError) as caught:
        parse_config_text(json.dumps(data), "b.json", ".json")
    (issue,) = caught.value.issues
    assert (issue.message, issue.allowed) == ("has only 1 entry", "at least 2 entries")
    assert issue.location.startswith("rotation_cycles[0].posts")


def test_an_infinite_limit_is_refused_not_taken(sample_cfg):
    """``.inf`` or ``1e309`` for an hour limit is no number to plan with: a located error."""
    for written in (float("inf"), "1e309", float("nan")):
        data = config_to_data(sample_cfg)
        data["labour"]["max_hours_per_week"] = written
        with pytest.raises(InputError) as caught:
            parse_config_text(json.dumps(data), "b.json", ".json")
        (issue,) = caught.value.issues
        assert issue.location.startswith("labour.max_hours_per_week")
        assert (issue.message, issue.allowed) == (
            "not a finite number",
            "a number such as 44 or 7.5 (not inf or nan)",
        )


def test_the_holiday_calendar_must_be_one_the_holidays_package_knows(sample_cfg):
    """``cn`` reads as CN and ``us``/``ca`` as US/CA; XX, or a subdivision CN lacks, is refused."""
    data = config_to_data(sample_cfg)
    data["branch"]["calendar"].update(country="us", subdivision="ca")
    calendar = parse_config_text(json.dumps(data), "b.json", ".json").branch.calendar
    assert (calendar.country, calendar.subdivision) == ("US", "CA")
    for country, subdivision, field in (("XX", None, "country"), ("cn", "ZZ", "subdivision")):
        data["branch"]["calendar"].update(country=country, subdivision=subdivision)
        with pytest.raises(InputError) as caught:
            parse_config_text(json.dumps(data), "b.json", ".json")
        (issue,) = caught.value.issues
        assert issue.location.startswith(f"branch.calendar.{field}")
        assert issue.message.startswith(f"unknown {field}")


def test_an_alias_bomb_is_refused_at_once_without_building_it(tmp_path):
    """260 bytes of nested aliases stand for 9**8 values: refused, quickly, with a short error."""
    import time

    from scheduler.io.config_file import safe_load_yaml

    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for previous, name in zip("abcdefg", "bcdefgh", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    path = tmp_path / "branch.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        load_config(path)
    assert time.perf_counter() - started < 30  # a guard against a hang, not a benchmark
    (issue,) = caught.value.errors
    assert "expands to more than 200,000 values" in issue.message
    assert len(str(issue)) < 1000
    anchored = "weekday: &day {start: '09:00', end: '17:00'}\nmonday: *day\ntuesday: *day\n"
    assert safe_load_yaml(anchored)["tuesday"] == {"start": "09:00", "end": "17:00"}
