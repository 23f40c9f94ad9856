"""`manage.py staff_create USERNAME --role 运营|客服|仓库`: a staff account with one role (password asked for,
or read from the environment variable STAFF_PASSWORD for scripts)."""

import getpass
import os
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from meiduo.operations.roles import Role
from meiduo.operations.services import staff_create

ROLE_NAMES = {"operations": Role.OPERATIONS, "service": Role.SERVICE, "warehouse": Role.WAREHOUSE}


class Command(BaseCommand):
    """Create one staff account with one role."""

    help = "Create a staff account with a role: 运营 (operations), 客服 (service) or 仓库 (warehouse)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            required=True,
            choices=[*Role.values, *ROLE_NAMES],
            help="运营/operations, 客服/service, 仓库/warehouse",
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--mobile", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        role = ROLE_NAMES.get(options["role"]) or Role(options["role"])
        password = os.environ.get("STAFF_PASSWORD") or self._ask_password()
        try:
            user = staff_create(
                username=options["username"],
                password=password,
                role=role,
                email=options["email"],
                mobile=options["mobile"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except IntegrityError as error:
            raise CommandError(f"{options['username']} (or that mobile) is taken.") from error
        self.stdout.write(self.style.SUCCESS(f"Staff account {user.username} created with the role {role.value}."))

    @staticmethod
    def _ask_password() -> str:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords differ.")
        return password
