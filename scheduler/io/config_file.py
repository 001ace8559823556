"""Read and write the branch configuration file (YAML, JSON or TOML) with located errors."""

from __future__ import annotations

import contextlib
import copy
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from scheduler.domain.common import normalise_text
from scheduler.domain.config import BranchConfig, CrossReferenceProblems
from scheduler.errors import InputError, Issue
from scheduler.io.atomic import atomic_write_text

SUFFIXES = (".yaml", ".yml", ".toml", ".json")

_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"


class _ConfigLoader(yaml.SafeLoader):
    """A safe loader for files people edit by hand.

    It reads ``17:00`` as text, not as the YAML 1.1 base-60 number 1020; ``012`` as the text
    ``"012"``, not the octal number 10; and refuses a key given twice in one mapping, which
    plain YAML resolves silently by keeping the last value.
    """

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        """Build a mapping, refusing duplicate keys with both lines."""
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                key = key_node.value
                if key in seen and key_node.tag != "tag:yaml.org,2002:merge":
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"the key '{key}' is given twice (first on line {seen[key]}); keep one",
                        key_node.start_mark,
                    )
                seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


_ConfigLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ConfigLoader.add_implicit_resolver(
    _INT,
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_ConfigLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


MAX_YAML_NODES = 200_000
"""Most values a YAML document may expand to. Anchors and aliases (``&a`` / ``*a``) let a
few hundred bytes stand for billions of values (an "alias bomb"); a branch's configuration,
even of a large branch, is far below this."""


def _expanded_nodes(node: yaml.Node | None, limit: int) -> int:
    """Values the document stands for once every alias is expanded, counted up to ``limit``."""
    count, stack = 0, [node] if node is not None else []
    while stack:
        current = stack.pop()
        count += 1
        if count > limit:
            break
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
    return count


def safe_load_yaml(text: str) -> Any:
    """Load YAML safely, keeping clock times such as ``9:30`` as text.

    Raises:
        yaml.YAMLError: Bad YAML, or a document whose aliases expand it beyond
            :data:`MAX_YAML_NODES` values (refused before anything is built).
    """
    loader = _ConfigLoader(text)
    try:
        node = loader.get_single_node()
        if _expanded_nodes(node, MAX_YAML_NODES) > MAX_YAML_NODES:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"the document expands to more than {MAX_YAML_NODES:,} values through its "
                "anchors and aliases (&name / *name); write the values out or use fewer "
                "aliases",
                node.start_mark if node is not None else None,
            )
        return loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


_BOOL_TAG = "tag:yaml.org,2002:bool"


def _yaml_lines(text: str) -> dict[tuple[Any, ...], int]:
    """Map every path in a YAML document to the 1-based line it starts on."""
    return _yaml_index(text)[0]


def _yaml_index(text: str) -> tuple[dict[tuple[Any, ...], int], dict[tuple[Any, ...], str]]:
    """The 1-based line of every path in a YAML document, and the words read as booleans.

    The second map keeps, for each unquoted scalar YAML turned into ``True``/``False``
    (``off``, ``yes``, ``n`` ...), the word as written, so a message can quote it.
    """
    lines: dict[tuple[Any, ...], int] = {}
    words: dict[tuple[Any, ...], str] = {}

    def walk(node: yaml.Node, path: tuple[Any, ...]) -> None:
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL_TAG:
            words[path] = node.value
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                lines[(*path, key.value)] = key.start_mark.line + 1
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    try:
        root = yaml.compose(text, Loader=_ConfigLoader)
    except yaml.YAMLError:
        return lines, words
    if root is not None:
        walk(root, ())
    return lines, words


@dataclass
class _JsonLevel:
    """An object or array being scanned by :func:`_json_index`."""

    path: tuple[Any, ...]
    is_object: bool
    keys: dict[str, int] = field(default_factory=dict)
    key: str | None = None
    index: int = 0
    expect_key: bool = True

    def child(self) -> tuple[Any, ...]:
        """The path of the value that starts now inside this level."""
        return (*self.path, self.key if self.is_object else self.index)


