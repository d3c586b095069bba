"""The publishing gate: the one place that decides whether a change to what patients read goes
live now or waits for a clinical editor, and the only code that may write those rows.

Every path that changes a topic page, an FAQ answer, a condition or one of their translations
comes through here: the admin's forms, list edits, actions, history revert, "recently deleted",
the translation screens, approving a waiting edit, and `load_content`. The models refuse a
save made anywhere else (pages.models.base.check_gate_open), so a new path that forgets the
gate fails loudly instead of publishing.

What decides is what changes and who changes it, never a choice the author makes:
- A clinical editor's change goes live (with CLINICAL_SIGNOFF_SECOND_EDITOR, a change to a
  page with the "Call 911" box waits for a second clinical editor).
- Anyone else's change to a topic page or a condition waits, whatever field it is (its address
  and its publish flag decide what patients reach, as its text does), except the order of a
  list: moving an approved page up or down shows no new text, and goes live.
- An FAQ answer: a new one waits; so does moving it into or out of a clinical category,
  attaching it to a page or moving it to another, or ticking its "Call 911" box. An answer about
  cost, insurance or referrals publishes at once while its text stays on cost pages (the FAQ
  list, its own page, the insurance-and-cost page); its text change then clears the page's
  "reviewed by" signature until a clinical editor reviews it.
- A new page saved unpublished (a draft, a Spanish draft to translate) changes nothing patients
  see: it is written, and waits only for the change that publishes it.
- The addresses the code depends on, and addresses that redirect or are gone, can be given to a
  page only by a clinical editor (see `check_address_is_free`).
- Taking a page away (deleting it) is a clinical editor's decision (`may_remove`, `remove`):
  patients lose its text and its links answer "gone", whatever permissions a group was given.
"""
import datetime
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..addresses.redirects import revive_addresses
from ..models import (
    COST_TOPIC,
    NAMED_ANSWERS,
    Condition,
    FaqEntry,
    PendingChange,
    RedFlagList,
    Topic,
    gate_open,
    stable_key,
)
from ..text.markdown import is_external, is_site_address, link_targets, render_plain_text
from ..text.red_flags import unusual_letters, urgent_care_terms
from .notify import name_of
from .rules import (
    CLINICAL_FAQ_CATEGORIES,
    ORDER_FIELDS,
    SIGNED_OFF_MODELS,
    StaleChange,
    apply_values,
    as_json,
    can_approve,
    change_title,
    changed_fields,
    conflicting_fields,
    latest_history_id,
    live_values,
    mark_decided,
    pending_for,
    propose,
)

REVIEW_PERMISSION = "pages.review_topic"
# Fields that only say who reviewed the page and when (set by "Mark reviewed", by reviewers).
REVIEW_FIELDS = frozenset({"last_reviewed", "reviewed_by"})
# Fields whose change alone leaves a cost answer's text where it was.
COST_ANSWER_OPEN_FIELDS = frozenset({"question", "answer", "slug", "order", "published", "source_revision"})


class SameEditor(Exception):
    """With CLINICAL_SIGNOFF_SECOND_EDITOR, a clinical editor may not approve their own change
    to a page with the "Call 911" box."""


@dataclass(frozen=True)
class Decision:
    """What the gate decided for one change. Only `decide` makes one."""

    live: bool
    reason: str
    clears_review: bool = False


def second_editor_required(obj, values):
    # The red-flag list is the "Call 911" box itself.
    shows_box = isinstance(obj, RedFlagList) or getattr(obj, "red_flags", False) or values.get("red_flags")
    return settings.CLINICAL_SIGNOFF_SECOND_EDITOR and bool(shows_box)


def on_cost_pages_only(obj, values, changed):
    """Whether a change to an answer about cost is only about cost, where only cost text is:
    its text, as typed and as rendered, names no warning sign, part of the body or place or
    number for urgent care (in either language, typos too), its links lead only to web pages,
    it publishes no answer patients have not seen (a draft, an unpublished answer),
    and the answer stays on the FAQ list, its own page and the insurance-and-cost page (the
    clinic's cost page, found by its stable key)."""
    categories = {obj.category if obj.pk else None, values.get("category", obj.category)}
    if categories & CLINICAL_FAQ_CATEGORIES or changed - COST_ANSWER_OPEN_FIELDS:
        return False
    question, answer = (str(values.get(name, getattr(obj, name)) or "") for name in ("question", "answer"))
    # As typed and as patients read it (entities, comments and emphasis can hide a word from
    # the typed text), and where its links lead (a "billing office" link can dial 911).
    for text in (f"{question} {answer}", f"{question} {render_plain_text(answer)}"):
        if urgent_care_terms(text) or unusual_letters(text):
            return False
    if not all(is_external(href) or is_site_address(href) for href in link_targets(answer)):
        return False
    live = FaqEntry.objects.filter(pk=obj.pk).values("topic_id", "published").first()
    if live is None or ("published" in changed and values.get("published") and not live["published"]):
        return False
    return live["topic_id"] is None or Topic.objects.named(COST_TOPIC).filter(pk=live["topic_id"]).exists()


