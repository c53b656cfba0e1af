"""The enrolment wizard's forms (OPN-9): which inputs each step shows, read back into the
JSON answer the step's use case takes, and the saved answer spread back into inputs.

Input names are the answer's paths (``address.city``, ``contacts.2.email``), so that a
refusal naming a field (``contacts[2].email``, OPN-9; ``plan``, OPN-5) is shown next to
the input it is about. Every choice the domain may refuse is offered — a payment plan
the level does not allow is refused by the use case, in words, not hidden.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from alliance.domain.membership import Step
from alliance.domain.membership.terms import MembershipTerms, PaymentMethod, PaymentPlan
from alliance.domain.organizations import EntityRole
from alliance.domain.people import PartnerRole
from alliance.web.labels import N_


@dataclass(frozen=True)
class Input:
    """One input: ``name`` is the answer's path; ``label`` is translated when shown."""

    name: str
    label: str
    kind: str = "text"  # text, email, select, radio, checkbox, checkboxes, hidden
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = True
    hint: str = ""

    @property
    def id(self) -> str:
        return "f-" + self.name.replace(".", "-").replace("_", "-")


TITLES: Mapping[Step, str] = {
    Step.PARTNERSHIP_TYPE_AND_LEVEL: N_("Partnership type and level"),
    Step.ADMINISTRATOR_CONFIRMATION: N_("Partner administrator"),
    Step.COMPANY_AND_CONTACTS: N_("Company and contacts"),
    Step.REVIEW_CONTACTS: N_("Review the contacts"),
    Step.REWARD_QUESTIONNAIRE: N_("Rewards"),
    Step.PROGRAM_QUESTIONNAIRE: N_("Optional tracks"),
    Step.AGREEMENT: N_("Agreement"),
    Step.PAYMENT: N_("Payment"),
    Step.FINAL_REVIEW: N_("Final review"),
}

PLAN_NAMES = {
    PaymentPlan.ANNUAL: N_("Annual"),
    PaymentPlan.SEMI_ANNUAL: N_("Semi-annual"),
    PaymentPlan.QUARTERLY: N_("Quarterly"),
    PaymentPlan.MONTHLY: N_("Monthly"),
}
METHOD_NAMES = {
    PaymentMethod.CARD: N_("Card"),
    PaymentMethod.WIRE: N_("Wire transfer"),
    PaymentMethod.PURCHASE_ORDER: N_("Purchase order"),
    PaymentMethod.DIRECT_DEBIT: N_("Direct debit"),
}


def _words(value: str) -> str:
    return value.replace("_", " ").capitalize()


def contact_rows(terms: MembershipTerms) -> list[PartnerRole]:
    """One row per contact the program asks for at enrolment (OPN-18, OPN-7)."""
    rows: list[PartnerRole] = []
    for role in terms.roles:
        if role.named_at_enrolment and role.role is not PartnerRole.PARTNER_ADMINISTRATOR:
            rows += [role.role] * max(role.min_holders, 1)
    return rows


