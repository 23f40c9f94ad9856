"""In a real browser: a shopper sends the shop a message with a picture, downloads it back, reads the staff's
answer (both languages) and deletes the message; a file that is not a picture is refused next to its field."""

import io

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from meiduo.feedback import services
from meiduo.feedback.models import Message
from meiduo.users.models import User

pytestmark = pytest.mark.browser

PASSWORD = "Meiduo-2024!"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_shopper_writes_to_the_shop_and_reads_the_answer(page: Page, script_errors: list[str]) -> None:
    shopper = User.objects.create_user(username="shopper_zhao", password=PASSWORD, mobile="13912340001")
    operator = User.objects.create_user(username="operator", password=PASSWORD, mobile="13912340002", is_staff=True)
    page.goto("/login?next=/user/messages")
    page.fill("#login-username", shopper.username)
    page.fill("#login-password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_role("heading", name="我的留言", exact=True).first).to_be_visible()
    expect(page.get_by_text("还没有留言")).to_be_visible()

    page.get_by_test_id("message-type-4").check()
    page.get_by_test_id("message-subject").fill("屏幕有划痕")
    page.get_by_test_id("message-text").fill("收到的手机屏幕有一道划痕，请问怎么处理？")
    # A page of HTML named like a picture: the server looks at the content and refuses it.
    fake = {"name": "划痕.png", "mimeType": "image/png", "buffer": b"<html><script>alert(1)</script></html>"}
    page.get_by_test_id("message-file").set_input_files(fake)  # type: ignore[arg-type]
    page.get_by_test_id("message-send").click()
    expect(page.get_by_text("附件只能是图片（JPEG、PNG、GIF、WebP）或 PDF 文件。")).to_be_visible()
    assert not Message.objects.exists()

    picture = png()
    real = {"name": "划痕.png", "mimeType": "image/png", "buffer": picture}
    page.get_by_test_id("message-file").set_input_files(real)  # type: ignore[arg-type]
    page.get_by_test_id("message-send").click()
    expect(page.get_by_test_id("toast")).to_contain_text("留言已提交")
    card = page.get_by_test_id("message")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("售后")
    expect(card.get_by_test_id("message-waiting")).to_have_text("等待商城回复")
    with page.expect_download() as download_info:
        card.get_by_test_id("message-attachment").click()
    download = download_info.value
    assert download.suggested_filename == "划痕.png"
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == picture

    message = Message.objects.get()
    services.message_reply(message_id=message.pk, staff=operator, reply="请寄回，我们为您换新。")
    page.reload()
    expect(card.get_by_test_id("message-reply")).to_contain_text("请寄回，我们为您换新。")
    expect(card.get_by_test_id("message-reply")).to_contain_text("商城回复")
    page.get_by_test_id("lang").click()
    expect(card.get_by_test_id("message-reply")).to_contain_text("Answer from the shop")
    expect(card).to_contain_text("After-sales")

    card.get_by_test_id("message-delete").click()  # the page's confirm() is accepted
    expect(page.get_by_text("No messages yet")).to_be_visible()
    assert not Message.objects.exists()
    assert script_errors == []