def is_clinical_change(obj, values, changed, is_new):
    if type(obj)._meta.label not in SIGNED_OFF_MODELS:
        return False
    if not isinstance(obj, FaqEntry):
        return True  # guide pages and conditions: every field decides what patients reach
    return is_new or not on_cost_pages_only(obj, values, changed)


def decide(user, obj, values, *, is_new=False):
    """Whether this change to `obj` by `user` goes live now or waits. Refuses (ValidationError,
    naming the field) an address someone who may not approve cannot give a page."""
    approver = can_approve(user)
    if not approver:
        check_address_is_free(obj, values, is_new)
    changed = set(values) if is_new else changed_fields(obj, values)
    if not changed:
        return Decision(True, "nothing changes")
    if is_new and not values.get("published", obj.published):
        return Decision(True, "a draft: patients see nothing until it is published")
    if changed <= REVIEW_FIELDS and user is not None and user.has_perm(REVIEW_PERMISSION):
        return Decision(True, "a clinical review")
    if changed <= ORDER_FIELDS and not is_new:
        return Decision(True, "only where an approved page sits in a list")
    if not is_clinical_change(obj, values, changed, is_new):
        texts = set(getattr(obj, "translatable_fields", ()))
        return Decision(True, "not clinical", clears_review=bool(changed & texts) and not approver)
    if approver and not second_editor_required(obj, values):
        return Decision(True, "a clinical editor's change")
    return Decision(False, "needs a clinical editor" if not approver else "needs a second clinical editor")


def check_address_is_free(obj, values, is_new):
    """The addresses of the pages the code names (the 911 answer, the home page's questions,
    the cost page), any address they ever had, and any address that redirects or is gone
    (410) belong to those pages: only a clinical editor can give one to another page."""
    model = type(obj)
    addressed = {FaqEntry: NAMED_ANSWERS, Topic: {COST_TOPIC}, Condition: set()}
    # The red-flag list has no address of its own (patients read it in the "Call 911" box).
    if not hasattr(obj, "get_absolute_url") or model not in addressed:
        return
    slug = values.get("slug", obj.slug)
    if not slug:
        return  # nothing typed yet: the form's own check says a slug is needed
    if not is_new and not (obj.pk and "slug" in changed_fields(obj, {"slug": slug})):
        return
    url = model(slug=slug, language=values.get("language", obj.language)).get_absolute_url()
    names = addressed[model]
    keys = [stable_key(model, name) for name in names]
    # A page keeps its own addresses, in any language: the ones its history (its translation_key)
    # had. Restoring a deleted page, or renaming a page back, takes nothing from another.
    own_key = values.get("translation_key", obj.translation_key)
    if model.history.filter(translation_key=own_key, slug=slug).exists():
        return
    named = model.history.filter(translation_key__in=keys, slug=slug).exists()
    moved = Redirect.objects.filter(site=Site.objects.get_current(), old_path=url).exists()
    if named or moved:
        raise ValidationError({"slug": _(
            "The address %(url)s belongs to another page (or redirects, or is gone): links patients were sent "
            "still lead there. Choose another slug, or ask a clinical editor.") % {"url": url}})


def what_save_does(user, model, obj=None):
    """For the line above Save: the decision a change to this page's text by `user` would get
    (for a new page: adding it, published). The same `decide`, so the line cannot disagree
    with what Save then does."""
    if obj is None:
        return decide(user, model(), {"published": True}, is_new=True)
    # A page's text; for the clinic's details and locations (no translations), their first words.
    texts = getattr(obj, "translatable_fields", None) or [
        field.name for field in obj._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and field.editable and not field.choices][:1]
    text_field = texts[-1]
    return decide(user, obj, {text_field: (getattr(obj, text_field) or "") + " (changed)"})


@contextmanager
def write(decision, obj, holder):
    """Let the block save `obj` as decided. A change that goes live without a clinical editor
    and changes the page's text clears its "reviewed by" signature."""
    if not (isinstance(decision, Decision) and decision.live):
        raise ValueError("the gate decided this change waits: propose it instead")
    if decision.clears_review and getattr(obj, "clinically_reviewed", False):
        obj.mark_not_reviewed(datetime.date.today())
    with gate_open(holder):
        yield


