"""Operator content and channel links: only http(s) and site-relative URLs are accepted, and nothing else is shown."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from meiduo.goods.models import Content, GoodsChannel
from meiduo.goods.tests.conftest import PhoneCatalog
from meiduo.goods.tests.factories import ContentCategoryFactory, ContentFactory
from meiduo.users.models import User

pytestmark = pytest.mark.django_db

UNSAFE = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/phish",
    "/\\evil.example",
    "ftp://files.example/x",
]
SAFE = ["/list/115", "/detail/3?from=home#top", "https://www.itcast.cn/", "http://shop.example/a"]


@pytest.mark.parametrize("url", UNSAFE)
def test_an_unsafe_link_is_refused_on_save(url):
    content = ContentFactory.build(category=ContentCategoryFactory.create(key="index_lbt"), url=url)
    with pytest.raises(ValidationError) as refused:
        content.full_clean()
    assert "url" in refused.value.message_dict


@pytest.mark.parametrize("url", SAFE)
def test_http_and_site_relative_links_are_accepted(url):
    content = ContentFactory.build(category=ContentCategoryFactory.create(key="index_lbt"), url=url)
    content.full_clean(exclude=["image"])


def test_the_admin_refuses_a_javascript_link(admin_user: User):
    operator = Client()
    operator.force_login(admin_user)
    category = ContentCategoryFactory.create(key="index_lbt")
    page = operator.post(
        "/admin/goods/content/add/",
        {"category": category.id, "title": "大促", "url": "javascript:alert(1)", "sequence": 1, "status": "on"},
    )
    assert page.status_code == 200  # the form again, with the error
    assert not Content.objects.filter(title="大促").exists()


def test_a_stored_unsafe_link_is_not_rendered(api, phone_catalog: PhoneCatalog):
    # Rows saved before links were checked (written straight to the table, as an old import would).
    category = ContentCategoryFactory.create(key="index_lbt")
    ContentFactory.create(category=category, title="旧链接", url="https://ok.example/")
    bad = ContentFactory.create(category=category, title="坏链接", url="https://ok.example/")
    Content.objects.filter(pk=bad.pk).update(url="javascript:alert(1)")
    GoodsChannel.objects.filter(category=phone_catalog.cat1).update(url="javascript:alert(2)")
    body = api.get("/api/v1/home/").json()
    links = {item["title"]: item["url"] for item in body["contents"]["index_lbt"]}
    assert links == {"旧链接": "https://ok.example/", "坏链接": ""}
    channel_urls = [channel["url"] for group in body["categories"].values() for channel in group["channels"]]
    assert "javascript:alert(2)" not in channel_urls
    assert "javascript:" not in api.get(f"/api/v1/categories/{phone_catalog.cat3.id}/").content.decode()
