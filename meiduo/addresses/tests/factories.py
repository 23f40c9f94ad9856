"""Factories of the address tests: shoppers and their addresses in 广东省 深圳市 南山区."""

import factory

from meiduo.addresses.models import Address
from meiduo.users.models import User


class ShopperFactory(factory.django.DjangoModelFactory[User]):
    """A shopper with a unique username and mobile; the password is `password123`."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"shopper{n:04d}")
    mobile = factory.Sequence(lambda n: f"1380000{n:04d}")
    password = factory.PostGenerationMethodCall("set_password", "password123")

    @factory.post_generation
    def saved(obj: User, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            obj.save()


class AddressFactory(factory.django.DjangoModelFactory[Address]):
    """An address in 广东省 深圳市 南山区 (the area tree is loaded by migrations)."""

    class Meta:
        model = Address

    user = factory.SubFactory(ShopperFactory)
    title = "家"
    receiver = "张三"
    province_id = 44
    city_id = 4403
    district_id = 440305
    place = "科技园南区 1 号"
    mobile = "13800138000"
