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
