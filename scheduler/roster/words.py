"""Sentences in two languages: the English the solver has always written, with Chinese beside it.

Every sentence the roster model writes (a penalty's message template, a hard rule's group text,
a conflict and its fix, a warning) is a :class:`Words`: the English and the Chinese built side
by side from the same values, so the two never say different things. The English stays the API's
``message`` (and ``warnings``); the report files show the Chinese when written in Chinese.

Chinese follows the words of the report labels (:mod:`scheduler.reports.labels`): 缺岗, 人时,
合同工时, 休息日, 连续上班, A/B角, 授权, 顶岗, 轮岗. Days read ``12月1日(周二)``, times ``10:00``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

LEAVE_ZH: dict[str, str] = {
    "annual": "年假",
    "sick": "病假",
    "training": "培训",
    "mandatory": "强制休假",
    "other": "其他假",
}
"""Leave kinds (``LeaveKind`` values) in Chinese, as the report labels name them."""

KNOWN_NAMES_ZH: dict[str, str] = {
    "vault": "金库",
    "manager on duty": "负责人值班",
    "customer managers on the floor": "客户经理在厅堂服务",
    "cash teller rotation": "现金柜员轮岗",
    "an authoriser may not authorise their own transactions": "授权人不得授权自己经办的业务",
    "the vault custodian does not handle counter cash the same day": "管库员当天不经手柜面现金",
    "the checker does not check work they authorised": "复核人不复核自己授权的业务",
}
"""Chinese for the English names the bundled sample branch and the instance generator give
dual-control tasks, duty rules, rotation quotas and incompatible-duty reasons. Any other
configured name is shown as written (a branch that names them in Chinese needs nothing)."""


def name_zh(name: str) -> str:
    """A configured name in Chinese: its entry in :data:`KNOWN_NAMES_ZH`, or the name itself."""
    return KNOWN_NAMES_ZH.get(name, name)


class _Fields(dict[str, object]):
    """Format fields that leave unknown names as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, fields: Mapping[str, object]) -> str:
    """``template`` with the named ``fields`` filled in; unknown names stay as ``{name}``.

    A template that cannot be formatted (a stray brace) is returned as it is.
    """
    if "{" not in template:
        return template
    try:
        return template.format_map(_Fields(fields))
    except (ValueError, IndexError, KeyError, AttributeError):
        return template


@dataclass(frozen=True)
class Words:
    """One sentence (or sentence template) in English and in Chinese.

    Hashable, so a hard rule's :class:`~scheduler.roster.model.Group` stays a dictionary key.
    ``str()`` gives the English, as the plain string it replaces did.

    Attributes:
        en: English.
        zh: Chinese.
    """

    en: str
    zh: str

    def __str__(self) -> str:
        return self.en

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``zh`` or ``en``; anything else reads English)."""
        return self.zh if lang == "zh" else self.en

    def fill(self, **fields: Words | object) -> Words:
        """Both templates with ``fields`` filled in; a :class:`Words` field gives each its own.

        Example: ``Words("{where}: {name} switches post", "{where}: {name} 换岗")`` filled
        with ``where=Words("Tue 1 Dec 10:00", "12月1日(周二) 10:00")`` and ``name="李敏"``.
        """
        en = {k: v.en if isinstance(v, Words) else v for k, v in fields.items()}
        zh = {k: v.zh if isinstance(v, Words) else v for k, v in fields.items()}
        return Words(fill(self.en, en), fill(self.zh, zh))


def as_words(text: Words | str) -> Words:
    """``text`` as :class:`Words`; a plain string stands for both languages."""
    return text if isinstance(text, Words) else Words(text, text)


def join(parts: Iterable[Words], en: str, zh: str) -> Words:
    """The parts joined with ``en`` between the English and ``zh`` between the Chinese."""
    items = list(parts)
    return Words(en.join(p.en for p in items), zh.join(p.zh for p in items))


def unique(texts: Iterable[Words | str]) -> tuple[Words, ...]:
    """``texts`` as :class:`Words` without repeats, in the order first seen.

    A repeat is judged by its English, so both languages drop the same sentences (as
    ``dict.fromkeys`` did on the English alone).
    """
    seen: dict[str, Words] = {}
    for text in texts:
        seen.setdefault(str(text), as_words(text))
    return tuple(seen.values())


def default_zh(obj: object, *fields: str) -> None:
    """Give each empty ``<field>_zh`` of a frozen dataclass the English ``<field>``.

    For ``__post_init__`` of results built without Chinese (by hand, or by older code).
    """
    for name in fields:
        if not getattr(obj, f"{name}_zh"):
            object.__setattr__(obj, f"{name}_zh", getattr(obj, name))


def pick(en: str, zh: str, lang: str) -> str:
    """The Chinese text for ``zh`` (the English when there is none), else the English."""
    return (zh or en) if lang == "zh" else en


def pick_all(en: tuple[str, ...], zh: tuple[str, ...], lang: str) -> tuple[str, ...]:
    """Sentences in ``lang``: the Chinese for ``zh`` when there is one per English sentence."""
    return zh if lang == "zh" and len(zh) == len(en) else en
