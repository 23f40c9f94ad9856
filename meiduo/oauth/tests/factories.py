"""Factories of the oauth tests: bindings of provider accounts to shoppers."""

import factory

from meiduo.addresses.tests.factories import ShopperFactory
from meiduo.oauth.models import OAuthAccount


class OAuthAccountFactory(factory.django.DjangoModelFactory[OAuthAccount]):
    """A QQ account bound to a new shopper (password `password123`)."""

    class Meta:
        model = OAuthAccount

    provider = "qq"
    openid = factory.Sequence(lambda n: f"{n:032X}")
    user = factory.SubFactory(ShopperFactory)
