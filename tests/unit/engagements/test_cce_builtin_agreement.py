"""The domain's CCE tables say what the built-in OPN definition says (opn.yaml)."""

from __future__ import annotations

import pytest

from alliance.domain.engagements import (
    DEFAULT_ATTACHMENT_CATEGORIES,
    DEFAULT_EDIT_POLICY,
    DEFAULT_USER_POLICY,
    FIELD_TABLE,
    LIFECYCLES,
    Category,
    Requirement,
)
from alliance.programs.registry import builtin_programs
from alliance.programs.schema import ProgramDefinition
from alliance.programs.schema.engagements import EngagementsSection, FieldRequirement


@pytest.fixture(scope="module")
def opn() -> ProgramDefinition:
    return next(p.definition for p in builtin_programs() if p.code == "opn")


@pytest.fixture(scope="module")
def section(opn: ProgramDefinition) -> EngagementsSection:
    assert opn.engagements is not None
    return opn.engagements


_SAME = {
    FieldRequirement.REQUIRED: Requirement.REQUIRED,
    FieldRequirement.OPTIONAL: Requirement.OPTIONAL,
    FieldRequirement.GENERATED: Requirement.GENERATED,
    FieldRequirement.ABSENT: Requirement.NOT_APPLICABLE,
}


def test_the_field_table_is_the_definitions(section: EngagementsSection) -> None:
    for fld, row in FIELD_TABLE.items():
        for category, needed in row.items():
            assert _SAME[section.requirement(fld.value, category.value)] is needed, (fld, category)


def test_the_edit_policy_is_the_definitions(section: EngagementsSection) -> None:
    for category in section.categories:
        cat = Category(category.id)
        assert {f.value for f in DEFAULT_EDIT_POLICY.editable[cat]} == set(
            category.editable_after_submission
        )
        assert {f.value for f in DEFAULT_EDIT_POLICY.sales_review[cat]} == set(
            category.routed_for_review
        )
        assert {s.value for s in DEFAULT_EDIT_POLICY.closed_states[cat]} == set(
            category.locked_in_states
        )
    assert {f.value for f in DEFAULT_EDIT_POLICY.never_editable} == set(section.never_editable)
    assert {f.value for f in DEFAULT_EDIT_POLICY.always_appendable} == set(
        section.always_appendable
    )


def test_the_attachment_categories_and_user_limit_are_the_definitions(
    section: EngagementsSection,
) -> None:
    assert dict(DEFAULT_ATTACHMENT_CATEGORIES) == {
        a.id: a.triggers_review for a in section.attachment_categories
    }
    assert DEFAULT_USER_POLICY.max_active_users == section.max_active_users == 10


def test_the_lifecycles_are_the_definitions_workflows(
    opn: ProgramDefinition, section: EngagementsSection
) -> None:
    workflows = {w.id: w for w in opn.workflows}
    for category in section.categories:
        workflow = workflows[category.workflow]
        moves = LIFECYCLES[Category(category.id)]
        assert {(m.name, m.source.value, m.target.value) for m in moves} == {
            (t.name, t.source, t.target) for t in workflow.transitions
        }
        assert {m.name for m in moves if m.notify_partner} == {
            t.name for t in workflow.transitions if "partner" in t.notify
        }
