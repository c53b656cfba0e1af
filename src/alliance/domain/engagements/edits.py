"""CCE-5: what may change after submission, as data, and the planning of an edit.

* account planning — the partner contact, the notes and the engagement id (the seed:
  « les contacts, les remarques et l'ID d'engagement »);
* opportunity — products (quantities, durations), estimated close date, contact names,
  engagement name; product and close-date changes go to the vendor's sales team;
* the customer (legal name and address) — never;
* a closed deal (won or lost) — nothing, except that notes and attachments can be added
  at any time;
* an attachment in any category but *Miscellaneous* triggers a document review.

Only real changes count: a value equal to the current one is not an edit, so a form
sent back whole with the customer untouched is not refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType

from alliance.domain.engagements.engagement import (
    Address,
    Attachment,
    Category,
    Contact,
    Engagement,
    EngagementField,
    Pillar,
    ProductLine,
    Status,
)
from alliance.domain.engagements.errors import (
    CustomerNotEditable,
    EngagementClosed,
    EngagementRefusal,
    FieldNotEditable,
    IncompleteEngagement,
    UnknownAttachmentCategory,
)
from alliance.domain.engagements.fields import (
    DEFAULT_ATTACHMENT_CATEGORIES,
    FIELD_NAMES,
    attachment_problems,
    pillar_problems,
    product_problems,
)
from alliance.domain.errors import Problem

RULE = "CCE-5"
F = EngagementField


@dataclass(frozen=True)
class EditPolicy:
    """CCE-5 as data; :data:`DEFAULT_EDIT_POLICY` is the program definition's."""

    editable: Mapping[Category, frozenset[EngagementField]]
    sales_review: Mapping[Category, frozenset[EngagementField]]
    closed_states: Mapping[Category, frozenset[Status]]
    never_editable: frozenset[EngagementField] = frozenset({F.CUSTOMER, F.CUSTOMER_ADDRESS})
    always_appendable: frozenset[EngagementField] = frozenset({F.NOTES, F.ATTACHMENTS})


DEFAULT_EDIT_POLICY = EditPolicy(
    editable=MappingProxyType(
        {
            Category.ACCOUNT_PLANNING: frozenset({F.PARTNER_CONTACT, F.NOTES, F.ENGAGEMENT_ID}),
            Category.OPPORTUNITY: frozenset(
                {F.PRODUCTS, F.ESTIMATED_CLOSE_DATE, F.CUSTOMER_CONTACT, F.PARTNER_CONTACT, F.NAME}
            ),
        }
    ),
    sales_review=MappingProxyType(
        {
            Category.ACCOUNT_PLANNING: frozenset(),
            Category.OPPORTUNITY: frozenset({F.PRODUCTS, F.ESTIMATED_CLOSE_DATE}),
        }
    ),
    closed_states=MappingProxyType(
        {
            Category.ACCOUNT_PLANNING: frozenset(),
            Category.OPPORTUNITY: frozenset(
                {Status.ELIGIBLE, Status.INELIGIBLE, Status.INCENTIVE_RELEASED}
            ),
        }
    ),
)
"""The seed's CCE-5. ``not_eligible`` is not a closed deal: it judges reward eligibility,
and « Oracle continuera à collaborer avec le partenaire sur l'opportunité »."""


@dataclass(frozen=True)
class EngagementChanges:
    """What an edit asks for: ``None`` leaves a field alone; ``add_*`` append."""

    name: str | None = None
    customer: str | None = None
    customer_address: Address | None = None
    partner_contact: Contact | None = None
    customer_contact: Contact | None = None
    products: tuple[ProductLine, ...] | None = None
    pillars: tuple[Pillar, ...] | None = None
    estimated_close_date: date | None = None
    solution_description: str | None = None
    notes: tuple[str, ...] | None = None
    reference: str | None = None
    add_notes: tuple[str, ...] = ()
    add_attachments: tuple[Attachment, ...] = ()


_SETTABLE: Mapping[EngagementField, str] = MappingProxyType(
    {
        F.NAME: "name",
        F.PARTNER_CONTACT: "partner_contact",
        F.CUSTOMER_CONTACT: "customer_contact",
        F.PRODUCTS: "products",
        F.PILLARS: "pillars",
        F.ESTIMATED_CLOSE_DATE: "estimated_close_date",
        F.SOLUTION_DESCRIPTION: "solution_description",
        F.NOTES: "notes",
        F.ENGAGEMENT_ID: "reference",
    }
)
"""Field → the attribute of both :class:`EngagementChanges` and :class:`Engagement`."""


@dataclass(frozen=True)
class EditOutcome:
    """The edited engagement, what changed, and which reviews the change triggers."""

    engagement: Engagement
    applied: tuple[EngagementField, ...]
    sales_review: tuple[EngagementField, ...] = ()
    documents_for_review: tuple[Attachment, ...] = ()
    explanation: tuple[str, ...] = field(default=())

    @property
    def needs_sales_review(self) -> bool:
        """CCE-5: product or close-date changes go to the vendor's sales team."""
        return bool(self.sales_review)

    @property
    def needs_document_review(self) -> bool:
        """CCE-5: an attachment in any category but Miscellaneous is reviewed."""
        return bool(self.documents_for_review)


