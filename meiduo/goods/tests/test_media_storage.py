"""Product images on S3-compatible storage (MEDIA_STORAGE=s3), against a local S3 server (moto) on loopback."""

from collections.abc import Iterator

import pytest
import requests
from django.core.files.base import ContentFile

from meiduo.goods.tests.factories import SKUFactory
from tests.support import S3_ACCESS_KEY_ID, S3_REGION, S3_SECRET_ACCESS_KEY, loopback_s3

pytestmark = pytest.mark.django_db

BUCKET = "meiduo-media"


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    with loopback_s3(BUCKET) as endpoint:
        yield endpoint


@pytest.fixture
def s3_media(settings, s3_endpoint: str) -> str:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": S3_REGION,
                "access_key": S3_ACCESS_KEY_ID,
                "secret_key": S3_SECRET_ACCESS_KEY,
                "location": "media",
                "default_acl": "public-read",
                "querystring_auth": False,
                "file_overwrite": False,
            },
        },
    }
    return s3_endpoint


def test_sku_images_are_stored_in_the_bucket_and_served_from_it(api, s3_media: str):
    png = b"\x89PNG\r\n\x1a\n" + b"meiduo-test-image"
    sku = SKUFactory.create(is_launched=True)
    sku.default_image.save("phone.png", ContentFile(png))
    url = api.get(f"/api/v1/skus/{sku.id}/").json()["default_image_url"]
    assert url.startswith(f"{s3_media}/{BUCKET}/media/goods/phone")
    assert requests.get(url, timeout=5).content == png
