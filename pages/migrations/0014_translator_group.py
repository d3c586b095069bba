"""The Translator staff role: sees the guide's pages, answers, conditions and sources, and
changes pages, answers and conditions (translating them, and "mark translation updated").
Like the front desk's, a translator's change to clinical text waits for a clinical editor
(pages.signoff): a translator cannot approve, mark reviewed, add or delete."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

TRANSLATOR = "Translator"
TRANSLATOR_PERMISSIONS = [
    "view_topic", "change_topic",
    "view_faqentry", "change_faqentry",
    "view_condition", "change_condition",
    "view_reference",
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("pages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=TRANSLATOR)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="pages",
                                                     codename__in=TRANSLATOR_PERMISSIONS))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=TRANSLATOR).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0013_provider_translations"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
