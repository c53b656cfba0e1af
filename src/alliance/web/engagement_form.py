"""The engagement form of the portal (CCE-3): the posted inputs read into the JSON form
the API takes (:func:`alliance.services.engagements.forms.read_form` reads both), and
the problems of a refusal placed next to the inputs they name.

Input names are the problems' paths (``customer_address.city``, ``products.0.quantity``);
a group left wholly blank is left out, so that CCE-3 names it as missing ("partner
contact is required for an opportunity") rather than each of its parts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from alliance.domain.errors import AllianceError

ADDRESS = ("street", "city", "postal_code", "region", "country")
CONTACT = ("name", "email", "phone")
PRODUCT = ("product", "family", "quantity", "amount", "currency")
GROUPS = (
    "customer_address",
    "partner_contact",
    "customer_contact",
    "products",
    "products.0.service_period",
    "pillars",
)
"""Fieldsets a problem may name as a whole."""


def _group(form: Mapping[str, str], prefix: str, parts: tuple[str, ...]) -> dict[str, str] | None:
    values = {part: form.get(f"{prefix}.{part}", "").strip() for part in parts}
    return {k: v for k, v in values.items() if v} or None


def read(form: Mapping[str, str]) -> dict[str, object]:
    """The JSON form of the posted inputs (CCE-3 decides what is missing)."""
    data: dict[str, object] = {}
    for key in ("category", "name", "estimated_close_date", "solution_description", "notes"):
        value = form.get(key, "").strip()
        if value:
            data[key] = value
    customer: dict[str, object] = {}
    if form.get("customer", "").strip():
        customer["legal_name"] = form["customer"].strip()
    address = _group(form, "customer_address", ADDRESS)
    if address:
        customer["address"] = address
    if customer:
        data["customer"] = customer
    for contact in ("partner_contact", "customer_contact"):
        found = _group(form, contact, CONTACT)
        if found:
            data[contact] = found
    product = _group(form, "products.0", PRODUCT)
    period = _group(form, "products.0.service_period", ("start", "end"))
    if product or period:
        line: dict[str, object] = dict(product or {})
        if period:
            line["service_period"] = period
        data["products"] = [line]
    pillar = form.get("pillars.0.name", "").strip()
    if pillar:
        data["pillars"] = [{"name": pillar}]
    return data


def input_name(field: str | None) -> str:
    """``products[0].quantity`` → ``products.0.quantity``; ``customer.legal_name`` →
    ``customer`` (the one input of the customer's name)."""
    if not field:
        return ""
    name = re.sub(r"\[(\d+)\]", r".\1", field)
    return "customer" if name == "customer.legal_name" else name


def problems_by_input(error: AllianceError) -> dict[str, list[str]]:
    """Each problem's message with its rule, by the input (or fieldset) it names."""
    found: dict[str, list[str]] = {}
    problems = error.problems or []
    if not problems:
        found.setdefault(input_name(error.field), []).append(f"{error.message} ({error.rule})")
    for problem in problems:
        found.setdefault(input_name(problem.field), []).append(
            f"{problem.message} ({problem.rule})"
        )
    return found


def dom_id(name: str) -> str:
    return "e-" + name.replace(".", "-").replace("_", "-")
