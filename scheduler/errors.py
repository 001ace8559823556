"""Input problems reported as precise, located messages rather than tracebacks.

Every reader and validator in the package collects :class:`Issue` records and raises a single
:class:`InputError` carrying all of them, so a user fixes every problem in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

MAX_SHOWN = 200
"""Most characters of a value a message shows (a pasted page or an expanded YAML alias is
cut, with its length)."""


@dataclass(frozen=True)
class Issue:
    """One problem found in the input.

    Attributes:
        file: The file the problem is in (or a logical source such as ``"<config>"``).
        message: What is wrong, in words a branch manager understands.
        location: Row number (1-based, header is row 1) or a YAML path such as ``staff[3].id``.
        column: Column name, or the field name inside a YAML entry.
        value: The offending value, as found.
        allowed: What would be accepted instead.
        severity: ``"error"`` blocks the run; ``"warning"`` is reported and the input repaired.
    """

    file: str
    message: str
    location: str | int | None = None
    column: str | None = None
    value: Any = None
    allowed: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file
        if self.location is not None:
            where += (
                f", row {self.location}" if isinstance(self.location, int) else f", {self.location}"
            )
        if self.column:
            where += f", column '{self.column}'"
        text = f"{where}: {self.message}"
        if self.value is not None:
            found = repr(self.value)
            if len(found) > MAX_SHOWN:
                found = f"{found[: MAX_SHOWN - 20]} ... ({len(found):,} characters)"
            text += f" (found {found})"
        if self.allowed:
            text += f"; allowed: {self.allowed}"
        return text


class InputError(ValueError):
    """Raised when input files or objects contain one or more errors.

    Attributes:
        issues: Every problem found, errors and warnings, in file order.
    """

    def __init__(self, issues: Iterable[Issue]):
        self.issues: list[Issue] = list(issues)
        errors = [i for i in self.issues if i.severity == "error"]
        head = f"{len(errors)} problem(s) in the input"
        super().__init__(head + ":\n" + "\n".join(f"  - {i}" for i in errors))

    @property
    def errors(self) -> list[Issue]:
        """The issues that block the run."""
        return [i for i in self.issues if i.severity == "error"]


@dataclass
class IssueCollector:
    """Accumulates issues for one source so that all of them can be reported together.

    Attributes:
        file: Default file name recorded on every issue added.
        issues: Issues collected so far.
    """

    file: str
    issues: list[Issue] = field(default_factory=list)

    def error(self, message: str, **where: Any) -> None:
        """Record a blocking problem."""
        self.issues.append(Issue(file=where.pop("file", self.file), message=message, **where))

    def warning(self, message: str, **where: Any) -> None:
        """Record a problem that was repaired; the run continues."""
        self.issues.append(
            Issue(file=where.pop("file", self.file), message=message, severity="warning", **where)
        )

    def extend(self, issues: Iterable[Issue]) -> None:
        """Add issues found elsewhere."""
        self.issues.extend(issues)

    @property
    def has_errors(self) -> bool:
        """Whether any blocking problem was recorded."""
        return any(i.severity == "error" for i in self.issues)

    def raise_if_errors(self) -> None:
        """Raise :class:`InputError` if any blocking problem was recorded."""
        if self.has_errors:
            raise InputError(self.issues)


class ModelError(ValueError):
    """Raised when a well-formed input asks for something the model cannot represent."""
