"""The one red-flag list (content/red-flags.md), a row per language, with its history; who may
edit it: a clinical editor, and a translator (whose change waits for a clinical editor's sign-off,
pages.signoff); the front desk and therapists may read it."""
import django.db.models.deletion
import pages.models.redflags
import simple_history.models
import uuid
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUP_PERMISSIONS = {
    "Clinical editor": ["view_redflaglist", "add_redflaglist", "change_redflaglist"],
    "Translator": ["view_redflaglist", "change_redflaglist"],
    "Front desk": ["view_redflaglist"],
    "Therapist": ["view_redflaglist"],  # reads the guide, changes nothing (0017_staff_jobs)
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    app_config = apps.get_app_config("pages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS):
        group.permissions.add(*Permission.objects.filter(content_type__app_label="pages",
                                                         codename__in=GROUP_PERMISSIONS[group.name]))


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ('pages', '0020_feedback'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalRedFlagList',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('language', models.CharField(choices=[('en', 'English'), ('es', 'Spanish')], db_index=True, default='en', max_length=10, verbose_name='language')),
                ('translation_key', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Shared by a page and its translations.', verbose_name='translation key')),
                ('last_reviewed', models.DateField(verbose_name='last reviewed')),
                ('reviewed_by', models.CharField(help_text="The reviewer's role, e.g. Physical therapist, DPT.", max_length=200, verbose_name='reviewed by')),
                ('slug', models.SlugField(default='red-flags', max_length=100, verbose_name='slug')),
                ('emergency_heading', models.CharField(max_length=200, verbose_name='emergency heading')),
                ('emergency_signs', models.TextField(help_text="One sign a line, as patients read it. After a '|', the body areas it matters most for, separated by commas (e.g. neck, upper-back); nothing after the sign: every area.", validators=[pages.models.redflags.validate_signs], verbose_name='signs that need 911')),
                ('emergency_action', models.CharField(max_length=300, verbose_name='what to do for them')),
                ('when_signs_start', models.TextField(verbose_name='when the signs can start')),
                ('clinic_heading', models.CharField(max_length=200, verbose_name='clinic heading')),
                ('clinic_signs', models.TextField(help_text="One sign a line, as patients read it. After a '|', the body areas it matters most for, separated by commas (e.g. neck, upper-back); nothing after the sign: every area.", validators=[pages.models.redflags.validate_signs], verbose_name='signs to call the clinic for')),
                ('clinic_closed', models.TextField(verbose_name='when the clinic is closed')),
                ('emergency_department', models.TextField(verbose_name='when to go to the emergency department')),
                ('note', models.TextField(blank=True, help_text='For staff; patients do not see it.', verbose_name='staff note')),
                ('published', models.BooleanField(default=True, verbose_name='published')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('source_revision', models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='The revision of the English page this translation was made from.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pages.historicalredflaglist', verbose_name='translated from revision')),
            ],
            options={
                'verbose_name': 'historical red-flag list',
                'verbose_name_plural': 'historical red-flag lists',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='RedFlagList',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(choices=[('en', 'English'), ('es', 'Spanish')], db_index=True, default='en', max_length=10, verbose_name='language')),
                ('translation_key', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Shared by a page and its translations.', verbose_name='translation key')),
                ('last_reviewed', models.DateField(verbose_name='last reviewed')),
                ('reviewed_by', models.CharField(help_text="The reviewer's role, e.g. Physical therapist, DPT.", max_length=200, verbose_name='reviewed by')),
                ('slug', models.SlugField(default='red-flags', max_length=100, verbose_name='slug')),
                ('emergency_heading', models.CharField(max_length=200, verbose_name='emergency heading')),
                ('emergency_signs', models.TextField(help_text="One sign a line, as patients read it. After a '|', the body areas it matters most for, separated by commas (e.g. neck, upper-back); nothing after the sign: every area.", validators=[pages.models.redflags.validate_signs], verbose_name='signs that need 911')),
                ('emergency_action', models.CharField(max_length=300, verbose_name='what to do for them')),
                ('when_signs_start', models.TextField(verbose_name='when the signs can start')),
                ('clinic_heading', models.CharField(max_length=200, verbose_name='clinic heading')),
                ('clinic_signs', models.TextField(help_text="One sign a line, as patients read it. After a '|', the body areas it matters most for, separated by commas (e.g. neck, upper-back); nothing after the sign: every area.", validators=[pages.models.redflags.validate_signs], verbose_name='signs to call the clinic for')),
                ('clinic_closed', models.TextField(verbose_name='when the clinic is closed')),
                ('emergency_department', models.TextField(verbose_name='when to go to the emergency department')),
                ('note', models.TextField(blank=True, help_text='For staff; patients do not see it.', verbose_name='staff note')),
                ('published', models.BooleanField(default=True, verbose_name='published')),
                ('references', models.ManyToManyField(blank=True, related_name='red_flag_lists', to='pages.reference', verbose_name='references')),
                ('source_revision', models.ForeignKey(blank=True, editable=False, help_text='The revision of the English page this translation was made from.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='pages.historicalredflaglist', verbose_name='translated from revision')),
            ],
            options={
                'verbose_name': 'red-flag list',
                'verbose_name_plural': 'red-flag lists',
                'ordering': ['language', 'slug'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalRedFlagList_references',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='pages.historicalredflaglist')),
                ('reference', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pages.reference')),
                ('redflaglist', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pages.redflaglist')),
            ],
            options={
                'verbose_name': 'HistoricalRedFlagList_references',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddConstraint(
            model_name='redflaglist',
            constraint=models.UniqueConstraint(fields=('language', 'slug'), name='unique_redflaglist_slug_per_language'),
        ),
        migrations.AddConstraint(
            model_name='redflaglist',
            constraint=models.UniqueConstraint(fields=('translation_key', 'language'), name='one_redflaglist_per_language'),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
