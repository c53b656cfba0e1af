"""What the public directory shows of a partner: designations and labels only (MCPP-6).

Customers never see scores. :class:`DirectoryEntry` has no field that could carry one —
no score, total, points, gap or explanation — so nothing built from it can leak them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from alliance.domain.scoring.designations import PartnerScorecard
from alliance.domain.scoring.labels import LabelOutcome


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """A partner as customers see it: the area names it holds a designation in."""

    partner_id: str
    designation: str
    areas: tuple[str, ...]
    labels: tuple[str, ...] = ()


def directory_entry(
    scorecard: PartnerScorecard, designation: str, labels: Iterable[LabelOutcome] = ()
) -> DirectoryEntry:
    """The public view of ``scorecard``: held designations and held labels (MCPP-6)."""
    areas = tuple(o.area_name for o in scorecard.areas if o.holds_designation)
    held = tuple(label.name for label in labels if label.held)
    return DirectoryEntry(scorecard.partner_id, designation, areas, held)
