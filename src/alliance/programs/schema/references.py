"""Cross-section checks of a whole definition: every id one section names is declared in
another (metrics, levels, statuses, member types, workflows, wallets, incentives…).

Each check returns ``(loc, message)`` issues with the full path of the offending field;
:class:`~alliance.programs.schema.program.ProgramDefinition` raises them all at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alliance.programs.schema.common import Loc, duplicate_ids, unknown_refs
from alliance.programs.schema.incentives import EngagementIncentive, PointsIncentive

if TYPE_CHECKING:
    from alliance.programs.schema.program import ProgramDefinition

Issues = list[tuple[Loc, str]]


class _Known:
    """The ids a definition declares, by kind."""

    def __init__(self, program: ProgramDefinition) -> None:
        membership = program.membership
        self.member_types = [t.id for t in membership.member_types] if membership else []
        self.levels = [lv.id for lv in membership.levels] if membership else []
        self.roles = [r.id for r in membership.roles] if membership else []
        self.modules = [m.id for m in membership.modules] if membership else []
        self.metrics = [m.id for m in program.metrics]
        self.statuses = [s.id for s in program.statuses.statuses] if program.statuses else []
        self.areas = [a.id for a in program.scorecards.areas] if program.scorecards else []
        self.workflows = {w.id: w.state_ids() for w in program.workflows}
        self.wallets = [w.id for w in program.wallets]
        self.incentives = [i.id for i in program.incentives]
        self.tags = [t.id for w in program.wallets for t in w.provenance_tags]
        engagements = program.engagements
        self.categories = [c.id for c in engagements.categories] if engagements else []


def reference_issues(program: ProgramDefinition) -> Issues:
    known = _Known(program)
    issues: Issues = []
    issues += duplicate_ids("metrics", known.metrics)
    issues += duplicate_ids("workflows", list(known.workflows))
    issues += duplicate_ids("wallets", known.wallets)
    issues += duplicate_ids("incentives", known.incentives)
    issues += duplicate_ids("labels", (label.id for label in program.labels))
    issues += _membership(program, known)
    issues += _engagements(program, known)
    issues += _scorecards(program, known)
    issues += _statuses(program, known)
    issues += _promotions(program, known)
    issues += _incentives(program, known)
    issues += _wallets(program, known)
    return issues


def _membership(program: ProgramDefinition, known: _Known) -> Issues:
    issues: Issues = []
    if program.membership is None:
        return issues
    for i, level in enumerate(program.membership.levels):
        if level.qualification is not None:
            loc: Loc = ("membership", "levels", i, "qualification", "metric")
            issues += unknown_refs(loc, [level.qualification.metric], known.metrics, "metric")
        for j, benefit in enumerate(level.benefits):
            if benefit.incentive is not None:
                loc = ("membership", "levels", i, "benefits", j, "incentive")
                issues += unknown_refs(loc, [benefit.incentive], known.incentives, "incentive")
    return issues


def _engagements(program: ProgramDefinition, known: _Known) -> Issues:
    section = program.engagements
    issues: Issues = []
    if section is None:
        return issues
    loc: Loc = ("engagements", "min_level")
    issues += unknown_refs(loc, [section.min_level], known.levels, "level")
    for i, category in enumerate(section.categories):
        loc = ("engagements", "categories", i, "workflow")
        issues += unknown_refs(loc, [category.workflow], known.workflows, "workflow")
        states = known.workflows.get(category.workflow, ())
        if states:
            loc = ("engagements", "categories", i, "locked_in_states")
            issues += unknown_refs(loc, category.locked_in_states, states, "state")
    return issues


def _scorecards(program: ProgramDefinition, known: _Known) -> Issues:
    issues: Issues = []
    section = program.scorecards
    if section is not None:
        for i, area in enumerate(section.areas):
            for j, track in enumerate(area.tracks):
                for k, rule in enumerate(track.rules):
                    loc: Loc = ("scorecards", "areas", i, "tracks", j, "rules", k, "metric")
                    issues += unknown_refs(loc, [rule.metric], known.metrics, "metric")
        workflow = section.designation.workflow
        if workflow is not None:
            loc = ("scorecards", "designation", "workflow")
            issues += unknown_refs(loc, [workflow], known.workflows, "workflow")
    for i, label in enumerate(program.labels):
        if label.area is not None:
            issues += unknown_refs(("labels", i, "area"), [label.area], known.areas, "area")
        for j, req in enumerate(label.requirements):
            if req.area is not None:
                loc = ("labels", i, "requirements", j, "area")
                issues += unknown_refs(loc, [req.area], known.areas, "area")
            if req.metric is not None:
                loc = ("labels", i, "requirements", j, "metric")
                issues += unknown_refs(loc, [req.metric], known.metrics, "metric")
    return issues


def _statuses(program: ProgramDefinition, known: _Known) -> Issues:
    section = program.statuses
    issues: Issues = []
    if section is None:
        return issues
    for i, measure in enumerate(section.measures):
        base: Loc = ("statuses", "measures", i)
        issues += unknown_refs(
            (*base, "member_type"), [measure.member_type], known.member_types, "member type"
        )
        issues += unknown_refs((*base, "metric"), [measure.metric], known.metrics, "metric")
    for i, status in enumerate(section.statuses):
        base = ("statuses", "statuses", i)
        for j, threshold in enumerate(status.thresholds):
            loc: Loc = (*base, "thresholds", j, "member_type")
            issues += unknown_refs(loc, [threshold.member_type], known.member_types, "member type")
        for j, duty in enumerate(status.duties):
            loc = (*base, "duties", j, "member_types")
            issues += unknown_refs(loc, duty.member_types, known.member_types, "member type")
        for j, benefit in enumerate(status.benefits):
            loc = (*base, "benefits", j, "member_types")
            issues += unknown_refs(loc, benefit.member_types, known.member_types, "member type")
            if benefit.incentive is not None:
                loc = (*base, "benefits", j, "incentive")
                issues += unknown_refs(loc, [benefit.incentive], known.incentives, "incentive")
    return issues


def _promotions(program: ProgramDefinition, known: _Known) -> Issues:
    section = program.promotions
    issues: Issues = []
    if section is None:
        return issues
    for i, promo in enumerate(section.promotions):
        base: Loc = ("promotions", "promotions", i)
        issues += unknown_refs((*base, "statuses"), promo.statuses, known.statuses, "status")
        issues += unknown_refs(
            (*base, "member_types"), promo.member_types, known.member_types, "member type"
        )
        for j, benefit in enumerate(promo.benefits):
            if benefit.incentive is not None:
                loc: Loc = (*base, "benefits", j, "incentive")
                issues += unknown_refs(loc, [benefit.incentive], known.incentives, "incentive")
    for i, minimum in enumerate(section.minimums):
        base = ("promotions", "minimums", i)
        issues += unknown_refs((*base, "status"), [minimum.status], known.statuses, "status")
        issues += unknown_refs(
            (*base, "member_type"), [minimum.member_type], known.member_types, "member type"
        )
        issues += unknown_refs((*base, "metric"), [minimum.metric], known.metrics, "metric")
    return issues


def _incentives(program: ProgramDefinition, known: _Known) -> Issues:
    issues: Issues = []
    for i, incentive in enumerate(program.incentives):
        base: Loc = ("incentives", i)
        issues += unknown_refs(
            (*base, "member_types"), incentive.member_types, known.member_types, "member type"
        )
        issues += unknown_refs((*base, "levels"), incentive.levels, known.levels, "level")
        issues += unknown_refs((*base, "statuses"), incentive.statuses, known.statuses, "status")
        issues += unknown_refs((*base, "modules"), incentive.modules, known.modules, "module")
        if incentive.payout is not None and incentive.payout.wallet is not None:
            loc: Loc = (*base, "payout", "wallet")
            issues += unknown_refs(loc, [incentive.payout.wallet], known.wallets, "wallet")
        if isinstance(incentive, PointsIncentive):
            for j, award in enumerate(incentive.awards):
                loc = (*base, "awards", j, "metric")
                issues += unknown_refs(loc, [award.metric], known.metrics, "metric")
        elif isinstance(incentive, EngagementIncentive):
            loc = (*base, "engagement_category")
            issues += unknown_refs(
                loc, [incentive.engagement_category], known.categories, "engagement category"
            )
            for j, pool in enumerate(incentive.pools):
                if pool.provenance_tag is not None:
                    loc = (*base, "pools", j, "provenance_tag")
                    issues += unknown_refs(loc, [pool.provenance_tag], known.tags, "provenance tag")
        else:
            issues += unknown_refs((*base, "base"), [incentive.base], known.metrics, "metric")
    return issues


def _wallets(program: ProgramDefinition, known: _Known) -> Issues:
    issues: Issues = []
    for i, wallet in enumerate(program.wallets):
        for j, allocation in enumerate(wallet.allocations):
            loc: Loc = ("wallets", i, "allocations", j, "level")
            issues += unknown_refs(loc, [allocation.level], known.levels, "level")
        loc = ("wallets", i, "redemption", "requester_roles")
        issues += unknown_refs(loc, wallet.redemption.requester_roles, known.roles, "role")
    return issues