def changed_fields(engagement: Engagement, changes: EngagementChanges) -> list[EngagementField]:
    """The fields ``changes`` would really change, customer fields included."""
    out: list[EngagementField] = []
    if changes.customer is not None and changes.customer != engagement.customer.legal_name:
        out.append(F.CUSTOMER)
    if changes.customer_address is not None and (
        changes.customer_address != engagement.customer.address
    ):
        out.append(F.CUSTOMER_ADDRESS)
    for fld, attr in _SETTABLE.items():
        value = getattr(changes, attr)
        if value is not None and value != getattr(engagement, attr):
            out.append(fld)
    return out


def plan_edit(
    engagement: Engagement,
    changes: EngagementChanges,
    policy: EditPolicy = DEFAULT_EDIT_POLICY,
    attachment_categories: Mapping[str, bool] = DEFAULT_ATTACHMENT_CATEGORIES,
) -> EditOutcome:
    """Apply ``changes`` under CCE-5, or refuse naming every refused field and the rule."""
    changed = changed_fields(engagement, changes)
    _refuse_forbidden(engagement, changed, policy)
    _check_values(changes, changed, attachment_categories)
    updates: dict[str, object] = {_SETTABLE[f]: getattr(changes, _SETTABLE[f]) for f in changed}
    updates.pop("notes", None)  # rewritten notes (account planning) come first
    kept = changes.notes if F.NOTES in changed and changes.notes is not None else engagement.notes
    notes = tuple(n.strip() for n in changes.add_notes if n.strip())
    edited = replace(
        engagement,
        **updates,  # type: ignore[arg-type]
        notes=kept + notes,
        attachments=engagement.attachments + changes.add_attachments,
    )
    applied = list(changed)
    if notes and F.NOTES not in applied:
        applied.append(F.NOTES)
    if changes.add_attachments:
        applied.append(F.ATTACHMENTS)
    review = tuple(f for f in changed if f in policy.sales_review[engagement.category])
    documents = tuple(a for a in changes.add_attachments if attachment_categories[a.category])
    return EditOutcome(
        engagement=edited,
        applied=tuple(applied),
        sales_review=review,
        documents_for_review=documents,
        explanation=_explain(applied, review, documents),
    )


def _refuse_forbidden(
    engagement: Engagement, changed: list[EngagementField], policy: EditPolicy
) -> None:
    closed = engagement.status in policy.closed_states[engagement.category]
    editable = policy.editable[engagement.category]
    refusals: list[tuple[type[EngagementRefusal], Problem]] = []
    for fld in changed:
        name = FIELD_NAMES[fld]
        if fld in policy.never_editable:
            refusal: type[EngagementRefusal] = CustomerNotEditable
            message = f"the {name} is never editable after submission"
        elif closed:
            refusal = EngagementClosed
            message = (
                f"the deal is closed ({engagement.status}): the {name} can no longer change; "
                "notes and attachments can still be added"
            )
        elif fld not in editable:
            refusal = FieldNotEditable
            what = engagement.category.value.replace("_", " ")
            message = f"the {name} of an {what} engagement is not editable after submission"
        else:
            continue
        refusals.append((refusal, Problem(message, fld.value, RULE)))
    if not refusals:
        return
    for kind in (CustomerNotEditable, EngagementClosed, FieldNotEditable):
        first = next((p for k, p in refusals if k is kind), None)
        if first is not None:
            problems = [p for _, p in refusals]
            summary = first.message if len(problems) == 1 else f"{len(problems)} fields refused"
            raise kind(summary, field=first.field, problems=problems)


def _check_values(
    changes: EngagementChanges,
    changed: list[EngagementField],
    attachment_categories: Mapping[str, bool],
) -> None:
    problems: list[Problem] = []
    if F.NAME in changed and not (changes.name or "").strip():
        problems.append(Problem("engagement name is required", F.NAME.value, "CCE-3"))
    if F.ENGAGEMENT_ID in changed and not (changes.reference or "").strip():
        problems.append(Problem("engagement id is required", F.ENGAGEMENT_ID.value, "CCE-3"))
    contacts = {
        F.PARTNER_CONTACT: changes.partner_contact,
        F.CUSTOMER_CONTACT: changes.customer_contact,
    }
    for fld, contact in contacts.items():
        if fld in changed and (contact is None or not contact.name.strip()):
            problems.append(Problem(f"{FIELD_NAMES[fld]} needs a name", fld.value, "CCE-3"))
    if F.PRODUCTS in changed and changes.products is not None:
        if not changes.products:
            problems.append(Problem("products are required", F.PRODUCTS.value, "CCE-3"))
        problems += product_problems(changes.products)
    if F.PILLARS in changed and changes.pillars is not None:
        problems += pillar_problems(changes.pillars)
    if problems:
        raise IncompleteEngagement(
            f"the edit cannot be applied: {len(problems)} problem(s)",
            field=problems[0].field,
            problems=problems,
        )
    bad = attachment_problems(changes.add_attachments, attachment_categories)
    if bad:
        raise UnknownAttachmentCategory(bad[0].message, field=bad[0].field, problems=bad)


def _explain(
    applied: list[EngagementField],
    review: tuple[EngagementField, ...],
    documents: tuple[Attachment, ...],
) -> tuple[str, ...]:
    lines = [f"changed: {', '.join(FIELD_NAMES[f] for f in applied)}"] if applied else []
    if review:
        fields = ", ".join(FIELD_NAMES[f] for f in review)
        lines.append(f"{fields} routed to the vendor's sales team for review [{RULE}]")
    for doc in documents:
        lines.append(f"attachment {doc.name!r} ({doc.category}) sent for document review [{RULE}]")
    return tuple(lines)