def _string_end(text: str, start: int) -> int:
    """The index just past the JSON string that starts at ``start``."""
    end = start + 1
    while text[end] != '"':
        end += 2 if text[end] == "\\" else 1
    return end + 1


def _json_index(
    text: str,
) -> tuple[dict[tuple[Any, ...], int], list[tuple[tuple[Any, ...], int, int]]]:
    """The 1-based line of every path in a valid JSON document, and the keys given twice.

    ``json`` keeps the last of two equal keys in an object silently; the second list names
    each repeated key by its path, its line and the line of its first use.
    """
    lines: dict[tuple[Any, ...], int] = {(): 1}
    twice: list[tuple[tuple[Any, ...], int, int]] = []
    stack: list[_JsonLevel] = []
    line, i = 1, 0
    while i < len(text):
        char = text[i]
        top = stack[-1] if stack else None
        if char == "\n":
            line += 1
        elif char == "," and top is not None:
            top.expect_key = top.is_object
            top.index += not top.is_object
        elif char in "}]":
            stack.pop()
        elif char == '"' and top is not None and top.is_object and top.expect_key:
            end = _string_end(text, i)
            key = json.loads(text[i:end])
            if key in top.keys:
                twice.append(((*top.path, key), line, top.keys[key]))
            else:
                top.keys[key] = line
            lines[(*top.path, key)] = line
            top.key, top.expect_key = key, False
            i = end
            continue
        elif char not in " \t\r:":  # a value starts here (blanks and colons carry none)
            path = top.child() if top is not None else ()
            lines.setdefault(path, line)
            if char in "{[":
                stack.append(_JsonLevel(path, char == "{"))
            elif char == '"':
                i = _string_end(text, i)
                continue
        i += 1
    return lines, twice


def format_path(loc: tuple[Any, ...]) -> str:
    """Write a pydantic location as a YAML path, e.g. ``staff[3].qualifications[0].post``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _parse_path(path: str) -> tuple[Any, ...]:
    parts: list[Any] = []
    for chunk in path.replace("[", ".[").split("."):
        if not chunk:
            continue
        parts.append(int(chunk[1:-1]) if chunk.startswith("[") else chunk)
    return tuple(parts)


def _value_at(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _where(path: str, lines: dict[tuple[Any, ...], int]) -> str:
    loc = _parse_path(path)
    while loc and loc not in lines:
        loc = loc[:-1]
    line = lines.get(loc)
    return f"{path} (line {line})" if line else path


_DATE_ALLOWED = "a date such as 2010-03-15 (also 2010/3/15 or 2010年3月15日)"
_WHOLE_ALLOWED = "a whole number such as 10 (digits, no unit)"
_NUMBER_ALLOWED = "a number such as 90 or 90.5 (digits, no unit)"
_BOOL_ALLOWED = "true or false (also yes/no, 是/否)"

_PLAIN_WORDS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(
        ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type"),
        ("not a date", _DATE_ALLOWED),
    ),
    **dict.fromkeys(
        ("int_parsing", "int_type", "int_from_float"), ("not a whole number", _WHOLE_ALLOWED)
    ),
    **dict.fromkeys(("float_parsing", "float_type"), ("not a number", _NUMBER_ALLOWED)),
    **dict.fromkeys(("bool_parsing", "bool_type"), ("not yes or no", _BOOL_ALLOWED)),
    "finite_number": ("not a finite number", "a number such as 44 or 7.5 (not inf or nan)"),
}
"""Pydantic's error types about a value of the wrong kind: the message and what is allowed."""

_MEANT_KIND = {
    **dict.fromkeys(("date_parsing", "date_from_datetime_parsing"), "date"),
    **dict.fromkeys(("int_parsing", "float_parsing"), "number"),
    "bool_parsing": "bool",
}
"""Pydantic's error types whose text value may be what a person meant, written otherwise."""

_YES_NO = {"是": True, "否": False}


