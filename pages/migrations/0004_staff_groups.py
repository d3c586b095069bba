"""The two staff roles, so no one has to click permissions together by hand."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

FRONT_DESK = "Front desk"
CLINICAL_EDITOR = "Clinical editor"

# Front desk: FAQ answers, clinic details and locations; nothing clinical.
FRONT_DESK_PERMISSIONS = {
    "pages": {
        "faqentry": ["view", "add", "change"],
        "clinic": ["view", "change"],
        "location": ["view", "add", "change"],
        "openinghours": ["view", "add", "change", "delete"],
    },
}
# Clinical editor: every page of the guide, its sources, redirects, and clinical review.
CLINICAL_EDITOR_PERMISSIONS = {
    "pages": {
        model: ["view", "add", "change", "delete"]
        for model in ["topic", "faqentry", "condition", "reference", "clinic", "location", "openinghours", "provider"]
    },
    "redirects": {"redirect": ["view", "add", "change", "delete"]},
}
EXTRA = {CLINICAL_EDITOR: [("pages", "review_topic")]}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, spec in [(FRONT_DESK, FRONT_DESK_PERMISSIONS), (CLINICAL_EDITOR, CLINICAL_EDITOR_PERMISSIONS)]:
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [
            (app_label, f"{action}_{model}")
            for app_label, models in spec.items()
            for model, actions in models.items()
            for action in actions
        ] + EXTRA.get(name, [])
        for app_label, codename in wanted:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[FRONT_DESK, CLINICAL_EDITOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0003_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
