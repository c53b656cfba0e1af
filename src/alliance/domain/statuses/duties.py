"""Duties per status and their compliance (OIP-5).

A status's duties bind the member types they name (all when none). A duty due "per
product line" is due once for each line the partner sells among its lines; a duty "by
profile" once per profile (admin, sales, technical), and both combine (online training
per product line for the sales and technical profiles). A duty ``only_if`` a flag binds
only partners with that flag (the e-shop training, for operators using the e-shop).
Compliance counts what is done against what is due, each item by its key:
``duty_id[:profile][:product_line]``; ``count`` items (3 webinars) need that many.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from alliance.domain.explanations import Explanation, Reason
from alliance.domain.statuses.terms import DutyTerms, StatusTerms


@dataclass(frozen=True, slots=True)
class DutyItem:
    key: str
    duty: str
    name: str
    kind: str
    needed: int
    done: int

    @property
    def met(self) -> bool:
        return self.done >= self.needed


@dataclass(frozen=True)
class Compliance:
    status: str
    items: tuple[DutyItem, ...]
    explanation: Explanation

    @property
    def met(self) -> tuple[DutyItem, ...]:
        return tuple(i for i in self.items if i.met)

    @property
    def missing(self) -> tuple[DutyItem, ...]:
        return tuple(i for i in self.items if not i.met)

    @property
    def rate(self) -> Decimal:
        """The share of items met, 1 when nothing is due."""
        return Decimal(len(self.met)) / len(self.items) if self.items else Decimal(1)


def due_items(
    status: StatusTerms,
    member_type: str,
    product_lines: Iterable[str] = (),
    flags: Iterable[str] = (),
) -> tuple[tuple[str, DutyTerms], ...]:
    """The ``(key, duty)`` items ``status`` makes due for this partner (OIP-5)."""
    sold, set_flags = set(product_lines), set(flags)
    items: list[tuple[str, DutyTerms]] = []
    for duty in status.duties:
        if duty.member_types and member_type not in duty.member_types:
            continue
        if duty.only_if is not None and duty.only_if not in set_flags:
            continue
        profiles = duty.profiles or ("",)
        lines = (
            tuple(line for line in duty.product_lines if line in sold)
            if duty.product_lines
            else ("",)
        )
        for profile in profiles:
            for line in lines:
                key = ":".join(part for part in (duty.id, profile, line) if part)
                items.append((key, duty))
    return tuple(items)


def compliance(
    status: StatusTerms,
    member_type: str,
    done: Mapping[str, int],
    product_lines: Iterable[str] = (),
    flags: Iterable[str] = (),
) -> Compliance:
    """What ``status`` requires of the partner and how much of it is ``done`` (OIP-5)."""
    items = tuple(
        DutyItem(key, duty.id, duty.name, duty.kind, duty.count, done.get(key, 0))
        for key, duty in due_items(status, member_type, product_lines, flags)
    )
    met = sum(1 for i in items if i.met)
    reasons = tuple(
        Reason(
            "OIP-5",
            f"{item.name} [{item.key}]: {item.done} of {item.needed}"
            + ("" if item.met else " — missing"),
        )
        for item in items
    )
    summary = f"{status.name} duties: {met} of {len(items)} met"
    return Compliance(status.id, items, Explanation(summary, reasons))
