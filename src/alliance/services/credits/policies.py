"""CRD-2: how a principal lets its associates order with its credits.

The principal chooses at enrolment (the reward questionnaire, OPN-9) and may change its
choice later; only its own partner administrators and credit managers may (CRD-2,
OPN-18), or the vendor's program admins and the system. A choice is either the
principal's default for every associate (set on the principal) or an override for one
associate.

**Which policy applies to an associate** (:func:`effective_policy`), first found wins:

1. the override set for that associate;
2. the default the principal set for its associates;
3. the choice made in the principal's enrolment (``uow.memberships.reward_preferences``);
4. the program's default (``principal_orders_only``; 50 % for a percentage policy).

A percentage is a fraction (``0.4``) or a percentage (``40%``); it is of the principal's
available balance **at order time** (CRD-2), so it is never stored as an amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from alliance.domain import audit
from alliance.domain.access import Actor, ActorKind, Permission, sees_everything
from alliance.domain.clock import Clock
from alliance.domain.credits import (
    STRATEGIES,
    AssociatePolicy,
    AssociateSettings,
    NotPrincipalApprover,
)
from alliance.domain.errors import InvalidInput
from alliance.domain.ids import OrganizationId
from alliance.domain.organizations import Hierarchy
from alliance.services.credits.access import company_of, may_use_credits, person_of
from alliance.services.credits.ports import PolicyRecord
from alliance.services.ports import UnitOfWork

RULE = "CRD-2"
DEFAULT_SETTINGS = AssociateSettings()


class PolicySource:
    ASSOCIATE = "set for this associate"
    PRINCIPAL = "the principal's default for its associates"
    ENROLMENT = "chosen at the principal's enrolment"
    PROGRAM = "the program's default"
    PRINCIPAL_ITSELF = "the principal orders on its own balance"


@dataclass(frozen=True)
class EffectivePolicy:
    """The policy that applies to ``organization_id`` and where it comes from."""

    organization_id: OrganizationId
    principal_id: OrganizationId
    settings: AssociateSettings
    source: str

    @property
    def describe(self) -> str:
        if self.organization_id == self.principal_id:
            return PolicySource.PRINCIPAL_ITSELF
        text = STRATEGIES[self.settings.policy].describe
        if self.settings.policy is AssociatePolicy.PREAPPROVED_PERCENTAGE:
            text += f" ({percent(self.settings.percentage)})"
        return f"{text} — {self.source}"


@dataclass(frozen=True)
class SetPolicy:
    """Set how ``organization_id`` (an associate, or the principal for its default) may
    order with the principal's credits."""

    organization_id: OrganizationId
    policy: AssociatePolicy
    percentage: Decimal | None = None
    by: str | None = None  # the CLI names the principal's person acting


def percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    shown = (value * 100).normalize()
    return f"{shown:f} %"


def parse_percentage(text: str | Decimal | None) -> Decimal | None:
    """``"40%"`` or ``"0.4"`` → ``Decimal("0.4")``; refused unless between 0 and 1."""
    if text is None or text == "":
        return None
    raw = str(text).strip()
    try:
        value = Decimal(raw[:-1].strip()) / 100 if raw.endswith("%") else Decimal(raw)
    except (InvalidOperation, ValueError):
        raise InvalidInput(
            f"a percentage is written 40% or 0.4, got {text!r}", field="percentage", rule=RULE
        ) from None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(1):
        raise InvalidInput(
            f"a percentage is between 0% and 100% (0 and 1), got {text!r}",
            field="percentage",
            rule=RULE,
        )
    return value.normalize()


def effective_policy(
    uow: UnitOfWork, organization_id: OrganizationId, hierarchy: Hierarchy
) -> EffectivePolicy:
    """The policy that applies to ``organization_id`` (see the module doc); inside a uow."""
    principal = hierarchy.principal_of(organization_id)
    if organization_id == principal:
        return EffectivePolicy(
            organization_id, principal, DEFAULT_SETTINGS, PolicySource.PRINCIPAL_ITSELF
        )
    for owner, source in (
        (organization_id, PolicySource.ASSOCIATE),
        (principal, PolicySource.PRINCIPAL),
    ):
        record = uow.credits.policy(owner)
        if record is not None:
            settings = AssociateSettings(record.policy, record.percentage)
            return EffectivePolicy(organization_id, principal, settings, source)
    enrolled = _enrolment_choice(uow, principal)
    if enrolled is not None:
        return EffectivePolicy(organization_id, principal, enrolled, PolicySource.ENROLMENT)
    return EffectivePolicy(organization_id, principal, DEFAULT_SETTINGS, PolicySource.PROGRAM)


