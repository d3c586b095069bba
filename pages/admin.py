from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from markdownx.admin import MarkdownxModelAdmin

from .models import Clinic, Condition, FaqEntry, Location, OpeningHours, Provider, Reference, Topic


@admin.register(Topic)
class TopicAdmin(MarkdownxModelAdmin):
    list_display = ["title", "slug", "menu_order", "published", "last_reviewed", "reviewed_by"]
    list_editable = ["menu_order"]
    list_filter = ["published", "last_reviewed"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["references"]
    date_hierarchy = "last_reviewed"
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        (_("Publishing"), {"fields": ["published", "menu_order"]}),
        (_("Clinical review"), {"fields": ["last_reviewed", "reviewed_by", "references"]}),
    ]


@admin.register(FaqEntry)
class FaqEntryAdmin(MarkdownxModelAdmin):
    list_display = ["question", "category", "order", "published", "topic"]
    list_editable = ["order"]
    list_filter = ["category", "published", "topic"]
    search_fields = ["question", "answer"]
    prepopulated_fields = {"slug": ["question"]}
    autocomplete_fields = ["topic"]


@admin.register(Condition)
class ConditionAdmin(MarkdownxModelAdmin):
    list_display = ["name", "body_region", "published"]
    list_filter = ["body_region", "published"]
    search_fields = ["name", "summary", "text"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["topics"]


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["key", "authors", "year", "title", "publisher"]
    list_filter = ["year"]
    search_fields = ["key", "authors", "title", "publisher", "doi"]
    prepopulated_fields = {"key": ["authors", "year"]}


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class LocationInline(admin.StackedInline):
    model = Location
    extra = 0
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True


@admin.register(Clinic)
class ClinicAdmin(MarkdownxModelAdmin):
    list_display = ["name", "phone", "email", "example_data"]
    inlines = [LocationInline]

    def has_add_permission(self, request):
        # The site shows one clinic; a second row would never appear anywhere.
        return super().has_add_permission(request) and not Clinic.objects.exists()


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "street_address", "city", "phone", "order"]
    list_editable = ["order"]
    search_fields = ["name", "street_address", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline]


@admin.register(Provider)
class ProviderAdmin(MarkdownxModelAdmin):
    list_display = ["name", "credentials", "role", "order", "published"]
    list_editable = ["order"]
    list_filter = ["published", "locations"]
    search_fields = ["name", "credentials", "role", "training"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["locations"]
