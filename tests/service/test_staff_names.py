"""Staff names in an uploaded configuration: 1 to 64 characters, never empty."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from service_helpers import BRANCH, Harness, sample_config_bytes

NAME_LINE = "  name: 李敏"
"""The sample's line naming S02, the second staff record (``staff[1]``)."""


def _config_with_name(name: str) -> bytes:
    text = sample_config_bytes().decode()
    assert NAME_LINE in text.splitlines()
    return text.replace(NAME_LINE, f"  name: '{name}'", 1).encode()


def _put(h: Harness, name: str, content: bytes) -> object:
    return h.client.put(
        f"/v1/branches/{BRANCH}/config", files={"file": (name, content)}, headers=h.hr
    )


def _line_of_s02() -> int:
    return 1 + sample_config_bytes().decode().splitlines().index(NAME_LINE)


def test_a_name_of_100000_characters_is_refused_naming_field_length_and_limit(
    harness: Harness,
) -> None:
    """The 422 names the field, the length and the limit, and echoes the name cut short."""
    resp = _put(harness, "branch.yaml", _config_with_name("X" * 100_000))
    assert resp.status_code == 422, resp.text
    assert len(resp.content) < 2_000
    (issue,) = resp.json()["issues"]
    assert issue["location"] == f"staff[1].name (line {_line_of_s02()})"
    assert issue["message"] == "the name has 100000 characters, more than the 64 allowed"
    assert issue["allowed"] == "a name of 1 to 64 characters"
    assert issue["value"] == "X" * 200 + "... (100000 characters)"
    assert harness.svc.config(BRANCH).person("S02").name == "李敏"  # the stored one is kept


@pytest.mark.parametrize("name", ["", "   ", "\u3000"])
def test_an_empty_or_blank_name_is_refused(harness: Harness, name: str) -> None:
    """A name of spaces only (also the ideographic space) is no name."""
    resp = _put(harness, "branch.yaml", _config_with_name(name))
    assert resp.status_code == 422, resp.text
    (issue,) = resp.json()["issues"]
    assert issue["location"].startswith("staff[1].name")
    assert (issue["message"], issue["allowed"]) == (
        "the name is empty or only spaces",
        "a name of 1 to 64 characters",
    )


def test_a_long_name_in_a_json_configuration_is_refused(harness: Harness) -> None:
    """HR systems sending JSON meet the same limit as YAML files."""
    data = json.loads(harness.svc.config(BRANCH).model_dump_json())
    data["staff"][0]["name"] = "Y" * 65
    resp = _put(harness, "branch.json", json.dumps(data).encode())
    assert resp.status_code == 422
    (issue,) = resp.json()["issues"]
    assert issue["location"].startswith("staff[0].name")
    assert issue["message"] == "the name has 65 characters, more than the 64 allowed"


def test_a_name_of_64_characters_is_stored(make_harness: Callable[..., Harness]) -> None:
    """The limit itself is allowed; the name is kept as written."""
    h = make_harness()
    name = "欧阳" + "x" * 62
    resp = _put(h, "branch.yaml", _config_with_name(name))
    assert resp.status_code == 200, resp.text
    assert h.svc.config(BRANCH).person("S02").name == name
