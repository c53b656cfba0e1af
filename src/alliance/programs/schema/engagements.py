"""Collaborative customer engagements (deal registration): categories, their fields,
what may be edited after submission, and which lifecycle each follows (CCE-1…CCE-6)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from alliance.programs.schema.common import (
    DefinitionModel,
    Identifier,
    Loc,
    RuleIds,
    duplicate_ids,
    raise_issues,
    unknown_refs,
)


class FieldRequirement(StrEnum):
    """Whether a category's form asks for a field (CCE-3)."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    GENERATED = "generated"
    ABSENT = "absent"


class EngagementField(DefinitionModel):
    """One field and, per category id, whether it is required (absent when not listed)."""

    id: Identifier
    name: str
    description: str = ""
    requirement: dict[Identifier, FieldRequirement]


class AttachmentCategory(DefinitionModel):
    id: Identifier
    name: str
    triggers_review: bool = Field(default=True, description="The vendor reviews it (CCE-5).")


class EngagementCategory(DefinitionModel):
    """A kind of engagement with its own lifecycle and edit rules."""

    id: Identifier
    name: str
    description: str = ""
    workflow: Identifier = Field(description="The id of the workflow it follows (CCE-6).")
    editable_after_submission: tuple[Identifier, ...] = ()
    routed_for_review: tuple[Identifier, ...] = Field(
        default=(), description="Edited fields the vendor's sales team reviews (CCE-5)."
    )
    locked_in_states: tuple[Identifier, ...] = Field(
        default=(), description="Workflow states in which the deal is closed: no more edits."
    )
    rules: RuleIds = ()


class EngagementsSection(DefinitionModel):
    """The engagement tool: who may use it, its categories and fields."""

    min_level: Identifier
    max_active_users: int | None = Field(default=None, ge=1)
    categories: tuple[EngagementCategory, ...] = Field(min_length=1)
    fields: tuple[EngagementField, ...] = Field(min_length=1)
    never_editable: tuple[Identifier, ...] = ()
    always_appendable: tuple[Identifier, ...] = Field(
        default=(), description="Fields that can be added to at any time, even when closed."
    )
    attachment_categories: tuple[AttachmentCategory, ...] = ()
    vendor_reference_field: Identifier | None = Field(
        default=None,
        description="The field where a vendor opportunity id, if given, replaces product "
        "validation (CCE-4).",
    )
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _references_resolve(self) -> EngagementsSection:
        issues: list[tuple[Loc, str]] = []
        issues += duplicate_ids("categories", (c.id for c in self.categories))
        issues += duplicate_ids("fields", (f.id for f in self.fields))
        issues += duplicate_ids("attachment_categories", (a.id for a in self.attachment_categories))
        categories = [c.id for c in self.categories]
        fields = [f.id for f in self.fields]
        for i, fld in enumerate(self.fields):
            loc: Loc = ("fields", i, "requirement")
            issues += unknown_refs(loc, fld.requirement, categories, "category")
        for i, cat in enumerate(self.categories):
            for name in ("editable_after_submission", "routed_for_review"):
                issues += unknown_refs(("categories", i, name), getattr(cat, name), fields, "field")
            for field_id in cat.editable_after_submission:
                if field_id in self.never_editable:
                    issues.append(
                        (
                            ("categories", i, "editable_after_submission"),
                            f"expected no never-editable field, got {field_id!r}",
                        )
                    )
        issues += unknown_refs(("never_editable",), self.never_editable, fields, "field")
        issues += unknown_refs(("always_appendable",), self.always_appendable, fields, "field")
        if self.vendor_reference_field is not None:
            loc = ("vendor_reference_field",)
            issues += unknown_refs(loc, [self.vendor_reference_field], fields, "field")
        raise_issues(issues)
        return self

    def requirement(self, field_id: str, category_id: str) -> FieldRequirement:
        """Whether ``category_id``'s form asks for ``field_id`` (CCE-3)."""
        for fld in self.fields:
            if fld.id == field_id:
                return fld.requirement.get(category_id, FieldRequirement.ABSENT)
        raise KeyError(field_id)
