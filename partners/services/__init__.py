"""Writes of the partner ecosystem: keyword-only, validated, atomic (one module per subject)."""

from partners.services.directory import (
    contact_create,
    contact_erase,
    contact_update,
    partner_create,
    partner_update,
)
from partners.services.funding import (
    funding_line_create,
    funding_line_delete,
    funding_line_transition,
    funding_line_update,
    instalment_record,
)
from partners.services.interactions import interaction_delete, interaction_log, interaction_update

__all__ = [
    "contact_create",
    "contact_erase",
    "contact_update",
    "funding_line_create",
    "funding_line_delete",
    "funding_line_transition",
    "funding_line_update",
    "instalment_record",
    "interaction_delete",
    "interaction_log",
    "interaction_update",
    "partner_create",
    "partner_update",
]
