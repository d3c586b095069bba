# Issue 22 (a staff review): docs/staff.md says every staff role reads the patient reports (page
# feedback, searches with no results); 0020 granted them before the Therapist group existed.

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = ["view_pagevote", "view_searchmiss", "view_feedbackcomment"]


def grant_therapists(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("pages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    permissions = list(Permission.objects.filter(content_type__app_label="pages", codename__in=PERMISSIONS))
    for group in apps.get_model("auth", "Group").objects.filter(name="Therapist"):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):

    dependencies = [
        ("pages", "0026_search_clicks"),
    ]

    operations = [
        migrations.RunPython(grant_therapists, migrations.RunPython.noop),
    ]
