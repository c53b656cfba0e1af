"""The answers of an enrolment application (OPN-9), step by step, for the membership tests.

:func:`principal_answers` and :func:`associate_answers` give every step's JSON answer in
order, for a level, plan and method; tests change one answer to see it refused.
"""

from __future__ import annotations

from typing import Any

Answers = list[tuple[str, dict[str, Any]]]


def company(country: str = "FR", *, principal: bool = True) -> dict[str, Any]:
    return {
        "legal_name": "Acme SAS",
        "address": {
            "line1": "1 rue de la Paix",
            "city": "Paris",
            "postal_code": "75002",
            "country": country,
        },
        "administrator": {"name": "Ada Admin", "email": "ada@acme.example"},
        "contacts": [
            {"name": "Kim Exec", "email": "kim@acme.example", "role": "key_executive"},
            {"name": "Kai Exec", "email": "kai@acme.example", "role": "key_executive"},
            {"name": "Bea Dev", "email": "bea@acme.example", "role": "business_development"},
            {"name": "Leo Legal", "email": "leo@acme.example", "role": "legal_contact"},
            {"name": "Ted Tech", "email": "ted@acme.example", "role": "technical_readiness"},
            {"name": "Bill Pay", "email": "bill@acme.example", "role": "accounts_payable"},
            {"name": "Mia Mkt", "email": "mia@acme.example", "role": "marketing_contact"},
            {"name": "Sam Sales", "email": "sam@acme.example", "role": "sales_engagement_contact"},
        ],
        "partner_store_terms_accepted": principal,
    }


def principal_answers(
    level: str,
    plan: str = "annual",
    method: str = "wire",
    *,
    country: str = "FR",
    tracks: tuple[str, ...] = (),
    payout: str = "partner_credits",
    ordering: str = "principal_orders_only",
) -> Answers:
    answers: Answers = [
        ("partnership_type_and_level", {"member_type": "principal", "level": level}),
        ("administrator_confirmation", {"accepts_administrator_role": True}),
        ("company_and_contacts", company(country)),
        ("review_contacts", {"confirmed": True}),
    ]
    if level != "l0":
        answers += [
            ("reward_questionnaire", {"payout": payout, "associate_ordering": ordering}),
            ("program_questionnaire", {"tracks": list(tracks)}),
        ]
    answers += [
        ("agreement", {"method": "online_click"}),
        ("payment", {"plan": plan, "method": method}),
        ("final_review", {"confirmed": True}),
    ]
    return answers


def associate_answers(
    principal_subscription: str, plan: str = "annual", method: str = "wire", *, level: str = "l1"
) -> Answers:
    answers: Answers = [
        (
            "partnership_type_and_level",
            {"member_type": "associate", "principal_subscription": principal_subscription},
        ),
        ("administrator_confirmation", {"accepts_administrator_role": True}),
        ("company_and_contacts", company("ES", principal=False)),
        ("review_contacts", {"confirmed": True}),
    ]
    if level != "l0":
        answers.append(("program_questionnaire", {"tracks": []}))
    answers += [
        ("agreement", {"method": "principal_terms"}),
        ("payment", {"plan": plan, "method": method}),
        ("final_review", {"confirmed": True}),
    ]
    return answers


def renewal_answers(level: str, plan: str = "annual", method: str = "wire") -> Answers:
    """A renewal skips the company details (OPN-9, OPN-14)."""
    return [
        step for step in principal_answers(level, plan, method) if step[0] != "company_and_contacts"
    ]
