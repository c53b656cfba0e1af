"""Capability scores per solution area — MCPP (SPEC §3) — pure rules, stdlib only.

* :mod:`.terms` — :class:`ScorecardTerms`: metric unit values and caps, tracks, the
  threshold, the window (MCPP-8 … MCPP-10); built from a definition by
  ``alliance.services.scorecard_terms``.
* :mod:`.facts` — :class:`PartnerFacts`, one partner's certifications, customers,
  deployments and usage (from :mod:`alliance.domain.facts`).
* :mod:`.metrics` — metric units on a day, and the days on which they can change.
* :mod:`.points` — the area score on a day: points per metric, tracks (best-of or
  classification), the threshold and "every metric > 0" (MCPP-2, MCPP-8, MCPP-9).
* :mod:`.advice` — the cheapest steps to close a gap (X-3).
* :mod:`.qualification` — the 6-month qualification window (MCPP-8).
* :mod:`.designations` — status per area: in_progress, qualified, enrolled,
  enrolled_renewal_due; designations kept until the anniversary (MCPP-8).
* :mod:`.labels` — specializations and expert programs (MCPP-3), legacy badges (MCPP-4).
* :mod:`.public` — the directory view: designations only, never scores (MCPP-6).
"""

from alliance.domain.scoring.designations import (
    AreaOutcome,
    DesignationStatus,
    Enrolment,
    PartnerScorecard,
    designation_status,
    evaluate_scorecard,
)
from alliance.domain.scoring.facts import PartnerFacts
from alliance.domain.scoring.labels import (
    LabelOutcome,
    LegacyHolding,
    evaluate_label,
    legacy_badge,
    legacy_display_until,
)
from alliance.domain.scoring.metrics import MetricValue, change_days, metric_value, trailing_range
from alliance.domain.scoring.points import AreaScore, MetricScore, area_scores, score_area
from alliance.domain.scoring.public import DirectoryEntry, directory_entry
from alliance.domain.scoring.qualification import Qualification, qualification_window, qualify
from alliance.domain.scoring.terms import (
    Aggregation,
    AreaTerms,
    CertificationTerms,
    ClassificationTerms,
    FactSource,
    LabelKind,
    LabelTerms,
    MetricTerms,
    RequirementKind,
    RequirementTerms,
    ScorecardTerms,
    ScoreRuleTerms,
    TrackMode,
    TrackTerms,
)

__all__ = [
    "Aggregation",
    "AreaOutcome",
    "AreaScore",
    "AreaTerms",
    "CertificationTerms",
    "ClassificationTerms",
    "DesignationStatus",
    "DirectoryEntry",
    "Enrolment",
    "FactSource",
    "LabelKind",
    "LabelOutcome",
    "LabelTerms",
    "LegacyHolding",
    "MetricScore",
    "MetricTerms",
    "MetricValue",
    "PartnerFacts",
    "PartnerScorecard",
    "Qualification",
    "RequirementKind",
    "RequirementTerms",
    "ScoreRuleTerms",
    "ScorecardTerms",
    "TrackMode",
    "TrackTerms",
    "area_scores",
    "change_days",
    "designation_status",
    "directory_entry",
    "evaluate_label",
    "evaluate_scorecard",
    "legacy_badge",
    "legacy_display_until",
    "metric_value",
    "qualification_window",
    "qualify",
    "score_area",
    "trailing_range",
]
