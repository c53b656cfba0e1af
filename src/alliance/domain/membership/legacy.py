"""OPN-16: what renewing from a legacy program into the level-based program carries over.

The seed (« Veuillez noter les points suivants pour votre renouvellement d'OPN à un niveau
numérique ») says:

* current cloud (OCI) environments stay active, but their use is billed pay-as-you-go at
  list price, and the unused universal credits received with the old levels are no
  longer available;
* SaaS environments bought at a 75 % discount stay active until their own renewal dates;
* active unlimited training subscriptions (UCLS) stay active until the end of the current
  membership; those never activated are no longer available.

:func:`transition_effects` turns the partner's legacy holdings into effect values that
the renewal records (:attr:`~.membership.Renewal.effects`); the services act on them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

RULE = "OPN-16"


@dataclass(frozen=True)
class SaasEnvironment:
    id: str
    renewal_date: date


@dataclass(frozen=True)
class TrainingSubscription:
    id: str
    activated: bool


@dataclass(frozen=True)
class LegacyHoldings:
    """What a partner holds from the legacy program when it renews (OPN-16)."""

    unused_universal_credits: Decimal = Decimal(0)
    cloud_environments: tuple[str, ...] = ()
    saas_environments: tuple[SaasEnvironment, ...] = ()
    training_subscriptions: tuple[TrainingSubscription, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class UniversalCreditsLapse:
    """Unused universal credits are no longer available."""

    amount: Decimal
    rule: str = RULE


@dataclass(frozen=True)
class EnvironmentBilledPayAsYouGo:
    """A cloud environment stays active, its use billed pay-as-you-go at list price."""

    environment: str
    rule: str = RULE


@dataclass(frozen=True)
class EnvironmentKeptUntil:
    """A discounted SaaS environment stays active until its own renewal date."""

    environment: str
    until: date
    rule: str = RULE


@dataclass(frozen=True)
class TrainingKeptUntil:
    """An active training subscription stays active until the current membership ends."""

    subscription: str
    until: date
    rule: str = RULE


@dataclass(frozen=True)
class TrainingLapses:
    """A training subscription never activated is no longer available."""

    subscription: str
    rule: str = RULE


TransitionEffect = (
    UniversalCreditsLapse
    | EnvironmentBilledPayAsYouGo
    | EnvironmentKeptUntil
    | TrainingKeptUntil
    | TrainingLapses
)


def transition_effects(holdings: LegacyHoldings, current_end: date) -> tuple[TransitionEffect, ...]:
    """OPN-16: the effects of renewing ``holdings`` whose membership ends on ``current_end``."""
    effects: list[TransitionEffect] = []
    if holdings.unused_universal_credits > 0:
        effects.append(UniversalCreditsLapse(holdings.unused_universal_credits))
    effects += [EnvironmentBilledPayAsYouGo(env) for env in holdings.cloud_environments]
    effects += [
        EnvironmentKeptUntil(env.id, env.renewal_date) for env in holdings.saas_environments
    ]
    for training in holdings.training_subscriptions:
        if training.activated:
            effects.append(TrainingKeptUntil(training.id, current_end))
        else:
            effects.append(TrainingLapses(training.id))
    return tuple(effects)


#: OPN-16 effects by the name they are saved under.
EFFECTS: Mapping[str, type[Any]] = {
    "universal_credits_lapse": UniversalCreditsLapse,
    "environment_billed_pay_as_you_go": EnvironmentBilledPayAsYouGo,
    "environment_kept_until": EnvironmentKeptUntil,
    "training_kept_until": TrainingKeptUntil,
    "training_lapses": TrainingLapses,
}
_EFFECT_NAMES = {kind: name for name, kind in EFFECTS.items()}


def effect_json(effect: TransitionEffect) -> dict[str, object]:
    """An OPN-16 effect as JSON: its kind and its fields (dates ISO, decimals as text)."""
    data: dict[str, object] = {"kind": _EFFECT_NAMES[type(effect)]}
    for f in dataclasses.fields(effect):
        value = getattr(effect, f.name)
        data[f.name] = value.isoformat() if isinstance(value, date) else str(value)
    return data


def effect_from_json(data: Mapping[str, Any]) -> TransitionEffect:
    kind = EFFECTS[str(data["kind"])]
    values: dict[str, object] = {}
    for f in dataclasses.fields(kind):
        raw = data[f.name]
        if f.name in {"until"}:
            values[f.name] = date.fromisoformat(raw)
        elif f.name == "amount":
            values[f.name] = Decimal(raw)
        else:
            values[f.name] = raw
    effect: TransitionEffect = kind(**values)
    return effect
