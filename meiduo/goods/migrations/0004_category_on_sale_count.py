"""Each category's count of on-sale SKUs, kept by database triggers on tb_sku.

Every insert or delete of an on-sale SKU, and every change of an SKU's on-sale
state or category, adjusts the count in the same transaction, whatever wrote
it (services, the admin, bulk loads, raw SQL). A list page then reads its
`count` with the category instead of counting up to ~30,000 index entries at
1M SKUs. The existing counts are computed once here.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE = [
    """CREATE TRIGGER tb_sku_on_sale_insert AFTER INSERT ON tb_sku WHEN NEW.is_launched
    BEGIN UPDATE tb_goods_category SET on_sale_skus = on_sale_skus + 1 WHERE id = NEW.category_id; END""",
    """CREATE TRIGGER tb_sku_on_sale_delete AFTER DELETE ON tb_sku WHEN OLD.is_launched
    BEGIN UPDATE tb_goods_category SET on_sale_skus = on_sale_skus - 1 WHERE id = OLD.category_id; END""",
    """CREATE TRIGGER tb_sku_on_sale_update AFTER UPDATE OF is_launched, category_id ON tb_sku
    WHEN OLD.is_launched IS NOT NEW.is_launched OR OLD.category_id IS NOT NEW.category_id
    BEGIN
        UPDATE tb_goods_category SET on_sale_skus = on_sale_skus - 1 WHERE id = OLD.category_id AND OLD.is_launched;
        UPDATE tb_goods_category SET on_sale_skus = on_sale_skus + 1 WHERE id = NEW.category_id AND NEW.is_launched;
    END""",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS tb_sku_on_sale_{event}" for event in ("insert", "delete", "update")]

POSTGRESQL = [
    """CREATE FUNCTION tb_sku_on_sale_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.is_launched THEN
            UPDATE tb_goods_category SET on_sale_skus = on_sale_skus - 1 WHERE id = OLD.category_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.is_launched THEN
            UPDATE tb_goods_category SET on_sale_skus = on_sale_skus + 1 WHERE id = NEW.category_id;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER tb_sku_on_sale_insert_delete AFTER INSERT OR DELETE ON tb_sku
    FOR EACH ROW EXECUTE FUNCTION tb_sku_on_sale_count()""",
    """CREATE TRIGGER tb_sku_on_sale_update AFTER UPDATE OF is_launched, category_id ON tb_sku FOR EACH ROW
    WHEN (OLD.is_launched IS DISTINCT FROM NEW.is_launched OR OLD.category_id IS DISTINCT FROM NEW.category_id)
    EXECUTE FUNCTION tb_sku_on_sale_count()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS tb_sku_on_sale_update ON tb_sku",
    "DROP TRIGGER IF EXISTS tb_sku_on_sale_insert_delete ON tb_sku",
    "DROP FUNCTION IF EXISTS tb_sku_on_sale_count()",
]

COUNT_NOW = """UPDATE tb_goods_category SET on_sale_skus = (
    SELECT COUNT(*) FROM tb_sku WHERE tb_sku.category_id = tb_goods_category.id AND tb_sku.is_launched)"""


def _statements(vendor: str, *, drop: bool) -> list[str]:
    statements = {"sqlite": (SQLITE, SQLITE_DROP), "postgresql": (POSTGRESQL, POSTGRESQL_DROP)}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"no on-sale count triggers written for {vendor} yet")
    return statements[1] if drop else [*statements[0], COUNT_NOW]


def create_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in _statements(schema_editor.connection.vendor, drop=False):
        schema_editor.execute(statement, params=None)


def drop_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in _statements(schema_editor.connection.vendor, drop=True):
        schema_editor.execute(statement, params=None)


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
        migrations.RunPython(create_triggers, drop_triggers),
    ]