def _as_meant(value: Any, kind: str) -> Any:
    """A text value written as people write it, in the form the field reads; else unchanged.

    Full-width digits and punctuation are folded (``９０`` -> ``90``); a date is written
    ``2010-03-15`` whatever its form (``2010/3/15``, ``2010年3月15日``); 是/否 are yes and no.
    """
    if not isinstance(value, str):
        return value
    text = normalise_text(value)
    if kind == "date":
        from scheduler.io.tables import parse_date  # the tables module imports this one

        try:
            return parse_date(text).isoformat()
        except ValueError:
            return value
    if kind == "bool":
        return _YES_NO.get(text, text)
    return text


def _set_at(data: Any, loc: tuple[Any, ...], value: Any) -> bool:
    """Put ``value`` at ``loc`` in nested dicts and lists; whether the place existed."""
    parent = _value_at(data, loc[:-1]) if loc else None
    if isinstance(parent, dict) and loc[-1] in parent:
        parent[loc[-1]] = value
        return True
    if isinstance(parent, list) and isinstance(loc[-1], int) and 0 <= loc[-1] < len(parent):
        parent[loc[-1]] = value
        return True
    return False


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))


def validate_config_data(
    data: dict[str, Any],
    file: str,
    lines: dict[tuple[Any, ...], int] | None = None,
    words: dict[tuple[Any, ...], str] | None = None,
) -> BranchConfig:
    """Validate configuration data, reading values as people write them.

    A value refused as a date, number or yes/no is read again as meant (full-width digits,
    ``2010/3/15``, 是/否) before it is reported; messages quote the value as written.

    Raises:
        InputError: Listing every problem, each with its path and line.
    """
    work = data
    for _ in range(5):  # each pass mends every value refused in it; nested ones need more
        try:
            return BranchConfig.model_validate(work)
        except ValidationError as exc:
            mended = False
            for err in exc.errors(include_url=False):
                kind = _MEANT_KIND.get(err["type"])
                loc = _clean_loc(err["loc"])
                value = _value_at(work, loc)
                if kind is None or not isinstance(value, str):
                    continue
                meant = _as_meant(value, kind)
                if meant != value:
                    if work is data:
                        work = copy.deepcopy(data)
                    mended |= _set_at(work, loc, meant)
            if not mended:
                raise InputError(issues_from_validation(exc, data, file, lines, words)) from None
    return BranchConfig.model_validate(work)


def issues_from_validation(
    exc: ValidationError,
    data: Any,
    file: str,
    lines: dict[tuple[Any, ...], int] | None = None,
    words: dict[tuple[Any, ...], str] | None = None,
) -> list[Issue]:
    """Translate a pydantic error into one located issue per problem.

    Args:
        exc: The validation error.
        data: The data validated (values are quoted from it).
        file: Name used in messages.
        lines: The line of each path, when known.
        words: For values YAML read as booleans, the word as written (``off``).
    """
    lines = lines or {}
    words = words or {}
    issues: list[Issue] = []
    for err in exc.errors(include_url=False):
        loc = _clean_loc(err["loc"])
        cause = (err.get("ctx") or {}).get("error")
        if (
            isinstance(cause, ValueError)
            and cause.args
            and isinstance(cause.args[0], CrossReferenceProblems)
        ):
            for path, msg, value, allowed in cause.args[0]:
                full = format_path(loc + _parse_path(path)) if loc else path
                issues.append(
                    Issue(file, msg, location=_where(full, lines), value=value, allowed=allowed)
                )
            continue
        path = format_path(loc)
        message = err["msg"].removeprefix("Value error, ")
        value = _value_at(data, loc) if err["type"] != "missing" else None
        if isinstance(value, dict | list) and err["type"] == "value_error":
            value = None  # a rule about the whole section: its message names the fields
        fix = _allowed(err)
        if err["type"] in _PLAIN_WORDS and not isinstance(value, dict | list):
            message, fix = _PLAIN_WORDS[err["type"]]
        elif err["type"] in ("too_short", "too_long"):
            message, fix = _length_words(err)
        elif err["type"] == "string_type" and isinstance(value, bool):
            word = words.get(loc, str(value).lower())
            message = (
                f"'{word}' was read as the boolean {str(value).lower()}, not as text "
                "(YAML reads unquoted yes, no, on, off, true, false that way)"
            )
            fix = f"text in quotes, e.g. '{word}'"
            value = word
        issues.append(Issue(file, message, location=_where(path, lines), value=value, allowed=fix))
    return issues


