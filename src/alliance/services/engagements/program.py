"""The engagement program as the use cases need it: the OPN definition's engagements
section and cloud-rewards incentive read into the pure domain's policies.

* CCE-1: ``max_active_users`` and the minimum level (as a rank of the membership terms);
* CCE-5: the attachment categories and which the vendor reviews;
* RWD-1 / RWD-3: the public-sector pool — its configured countries, product families and
  threshold — from the incentive's ``public_sector`` pool; RWD-5: the cap per deal.

What the definition leaves to the built-in defaults (commercial criteria, rates) comes
from :mod:`alliance.domain.engagement_rewards`. Attachment limits (size, types) are the
deployment's: :class:`AttachmentLimits`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from alliance.domain.credits.wallet import DEFAULT_WALLET, CreditWallet
from alliance.domain.engagement_rewards import (
    DEFAULT_OFFERS,
    DEFAULT_PAYOUT_RULES,
    PayoutRules,
    PoolThresholds,
    RewardOffers,
    public_sector_pool,
)
from alliance.domain.engagements import (
    DEFAULT_ATTACHMENT_CATEGORIES,
    DEFAULT_DUPLICATE_POLICY,
    DEFAULT_EDIT_POLICY,
    DEFAULT_USER_POLICY,
    DuplicatePolicy,
    EditPolicy,
    UserPolicy,
)
from alliance.domain.membership import MembershipTerms
from alliance.domain.money import Money
from alliance.programs.registry import ProgramRegistry
from alliance.programs.schema import ProgramDefinition
from alliance.programs.schema.incentives import EngagementIncentive
from alliance.services.membership_terms import DEFAULT_PROGRAM, membership_program

MEBIBYTE = 1 << 20


@dataclass(frozen=True)
class AttachmentLimits:
    """What an uploaded attachment may be: its size and its type (by extension and
    declared content type)."""

    max_bytes: int = 10 * MEBIBYTE
    content_types: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType(
            {
                ".pdf": "application/pdf",
                ".png": "image/png",
                ".jpg": "image/jpeg",
                ".jpeg": "image/jpeg",
                ".txt": "text/plain",
                ".csv": "text/csv",
                ".docx": (
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                ),
                ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
    )


@dataclass(frozen=True)
class EngagementProgram:
    """Everything the engagement and engagement-reward rules take their numbers from."""

    code: str
    membership: MembershipTerms
    users: UserPolicy = DEFAULT_USER_POLICY
    edits: EditPolicy = DEFAULT_EDIT_POLICY
    duplicates: DuplicatePolicy = DEFAULT_DUPLICATE_POLICY
    attachment_categories: Mapping[str, bool] = field(
        default_factory=lambda: DEFAULT_ATTACHMENT_CATEGORIES
    )
    offers: RewardOffers = DEFAULT_OFFERS
    payout_rules: PayoutRules = DEFAULT_PAYOUT_RULES
    wallet: CreditWallet = DEFAULT_WALLET
    limits: AttachmentLimits = field(default_factory=AttachmentLimits)
    attachments_dir: Path = Path("./attachments")

    def with_attachments_dir(self, folder: Path) -> EngagementProgram:
        return replace(self, attachments_dir=folder)


def engagement_program(
    programs: ProgramRegistry,
    code: str = DEFAULT_PROGRAM,
    *,
    attachments_dir: Path = Path("./attachments"),
) -> EngagementProgram:
    """The engagement program of ``code`` (the OPN definition by default)."""
    definition = programs.get(code)
    terms = membership_program(programs, code).terms
    program = EngagementProgram(code=code, membership=terms, attachments_dir=attachments_dir)
    section = definition.engagements
    if section is not None:
        users = UserPolicy(
            max_active_users=section.max_active_users,
            min_level=terms.engagements_min_rank,
        )
        categories = (
            MappingProxyType({c.id: c.triggers_review for c in section.attachment_categories})
            if section.attachment_categories
            else DEFAULT_ATTACHMENT_CATEGORIES
        )
        program = replace(program, users=users, attachment_categories=categories)
    incentive = _engagement_incentive(definition)
    if incentive is not None:
        program = replace(
            program,
            offers=_offers(incentive),
            payout_rules=_rules(incentive),
        )
    return program


def _engagement_incentive(definition: ProgramDefinition) -> EngagementIncentive | None:
    for incentive in definition.incentives:
        if isinstance(incentive, EngagementIncentive):
            return incentive
    return None


def _offers(incentive: EngagementIncentive) -> RewardOffers:
    """RWD-1 / RWD-3: the public-sector pool as configured (countries, families,
    threshold); the commercial criteria stay the built-in ones."""
    pool = next((p for p in incentive.pools if p.id == "public_sector"), None)
    if pool is None:
        return DEFAULT_OFFERS
    countries: tuple[str, ...] = ()
    families: tuple[str, ...] = ("oci", "saas")
    for criterion in pool.criteria:
        if criterion.attribute == "country":
            countries = tuple(v.upper() for v in criterion.values)
        elif criterion.attribute == "product_family":
            families = tuple(v.lower() for v in criterion.values)
    threshold = Money(pool.threshold.amount, pool.threshold.currency)
    return replace(
        DEFAULT_OFFERS,
        public_pool=public_sector_pool(
            countries=countries,
            families=families,
            thresholds=PoolThresholds(min_total=threshold),
        ),
    )


def _rules(incentive: EngagementIncentive) -> PayoutRules:
    """RWD-5: the cap per deal from the definition; the rates are the built-in ones."""
    if incentive.cap is None:
        return replace(DEFAULT_PAYOUT_RULES, cap=None)
    return replace(
        DEFAULT_PAYOUT_RULES, cap=Money(incentive.cap.amount.amount, incentive.cap.amount.currency)
    )