@contextmanager
def write_draft(obj, holder):
    """Let the block save a new page unpublished, while its content waits for approval."""
    obj.published = False
    with gate_open(holder):
        yield


@contextmanager
def trusted_source(holder="load_content"):
    """`load_content`: the files in content/ are the clinic's own source, checked by the content
    gates and loaded by whoever runs the command on the server."""
    with gate_open(holder):
        yield


@transaction.atomic
def submit(user, obj, values, *, is_new=False, partial=False, reason=""):
    """One change to `obj`, for the paths that are not an admin form: goes live (saved, with
    its relations) or waits. Returns the waiting PendingChange, or None once live."""
    decision = decide(user, obj, values, is_new=is_new)
    obj._history_user = user
    if reason:
        obj._change_reason = reason[:100]
    if decision.live:
        many = apply_values(obj, values)
        with write(decision, obj, reason or "submit"):
            obj.save(force_insert=is_new and obj.pk is not None)
            for name, pks in many.items():
                getattr(obj, name).set(pks)
        return None
    if is_new:
        many = {name: pks for name, pks in values.items() if obj._meta.get_field(name).many_to_many}
        with write_draft(obj, reason or "draft"):
            obj.save(force_insert=obj.pk is not None)
            for name, pks in many.items():
                getattr(obj, name).set(pks)
    return propose(type(obj).objects.get(pk=obj.pk), values, user, is_new=is_new, partial=partial)


def may_remove(user, model):
    """Whether `user` may delete rows of `model`: of pages patients read, only a clinical editor."""
    return model._meta.label not in SIGNED_OFF_MODELS or can_approve(user)


@transaction.atomic
def remove(user, obj):
    """Delete a page patients read (its waiting edits are withdrawn by pages.signoff.signals).
    Refuses (PermissionDenied) anyone who is not a clinical editor."""
    if not may_remove(user, type(obj)):
        raise PermissionDenied(_("Only a clinical editor can delete a page patients read."))
    obj._history_user = user
    with gate_open("removed"):
        obj.delete()


@transaction.atomic
def approve(change, reviewer):
    """Write what the author changed, field by field, on top of the live row; its history says
    who approved and who wrote it. Refuses (StaleChange) where the live row changed since in a
    field the edit changes too, so an approval never undoes a change made meanwhile."""
    change = PendingChange.objects.select_for_update().get(pk=change.pk, status=PendingChange.Status.PENDING)
    obj = change.live_object()
    if change.author_id == reviewer.pk and second_editor_required(obj, change.data):
        raise SameEditor
    conflicts = conflicting_fields(change, obj)
    if conflicts:
        raise StaleChange([str(obj._meta.get_field(name).verbose_name) for name in conflicts])
    if change.go_live_at and change.go_live_at > timezone.now():
        # Approved, and kept until its time: publish_scheduled writes it then (publish_due).
        mark_decided(change, PendingChange.Status.SCHEDULED, reviewer)
        return obj
    many = apply_values(obj, change.data)
    obj.full_clean()  # e.g. a slug another page took since: refused with the field named
    obj._history_user = reviewer
    obj._change_reason = f"Approved by {name_of(reviewer)} (written by {name_of(change.author)})"[:100]
    with gate_open("approved"):
        obj.save()
        for name, pks in many.items():
            getattr(obj, name).set(pks)
    if change.is_new and obj.published:
        revive_addresses(obj)  # a restored page's old addresses lead to it again
    mark_decided(change, PendingChange.Status.APPROVED, reviewer)
    return obj


# --- Scheduled changes: values kept until their time -----------------------------------------

@transaction.atomic
def schedule(user, obj, values, go_live_at):
    """Keep this change to `obj` by `user` until `go_live_at`; nothing is written now. What the
    gate would decide now decides then too: a change that needs a clinical editor waits for
    one (PENDING, with its time: approving it before its time schedules it), any other is
    SCHEDULED. Returns the kept PendingChange, or None if nothing differs from the live row.
    Refuses (ValidationError) what `decide` refuses, e.g. an address only a clinical editor
    may give."""
    decision = decide(user, obj, values)
    if not decision.live:
        change = propose(type(obj).objects.get(pk=obj.pk), values, user)
        if change is not None:
            PendingChange.objects.filter(pk=change.pk).update(go_live_at=go_live_at)
            change.go_live_at = go_live_at
        return change
    changed = {name: values[name] for name in changed_fields(obj, values)}
    if not changed:
        return None
    live = type(obj).objects.get(pk=obj.pk)
    data = as_json(changed)
    return PendingChange.objects.create(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, title=change_title(live),
        data=data, base=live_values(live, data), based_on=latest_history_id(live) if hasattr(live, "history") else None,
        author=user, status=PendingChange.Status.SCHEDULED, go_live_at=go_live_at,
    )


