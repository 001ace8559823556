"""Assemble README.md from the section files under docs/readme/ (in file-name order).

Each part of the product documents itself in its own section file, so that work on one part
never edits another part's text. Run ``python tools/build_readme.py`` after editing a section;
``--check`` exits 1 when README.md is out of date (the test suite runs it).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ROOT / "docs" / "readme"
README = ROOT / "README.md"


def assemble() -> str:
    """The README text: every section file, in name order, separated by one blank line."""
    parts = [p.read_text(encoding="utf-8").strip() for p in sorted(SECTIONS.glob("*.md"))]
    return "\n\n".join(parts) + "\n"


def main(argv: list[str]) -> int:
    """Write README.md, or with ``--check`` report whether it is up to date."""
    text = assemble()
    if "--check" in argv:
        current = README.read_text(encoding="utf-8") if README.exists() else ""
        if current != text:
            print("README.md is out of date: run python tools/build_readme.py", file=sys.stderr)
            return 1
        return 0
    tmp = README.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(README)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
