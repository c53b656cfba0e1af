"""Which usage lines earn rewards, as Ibis predicates (OSR-2…OSR-8, OSR-13, OSR-15).

The batch twin of :mod:`alliance.domain.rewards.eligibility`: :data:`EXCLUSIONS` has one
predicate per check of the domain's ``EXCLUSIONS`` table, under the same name and in the
same order (a test holds the two tables together), each true when its rule excludes the
line. The predicates read one row of usage joined with its subscription and the buyer's
facts — the columns :data:`LINE_COLUMNS` names — and take the program's numbers from
:class:`RewardTerms` as literals.

**Months** (as in the domain): OSR-13 counts a line when the service period is active on
at least one day of its month — ``first_month ≤ month ≤ last_month``, compared as
``YYYY-MM`` labels; OSR-4 counts the month of an opt-out and excludes the months after it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

import ibis
import ibis.expr.types as ir

from alliance.domain.rewards import RewardTerms
from alliance.domain.rewards.terms import OveragePolicy

LINE_COLUMNS = (
    # the usage line (USAGE_SCHEMA)
    "month",
    "line_kind",
    "third_party",
    "marketplace",
    "saas",
    "free_tier",
    "rack_subscription",
    # its subscription (SUBSCRIPTIONS_SCHEMA), months as YYYY-MM labels
    "order_type",
    "country",
    "sector",
    "enrolled",
    "opted_out_month",
    "has_paas_conversion_right",
    "first_month",
    "last_month",
    # its buyer (CUSTOMER_RATES_SCHEMA)
    "has_on_premises_support",
)
"""The columns the predicates read."""

Exclusion = Callable[[ir.Table, RewardTerms], ir.BooleanValue]


def _order_type(line: ir.Table, terms: RewardTerms) -> ir.BooleanValue:
    """OSR-2: only committed-credit orders earn."""
    return ~_isin(line.order_type, sorted(t.value for t in terms.eligible_order_types))


def _on_premises_support(line: ir.Table, _terms: RewardTerms) -> ir.BooleanValue:
    """OSR-2: the buyer needs on-premises support for rewards to pay."""
    return ~line.has_on_premises_support


def _free_tier(line: ir.Table, _terms: RewardTerms) -> ir.BooleanValue:
    """OSR-2: free-tier services earn nothing."""
    return line.free_tier


def _country(line: ir.Table, terms: RewardTerms) -> ir.BooleanValue:
    """OSR-3: orders in the excluded countries."""
    return _isin(line.country, sorted(terms.excluded_countries))


def _sector(line: ir.Table, terms: RewardTerms) -> ir.BooleanValue:
    """OSR-3: the excluded sectors (US federal public sector)."""
    return _isin(line.sector, sorted(s.value for s in terms.excluded_sectors))


def _enrolled(line: ir.Table, _terms: RewardTerms) -> ir.BooleanValue:
    """OSR-4: the order must carry the reward terms."""
    return ~line.enrolled


def _opted_out(line: ir.Table, _terms: RewardTerms) -> ir.BooleanValue:
    """OSR-4: the months after the month of the opt-out."""
    return line.opted_out_month.notnull() & (line.opted_out_month < line.month)


def _paas_conversion(line: ir.Table, _terms: RewardTerms) -> ir.BooleanValue:
    """OSR-6: a licence-to-PaaS conversion right excludes enrolment."""
    return line.has_paas_conversion_right


def _service_kind(line: ir.Table, _terms: RewardTerms) -> ir.BooleanValue:
    """OSR-7: third-party, marketplace, SaaS, and the base subscription of a rack."""
    return line.third_party | line.marketplace | line.saas | line.rack_subscription


def _service_period(line: ir.Table, _terms: RewardTerms) -> ir.BooleanValue:
    """OSR-13: the order's service period is not active in the line's month."""
    return (line.month < line.first_month) | (line.month > line.last_month)


def _overage(line: ir.Table, terms: RewardTerms) -> ir.BooleanValue:
    """OSR-15: overage lines, when the terms exclude them."""
    if terms.overage is OveragePolicy.EXCLUDED:
        return line.line_kind == "overage"
    return ibis.literal(False)


EXCLUSIONS: Mapping[str, Exclusion] = MappingProxyType(
    {
        "order_type": _order_type,
        "on_premises_support": _on_premises_support,
        "free_tier": _free_tier,
        "country": _country,
        "sector": _sector,
        "enrolled": _enrolled,
        "opted_out": _opted_out,
        "paas_conversion": _paas_conversion,
        "service_kind": _service_kind,
        "service_period": _service_period,
        "overage": _overage,
    }
)
"""Every rule that can exclude a line, named and ordered as the domain's ``EXCLUSIONS``."""


def is_eligible(line: ir.Table, terms: RewardTerms) -> ir.BooleanValue:
    """Whether ``line`` earns: no exclusion applies. Any workload qualifies (OSR-8), and
    bring-your-own-licence services count (OSR-5): nothing here reads ``byol``."""
    excluded = [exclusion(line, terms) for exclusion in EXCLUSIONS.values()]
    any_excluded = excluded[0]
    for predicate in excluded[1:]:
        any_excluded = any_excluded | predicate
    return ~any_excluded


def _isin(value: ir.StringValue, values: list[str]) -> ir.BooleanValue:
    return value.isin(values) if values else ibis.literal(False)