def _enrolment_choice(uow: UnitOfWork, principal: OrganizationId) -> AssociateSettings | None:
    """CRD-2 / OPN-9: the choice of the principal's reward questionnaire, if any."""
    preferences = uow.memberships.reward_preferences(principal)
    if preferences is None or preferences.associate_ordering is None:
        return None
    policy = AssociatePolicy(preferences.associate_ordering.value)
    percentage = preferences.preapproved_percentage
    if policy is AssociatePolicy.PREAPPROVED_PERCENTAGE and percentage is None:
        percentage = DEFAULT_SETTINGS.percentage
    return AssociateSettings(policy, percentage)


def associate_policies(
    uow: UnitOfWork, actor: Actor, organization_id: OrganizationId
) -> list[EffectivePolicy]:
    """The policy of every associate of ``organization_id``'s principal (the company's
    people and vendor staff who see every organisation; X-6)."""
    with uow:
        hierarchy = company_of(uow, actor, organization_id)
        principal = hierarchy.principal_of(organization_id)
        return [effective_policy(uow, org, hierarchy) for org in hierarchy.company_of(principal)]


def set_policy(uow: UnitOfWork, actor: Actor, command: SetPolicy, clock: Clock) -> EffectivePolicy:
    """CRD-2: the principal sets an associate's policy (or its default for all)."""
    policy = AssociatePolicy(command.policy)
    percentage = command.percentage
    if policy is AssociatePolicy.PREAPPROVED_PERCENTAGE:
        if percentage is None:
            raise InvalidInput(
                "a pre-approved percentage policy needs its percentage (e.g. 40%)",
                field="percentage",
                rule=RULE,
            )
        percentage = parse_percentage(percentage)
    elif percentage is not None:
        raise InvalidInput(
            f"only a pre-approved percentage policy takes a percentage, not {policy.value}",
            field="percentage",
            rule=RULE,
        )
    with uow:
        hierarchy = company_of(uow, actor, command.organization_id)
        principal = hierarchy.principal_of(command.organization_id)
        who = _principal_manager(uow, actor, principal, command.by)
        old = uow.credits.policy(command.organization_id)
        record = PolicyRecord(
            command.organization_id, principal, policy, percentage, who, clock.now()
        )
        uow.credits.save_policy(record)
        new_fields = _policy_record(record)
        if old is None:
            uow.audit.append(
                audit.created(
                    actor,
                    "credit_policy",
                    command.organization_id,
                    new_fields,
                    clock.now(),
                    organization_id=principal,
                )
            )
        else:
            uow.audit.append(
                audit.changed(
                    actor,
                    "credit_policy",
                    command.organization_id,
                    _policy_record(old),
                    new_fields,
                    clock.now(),
                    organization_id=principal,
                )
            )
        effective = effective_policy(uow, command.organization_id, hierarchy)
        if command.organization_id == principal:
            effective = EffectivePolicy(
                principal, principal, AssociateSettings(policy, percentage), PolicySource.PRINCIPAL
            )
        uow.commit()
    return effective


def _principal_manager(
    uow: UnitOfWork, actor: Actor, principal: OrganizationId, by: str | None
) -> str:
    """CRD-2: the principal's administrators and credit managers set policies; the
    system and program admins may too. Returns who, for the record."""
    if actor.kind is ActorKind.MEMBER:
        person = person_of(uow, actor)
        if person is None or not may_use_credits(person, principal):
            raise NotPrincipalApprover(
                f"{actor.name} is not an administrator or credit manager of the principal "
                f"{principal}; only they set how its associates may order with credits"
            )
        return person.email
    if Permission.MANAGE_PROGRAMS in actor.permissions() and sees_everything(actor):
        return by or actor.name
    raise NotPrincipalApprover(
        f"{actor.name} may not set credit policies: only the principal's administrators "
        "and credit managers may (CRD-2, OPN-18)"
    )


def _policy_record(record: PolicyRecord) -> dict[str, object]:
    return {
        "policy": record.policy.value,
        "percentage": str(record.percentage) if record.percentage is not None else None,
        "principal_id": record.principal_id,
        "set_by": record.set_by,
    }
