"""The operators' list of bindings: provider, openid, user, time, with filters and search."""

import pytest
from django.test import Client

from meiduo.oauth.tests.factories import OAuthAccountFactory
from meiduo.users.models import User


@pytest.mark.django_db
def test_bindings_list_filters_and_searches():
    qq = OAuthAccountFactory(provider="qq", openid="QQOPENID0001")
    weibo = OAuthAccountFactory(provider="sina", openid="5550001")
    admin = User.objects.create_superuser(username="operator", password="x-Secret-9", email="op@example.com")
    client = Client()
    client.force_login(admin)

    page = client.get("/admin/oauth/oauthaccount/")
    assert page.status_code == 200
    assert b"QQOPENID0001" in page.content and b"5550001" in page.content

    only_weibo = client.get("/admin/oauth/oauthaccount/", {"provider__exact": "sina"})
    assert b"5550001" in only_weibo.content and b"QQOPENID0001" not in only_weibo.content

    by_mobile = client.get("/admin/oauth/oauthaccount/", {"q": qq.user.mobile})
    assert b"QQOPENID0001" in by_mobile.content and b"5550001" not in by_mobile.content
    assert client.get(f"/admin/oauth/oauthaccount/{weibo.pk}/change/").status_code == 200
