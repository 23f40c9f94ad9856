"""The warehouse (仓库) sees the stock ledger and changes stock; operations (运营) sees the ledger."""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

GRANTS = {
    "仓库": ["view_stockledgerentry", "change_stock"],
    "运营": ["view_stockledgerentry"],
}


def grant(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    stock = apps.get_app_config("stock")
    stock.models_module = True
    create_permissions(stock, apps=apps, verbosity=0)
    stock.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        permissions = permission_model.objects.filter(content_type__app_label="stock", codename__in=codenames)
        if permissions.count() != len(codenames):
            raise LookupError(f"missing stock permissions {codenames}")
        group_model.objects.get_or_create(name=name)[0].permissions.add(*permissions)


def revoke(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    permission_model = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=list(GRANTS)):
        group.permissions.remove(*permission_model.objects.filter(content_type__app_label="stock"))


class Migration(migrations.Migration):
    dependencies = [("operations", "0001_staff_roles"), ("stock", "0001_stock_ledger")]

    operations = [migrations.RunPython(grant, revoke)]
