"""The publishing gate (pages.signoff.gate):

- a waiting edit keeps the live value each field had when its author changed it (`base`), so
  approving writes only what the author changed and never undoes a change made meanwhile;
- every English page gets its stable key, uuid5(namespace, "<model>:<slug>"), the key
  load_content gives a page loaded from the file named <slug>; its translations and its history
  get the same key. The code then finds the pages it names (the 911 answer, the home page's
  questions, the cost page) by key, never by a slug someone else could take.
"""
import uuid

import django.core.serializers.json
from django.db import migrations, models

# The same namespace as pages.models.base.STABLE_KEY_NAMESPACE (a migration must not import
# the app's code, which changes; this value never does).
STABLE_KEY_NAMESPACE = uuid.UUID("5f0c8a7e-3d2b-4c1a-9e6f-2a7b8c9d0e1f")
MODELS = ("topic", "faqentry", "condition")


def give_stable_keys(apps, schema_editor):
    for model_name in MODELS:
        model = apps.get_model("pages", model_name)
        history = apps.get_model("pages", f"historical{model_name}")
        for row in model.objects.filter(language="en"):
            new = uuid.uuid5(STABLE_KEY_NAMESPACE, f"{model_name}:{row.slug}")
            if row.translation_key == new:
                continue
            old = row.translation_key
            model.objects.filter(translation_key=old).update(translation_key=new)
            history.objects.filter(translation_key=old).update(translation_key=new)


class Migration(migrations.Migration):

    dependencies = [
        ('pages', '0017_staff_jobs'),
    ]

    operations = [
        migrations.AddField(
            model_name='pendingchange',
            name='base',
            field=models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder, help_text='For each field the edit changes, the live value when the author first changed it.', verbose_name='live values it started from'),
        ),
        migrations.RunPython(give_stable_keys, migrations.RunPython.noop),
    ]
