"""Fixtures of the customer message tests: shoppers, an operator, and real files of each kind."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from PIL import Image
from rest_framework.test import APIClient

from meiduo.users.models import User

# A minimal but complete PDF (header, one empty page, cross-reference table, trailer).
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    """A real picture in that format."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def client_of(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def shopper(db: None) -> User:
    return User.objects.create_user(username="shopper", password="password123", mobile="13900000001")


@pytest.fixture
def stranger(db: None) -> User:
    return User.objects.create_user(username="stranger", password="password123", mobile="13900000002")


@pytest.fixture
def shopper_api(shopper: User) -> APIClient:
    return client_of(shopper)


@pytest.fixture
def stranger_api(stranger: User) -> APIClient:
    return client_of(stranger)


@pytest.fixture
def operator_client(db: None) -> Client:
    """Staff allowed to view and change customer messages (not a superuser)."""
    operator = User.objects.create_user(
        username="operator", password="operator-pass-123", mobile="13900000009", is_staff=True
    )
    operator.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="feedback", codename__in=["view_message", "change_message"])
    )
    client = Client()
    client.login(username="operator", password="operator-pass-123")
    return client


@pytest.fixture(autouse=True)
def _own_media_folder(settings: object, tmp_path: object) -> None:
    """Each test stores files in a media folder of its own (tests count the files left behind)."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined, operator]
