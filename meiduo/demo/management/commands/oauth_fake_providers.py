"""Start the loopback fakes of QQ, Weibo and WeChat by hand, to try third-party login without the real providers."""

import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meiduo.demo.oauth_fakes import FakeQQ, FakeWeibo, FakeWeixin


class Command(BaseCommand):
    """`manage.py oauth_fake_providers`: serve fake QQ, Weibo and WeChat on 127.0.0.1 until interrupted."""

    help = (
        "Serve fake QQ, Weibo and WeChat OAuth servers on 127.0.0.1 and print the settings that point the shop at them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--qq-port", type=int, default=9001)
        parser.add_argument("--weibo-port", type=int, default=9002)
        parser.add_argument("--weixin-port", type=int, default=9003)
        parser.add_argument("--client-id", default="fake-client-id", help="app id the fakes accept")
        parser.add_argument("--client-secret", default="fake-client-secret", help="app secret the fakes accept")
        parser.add_argument(
            "--storefront",
            default="http://127.0.0.1:8080",
            help="origin of the storefront whose /oauth/<provider>/callback pages are printed as redirect URIs",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        credentials = {"client_id": options["client_id"], "client_secret": options["client_secret"]}
        qq = FakeQQ(port=options["qq_port"], **credentials).start()
        weibo = FakeWeibo(port=options["weibo_port"], **credentials).start()
        weixin = FakeWeixin(port=options["weixin_port"], **credentials).start()
        self.stdout.write("Fake providers are up. Start the shop with these settings:\n")
        storefront = options["storefront"].rstrip("/")
        for prefix, name, fake in (("QQ", "qq", qq), ("WEIBO", "sina", weibo), ("WEIXIN", "weixin", weixin)):
            if fake is weixin:
                self.stdout.write(f"  export {prefix}_OPEN_URL={fake.url}")
            self.stdout.write(f"  export {prefix}_API_URL={fake.url}")
            self.stdout.write(f"  export {prefix}_CLIENT_ID={options['client_id']}")
            self.stdout.write(f"  export {prefix}_CLIENT_SECRET={options['client_secret']}")
            self.stdout.write(f"  export {prefix}_REDIRECT_URI={storefront}/oauth/{name}/callback")
        self.stdout.write("Press Ctrl-C to stop.")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            self.stdout.write("Stopping.")
        finally:
            for fake in (qq, weibo, weixin):
                fake.stop()
