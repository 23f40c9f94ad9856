"""The staff roles: Django groups (created by migration 0001_staff_roles) whose model permissions the admin checks.

运营 runs the catalog and content, 客服 orders, messages and refunds, 仓库 shipping and stock; the table of what each
may open and do is in docs/operations.md ("Staff roles").
"""

from django.db import models


class Role(models.TextChoices):
    """A staff role, by its group's name."""

    OPERATIONS = "运营", "运营"
    SERVICE = "客服", "客服"
    WAREHOUSE = "仓库", "仓库"
