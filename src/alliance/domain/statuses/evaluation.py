"""A partner's whole standing in an earned-status program on a day (OIP-2 … OIP-6): its
status with the revenue that decided it, the duties of that status with their
compliance, and the benefits it opens — the partner dashboard's content."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from alliance.domain.facts import RevenueLine
from alliance.domain.statuses.assignment import StatusOutcome, assign_status
from alliance.domain.statuses.benefits import benefits_for
from alliance.domain.statuses.duties import Compliance, compliance
from alliance.domain.statuses.terms import BenefitTerms, EarnedStatusTerms


@dataclass(frozen=True)
class StatusReport:
    outcome: StatusOutcome
    duties: Compliance
    benefits: tuple[BenefitTerms, ...]


def status_report(
    partner_id: str,
    member_type: str,
    lines: Iterable[RevenueLine],
    as_of: date,
    terms: EarnedStatusTerms,
    done: Mapping[str, int] | None = None,
    product_lines: Iterable[str] = (),
    flags: Iterable[str] = (),
    member_since: date | None = None,
) -> StatusReport:
    """Status (OIP-2 … OIP-4), duties with compliance (OIP-5) and benefits (OIP-6)."""
    outcome = assign_status(partner_id, member_type, lines, as_of, terms, member_since)
    duties = compliance(outcome.status, member_type, done or {}, product_lines, flags)
    return StatusReport(outcome, duties, benefits_for(outcome.status, member_type))