def _length_words(err: Any) -> tuple[str, str]:
    """A list (or text) with too few or too many entries, in words, and what is allowed."""
    ctx = err.get("ctx") or {}
    actual = ctx.get("actual_length")
    text = str(ctx.get("field_type", "")).lower() == "string"
    unit = "character" if text else "entry"
    units = "characters" if text else "entries"
    if err["type"] == "too_short":
        least = ctx.get("min_length", 1)
        if actual == 0:
            message = "is empty" if text else "is an empty list"
        else:
            message = f"has only {actual} {unit if actual == 1 else units}"
        return message, f"at least {least} {unit if least == 1 else units}"
    most = ctx.get("max_length")
    return (
        f"has {actual} {units}",
        f"at most {most} {unit if most == 1 else units}",
    )


def _allowed(err: Any) -> str | None:
    ctx = err.get("ctx") or {}
    if "expected" in ctx:
        return str(ctx["expected"])
    if "pattern" in ctx:
        return "letters, digits, '_', '.', '-' (ASCII)"
    for key, word in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<=")):
        if key in ctx:
            return f"a number {word} {ctx[key]}"
    if err["type"] == "extra_forbidden":
        return "remove it, or check the spelling against the JSON Schema"
    if err["type"] == "missing":
        return "add this field"
    if err["type"] == "string_type":
        return "text; put a number in quotes, e.g. '012'"
    return None


def too_deep(file: str) -> Issue:
    """The issue of a document nested deeper than a reader can follow (Python's recursion)."""
    return Issue(
        file,
        "the document is nested too deeply to read (lists or mappings inside one another "
        "hundreds of times)",
        allowed="sections a few levels deep",
    )


def parse_config_text(text: str, file: str, suffix: str = ".yaml") -> BranchConfig:
    """Parse and validate configuration text.

    Args:
        text: The file content.
        file: Name used in messages.
        suffix: ``.yaml``/``.yml``, ``.toml`` or ``.json``.

    Raises:
        InputError: Listing every problem, each with its path and line (YAML and JSON; TOML
            syntax errors have their line too). A key given twice in one mapping is refused
            in every format.
    """
    lines: dict[tuple[Any, ...], int] = {}
    words: dict[tuple[Any, ...], str] = {}
    twice: list[tuple[tuple[Any, ...], int, int]] = []
    if suffix not in (".toml", ".json"):
        text = _repair_yaml(text, file)
    try:
        if suffix == ".toml":
            data = tomllib.loads(text)
        elif suffix == ".json":
            data = json.loads(text)
            lines, twice = _json_index(text)
        else:
            data = safe_load_yaml(text)
            lines, words = _yaml_index(text)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise InputError([_syntax_issue(exc, file, suffix, text)]) from None
    except RecursionError:
        raise InputError([too_deep(file)]) from None
    if twice:
        raise InputError(
            [
                Issue(
                    file,
                    f"the key '{path[-1]}' is given twice (first on line {first}); keep one",
                    location=f"{format_path(path)} (line {line})",
                    allowed="each key once in its object",
                )
                for path, line, first in twice
            ]
        )
    if data is None:
        raise InputError([Issue(file, "the file is empty", allowed="a branch configuration")])
    if not isinstance(data, dict):
        raise InputError(
            [Issue(file, "the top level must be a mapping of sections", value=type(data).__name__)]
        )
    return validate_config_data(data, file, lines, words)


