"""Clinical sign-off: the waiting-edit table, and the Clinical editor group may approve edits
and add and change pictures (front desk may do neither); staff profiles with a reviewer title."""

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

CLINICAL_EDITOR = "Clinical editor"
GRANTED = ["approve_pendingchange", "view_image", "add_image", "change_image"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("pages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name=CLINICAL_EDITOR).first()
    if group:
        Permission = apps.get_model("auth", "Permission")
        group.permissions.add(*Permission.objects.filter(content_type__app_label="pages", codename__in=GRANTED))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=CLINICAL_EDITOR).first()
    if group:
        Permission = apps.get_model("auth", "Permission")
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="pages", codename__in=GRANTED))


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('pages', '0010_red_flag_box'),
        ('auth', '0012_alter_user_first_name_max_length'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='StaffProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reviewer_title', models.CharField(blank=True, help_text="How this person signs a clinical review, e.g. Physical therapist, DPT. Pages they mark reviewed say 'Reviewed by <name>, <title>'.", max_length=150, verbose_name='reviewer title')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='staff_profile', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'staff profile',
                'verbose_name_plural': 'staff profiles',
            },
        ),
        migrations.CreateModel(
            name='PendingChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField(verbose_name='row')),
                ('title', models.CharField(help_text="The page's title when the edit was made.", max_length=300, verbose_name='page')),
                ('data', models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder, verbose_name='proposed values')),
                ('based_on', models.PositiveBigIntegerField(blank=True, help_text='The history record of the live row the author started from.', null=True, verbose_name='based on revision')),
                ('is_new', models.BooleanField(default=False, verbose_name='new page')),
                ('created', models.DateTimeField(auto_now_add=True, verbose_name='when')),
                ('status', models.CharField(choices=[('pending', 'waiting for approval'), ('approved', 'approved'), ('sent_back', 'sent back'), ('replaced', 'replaced by a newer edit'), ('page_deleted', 'the page was deleted')], default='pending', max_length=20, verbose_name='status')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed')),
                ('note', models.TextField(blank=True, verbose_name='note for the author')),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='changed by')),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype', verbose_name='kind')),
                ('reviewer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewer')),
            ],
            options={
                'verbose_name': 'change waiting for approval',
                'verbose_name_plural': 'changes waiting for approval',
                'ordering': ['created'],
                'permissions': [('approve_pendingchange', 'Can approve changes to clinical content')],
                'indexes': [models.Index(fields=['content_type', 'object_id', 'status'], name='pages_pendi_content_d936cb_idx')],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