@dataclass(frozen=True)
class Outcome:
    """What publish_due did with one scheduled change: `done` is "published", "waits" (it
    needs a clinical editor first) or "refused" (with `problem`, naming the fields)."""

    change: PendingChange
    done: str
    problem: str = ""


def publish_due(now=None):
    """Write every scheduled change whose time has come (oldest time first), each through the
    gate and in its own transaction, so one refused change never holds back the others. Run
    by `publish_scheduled` every few minutes; running it twice publishes nothing twice.

    A change that changed fields the live row changed in since it was kept is refused, never
    overwriting them (StaleChange), and goes back to its author with a note naming them, as a
    clinical editor's "send back" does. A change a clinical editor approved is written as
    approved; any other is decided again, as its author's change, now: one that needs a
    clinical editor now (the answer moved to a clinical category meanwhile, say) joins the
    approval queue, and goes live when it is approved."""
    now = now or timezone.now()
    due = PendingChange.objects.filter(status=PendingChange.Status.SCHEDULED, go_live_at__lte=now)
    return [publish_one(pk) for pk in due.order_by("go_live_at", "pk").values_list("pk", flat=True)]


@transaction.atomic
def publish_one(pk):
    change = PendingChange.objects.select_for_update().get(pk=pk)
    if change.status != PendingChange.Status.SCHEDULED:
        return Outcome(change, "skipped")  # another run (or a cancel) got there first
    try:
        obj = change.live_object()
    except ObjectDoesNotExist:  # e.g. an opening-hours row removed since
        change.status = PendingChange.Status.PAGE_DELETED
        change.save(update_fields=["status"])
        return Outcome(change, "refused", _("it was deleted since"))
    author = change.author
    try:
        conflicts = conflicting_fields(change, obj)
        if conflicts:
            raise StaleChange([str(obj._meta.get_field(name).verbose_name) for name in conflicts])
        decision = None if change.reviewer_id else decide(author, obj, change.data)
        if decision is not None and not decision.live:
            change.status = PendingChange.Status.PENDING
            change.save(update_fields=["status"])
            return Outcome(change, "waits")
        many = apply_values(obj, change.data)
        obj.full_clean()
    except StaleChange as stale:
        problem = _("the live page changed in the same fields after this change was scheduled (%(fields)s)") % {
            "fields": ", ".join(stale.fields)}
        return refuse(change, problem)
    except ValidationError as exc:
        return refuse(change, "; ".join(exc.messages))
    who = name_of(author)
    obj._history_user = author if decision is not None else change.reviewer
    if decision is None:
        obj._change_reason = f"Approved by {name_of(change.reviewer)} (written by {who}), live at its time"
    else:
        obj._change_reason = f"Scheduled by {who}, live at its time"
    obj._change_reason = obj._change_reason[:100]
    with write(decision, obj, "scheduled") if decision is not None else gate_open("approved"):
        obj.save()
        for name, pks in many.items():
            getattr(obj, name).set(pks)
    change.status = PendingChange.Status.PUBLISHED
    change.save(update_fields=["status"])
    return Outcome(change, "published")


def refuse(change, problem):
    """A scheduled change that cannot go live goes back to its author, saying why."""
    change.status = PendingChange.Status.SENT_BACK
    change.reviewed_at = timezone.now()
    change.note = _("Not published at its time: %(problem)s. Make the change again on the current text.") % {
        "problem": problem}
    change.save(update_fields=["status", "reviewed_at", "note"])
    return Outcome(change, "refused", problem)


def cancel(change, user):
    """Withdraw a change kept for its time (or waiting with one): nothing of it is written."""
    updated = PendingChange.objects.filter(
        pk=change.pk, status__in=[PendingChange.Status.SCHEDULED, PendingChange.Status.PENDING],
    ).update(status=PendingChange.Status.CANCELLED, reviewer=user, reviewed_at=timezone.now())
    return bool(updated)


__all__ = [
    "Decision", "Outcome", "SameEditor", "StaleChange", "approve", "cancel", "check_address_is_free", "decide",
    "may_remove", "pending_for", "publish_due", "remove", "schedule", "submit", "trusted_source", "write",
    "write_draft",
]