_KEY_FULL_WIDTH_COLON = re.compile(r"^(\s*(?:-\s+)?[A-Za-z_][\w-]*)[ \u3000]*：[ \u3000]*", re.M)
_FLOW_MAPPING = re.compile(r"\{[^{}\n]*\}")
_FLOW_KEY = re.compile(r"([{,，]\s*)([A-Za-z_][\w-]*)[ \u3000]*[:：][ \u3000]*")


def _flow_commas_and_colons(match: re.Match[str]) -> str:
    """``{start：09:00，end: 17:00}`` as ``{start: 09:00, end: 17:00}``."""
    return _FLOW_KEY.sub(
        lambda m: m.group(1).replace("，", ",") + m.group(2) + ": ", match.group(0)
    )


_FLOW_SEQUENCE = re.compile(r"\[[^\[\]{}\n]*\]")


def _flow_sequence_commas(match: re.Match[str]) -> str:
    """``[10，20]`` as ``[10, 20]``, when the items are ASCII once full-width forms are folded.

    A list of Chinese words is left alone: there a full-width comma may be part of an item.
    """
    items = match.group(0)
    if "，" not in items or not normalise_text(items).isascii():
        return items
    return items.replace("，", ", ")


def _repair_yaml(text: str, file: str) -> str:
    """Mend what is unambiguous in hand-edited YAML and refuse what is not.

    A full-width colon after an ASCII key (``name：浦东支行``, typed with a Chinese input
    method) is read as ``:``, and a full-width comma before one (``{start: 09:00，end: …}``)
    or between list items that are numbers or ASCII words (``[10，20]``) as ``,``.
    Indentation by tabs or full-width spaces is refused line by line: how deep a tab
    indents is a guess.

    Raises:
        InputError: For every line indented with a tab or a full-width space.
    """
    issues: list[Issue] = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t\u3000"))]
        for char, name in (("\t", "a tab"), ("\u3000", "a full-width space")):
            if char in indent and line.strip() and not line.lstrip().startswith("#"):
                issues.append(
                    Issue(
                        file,
                        f"{name} in the indentation",
                        location=f"line {number}",
                        value=line.strip()[:60],
                        allowed="indent with ordinary spaces (2 per level)",
                    )
                )
                break
    if issues:
        raise InputError(issues[:20])
    if "：" not in text and "，" not in text:
        return text
    text = _FLOW_MAPPING.sub(_flow_commas_and_colons, text)
    text = _FLOW_SEQUENCE.sub(_flow_sequence_commas, text)
    return _KEY_FULL_WIDTH_COLON.sub(r"\1: ", text)


def _syntax_issue(exc: Exception, file: str, suffix: str, text: str = "") -> Issue:
    """One located issue for a YAML, JSON or TOML syntax error."""
    kind = suffix.lstrip(".").upper()
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        words = "; ".join(w for w in (exc.context, exc.problem) if w)
        line = f"line {mark.line + 1}" if mark is not None else None
        return Issue(file, f"not valid {kind}: {words}", line)
    if isinstance(exc, json.JSONDecodeError):
        return Issue(file, f"not valid JSON: {exc.msg}", f"line {exc.lineno}, column {exc.colno}")
    match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    if match is not None:
        message = str(exc)[: match.start()].strip()
        if message.startswith(("Cannot overwrite a value", "Cannot declare")):
            message = _toml_twice(message, text, int(match.group(1)))
        return Issue(
            file, f"not valid {kind}: {message}", f"line {match.group(1)}, column {match.group(2)}"
        )
    return Issue(file, f"not valid {kind}: {exc}")


def _toml_twice(message: str, text: str, line: int) -> str:
    """TOML's "Cannot overwrite a value" in words naming the key given twice."""
    lines = text.splitlines()
    source = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    key = source.strip("[]").strip() if source.startswith("[") else source.split("=")[0].strip()
    named = f"the key '{key}'" if key else "a key"
    return f"{named} is given twice ({message}); keep one"


