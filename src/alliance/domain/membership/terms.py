"""The parameters of a paid-level partner network, as one value: :class:`MembershipTerms`.

The membership rules take every number from the terms — fees, payment plans and methods
per country, the term, the renewal window, the late-renewal period, the invoice delay,
the levels that open tracks and expertise — never from constants, so that a program
definition can be mapped onto them by the service layer
(``alliance.services.membership_terms``). :func:`~.defaults.opn_terms` gives SPEC §1's
numbers without reading a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from alliance.domain.errors import InvalidInput
from alliance.domain.membership.roles import RoleTerms
from alliance.domain.membership.steps import Step, StepRule
from alliance.domain.money import Money
from alliance.domain.people import PartnerRole

# -- payment vocabulary (OPN-5, OPN-6) --------------------------------------------------


class PaymentPlan(StrEnum):
    """How often the annual fee is paid; :attr:`instalments` says how many times a year."""

    ANNUAL = "annual"
    SEMI_ANNUAL = "semi_annual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"

    @property
    def instalments(self) -> int:
        return _INSTALMENTS[self]


_INSTALMENTS: Mapping[PaymentPlan, int] = MappingProxyType(
    {
        PaymentPlan.ANNUAL: 1,
        PaymentPlan.SEMI_ANNUAL: 2,
        PaymentPlan.QUARTERLY: 4,
        PaymentPlan.MONTHLY: 12,
    }
)


class PaymentMethod(StrEnum):
    CARD = "card"
    WIRE = "wire"
    PURCHASE_ORDER = "purchase_order"
    DIRECT_DEBIT = "direct_debit"


class PaymentTiming(StrEnum):
    """OPN-6: full payment before activation, or equal instalments from activation."""

    BEFORE_ACTIVATION = "before_activation"
    FROM_ACTIVATION = "from_activation"


@dataclass(frozen=True)
class PaymentOption:
    """One way to pay a level's fee: a plan, when it is due, and the accepted methods."""

    plan: PaymentPlan
    methods: tuple[PaymentMethod, ...]
    timing: PaymentTiming = PaymentTiming.BEFORE_ACTIVATION

    @property
    def instalments(self) -> int:
        return self.plan.instalments


@dataclass(frozen=True)
class PaymentChoice:
    """The plan and method an applicant picked (checked by :mod:`.payments`)."""

    plan: PaymentPlan
    method: PaymentMethod


# -- questionnaire vocabulary (OPN-9, RWD-3, CRD-2) -------------------------------------


class AgreementMethod(StrEnum):
    """OPN-9: how the agreement is accepted; an associate accepts its principal's terms."""

    ONLINE_CLICK = "online_click"
    OFFLINE_UPLOAD = "offline_upload"
    PRINCIPAL_TERMS = "principal_terms"  # OPN-2: bound by the principal's agreement


class RewardPayout(StrEnum):
    """RWD-3: how rewards are paid, chosen at subscription."""

    MONEY = "money"
    PARTNER_CREDITS = "partner_credits"


class AssociateOrdering(StrEnum):
    """CRD-2: who may order with the principal's credits, and with which approval."""

    PRINCIPAL_ORDERS_ONLY = "principal_orders_only"
    PREAPPROVED_WHOLE_BALANCE = "preapproved_whole_balance"
    PREAPPROVED_PERCENTAGE = "preapproved_percentage"
    PREAPPROVED_OWN_EARNINGS = "preapproved_own_earnings"
    APPROVAL_REQUIRED = "approval_required"


# -- levels and tracks ------------------------------------------------------------------


@dataclass(frozen=True)
class LevelTerms:
    """A level (OPN-4): its rank, annual fee (excluding tax) and payment options (OPN-5),
    by default and per country (ISO 3166-1 alpha-2)."""

    id: str
    name: str
    rank: int
    fee: Money
    payment: tuple[PaymentOption, ...]
    payment_by_country: Mapping[str, tuple[PaymentOption, ...]] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "payment_by_country", MappingProxyType(dict(self.payment_by_country))
        )
        for options in (self.payment, *self.payment_by_country.values()):
            plans = [option.plan for option in options]
            if not plans or len(set(plans)) != len(plans):
                raise InvalidInput(
                    f"level {self.id} offers each payment plan once, and at least one",
                    field="payment",
                    rule="OPN-5",
                )
            if not all(option.methods for option in options):
                raise InvalidInput(
                    f"each payment plan of level {self.id} accepts at least one method",
                    field="payment",
                    rule="OPN-5",
                )

    def options_for(self, country: str | None) -> tuple[PaymentOption, ...]:
        """OPN-5: the plans offered in ``country``; the default set where it has none."""
        return self.payment_by_country.get(country or "", self.payment)


@dataclass(frozen=True)
class TrackTerms:
    """An optional track (OPN-12): open from ``min_rank``, ending with the membership."""

    id: str
    name: str
    min_rank: int = 1
    coterminous: bool = True


_ALL_STEPS = tuple(StepRule(step) for step in Step)


