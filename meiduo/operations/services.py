"""Writes of operations: staff accounts with a role."""

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from meiduo.operations.roles import Role
from meiduo.users.models import User


@transaction.atomic
def staff_create(*, username: str, password: str, role: Role, email: str = "", mobile: str | None = None) -> User:
    """A staff account (admin sign-in, no superuser powers) in the group of `role`.

    ValidationError (nothing created) when the password is too weak; IntegrityError when the username or mobile
    is taken.
    """
    user = User(username=username, email=email, mobile=mobile or None, is_staff=True)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=role.value))
    return user
