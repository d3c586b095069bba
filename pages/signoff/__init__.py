"""Clinical sign-off: the publishing gate every change to what patients read goes through
(gate.py), the waiting edits and what approving them does (rules.py), what happens when a
page is deleted (signals.py), and the clinical editors' queue in the admin (admin.py).
`from pages import signoff` gives the rules; `from pages.signoff import gate` the gate."""
from .rules import (
    APPROVE_PERMISSION,
    CLINICAL_FAQ_CATEGORIES,
    FORM_ONLY_FIELDS,
    SIGNED_OFF_MODELS,
    StaleChange,
    can_approve,
    changed_fields,
    changes_of,
    display_value,
    form_values,
    latest_history_id,
    pending_for,
    propose,
    send_back,
    value_of,
)

__all__ = [
    "APPROVE_PERMISSION", "CLINICAL_FAQ_CATEGORIES", "FORM_ONLY_FIELDS", "SIGNED_OFF_MODELS", "StaleChange",
    "can_approve", "changed_fields", "changes_of", "display_value", "form_values", "latest_history_id",
    "pending_for", "propose", "send_back", "value_of",
]