@dataclass(frozen=True)
class MembershipTerms:
    """What a paid-level network charges, offers and enforces.

    * ``levels`` lowest first (OPN-4, OPN-5); ``term_years`` (OPN-14).
    * ``renewal_window_days`` — the window opens this many days before the end (OPN-14);
      ``late_renewal_years`` — after expiry, renewal stays possible this long, ``None``
      for never (OPN-15); ``renewal_reminder_days`` — reminders before the end date.
    * ``invoice_min_business_days`` / ``invoice_max_business_days`` — the invoice is
      issued within this many business days of subscription (OPN-7), to
      ``invoice_recipient``.
    * ``tracks`` (OPN-12); ``expertise_min_rank`` (OPN-17); ``engagements_min_rank``
      (CCE-1).
    * ``steps`` and ``skipped_on_renewal`` (OPN-9); ``agreement_methods``,
      ``reward_payouts`` (RWD-3), ``associate_policies`` and their defaults (CRD-2).
    * ``parent_must_be_active`` / ``approval_by_parent`` (OPN-2); ``roles`` (OPN-18).
    """

    levels: tuple[LevelTerms, ...]
    program: str = "opn"
    currency: str = "USD"
    term_years: int = 1
    renewal_window_days: int = 90
    late_renewal_years: int | None = 1
    renewal_reminder_days: tuple[int, ...] = (90, 60, 30, 7)
    invoice_min_business_days: int = 3
    invoice_max_business_days: int = 5
    invoice_recipient: PartnerRole = PartnerRole.ACCOUNTS_PAYABLE
    tracks: tuple[TrackTerms, ...] = ()
    expertise_min_rank: int = 1
    engagements_min_rank: int = 1
    steps: tuple[StepRule, ...] = _ALL_STEPS
    skipped_on_renewal: frozenset[Step] = frozenset({Step.COMPANY_AND_CONTACTS})
    agreement_methods: frozenset[AgreementMethod] = frozenset(
        {AgreementMethod.ONLINE_CLICK, AgreementMethod.OFFLINE_UPLOAD}
    )
    reward_payouts: tuple[RewardPayout, ...] = (RewardPayout.MONEY, RewardPayout.PARTNER_CREDITS)
    associate_policies: tuple[AssociateOrdering, ...] = tuple(AssociateOrdering)
    default_associate_policy: AssociateOrdering = AssociateOrdering.PRINCIPAL_ORDERS_ONLY
    default_preapproved_percentage: Decimal = Decimal("0.5")
    parent_must_be_active: bool = True
    approval_by_parent: bool = True
    roles: tuple[RoleTerms, ...] = ()

    def __post_init__(self) -> None:
        _check_levels(self)
        _check_counts(self)
        _check_steps(self)
        if len({t.id for t in self.tracks}) != len(self.tracks):
            raise InvalidInput("each track is listed once", field="tracks", rule="OPN-12")
        if self.default_associate_policy not in self.associate_policies:
            raise InvalidInput(
                f"the default associate policy {self.default_associate_policy.value} is not "
                "among the policies offered",
                field="default_associate_policy",
                rule="CRD-2",
            )
        if not 0 < self.default_preapproved_percentage <= 1:
            raise InvalidInput(
                "the pre-approved percentage is a fraction in (0, 1] (0.5 is 50 %), got "
                f"{self.default_preapproved_percentage}",
                field="default_preapproved_percentage",
                rule="CRD-2",
            )

    # -- lookups ------------------------------------------------------------------------

    def level(self, level_id: str) -> LevelTerms:
        """The level ``level_id``; InvalidInput names the levels offered (OPN-4)."""
        for level in self.levels:
            if level.id == level_id:
                return level
        offered = ", ".join(lv.id for lv in self.levels)
        raise InvalidInput(
            f"unknown level {level_id!r}; the program offers {offered}", field="level", rule="OPN-4"
        )

    def rank_of(self, level_id: str) -> int:
        return self.level(level_id).rank

    def track(self, track_id: str) -> TrackTerms:
        """The optional track ``track_id``; InvalidInput names the tracks offered (OPN-12)."""
        for track in self.tracks:
            if track.id == track_id:
                return track
        offered = ", ".join(t.id for t in self.tracks) or "none"
        raise InvalidInput(
            f"unknown track {track_id!r}; the program offers {offered}",
            field="track",
            rule="OPN-12",
        )


def _check_levels(terms: MembershipTerms) -> None:
    if not terms.levels:
        raise InvalidInput(
            "a paid-level program has at least one level", field="levels", rule="OPN-4"
        )
    ids = [level.id for level in terms.levels]
    if len(set(ids)) != len(ids):
        raise InvalidInput(f"each level is listed once, got {ids}", field="levels", rule="OPN-4")
    for before, level in zip(terms.levels, terms.levels[1:], strict=False):
        if level.rank <= before.rank:
            raise InvalidInput(
                f"levels are listed lowest first: {level.id} (rank {level.rank}) follows "
                f"{before.id} (rank {before.rank})",
                field="levels",
                rule="OPN-4",
            )
    for level in terms.levels:
        if level.fee.currency != terms.currency:
            raise InvalidInput(
                f"level {level.id} is priced in {level.fee.currency}, "
                f"the program in {terms.currency}",
                field="fee",
                rule="OPN-4",
            )


def _check_counts(terms: MembershipTerms) -> None:
    counts = {
        ("term_years", "OPN-14"): terms.term_years >= 1,
        ("renewal_window_days", "OPN-14"): terms.renewal_window_days >= 0,
        ("late_renewal_years", "OPN-15"): terms.late_renewal_years is None
        or terms.late_renewal_years >= 0,
        ("renewal_reminder_days", "OPN-14"): all(d > 0 for d in terms.renewal_reminder_days),
        ("invoice_min_business_days", "OPN-7"): 0
        <= terms.invoice_min_business_days
        <= terms.invoice_max_business_days,
    }
    for (name, rule), ok in counts.items():
        if not ok:
            raise InvalidInput(
                f"{name} is out of range: {getattr(terms, name)}", field=name, rule=rule
            )


def _check_steps(terms: MembershipTerms) -> None:
    steps = [rule.step for rule in terms.steps]
    if not steps or steps[0] is not Step.PARTNERSHIP_TYPE_AND_LEVEL:
        raise InvalidInput(
            "the application starts with the partnership type and level",
            field="steps",
            rule="OPN-9",
        )
    if len(set(steps)) != len(steps):
        raise InvalidInput("each step is listed once", field="steps", rule="OPN-9")
