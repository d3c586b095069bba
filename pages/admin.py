"""Every admin page of the site, in one place: which model is edited by which admin class.

The classes live in their areas (pages.editing for the content models, pages.signoff for the
approval queue, pages.editing.staff for staff accounts); Django's autodiscovery imports this
module, so registering here keeps every admin URL and permission where staff have them."""
from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site

from .addresses.admin import ReadOnlySiteAdmin, SiteRedirectAdmin
from .editing.admin import (
    ClinicAdmin,
    ConditionAdmin,
    FaqEntryAdmin,
    ImageAdmin,
    LocationAdmin,
    NoticeAdmin,
    PendingChangeAdmin,
    ProviderAdmin,
    RedFlagListAdmin,
    ReferenceAdmin,
    TopicAdmin,
    VisitNoteAdmin,
)
from .editing.staff import StaffUserAdmin
from .feedback.admin import PageVoteAdmin, SearchMissAdmin
from .models import (
    Clinic,
    Condition,
    FaqEntry,
    Image,
    Location,
    Notice,
    PageVote,
    PendingChange,
    Provider,
    RedFlagList,
    Reference,
    SearchMiss,
    Topic,
    VisitNote,
)

admin.site.register(Topic, TopicAdmin)
admin.site.register(FaqEntry, FaqEntryAdmin)
admin.site.register(Condition, ConditionAdmin)
admin.site.register(RedFlagList, RedFlagListAdmin)
admin.site.register(VisitNote, VisitNoteAdmin)
admin.site.register(Reference, ReferenceAdmin)
admin.site.register(Clinic, ClinicAdmin)
admin.site.register(Location, LocationAdmin)
admin.site.register(Provider, ProviderAdmin)
admin.site.register(Image, ImageAdmin)
admin.site.register(Notice, NoticeAdmin)
admin.site.register(PendingChange, PendingChangeAdmin)
# What patients told the guide (issue 24): read-only reports.
admin.site.register(PageVote, PageVoteAdmin)
admin.site.register(SearchMiss, SearchMissAdmin)

# Django's user admin, with the reviewer title on the same page as the person's login.
admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)

# django.contrib.redirects' admin, refusing redirects to other sites (pages.addresses.admin).
admin.site.unregister(Redirect)
admin.site.register(Redirect, SiteRedirectAdmin)

# The site's address is SITE_URL's (pages.addresses.site): shown, not edited.
admin.site.unregister(Site)
admin.site.register(Site, ReadOnlySiteAdmin)
