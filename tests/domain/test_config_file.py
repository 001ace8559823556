"""The branch configuration file: round trip and located errors."""

from __future__ import annotations

import pytest

from scheduler.errors import InputError
from scheduler.io.config_file import dump_config, load_config, parse_config_text


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
