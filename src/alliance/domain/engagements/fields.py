"""CCE-3: which fields each category's form asks for, as a table, and the validation of a
draft against it — every problem at once, so one error names them all (X-7).

Besides the table, an opportunity's products each need an estimated quantity, amount
and service period (the seed: « Les partenaires doivent également ajouter les quantités,
les montants et les périodes de service estimés »); an account plan's pillars may have
them. A field that does not apply to the category is refused rather than dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from alliance.domain.engagements.engagement import (
    Address,
    Attachment,
    Category,
    Contact,
    Customer,
    Engagement,
    EngagementField,
    Pillar,
    ProductLine,
)
from alliance.domain.engagements.errors import IncompleteEngagement
from alliance.domain.errors import Problem

RULE = "CCE-3"


class Requirement(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    GENERATED = "generated"
    NOT_APPLICABLE = "not_applicable"


_AP, _OPP = Category.ACCOUNT_PLANNING, Category.OPPORTUNITY
_R, _O, _G, _NA = (
    Requirement.REQUIRED,
    Requirement.OPTIONAL,
    Requirement.GENERATED,
    Requirement.NOT_APPLICABLE,
)
F = EngagementField

FIELD_TABLE: Mapping[EngagementField, Mapping[Category, Requirement]] = MappingProxyType(
    {
        F.ENGAGEMENT_ID: {_AP: _G, _OPP: _G},
        F.NAME: {_AP: _R, _OPP: _R},
        F.CATEGORY: {_AP: _R, _OPP: _R},
        F.CUSTOMER: {_AP: _R, _OPP: _R},
        F.CUSTOMER_ADDRESS: {_AP: _R, _OPP: _R},
        F.PILLARS: {_AP: _O, _OPP: _NA},
        F.PRODUCTS: {_AP: _NA, _OPP: _R},
        F.ESTIMATED_CLOSE_DATE: {_AP: _NA, _OPP: _R},
        F.CUSTOMER_CONTACT: {_AP: _NA, _OPP: _R},
        F.PARTNER_CONTACT: {_AP: _R, _OPP: _R},
        F.SOLUTION_DESCRIPTION: {_AP: _O, _OPP: _O},
        F.NOTES: {_AP: _O, _OPP: _O},
        F.ATTACHMENTS: {_AP: _O, _OPP: _O},
    }
)
"""CCE-3, field by field and category by category (the program definition's table)."""

FIELD_NAMES: Mapping[EngagementField, str] = MappingProxyType(
    {
        F.ENGAGEMENT_ID: "engagement id",
        F.NAME: "engagement name",
        F.CATEGORY: "engagement category",
        F.CUSTOMER: "customer legal name",
        F.CUSTOMER_ADDRESS: "customer address",
        F.PILLARS: "pillars",
        F.PRODUCTS: "products",
        F.ESTIMATED_CLOSE_DATE: "estimated close date",
        F.CUSTOMER_CONTACT: "customer contact",
        F.PARTNER_CONTACT: "partner contact",
        F.SOLUTION_DESCRIPTION: "partner solution description",
        F.NOTES: "notes",
        F.ATTACHMENTS: "attachments",
    }
)

DEFAULT_ATTACHMENT_CATEGORIES: Mapping[str, bool] = MappingProxyType(
    {"invoice": True, "statement_of_work": True, "miscellaneous": False}
)
"""Attachment category id → whether the vendor reviews it (CCE-5: all but Miscellaneous)."""

_CATEGORY_NAMES = {_AP: "account planning", _OPP: "an opportunity"}


def requirement(field: EngagementField, category: Category) -> Requirement:
    """Whether ``category``'s form asks for ``field`` (CCE-3)."""
    return FIELD_TABLE[field][category]


@dataclass(frozen=True)
class EngagementDraft:
    """What a partner typed in the form, before submission; anything may be missing."""

    name: str = ""
    customer_name: str = ""
    customer_address: Address | None = None
    customer_id: str | None = None
    partner_contact: Contact | None = None
    customer_contact: Contact | None = None
    products: tuple[ProductLine, ...] = ()
    pillars: tuple[Pillar, ...] = ()
    estimated_close_date: date | None = None
    solution_description: str = ""
    notes: str = ""
    attachments: tuple[Attachment, ...] = ()

    def with_customer(self, customer: Customer) -> EngagementDraft:
        """Reuse a saved customer (CCE-3): its legal name, address and id."""
        return replace(
            self,
            customer_name=customer.legal_name,
            customer_address=customer.address,
            customer_id=customer.id,
        )


def _contact_given(contact: Contact | None) -> bool:
    return contact is not None and bool(contact.name.strip())


_GIVEN: Mapping[EngagementField, Callable[[EngagementDraft], bool]] = MappingProxyType(
    {
        F.NAME: lambda d: bool(d.name.strip()),
        F.CUSTOMER: lambda d: bool(d.customer_name.strip()),
        F.CUSTOMER_ADDRESS: lambda d: d.customer_address is not None,
        F.PILLARS: lambda d: bool(d.pillars),
        F.PRODUCTS: lambda d: bool(d.products),
        F.ESTIMATED_CLOSE_DATE: lambda d: d.estimated_close_date is not None,
        F.CUSTOMER_CONTACT: lambda d: _contact_given(d.customer_contact),
        F.PARTNER_CONTACT: lambda d: _contact_given(d.partner_contact),
        F.SOLUTION_DESCRIPTION: lambda d: bool(d.solution_description.strip()),
        F.NOTES: lambda d: bool(d.notes.strip()),
        F.ATTACHMENTS: lambda d: bool(d.attachments),
    }
)
"""Whether the draft gives a value for each field the partner types."""


def validate_engagement(
    draft: EngagementDraft,
    category: Category | None,
    attachment_categories: Mapping[str, bool] = DEFAULT_ATTACHMENT_CATEGORIES,
) -> list[Problem]:
    """Every problem of ``draft`` as a ``category`` engagement; empty when it can be
    submitted. Without a category, only the fields every category requires are checked.
    """
    problems: list[Problem] = []
    if category is None:
        problems.append(_problem(F.CATEGORY, "engagement category is required"))
    for fld, given in _GIVEN.items():
        needs = FIELD_TABLE[fld]
        if category is None:
            if all(r is _R for r in needs.values()) and not given(draft):
                problems.append(_problem(fld, f"{FIELD_NAMES[fld]} is required"))
            continue
        req = needs[category]
        where = _CATEGORY_NAMES[category]
        if req is _R and not given(draft):
            problems.append(_problem(fld, f"{FIELD_NAMES[fld]} is required for {where}"))
        elif req is _NA and given(draft):
            problems.append(_problem(fld, f"{FIELD_NAMES[fld]} does not apply to {where}"))
    if draft.customer_address is not None:
        problems += _address_problems(draft.customer_address)
    if category is Category.OPPORTUNITY:
        problems += product_problems(draft.products)
    if category is Category.ACCOUNT_PLANNING:
        problems += pillar_problems(draft.pillars)
    problems += attachment_problems(draft.attachments, attachment_categories)
    return problems


def submit_engagement(
    draft: EngagementDraft,
    category: Category | None,
    *,
    engagement_id: str,
    partner_id: str,
    attachment_categories: Mapping[str, bool] = DEFAULT_ATTACHMENT_CATEGORIES,
) -> Engagement:
    """The submitted engagement, or :class:`IncompleteEngagement` naming every problem."""
    problems = validate_engagement(draft, category, attachment_categories)
    address, contact = draft.customer_address, draft.partner_contact
    if problems or category is None or address is None or contact is None:
        fields = ", ".join(dict.fromkeys(p.field or "" for p in problems))
        raise IncompleteEngagement(
            f"the engagement cannot be submitted: {len(problems)} problem(s) in {fields}",
            field=problems[0].field if problems else None,
            problems=problems,
        )
    return Engagement(
        id=engagement_id,
        partner_id=partner_id,
        category=category,
        name=draft.name.strip(),
        customer=Customer(draft.customer_name.strip(), address, draft.customer_id),
        partner_contact=contact,
        customer_contact=draft.customer_contact,
        products=draft.products,
        pillars=draft.pillars,
        estimated_close_date=draft.estimated_close_date,
        solution_description=draft.solution_description.strip(),
        notes=(draft.notes.strip(),) if draft.notes.strip() else (),
        attachments=draft.attachments,
    )


def attachment_problems(
    attachments: tuple[Attachment, ...], categories: Mapping[str, bool]
) -> list[Problem]:
    """An attachment needs a name and one of the program's categories (CCE-3, CCE-5)."""
    problems: list[Problem] = []
    known = ", ".join(sorted(categories))
    for i, attachment in enumerate(attachments):
        if not attachment.name.strip():
            problems.append(Problem("an attachment needs a name", f"attachments[{i}].name", RULE))
        if attachment.category not in categories:
            problems.append(
                Problem(
                    f"attachment category {attachment.category!r} is not one of: {known}",
                    f"attachments[{i}].category",
                    "CCE-5",
                )
            )
    return problems


def _problem(fld: EngagementField, message: str) -> Problem:
    return Problem(message, field=fld.value, rule=RULE)


def _address_problems(address: Address) -> list[Problem]:
    problems = [
        Problem(f"customer address needs a {part}", f"customer_address.{part}", RULE)
        for part in ("street", "city", "country")
        if not getattr(address, part).strip()
    ]
    country = address.country.strip()
    if country and not (len(country) == 2 and country.isalpha() and country.isupper()):
        problems.append(
            Problem(
                f"country must be an ISO 3166-1 alpha-2 code such as 'FR', got {country!r}",
                "customer_address.country",
                RULE,
            )
        )
    return problems


def product_problems(products: tuple[ProductLine, ...]) -> list[Problem]:
    """Each product names itself and its family and has an estimated quantity, amount
    and service period; all amounts are in one currency (they add up to the deal)."""
    problems: list[Problem] = []
    currencies = {p.amount.currency for p in products if p.amount is not None}
    for i, line in enumerate(products):
        at = f"products[{i}]"
        if not line.product.strip():
            problems.append(Problem("a product needs its catalogue id", f"{at}.product", RULE))
        if not line.family.strip():
            problems.append(Problem("a product needs its family", f"{at}.family", RULE))
        if line.quantity is None or line.quantity <= 0:
            problems.append(Problem("estimated quantity is required", f"{at}.quantity", RULE))
        if line.amount is None or not line.amount.is_positive():
            problems.append(Problem("estimated amount is required", f"{at}.amount", RULE))
        elif len(currencies) > 1:
            problems.append(
                Problem(
                    f"all products are in one currency, got {', '.join(sorted(currencies))}",
                    f"{at}.amount",
                    "X-1",
                )
            )
        if line.service_period is None:
            problems.append(Problem("service period is required", f"{at}.service_period", RULE))
    return problems


def pillar_problems(pillars: tuple[Pillar, ...]) -> list[Problem]:
    problems: list[Problem] = []
    for i, pillar in enumerate(pillars):
        if not pillar.name.strip():
            problems.append(Problem("a pillar needs a name", f"pillars[{i}].name", RULE))
        if pillar.quantity is not None and pillar.quantity < 0:
            problems.append(Problem("a quantity is not negative", f"pillars[{i}].quantity", RULE))
        if pillar.amount is not None and pillar.amount.is_negative():
            problems.append(Problem("an amount is not negative", f"pillars[{i}].amount", RULE))
    return problems
