"""Resized copies move to media/renditions/ (security finding 6): make them there for the
pictures already uploaded, so their pages' srcset keeps working after the upgrade. The old
copies next to the uploads are left alone (they may be in use by cached pages for a while)."""
from django.db import migrations


def make_renditions_in_new_folder(apps, schema_editor):
    from pages.pictures.images import make_renditions

    Image = apps.get_model("pages", "Image")
    for image in Image.objects.exclude(file="").only("file", "width"):
        try:
            make_renditions(image.file.name, image.width)
        except OSError:
            # A picture whose file is missing or unreadable: its page shows the original
            # (or nothing) as before; the upgrade must not stop for it.
            continue


class Migration(migrations.Migration):
    dependencies = [("pages", "0008_reading_lists")]

    operations = [migrations.RunPython(make_renditions_in_new_folder, migrations.RunPython.noop)]
