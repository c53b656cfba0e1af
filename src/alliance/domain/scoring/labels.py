"""Labels beyond designations: specializations and expert programs (MCPP-3), legacy
Silver/Gold badges (MCPP-4).

A specialization or expert program is held when each of its requirements is met: the
area's designation, a metric at least some value on the day, and — for audits and
attestations, which are the vendor's decisions — the label named among the partner's
``accepted`` evidence. A legacy badge is never granted any more: a holder that renewed
by the cut-off may display it until the cut-off plus the display period (the seed: renew
by 30 September, display « jusqu'à un an après cela »), both days included.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from alliance.domain.calendar import add_months, days_after
from alliance.domain.explanations import Explanation, Reason, plain
from alliance.domain.scoring.facts import PartnerFacts
from alliance.domain.scoring.metrics import metric_value
from alliance.domain.scoring.terms import (
    LabelKind,
    LabelTerms,
    RequirementKind,
    RequirementTerms,
    ScorecardTerms,
)


@dataclass(frozen=True)
class LabelOutcome:
    label: str
    name: str
    kind: LabelKind
    held: bool
    explanation: Explanation


def evaluate_label(
    label: LabelTerms,
    terms: ScorecardTerms,
    facts: PartnerFacts,
    as_of: date,
    designations: Iterable[str],
    accepted: Iterable[str] = (),
) -> LabelOutcome:
    """Whether ``facts`` hold the specialization or expert program ``label`` (MCPP-3)."""
    held_areas, evidence = set(designations), set(accepted)
    reasons = [
        _check(r, label, terms, facts, as_of, held_areas, evidence) for r in label.requirements
    ]
    met = all(ok for ok, _ in reasons)
    summary = f"{label.name}: {'held' if met else 'not held'}"
    return LabelOutcome(
        label.id, label.name, label.kind, met, Explanation(summary, tuple(r for _, r in reasons))
    )


def _check(
    requirement: RequirementTerms,
    label: LabelTerms,
    terms: ScorecardTerms,
    facts: PartnerFacts,
    as_of: date,
    designations: set[str],
    evidence: set[str],
) -> tuple[bool, Reason]:
    kind = requirement.kind
    if kind is RequirementKind.DESIGNATION:
        ok = requirement.area in designations
        word = "holds" if ok else "lacks"
        return ok, Reason("MCPP-3", f"{word} the {requirement.area} designation")
    if kind is RequirementKind.METRIC_AT_LEAST and requirement.metric is not None:
        value = metric_value(terms.metric(requirement.metric), facts, as_of).units
        need = requirement.at_least if requirement.at_least is not None else Decimal(0)
        ok = value >= need
        gap = "" if ok else f" — {plain(need - value)} more needed"
        name = terms.metric(requirement.metric).name
        return ok, Reason("MCPP-3", f"{name}: {plain(value)} of {plain(need)}{gap}")
    ok = label.id in evidence
    what = requirement.description or str(kind)
    return ok, Reason("MCPP-3", f"{kind}: {what} — {'accepted' if ok else 'not yet accepted'}")


@dataclass(frozen=True, slots=True)
class LegacyHolding:
    """``label`` was last renewed on ``renewed_on`` (MCPP-4)."""

    label: str
    renewed_on: date


def legacy_display_until(label: LabelTerms) -> date | None:
    """The last day a legacy badge may be displayed: the cut-off plus the display period."""
    if label.renewable_until is None:
        return None
    end = add_months(label.renewable_until, 12 * label.display_years + label.display_months)
    return days_after(end, label.display_days)


def legacy_badge(label: LabelTerms, holding: LegacyHolding | None, as_of: date) -> LabelOutcome:
    """Whether ``holding`` of the legacy badge ``label`` may be displayed on ``as_of``."""
    until = legacy_display_until(label)
    if holding is None or label.renewable_until is None or until is None:
        return LabelOutcome(
            label.id,
            label.name,
            label.kind,
            False,
            Explanation(f"{label.name}: not held", (Reason("MCPP-4", "no longer granted"),)),
        )
    if holding.renewed_on > label.renewable_until:
        reason = Reason(
            "MCPP-4",
            f"renewed on {holding.renewed_on}, after the cut-off {label.renewable_until}",
        )
        return LabelOutcome(
            label.id,
            label.name,
            label.kind,
            False,
            Explanation(f"{label.name}: not valid", (reason,)),
        )
    shown = as_of <= until
    reason = Reason(
        "MCPP-4",
        f"renewed by the cut-off {label.renewable_until}; displayable until {until}",
    )
    summary = f"{label.name}: {'displayed' if shown else f'display ended on {until}'}"
    return LabelOutcome(label.id, label.name, label.kind, shown, Explanation(summary, (reason,)))


def labels_of(terms: ScorecardTerms, kind: LabelKind) -> tuple[LabelTerms, ...]:
    return tuple(label for label in terms.labels if label.kind is kind)
