"""Where a waiting change is dealt with in the admin: its review screen, the queue, its preview
as patients will see it, and its page's form opened on the author's sent-back text ("Edit again").
The admin's own pages use these addresses as they are; emails put them on SITE_URL
(pages.addresses.links.absolute_url)."""
from django.urls import reverse

# The query parameter of "Edit again": the form opens on the author's sent-back text.
EDIT_AGAIN = "edit_again"


def review_url(change):
    """The review screen of one change: who, what, when, word by word; approve or send back."""
    return reverse("admin:pages_pendingchange_change", args=[change.pk])


def waiting_url():
    """The approval queue, showing what waits."""
    return reverse("admin:pages_pendingchange_changelist") + "?status__exact=pending"


def edit_again_url(change):
    """The page's form, opened on the text of `change`, which a clinical editor sent back."""
    opts = change.content_type
    url = reverse(f"admin:{opts.app_label}_{opts.model}_change", args=[change.object_id])
    return f"{url}?{EDIT_AGAIN}={change.pk}"


def preview_url(change):
    """The staff-only page showing `change` as patients will see it once it is approved."""
    return reverse("admin:pages_pendingchange_preview", args=[change.pk])


def user_page_url(user):
    """A person's own user page, where they turn the sign-off emails off."""
    return reverse("admin:auth_user_change", args=[user.pk])
