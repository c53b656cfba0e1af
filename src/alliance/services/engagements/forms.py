"""The engagement form as plain data (a JSON file for the CLI, a JSON body for the API)
read into the domain's draft or changes.

Reading never decides what is *required* — that is CCE-3's table, applied by the domain
to the whole draft so that every missing field is named in one error. This module only
refuses values that are malformed (a date that is not a date, an amount that is not a
number), and it reports all of those at once too (X-7).

Money is ``{"amount": "1200.00", "currency": "USD"}`` — or ``"amount": "1200.00"`` with
the line's ``currency`` — never a float (X-1). Dates are ``YYYY-MM-DD`` (X-2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from alliance.domain.calendar import DateRange
from alliance.domain.engagement_rewards import OrderKind, Sector
from alliance.domain.engagements import (
    Address,
    Category,
    Contact,
    EngagementChanges,
    EngagementDraft,
    Pillar,
    ProductLine,
)
from alliance.domain.errors import AllianceError, InvalidInput, Problem
from alliance.domain.money import Money


@dataclass(frozen=True)
class EngagementForm:
    """What a partner submits: the draft, its category, and the deal facts (RWD-1, RWD-3)."""

    draft: EngagementDraft
    category: Category | None
    sector: Sector = Sector.COMMERCIAL
    order_kind: OrderKind = OrderKind.NEW_SALE


@dataclass(frozen=True)
class EngagementEdit:
    """What a partner changes; ``expected_version`` refuses an edit made on a stale copy."""

    changes: EngagementChanges
    expected_version: int | None = None


@dataclass
class _Reader:
    problems: list[Problem] = field(default_factory=list)

    def bad(self, message: str, where: str, rule: str = "CCE-3") -> None:
        self.problems.append(Problem(message, field=where, rule=rule))

    def text(self, data: Mapping[str, Any], key: str, where: str = "") -> str:
        value = data.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.bad(f"{key} is text", where or key)
            return ""
        return value

    def mapping(self, value: object, where: str) -> Mapping[str, Any] | None:
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.bad(f"{where} is an object", where)
            return None
        return value

    def day(self, value: object, where: str) -> date | None:
        if value is None or value == "":
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.bad(f"a date is written YYYY-MM-DD, got {value!r}", where, "X-2")
            return None

    def decimal(self, value: object, where: str) -> Decimal | None:
        if value is None or value == "":
            return None
        if isinstance(value, float):
            self.bad("a number is written as a string or an integer, never a float", where, "X-1")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.bad(f"not a number: {value!r}", where, "X-1")
            return None
        if not number.is_finite():
            self.bad(f"not a number: {value!r}", where, "X-1")
            return None
        return number

    def money(self, value: object, currency: object, where: str) -> Money | None:
        if value is None or value == "":
            return None
        if isinstance(value, Mapping):
            currency, value = value.get("currency"), value.get("amount")
        amount = self.decimal(value, where)
        if amount is None:
            return None
        if not isinstance(currency, str):
            self.bad("an amount needs its currency", where, "X-1")
            return None
        try:
            return Money(amount, currency)
        except AllianceError as error:
            self.bad(error.message, where, "X-1")
            return None

    def period(self, value: object, where: str) -> DateRange | None:
        data = self.mapping(value, where)
        if data is None:
            return None
        start, end = (
            self.day(data.get("start"), f"{where}.start"),
            self.day(data.get("end"), f"{where}.end"),
        )
        if start is None or end is None:
            if start is None and end is None:
                return None
            self.bad("a service period has a start and an end", where, "X-2")
            return None
        if end < start:
            self.bad(f"the period ends ({end}) before it starts ({start})", where, "X-2")
            return None
        return DateRange(start, end)

    def contact(self, value: object, where: str) -> Contact | None:
        data = self.mapping(value, where)
        if data is None:
            return None
        return Contact(
            self.text(data, "name", f"{where}.name"),
            self.text(data, "email", f"{where}.email"),
            self.text(data, "phone", f"{where}.phone"),
        )

    def address(self, value: object, where: str) -> Address | None:
        data = self.mapping(value, where)
        if data is None:
            return None
        return Address(
            street=self.text(data, "street", f"{where}.street"),
            city=self.text(data, "city", f"{where}.city"),
            country=self.text(data, "country", f"{where}.country").strip().upper(),
            postal_code=self.text(data, "postal_code", f"{where}.postal_code"),
            region=self.text(data, "region", f"{where}.region"),
        )

    def products(self, value: object, where: str = "products") -> tuple[ProductLine, ...]:
        lines: list[ProductLine] = []
        for i, item in enumerate(self.items(value, where)):
            at = f"{where}[{i}]"
            lines.append(
                ProductLine(
                    product=self.text(item, "product", f"{at}.product"),
                    family=self.text(item, "family", f"{at}.family").strip().lower(),
                    quantity=self.decimal(item.get("quantity"), f"{at}.quantity"),
                    amount=self.money(item.get("amount"), item.get("currency"), f"{at}.amount"),
                    service_period=self.period(item.get("service_period"), f"{at}.service_period"),
                )
            )
        return tuple(lines)

    def pillars(self, value: object, where: str = "pillars") -> tuple[Pillar, ...]:
        pillars: list[Pillar] = []
        for i, item in enumerate(self.items(value, where)):
            at = f"{where}[{i}]"
            pillars.append(
                Pillar(
                    name=self.text(item, "name", f"{at}.name"),
                    quantity=self.decimal(item.get("quantity"), f"{at}.quantity"),
                    amount=self.money(item.get("amount"), item.get("currency"), f"{at}.amount"),
                    service_period=self.period(item.get("service_period"), f"{at}.service_period"),
                )
            )
        return tuple(pillars)

    def items(self, value: object, where: str) -> list[Mapping[str, Any]]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.bad(f"{where} is a list", where)
            return []
        found = []
        for i, item in enumerate(value):
            data = self.mapping(item, f"{where}[{i}]")
            if data is not None:
                found.append(data)
        return found

    def choice(self, value: object, kind: type[Any], where: str, default: Any, rule: str) -> Any:
        if value is None or value == "":
            return default
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(v.value for v in kind)
            self.bad(f"{where} is one of: {allowed}; got {value!r}", where, rule)
            return default

    def check(self, what: str) -> None:
        if self.problems:
            raise InvalidInput(
                f"the {what} has {len(self.problems)} malformed value(s)",
                field=self.problems[0].field,
                rule=self.problems[0].rule,
                problems=self.problems,
            )


def _notes_text(reader: _Reader, data: Mapping[str, Any]) -> str:
    value = data.get("notes")
    if isinstance(value, list):
        return "\n".join(str(v) for v in value if str(v).strip())
    return reader.text(data, "notes")


def read_form(data: Mapping[str, Any]) -> EngagementForm:
    """A submitted form; malformed values refused, all at once (X-7)."""
    reader = _Reader()
    category = reader.choice(data.get("category"), Category, "category", None, "CCE-3")
    customer = reader.mapping(data.get("customer"), "customer") or {}
    address = reader.address(
        customer.get("address", data.get("customer_address")), "customer_address"
    )
    draft = EngagementDraft(
        name=reader.text(data, "name"),
        customer_name=reader.text(customer, "legal_name", "customer.legal_name"),
        customer_address=address,
        customer_id=reader.text(data, "customer_id") or None,
        partner_contact=reader.contact(data.get("partner_contact"), "partner_contact"),
        customer_contact=reader.contact(data.get("customer_contact"), "customer_contact"),
        products=reader.products(data.get("products")),
        pillars=reader.pillars(data.get("pillars")),
        estimated_close_date=reader.day(data.get("estimated_close_date"), "estimated_close_date"),
        solution_description=reader.text(data, "solution_description"),
        notes=_notes_text(reader, data),
    )
    sector = reader.choice(data.get("sector"), Sector, "sector", Sector.COMMERCIAL, "RWD-1")
    kind = reader.choice(
        data.get("order_kind"), OrderKind, "order_kind", OrderKind.NEW_SALE, "RWD-3"
    )
    reader.check("engagement form")
    return EngagementForm(draft, category, sector, kind)


def read_edit(data: Mapping[str, Any]) -> EngagementEdit:
    """An edit: only the keys present change; customer keys are kept so that CCE-5 can
    refuse them by name."""
    reader = _Reader()
    customer = reader.mapping(data.get("customer"), "customer")
    legal_name: str | None = None
    address_value = data.get("customer_address")
    if customer is not None:
        if "legal_name" in customer:
            legal_name = reader.text(customer, "legal_name", "customer.legal_name")
        address_value = customer.get("address", address_value)
    notes = data.get("notes")
    changes = EngagementChanges(
        name=reader.text(data, "name") if "name" in data else None,
        customer=legal_name,
        customer_address=reader.address(address_value, "customer_address"),
        partner_contact=reader.contact(data.get("partner_contact"), "partner_contact"),
        customer_contact=reader.contact(data.get("customer_contact"), "customer_contact"),
        products=reader.products(data["products"]) if "products" in data else None,
        pillars=reader.pillars(data["pillars"]) if "pillars" in data else None,
        estimated_close_date=reader.day(data.get("estimated_close_date"), "estimated_close_date"),
        solution_description=(
            reader.text(data, "solution_description") if "solution_description" in data else None
        ),
        notes=tuple(str(n) for n in notes) if isinstance(notes, list) else None,
        reference=reader.text(data, "engagement_id") if "engagement_id" in data else None,
        add_notes=tuple(str(n) for n in data.get("add_notes") or ()),
    )
    version = data.get("expected_version")
    expected = None
    if version is not None:
        if isinstance(version, bool) or not isinstance(version, int):
            reader.bad("expected_version is a whole number", "expected_version", "X-7")
        else:
            expected = version
    reader.check("edit")
    return EngagementEdit(changes, expected)
