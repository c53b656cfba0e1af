"""Business refusals and bad input, as exceptions that carry a stable code, a field and a rule.

Every refusal in a command path is one subclass of :class:`AllianceError`; entry points
(CLI, API, portal) render them without a stack trace (X-7). Batch paths report errors
as values: see :class:`Problem`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one piece of input, with where it is and which rule it breaks.

    ``location`` is free-form and human-readable: ``"usage.csv:14"``, ``"opn.yaml:32"``.
    """

    message: str
    field: str | None = None
    rule: str | None = None
    location: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.location:
            parts.append(self.location)
        if self.field:
            parts.append(self.field)
        head = ": ".join(parts)
        tail = f" [{self.rule}]" if self.rule else ""
        return f"{head}: {self.message}{tail}" if head else f"{self.message}{tail}"


class AllianceError(Exception):
    """Base of every error a user can cause. ``code`` is stable and machine-readable."""

    code: str = "error"
    status: int = 400  # the HTTP status the API answers with

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        rule: str | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.rule = rule
        self.problems: list[Problem] = list(problems or [])

    def to_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"code": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        if self.rule is not None:
            body["rule"] = self.rule
        if self.problems:
            body["problems"] = [
                {"message": p.message, "field": p.field, "rule": p.rule, "location": p.location}
                for p in self.problems
            ]
        return body


class InvalidInput(AllianceError):
    """Input that does not satisfy the schema or a rule; nothing was applied."""

    code = "invalid_input"
    status = 422


class NotFound(AllianceError):
    code = "not_found"
    status = 404


class Conflict(AllianceError):
    """The request contradicts the current state (duplicate key, illegal transition…)."""

    code = "conflict"
    status = 409


class NotAuthenticated(AllianceError):
    code = "not_authenticated"
    status = 401


class Forbidden(AllianceError):
    """The actor may not see or change this (X-6 tenancy, or a role it does not hold)."""

    code = "forbidden"
    status = 403


class BusinessRuleViolation(AllianceError):
    """A refusal by a program rule; subclasses name the rule (``rule="OPN-17"``)."""

    code = "rule_violation"
    status = 422


@dataclass(frozen=True)
class Problems:
    """An accumulator for batch validation: collect every problem, then raise once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, summary: str) -> None:
        if self.items:
            raise InvalidInput(f"{summary}: {len(self.items)} problem(s)", problems=self.items)
