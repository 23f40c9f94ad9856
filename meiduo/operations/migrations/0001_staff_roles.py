"""The staff roles 运营, 客服 and 仓库 as groups with model permissions (the list is frozen here, as a migration's
data must be; meiduo/operations/roles.py describes them)."""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

ORDERS_SEEN = ["orders.view_orderinfo", "orders.view_ordergoods"]
ROLES = {
    "运营": ["goods.*", *ORDERS_SEEN],
    "客服": [
        *ORDERS_SEEN,
        "orders.cancel_orderinfo",
        "payments.view_payment",
        "payments.view_refund",
        "payments.change_refund",
        "users.view_user",
        "addresses.view_address",
    ],
    "仓库": [*ORDERS_SEEN, "orders.ship_orderinfo", "goods.view_sku"],
}


def roles_create(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # Permissions are made after migrating (post_migrate); a fresh database needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, permissions in ROLES.items():
        group, _created = group_model.objects.get_or_create(name=name)
        for permission in permissions:
            app_label, codename = permission.split(".")
            found = permission_model.objects.filter(content_type__app_label=app_label)
            if codename != "*":
                found = found.filter(codename=codename)
            if not found.exists():
                raise LookupError(f"no permission {permission}")
            group.permissions.add(*found)


def roles_delete(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("goods", "0006_floor_brands"),
        ("orders", "0003_staff_permissions"),
        ("payments", "0003_demo_gateway_books_to_demo_app"),
        ("users", "0005_activation_pending"),
        ("addresses", "0001_initial"),
    ]

    operations = [migrations.RunPython(roles_create, roles_delete)]