def inputs(step: Step, terms: MembershipTerms) -> list[Input]:
    """The inputs of ``step`` under the program's terms."""
    if step is Step.PARTNERSHIP_TYPE_AND_LEVEL:
        return [
            Input(
                "member_type",
                N_("Your company joins as"),
                "radio",
                (
                    (EntityRole.PRINCIPAL.value, N_("A principal (its own membership)")),
                    (EntityRole.ASSOCIATE.value, N_("An associate of its parent company")),
                ),
            ),
            Input(
                "level",
                N_("Level (a principal)"),
                "select",
                tuple((level.id, level.name) for level in terms.levels),
                required=False,
            ),
            Input(
                "principal_subscription",
                N_("The principal's membership number (an associate)"),
                required=False,
            ),
        ]
    if step is Step.ADMINISTRATOR_CONFIRMATION:
        return [
            Input(
                "accepts_administrator_role",
                N_("I accept the partner administrator role for my company"),
                "checkbox",
            )
        ]
    if step is Step.COMPANY_AND_CONTACTS:
        fields = [
            Input("legal_name", N_("Legal name")),
            Input("address.line1", N_("Street address")),
            Input("address.city", N_("City")),
            Input("address.postal_code", N_("Postal code")),
            Input("address.country", N_("Country (two letters, e.g. FR)")),
            Input("administrator.name", N_("Administrator's name")),
            Input("administrator.email", N_("Administrator's e-mail"), "email"),
        ]
        rows = contact_rows(terms)
        for i, role in enumerate(rows):
            what = _words(role.value)
            if rows.count(role) > 1:  # "Key executive 2": every label tells its row
                what = f"{what} {rows[:i].count(role) + 1}"
            fields += [
                Input(f"contacts.{i}.role", what, "hidden", ((role.value, what),)),
                Input(f"contacts.{i}.name", N_("Name"), hint=what),
                Input(f"contacts.{i}.email", N_("E-mail"), "email", hint=what),
            ]
        fields.append(
            Input(
                "partner_store_terms_accepted",
                N_("I accept the partner store terms and conditions"),
                "checkbox",
                required=False,
            )
        )
        return fields
    if step in (Step.REVIEW_CONTACTS, Step.FINAL_REVIEW):
        label = (
            N_("The address and contacts are right")
            if step is Step.REVIEW_CONTACTS
            else N_("I have reviewed the application")
        )
        return [Input("confirmed", label, "checkbox")]
    if step is Step.REWARD_QUESTIONNAIRE:
        return [
            Input(
                "payout",
                N_("Rewards are paid as"),
                "radio",
                tuple((p.value, _words(p.value)) for p in terms.reward_payouts),
            ),
            Input(
                "associate_ordering",
                N_("Who may order with the company's credits"),
                "select",
                tuple((p.value, _words(p.value)) for p in terms.associate_policies),
                required=False,
            ),
        ]
    if step is Step.PROGRAM_QUESTIONNAIRE:
        return [
            Input(
                "tracks",
                N_("Tracks to join"),
                "checkboxes",
                tuple((t.id, t.name) for t in terms.tracks),
                required=False,
            )
        ]
    if step is Step.AGREEMENT:
        return [
            Input(
                "method",
                N_("How the agreement is accepted"),
                "radio",
                tuple((m.value, _words(m.value)) for m in sorted(terms.agreement_methods)),
            ),
            Input(
                "signed_agreement",
                N_("Reference of the signed agreement (offline acceptance)"),
                required=False,
            ),
        ]
    return [  # Step.PAYMENT: every plan and method; the level's rules refuse (OPN-5, OPN-6)
        Input(
            "plan",
            N_("Payment plan"),
            "select",
            tuple((p.value, PLAN_NAMES[p]) for p in PaymentPlan),
        ),
        Input(
            "method",
            N_("Payment method"),
            "select",
            tuple((m.value, METHOD_NAMES[m]) for m in PaymentMethod),
        ),
    ]


def read(
    shown: Sequence[Input], form: Mapping[str, str], lists: Mapping[str, list[str]]
) -> dict[str, object]:
    """The step's JSON answer from the posted form: blank texts are left out (so that the
    step's rules name them as missing), boxes are booleans, dotted names nest."""
    flat: dict[str, object] = {}
    for field in shown:
        if field.kind == "checkbox":
            flat[field.name] = form.get(field.name) == "on"
        elif field.kind == "checkboxes":
            flat[field.name] = list(lists.get(field.name, []))
        else:
            value = (form.get(field.name) or "").strip()
            if value:
                flat[field.name] = value
    return nest(flat)


def nest(flat: Mapping[str, object]) -> dict[str, object]:
    """``{"a.b": 1, "c.0.d": 2}`` → ``{"a": {"b": 1}, "c": [{"d": 2}]}``."""
    root: dict[str, object] = {}
    for path, value in flat.items():
        node: dict[str, object] = root
        parts = path.split(".")
        for part, after in pairwise(parts):
            if after.isdigit():
                items = node.setdefault(part, {})
                assert isinstance(items, dict)
                node = items.setdefault(after, {})  # an index, turned into a list below
            elif not part.isdigit():
                child = node.setdefault(part, {})
                assert isinstance(child, dict)
                node = child
        node[parts[-1]] = value
    return _lists(root)


def _lists(value: object) -> dict[str, object]:
    assert isinstance(value, dict)
    out: dict[str, object] = {}
    for key, item in value.items():
        if isinstance(item, dict) and item and all(k.isdigit() for k in item):
            out[key] = [_lists(item[k]) for k in sorted(item, key=int)]
        elif isinstance(item, dict):
            out[key] = _lists(item)
        else:
            out[key] = item
    return out


def flatten(answer: object, prefix: str = "") -> dict[str, object]:
    """A saved answer spread into input values (the inverse of :func:`nest`)."""
    flat: dict[str, object] = {}
    if isinstance(answer, Mapping):
        for key, value in answer.items():
            flat.update(flatten(value, f"{prefix}{key}."))
    elif isinstance(answer, list | tuple) and any(isinstance(v, Mapping) for v in answer):
        for i, value in enumerate(answer):
            flat.update(flatten(value, f"{prefix}{i}."))
    elif answer is not None:
        flat[prefix.rstrip(".")] = list(answer) if isinstance(answer, list | tuple) else answer
    return flat


def input_name(field: str | None) -> str | None:
    """A refusal's field as an input name: ``contacts[2].email`` → ``contacts.2.email``."""
    return re.sub(r"\[(\d+)\]", r".\1", field) if field else None


def checked(values: Mapping[str, object], name: str, choice: str) -> bool:
    value = values.get(name)
    if isinstance(value, Iterable) and not isinstance(value, str):
        return choice in value
    return value is True or value == choice or value == "on"
