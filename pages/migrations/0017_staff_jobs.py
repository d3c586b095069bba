"""Issue 22: the Therapist staff role, translators' "Make a Spanish draft", and each staff
member's admin language.

- Therapist: the link builder (any staff member may open it) and the guide's pages, answers,
  conditions and sources to read, view only: a therapist changes nothing in the admin.
- `pages.translate_topic` (on Topic, for every translatable page, as review_topic is): may make
  a Spanish draft. Given to translators, who may not add pages otherwise, and clinical editors.
- StaffProfile.language: the language the admin is shown in for that person.
"""
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

THERAPIST = "Therapist"
THERAPIST_PERMISSIONS = ["view_topic", "view_faqentry", "view_condition", "view_reference"]
TRANSLATE = "translate_topic"
MAY_TRANSLATE = ["Translator", "Clinical editor"]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    app_config = apps.get_app_config("pages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    pages = Permission.objects.filter(content_type__app_label="pages")
    therapist, _ = Group.objects.get_or_create(name=THERAPIST)
    therapist.permissions.add(*pages.filter(codename__in=THERAPIST_PERMISSIONS))
    translate = pages.get(codename=TRANSLATE)
    for group in Group.objects.filter(name__in=MAY_TRANSLATE):
        group.permissions.add(translate)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=THERAPIST).delete()
    apps.get_model("auth", "Permission").objects.filter(content_type__app_label="pages", codename=TRANSLATE).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('pages', '0014_translator_group'),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='topic',
            options={'ordering': ['menu_order', 'title'], 'permissions': [('review_topic', 'Can mark a topic page clinically reviewed'), ('translate_topic', 'Can make a Spanish draft of a page, answer or condition')], 'verbose_name': 'topic page', 'verbose_name_plural': 'topic pages'},
        ),
        migrations.AddField(
            model_name='staffprofile',
            name='language',
            field=models.CharField(blank=True, choices=[('en', 'English'), ('es', 'Spanish')], help_text='The language this person sees the admin in. Leave it empty for English. The pages patients read are not affected.', max_length=10, verbose_name='admin language'),
        ),
        migrations.AlterField(
            model_name='staffprofile',
            name='reviewer_title',
            field=models.CharField(blank=True, help_text="How this person signs a clinical review, e.g. Physical therapist, DPT. Pages they mark reviewed say 'Reviewed by' with their name and this title.", max_length=150, verbose_name='reviewer title'),
        ),
        migrations.RunPython(create_groups, remove_groups),
    ]
