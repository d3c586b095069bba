"""The visit sheet's per-area after-care notes (content/visit-notes/), a row per language, with
their history; who may edit them: a clinical editor; front desk and translators too, whose change
waits for a clinical editor's sign-off (pages.signoff); therapists may read them."""
import django.db.models.deletion
import simple_history.models
import uuid
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUP_PERMISSIONS = {
    "Clinical editor": ["view_visitnote", "add_visitnote", "change_visitnote"],
    "Translator": ["view_visitnote", "change_visitnote"],
    "Front desk": ["view_visitnote", "change_visitnote"],
    "Therapist": ["view_visitnote"],  # reads the guide, changes nothing (0017_staff_jobs)
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
        ('pages', '0023_email_updates'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalVisitNote',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('language', models.CharField(choices=[('en', 'English'), ('es', 'Spanish')], db_index=True, default='en', max_length=10, verbose_name='language')),
                ('translation_key', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Shared by a page and its translations.', verbose_name='translation key')),
                ('last_reviewed', models.DateField(verbose_name='last reviewed')),
                ('reviewed_by', models.CharField(help_text="The reviewer's role, e.g. Physical therapist, DPT.", max_length=200, verbose_name='reviewed by')),
                ('slug', models.SlugField(max_length=100, verbose_name='slug')),
                ('area', models.CharField(choices=[('head', 'Head'), ('jaw', 'Jaw'), ('neck', 'Neck'), ('shoulder', 'Shoulder'), ('upper-back', 'Upper back and shoulder blade'), ('chest', 'Chest wall'), ('arm', 'Arm, elbow and wrist'), ('low-back', 'Low back'), ('buttock', 'Buttock'), ('hip', 'Hip'), ('leg', 'Leg'), ('foot', 'Foot'), ('electric-current', 'Electric current used')], max_length=20, verbose_name='areas treated')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('text', models.TextField(help_text='Two to four short sentences, as patients read them. No warning signs: they stay in the red-flag list.', verbose_name='text')),
                ('published', models.BooleanField(default=True, verbose_name='published')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('source_revision', models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='The revision of the English page this translation was made from.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pages.historicalvisitnote', verbose_name='translated from revision')),
            ],
            options={
                'verbose_name': 'historical visit-sheet note',
                'verbose_name_plural': 'historical visit-sheet notes',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='VisitNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(choices=[('en', 'English'), ('es', 'Spanish')], db_index=True, default='en', max_length=10, verbose_name='language')),
                ('translation_key', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Shared by a page and its translations.', verbose_name='translation key')),
                ('last_reviewed', models.DateField(verbose_name='last reviewed')),
                ('reviewed_by', models.CharField(help_text="The reviewer's role, e.g. Physical therapist, DPT.", max_length=200, verbose_name='reviewed by')),
                ('slug', models.SlugField(max_length=100, verbose_name='slug')),
                ('area', models.CharField(choices=[('head', 'Head'), ('jaw', 'Jaw'), ('neck', 'Neck'), ('shoulder', 'Shoulder'), ('upper-back', 'Upper back and shoulder blade'), ('chest', 'Chest wall'), ('arm', 'Arm, elbow and wrist'), ('low-back', 'Low back'), ('buttock', 'Buttock'), ('hip', 'Hip'), ('leg', 'Leg'), ('foot', 'Foot'), ('electric-current', 'Electric current used')], max_length=20, verbose_name='areas treated')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('text', models.TextField(help_text='Two to four short sentences, as patients read them. No warning signs: they stay in the red-flag list.', verbose_name='text')),
                ('published', models.BooleanField(default=True, verbose_name='published')),
                ('references', models.ManyToManyField(blank=True, related_name='visit_notes', to='pages.reference', verbose_name='references')),
                ('source_revision', models.ForeignKey(blank=True, editable=False, help_text='The revision of the English page this translation was made from.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='pages.historicalvisitnote', verbose_name='translated from revision')),
            ],
            options={
                'verbose_name': 'visit-sheet note',
                'verbose_name_plural': 'visit-sheet notes',
                'ordering': ['language', 'slug'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalVisitNote_references',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='pages.historicalvisitnote')),
                ('reference', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pages.reference')),
                ('visitnote', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pages.visitnote')),
            ],
            options={
                'verbose_name': 'HistoricalVisitNote_references',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddConstraint(
            model_name='visitnote',
            constraint=models.UniqueConstraint(fields=('language', 'slug'), name='unique_visitnote_slug_per_language'),
        ),
        migrations.AddConstraint(
            model_name='visitnote',
            constraint=models.UniqueConstraint(fields=('translation_key', 'language'), name='one_visitnote_per_language'),
        ),
        migrations.AddConstraint(
            model_name='visitnote',
            constraint=models.UniqueConstraint(fields=('language', 'area'), name='one_visitnote_per_area_per_language'),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