def _config_path(path: str | Path) -> Path:
    """``path`` as a configuration file of a known format (by suffix).

    Raises:
        InputError: For any other suffix.
    """
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(
            [
                Issue(
                    str(path),
                    "unknown configuration format",
                    value=path.suffix,
                    allowed=", ".join(SUFFIXES),
                )
            ]
        )
    return path


def load_config(path: str | Path) -> BranchConfig:
    """Load a branch configuration file.

    Raises:
        InputError: If the file is missing, unreadable or invalid (every problem listed).
    """
    path = _config_path(path)
    if path.is_dir():
        raise InputError([Issue(str(path), "this is a folder, not a file", allowed="a file")])
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Issue(str(path), "file not found")]) from None
    except OSError as exc:
        raise InputError([Issue(str(path), f"cannot read the file: {exc.strerror}")]) from None
    text = decode_text(raw, str(path))
    return parse_config_text(text, str(path), path.suffix.lower())


def decode_text(raw: bytes, file: str) -> str:
    """Decode bytes as UTF-8 (BOM or not), else GB18030 (a GBK superset), else Big5.

    Big5 (Traditional Chinese) is chosen when GB18030 reads the bytes as private-use
    characters.

    UTF-16 is recognised by its BOM (Excel's "Unicode text") or, without one, by the zero
    byte that every ASCII character carries in it.

    Raises:
        InputError: If no encoding fits.
    """
    utf16 = _utf16_encoding(raw)
    if utf16 is not None:
        with contextlib.suppress(UnicodeDecodeError):  # not UTF-16 after all: try the others
            return raw.decode(utf16)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and _private_use(text):
            try:  # Traditional Chinese (Big5) reads as GBK's private-use area: try Big5
                big5 = raw.decode("cp950")
            except UnicodeDecodeError:
                return text
            if not _private_use(big5):
                return big5
        return text
    raise InputError([Issue(file, "unknown text encoding", allowed="UTF-8, GBK or Big5")])


def _private_use(text: str) -> bool:
    """Whether text holds private-use characters, the sign of a wrong Chinese encoding."""
    return any("\ue000" <= ch <= "\uf8ff" for ch in text[:20000])


def _utf16_encoding(raw: bytes) -> str | None:
    """``utf-16`` (BOM), ``utf-16-le``/``-be`` (no BOM, judged by zero bytes) or ``None``."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = raw[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) > 0.3 * half and even.count(0) < 0.05 * half:
        return "utf-16-le"
    if even.count(0) > 0.3 * half and odd.count(0) < 0.05 * half:
        return "utf-16-be"
    return None


def config_to_data(config: BranchConfig) -> dict[str, Any]:
    """The configuration as plain data, omitting defaults so files stay short."""
    return config.model_dump(mode="json", exclude_defaults=True)


def _without_nulls(data: Any) -> Any:
    """The data with every ``None`` mapping entry left out (TOML has no null).

    A key left out means the same as ``null`` in this configuration: the field's default
    (every optional field defaults to ``None``) or, in ``opening_hours``, a closed day.
    """
    if isinstance(data, dict):
        return {k: _without_nulls(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [_without_nulls(v) for v in data]
    return data


def dump_config(config: BranchConfig, path: str | Path) -> Path:
    """Write a configuration atomically, as YAML, JSON or TOML by the path's suffix.

    ``.yaml``/``.yml`` give YAML, ``.json`` JSON and ``.toml`` TOML; :func:`load_config`
    reads each back to an equal configuration.

    Raises:
        InputError: For any other suffix.
    """
    path = _config_path(path)
    suffix = path.suffix.lower()
    data = config_to_data(config)
    if suffix == ".json":
        text = json.dumps(data, ensure_ascii=False, indent=2)
    elif suffix == ".toml":
        import tomli_w

        text = tomli_w.dumps(_without_nulls(data))
    else:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    atomic_write_text(path, text)
    return path


def config_json_schema() -> dict[str, Any]:
    """The JSON Schema of the branch configuration file."""
    schema = BranchConfig.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "branch-roster branch configuration"
    return schema
