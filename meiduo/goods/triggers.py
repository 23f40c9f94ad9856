"""The database triggers that keep each category's count of on-sale SKUs (GoodsCategory.on_sale_skus).

Every insert or delete of an on-sale SKU, and every change of an SKU's on-sale
state or category, adjusts the count in the same transaction, whatever wrote
it (services, the admin, bulk loads, raw SQL). SQLite drops a table's
triggers when a migration rebuilds the table (as adding a column to tb_sku
does), so they are installed again after every `migrate` (GoodsConfig), and
the counts recomputed whenever one was missing.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

SQLITE = {
    "tb_sku_on_sale_insert": """CREATE TRIGGER IF NOT EXISTS tb_sku_on_sale_insert AFTER INSERT ON tb_sku
    WHEN NEW.is_launched
    BEGIN UPDATE tb_goods_category SET on_sale_skus = on_sale_skus + 1 WHERE id = NEW.category_id; END""",
    "tb_sku_on_sale_delete": """CREATE TRIGGER IF NOT EXISTS tb_sku_on_sale_delete AFTER DELETE ON tb_sku
    WHEN OLD.is_launched
    BEGIN UPDATE tb_goods_category SET on_sale_skus = on_sale_skus - 1 WHERE id = OLD.category_id; END""",
    "tb_sku_on_sale_update": """CREATE TRIGGER IF NOT EXISTS tb_sku_on_sale_update
    AFTER UPDATE OF is_launched, category_id ON tb_sku
    WHEN OLD.is_launched IS NOT NEW.is_launched OR OLD.category_id IS NOT NEW.category_id
    BEGIN
        UPDATE tb_goods_category SET on_sale_skus = on_sale_skus - 1 WHERE id = OLD.category_id AND OLD.is_launched;
        UPDATE tb_goods_category SET on_sale_skus = on_sale_skus + 1 WHERE id = NEW.category_id AND NEW.is_launched;
    END""",
}

POSTGRESQL_FUNCTION = """CREATE OR REPLACE FUNCTION tb_sku_on_sale_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.is_launched THEN
        UPDATE tb_goods_category SET on_sale_skus = on_sale_skus - 1 WHERE id = OLD.category_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.is_launched THEN
        UPDATE tb_goods_category SET on_sale_skus = on_sale_skus + 1 WHERE id = NEW.category_id;
    END IF;
    RETURN NULL;
END $$"""
POSTGRESQL = {
    "tb_sku_on_sale_insert_delete": """CREATE OR REPLACE TRIGGER tb_sku_on_sale_insert_delete
    AFTER INSERT OR DELETE ON tb_sku FOR EACH ROW EXECUTE FUNCTION tb_sku_on_sale_count()""",
    "tb_sku_on_sale_update": """CREATE OR REPLACE TRIGGER tb_sku_on_sale_update
    AFTER UPDATE OF is_launched, category_id ON tb_sku FOR EACH ROW
    WHEN (OLD.is_launched IS DISTINCT FROM NEW.is_launched OR OLD.category_id IS DISTINCT FROM NEW.category_id)
    EXECUTE FUNCTION tb_sku_on_sale_count()""",
}

# MySQL / MariaDB: one trigger per event (no "UPDATE OF", no WHEN: the update trigger tests its own condition, so
# the UPDATEs of stock and sales, the hot path of every order, change no category); installed after dropping
# leftovers, as MySQL has no CREATE OR REPLACE TRIGGER (only MariaDB has).
MYSQL = {
    "tb_sku_on_sale_insert": """CREATE TRIGGER tb_sku_on_sale_insert AFTER INSERT ON tb_sku FOR EACH ROW
    UPDATE tb_goods_category SET on_sale_skus = on_sale_skus + 1 WHERE id = NEW.category_id AND NEW.is_launched""",
    "tb_sku_on_sale_delete": """CREATE TRIGGER tb_sku_on_sale_delete AFTER DELETE ON tb_sku FOR EACH ROW
    UPDATE tb_goods_category SET on_sale_skus = on_sale_skus - 1 WHERE id = OLD.category_id AND OLD.is_launched""",
    "tb_sku_on_sale_update": """CREATE TRIGGER tb_sku_on_sale_update AFTER UPDATE ON tb_sku FOR EACH ROW
    BEGIN
        IF NOT (OLD.is_launched <=> NEW.is_launched AND OLD.category_id <=> NEW.category_id) THEN
            UPDATE tb_goods_category SET on_sale_skus = on_sale_skus - 1
                WHERE id = OLD.category_id AND OLD.is_launched;
            UPDATE tb_goods_category SET on_sale_skus = on_sale_skus + 1
                WHERE id = NEW.category_id AND NEW.is_launched;
        END IF;
    END""",
}

RECOUNT = """UPDATE tb_goods_category SET on_sale_skus = (
    SELECT COUNT(*) FROM tb_sku WHERE tb_sku.category_id = tb_goods_category.id AND tb_sku.is_launched)"""


def _existing(connection: BaseDatabaseWrapper, names: list[str]) -> set[str]:
    marks = ", ".join(["%s"] * len(names))
    if connection.vendor == "sqlite":
        sql = f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})"  # noqa: S608
    elif connection.vendor == "mysql":
        sql = (
            "SELECT trigger_name FROM information_schema.triggers"  # noqa: S608
            f" WHERE trigger_schema = DATABASE() AND trigger_name IN ({marks})"
        )
    else:
        sql = f"SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname IN ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, names)
        return {row[0] for row in cursor.fetchall()}


def on_sale_count_install(connection: BaseDatabaseWrapper) -> bool:
    """Install the triggers where missing, recounting every category then; whether anything was installed."""
    if connection.vendor == "sqlite":
        statements, setup = SQLITE, []
    elif connection.vendor == "postgresql":
        statements, setup = POSTGRESQL, [POSTGRESQL_FUNCTION]
    elif connection.vendor == "mysql":
        statements, setup = MYSQL, [f"DROP TRIGGER IF EXISTS {name}" for name in MYSQL]
    else:
        raise NotImplementedError(f"no on-sale count triggers written for {connection.vendor} yet")
    if _existing(connection, list(statements)) == set(statements):
        return False
    with connection.cursor() as cursor:
        for statement in [*setup, *statements.values(), RECOUNT]:
            cursor.execute(statement)
    return True
