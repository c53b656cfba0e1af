"""Customers, their unlimited licence agreements, and the accrual rate they earn (OSR-11).

A customer entity may hold a ULA, and a ULA may include other entities
(``ula_covers``): "ULA status covers every entity included in the ULA". A customer with a
mix of ULA and non-ULA gets the ULA rate on **all** its consumption: with
``RewardTerms.ula_rate_across_hierarchy`` (the default, as the built-in definition's
``rate_across_hierarchy``), one ULA-covered entity anywhere in a corporate hierarchy gives
the ULA rate to every entity of it. Everyone else earns the standard rate.

A :class:`Customer` is a snapshot as of the month being accrued: the seed gives 33 % to
*current* ULA customers, so the caller passes the ULA status of that month.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from alliance.domain.errors import InvalidInput, NotFound
from alliance.domain.ids import OrganizationId
from alliance.domain.organizations import Hierarchy
from alliance.domain.rewards.reasons import Reason
from alliance.domain.rewards.terms import RewardTerms


@dataclass(frozen=True)
class Customer:
    """A customer entity: its parent in its corporate hierarchy (OSR-18), whether it has
    on-premises support (OSR-2), and whether it holds a ULA and which other entities that
    ULA includes (OSR-11)."""

    id: OrganizationId
    parent_id: OrganizationId | None = None
    has_on_premises_support: bool = True
    has_ula: bool = False
    ula_covers: frozenset[OrganizationId] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "ula_covers", frozenset(self.ula_covers))
        if not self.id.strip():
            raise InvalidInput("a customer needs an id", field="id", rule="X-7")
        if self.ula_covers and not self.has_ula:
            raise InvalidInput(
                f"customer {self.id} names entities its ULA covers but holds no ULA",
                field="ula_covers",
                rule="OSR-11",
            )


@dataclass(frozen=True)
class RateDecision:
    """The rate a customer earns and why (X-3)."""

    rate: Decimal
    ula: bool
    reason: Reason


class Rates:
    """The accrual rate of every customer, computed once for a set of customers."""

    def __init__(self, customers: Mapping[OrganizationId, Customer], terms: RewardTerms) -> None:
        self._terms = terms
        self._customers = customers
        self._covered_by: dict[OrganizationId, OrganizationId] = {}
        for customer in customers.values():
            if customer.has_ula:
                for entity in (customer.id, *sorted(customer.ula_covers)):
                    self._covered_by.setdefault(entity, customer.id)
        self._hierarchy = hierarchy_of(customers.values())
        self._ula_companies: dict[OrganizationId, OrganizationId] = {}
        for entity in sorted(self._covered_by):
            if entity in self._hierarchy.parents:
                principal = self._hierarchy.principal_of(entity)
                self._ula_companies.setdefault(principal, entity)

    @property
    def hierarchy(self) -> Hierarchy:
        return self._hierarchy

    def for_customer(self, customer_id: OrganizationId) -> RateDecision:
        """The rate ``customer_id`` earns on all its eligible consumption (OSR-11)."""
        if customer_id not in self._customers:
            raise NotFound(f"customer {customer_id} is not known", field="customer_id")
        terms = self._terms
        holder = self._covered_by.get(customer_id)
        if holder == customer_id:
            return self._ula(f"{customer_id} holds a ULA")
        if holder is not None:
            return self._ula(f"{customer_id} is included in the ULA of {holder}")
        if terms.ula_rate_across_hierarchy:
            entity = self._ula_companies.get(self._hierarchy.principal_of(customer_id))
            if entity is not None:
                return self._ula(
                    f"{entity}, of the same corporate hierarchy, is covered by a ULA; a mix of "
                    "ULA and non-ULA earns the ULA rate on all consumption"
                )
        return RateDecision(
            terms.standard_rate,
            ula=False,
            reason=Reason("OSR-11", f"no ULA: standard rate {_percent(terms.standard_rate)}"),
        )

    def _ula(self, why: str) -> RateDecision:
        rate = self._terms.ula_rate
        return RateDecision(rate, ula=True, reason=Reason("OSR-11", f"{why}: {_percent(rate)}"))


def hierarchy_of(customers: Iterable[Customer]) -> Hierarchy:
    """The corporate hierarchies of ``customers``; a parent not given is taken as a root."""
    parents: dict[OrganizationId, OrganizationId | None] = {c.id: c.parent_id for c in customers}
    for parent in [p for p in parents.values() if p is not None and p not in parents]:
        parents[parent] = None
    return Hierarchy(parents)


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f} %"
