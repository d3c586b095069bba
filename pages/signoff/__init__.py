"""Clinical sign-off: the rules (rules.py), what they do when pages change (signals.py) and the
clinical editors' queue in the admin (admin.py). `from pages import signoff` gives the rules."""
from .rules import (
    APPROVE_PERMISSION,
    CLINICAL_FAQ_CATEGORIES,
    FORM_ONLY_FIELDS,
    ORDER_FIELDS,
    SIGNED_OFF_MODELS,
    StaleChange,
    approve,
    can_approve,
    changed_fields,
    changes_of,
    display_value,
    form_values,
    is_clinical,
    latest_history_id,
    needs_signoff,
    pending_for,
    propose,
    send_back,
    value_of,
)

__all__ = [
    "APPROVE_PERMISSION", "CLINICAL_FAQ_CATEGORIES", "FORM_ONLY_FIELDS", "ORDER_FIELDS", "SIGNED_OFF_MODELS",
    "StaleChange", "approve", "can_approve", "changed_fields", "changes_of", "display_value", "form_values",
    "is_clinical", "latest_history_id", "needs_signoff", "pending_for", "propose", "send_back", "value_of",
]
