"""The root of a program definition: identity, version, and optional sections.

A program uses only the sections it needs: OPN has membership, engagements, incentives,
wallets and workflows; MCPP has metrics and scorecards; OIP has statuses and
promotions; OSR has an accrual incentive and a wallet.

**Configurable values.** A value the seeds do not give is shipped as a default and
listed in :attr:`ProgramDefinition.configurable` by its path (``"wallets[0].expiry"``).
In YAML, tag the value itself — ``fee: !configurable 4730 USD`` — and the loader adds its
path to that list; a definition built from JSON or Python lists the paths directly.
Every path must lead to a value of the definition.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, StringConstraints, model_validator

from alliance.programs.schema.common import (
    CurrencyCode,
    DefinitionModel,
    Loc,
    ProgramCode,
    format_loc,
    raise_issues,
)
from alliance.programs.schema.engagements import EngagementsSection
from alliance.programs.schema.incentives import Incentive
from alliance.programs.schema.labels import Label
from alliance.programs.schema.membership import MembershipSection
from alliance.programs.schema.metrics import Metric
from alliance.programs.schema.promotions import PromotionsSection
from alliance.programs.schema.references import reference_issues
from alliance.programs.schema.scorecards import ScorecardsSection
from alliance.programs.schema.statuses import StatusesSection
from alliance.programs.schema.wallets import Wallet
from alliance.programs.schema.workflows import Workflow


class ProgramKind(StrEnum):
    PARTNER_NETWORK = "partner_network"
    CUSTOMER_REWARDS = "customer_rewards"


def _number_as_text(value: object) -> object:
    """``version: 2026.1`` (a YAML number) reads as the text ``"2026.1"``."""
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return str(value)
    return value


Version = Annotated[
    str,
    BeforeValidator(_number_as_text),
    StringConstraints(min_length=1, max_length=32, pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]*$"),
    Field(description="The definition's version, e.g. '2026.1'."),
]

_PATH_TOKEN = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def parse_path(text: str) -> Loc | None:
    """``"levels[2].fee"`` → ``("levels", 2, "fee")``; ``None`` when malformed."""
    loc: list[str | int] = []
    position = 0
    while position < len(text):
        match = _PATH_TOKEN.match(text, position)
        if match is None or (position == 0 and text.startswith(".")):
            return None
        loc.append(match[1] if match[1] is not None else int(match[2]))
        position = match.end()
    return tuple(loc) if loc else None


def value_at(model: BaseModel, loc: Loc) -> Any:
    """The value at ``loc`` inside ``model`` (field names or aliases, indexes, dict keys).

    Raises ``LookupError`` when the path leads nowhere.
    """
    current: Any = model
    for part in loc:
        if isinstance(current, BaseModel) and isinstance(part, str):
            name = _field_name(type(current), part)
            if name is None:
                raise LookupError(part)
            current = getattr(current, name)
        elif isinstance(current, tuple | list) and isinstance(part, int):
            if part >= len(current):
                raise LookupError(part)
            current = current[part]
        elif isinstance(current, dict) and part in current:
            current = current[part]
        else:
            raise LookupError(part)
    return current


def _field_name(model: type[BaseModel], key: str) -> str | None:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return name
    return None


class ProgramDefinition(DefinitionModel):
    """A whole program: who joins, what they must do, earn and may spend."""

    code: ProgramCode
    name: str = Field(min_length=1)
    version: Version
    effective_date: date
    kind: ProgramKind
    description: str = ""
    source: str = Field(description="Where the rules come from, e.g. a seed document.")
    currency: CurrencyCode = "USD"
    membership: MembershipSection | None = None
    engagements: EngagementsSection | None = None
    metrics: tuple[Metric, ...] = ()
    scorecards: ScorecardsSection | None = None
    labels: tuple[Label, ...] = ()
    statuses: StatusesSection | None = None
    promotions: PromotionsSection | None = None
    incentives: tuple[Incentive, ...] = ()
    wallets: tuple[Wallet, ...] = ()
    workflows: tuple[Workflow, ...] = ()
    configurable: tuple[str, ...] = Field(
        default=(),
        description="Paths of values shipped as defaults that a vendor is expected to set; "
        "in YAML, tag the value with !configurable instead.",
    )

    @model_validator(mode="after")
    def _whole_definition_is_consistent(self) -> ProgramDefinition:
        issues = reference_issues(self)
        for index, path in enumerate(self.configurable):
            loc = parse_path(path)
            try:
                if loc is None:
                    raise LookupError(path)
                value_at(self, loc)
            except LookupError:
                issues.append(
                    (("configurable", index), f"expected the path of a value, got {path!r}")
                )
        raise_issues(issues)
        return self

    # -- reading --------------------------------------------------------------------------

    def is_configurable(self, path: str) -> bool:
        """Whether the value at ``path`` (or a value containing it) is a shipped default."""
        return any(path == p or path.startswith((f"{p}.", f"{p}[")) for p in self.configurable)

    def configurable_values(self) -> dict[str, Any]:
        """Every configurable path with its shipped default."""
        return {p: value_at(self, loc) for p in self.configurable if (loc := parse_path(p))}

    def sections(self) -> tuple[str, ...]:
        """The names of the optional sections this program uses."""
        names = [
            "membership",
            "engagements",
            "metrics",
            "scorecards",
            "labels",
            "statuses",
            "promotions",
            "incentives",
            "wallets",
            "workflows",
        ]
        return tuple(name for name in names if getattr(self, name))

    def metric(self, metric_id: str) -> Metric:
        for metric in self.metrics:
            if metric.id == metric_id:
                return metric
        raise KeyError(metric_id)

    def workflow(self, workflow_id: str) -> Workflow:
        for workflow in self.workflows:
            if workflow.id == workflow_id:
                return workflow
        raise KeyError(workflow_id)

    def wallet(self, wallet_id: str) -> Wallet:
        for wallet in self.wallets:
            if wallet.id == wallet_id:
                return wallet
        raise KeyError(wallet_id)

    def incentive(self, incentive_id: str) -> Incentive:
        for incentive in self.incentives:
            if incentive.id == incentive_id:
                return incentive
        raise KeyError(incentive_id)


def program_json_schema() -> dict[str, Any]:
    """The JSON Schema of a program definition, for editors and ``alliance programs schema``."""
    schema = ProgramDefinition.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Alliance program definition"
    return schema


__all__ = ["ProgramDefinition", "ProgramKind", "format_loc", "parse_path", "program_json_schema"]
