"""Product images on S3-compatible storage (MEDIA_STORAGE=s3), against a local S3 server (moto) on loopback."""

import socket
from collections.abc import Iterator

import boto3
import pytest
import requests
from django.core.files.base import ContentFile
from moto.server import ThreadedMotoServer

from meiduo.goods.tests.factories import SKUFactory

pytestmark = pytest.mark.django_db

BUCKET = "meiduo-media"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        boto3.client(
            "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
        ).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.stop()


@pytest.fixture
def s3_media(settings, s3_endpoint: str) -> str:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "k",
                "secret_key": "s",
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
