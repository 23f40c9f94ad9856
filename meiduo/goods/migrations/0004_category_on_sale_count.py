"""Each category's count of on-sale SKUs, kept by database triggers on tb_sku (meiduo/goods/triggers.py).

A list page reads its `count` with the category instead of counting up to
~30,000 index entries at 1M SKUs. The triggers are installed (and the counts
computed) here, and again after any later migration that rebuilds tb_sku.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from meiduo.goods.triggers import on_sale_count_install


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    on_sale_count_install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("goods", "0003_sku_list_partial_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="goodscategory",
            name="on_sale_skus",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="on-sale SKUs"),
        ),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
