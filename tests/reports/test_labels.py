"""One label table: every word in both languages, with the same fields to fill in."""

from __future__ import annotations

import string

import pytest

from scheduler.domain.catalogue import RULES
from scheduler.reports.labels import LABELS, RULE_NAMES_ZH, TYPE_WORDS, Labels, label

from . import fixtures as fx


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_label_has_both_languages_with_the_same_fields() -> None:
    """No label is missing a language or asks for different fields in one of them."""
    for key, (zh, en) in LABELS.items():
        assert zh and en, key
        assert _fields(zh) == _fields(en), key


def test_every_catalogue_rule_has_a_chinese_description() -> None:
    """The rule report can explain every named rule in Chinese."""
    assert set(RULE_NAMES_ZH) == {r.name for r in RULES}


def test_type_words_match_the_availability_reader() -> None:
    """The template's drop-down words are words the availability reader accepts."""
    from scheduler.io.availability_file import KIND_WORDS

    accepted = {k.value: {k.value, *words} for k, words in KIND_WORDS.items()}
    for kind, (zh, en) in TYPE_WORDS.items():
        assert zh in accepted[kind] and en in accepted[kind], kind


def test_names_from_the_configuration() -> None:
    """Posts, channels and weekdays are named from the branch configuration per language."""
    zh, en = Labels("zh", fx.config()), Labels("en", fx.config())
    assert (zh.post("cash_teller"), en.post("cash_teller")) == ("高柜柜员", "Cash teller")
    assert (zh.channel("wealth"), en.channel("wealth")) == ("理财服务", "Wealth desk")
    assert (zh.day(fx.TUE), en.day(fx.TUE)) == ("12-01 周二", "12-01 Tue")
    assert zh.post("unknown_post") == "unknown_post"
    assert label("roster_title", "en", branch="B", label="W") == "B roster W"


def test_unknown_language_is_refused() -> None:
    """Only Chinese and English files can be written."""
    with pytest.raises(ValueError, match="zh or en"):
        Labels("fr", fx.config())
