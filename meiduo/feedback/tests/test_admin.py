"""Admin tests: staff read a message, download its attachment through a permission check, and answer it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from meiduo.feedback.models import Message
from meiduo.feedback.tests.conftest import PDF_BYTES
from meiduo.users.models import User

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/feedback/message/"


@pytest.fixture
def message(shopper_api: APIClient) -> Message:
    upload = SimpleUploadedFile("订单截图.pdf", PDF_BYTES)
    response = shopper_api.post(
        "/api/v1/messages/", {"message_type": 4, "subject": "退货", "message": "屏幕有划痕", "attachment": upload}
    )
    assert response.status_code == 201
    return Message.objects.get()


def test_staff_answer_and_the_sender_sees_it(operator_client: Client, message: Message, shopper_api: APIClient) -> None:
    listing = operator_client.get(CHANGELIST, {"reply_time__isempty": 1})
    assert listing.status_code == 200
    assert "退货" in listing.text
    page = operator_client.get(f"{CHANGELIST}{message.pk}/change/")
    assert page.status_code == 200
    assert "订单截图.pdf" in page.text
    saved = operator_client.post(
        f"{CHANGELIST}{message.pk}/change/", {"reply": "  已安排上门取件。 ", "subject": "改掉", "_save": "1"}
    )
    assert saved.status_code == 302
    message.refresh_from_db()
    assert (message.reply, message.subject) == ("已安排上门取件。", "退货")  # only the answer is editable
    assert message.replied_by is not None
    assert message.replied_by.username == "operator"
    answered = shopper_api.get("/api/v1/messages/").json()["results"][0]
    assert answered["reply"] == "已安排上门取件。"
    assert answered["reply_time"] is not None
    operator_client.get(CHANGELIST)  # shows (and uses up) the "changed" notice that names the message
    assert "退货" not in operator_client.get(CHANGELIST, {"reply_time__isempty": 1}).text
    assert "退货" in operator_client.get(CHANGELIST, {"reply_time__isempty": 0}).text


def test_staff_download_the_attachment_others_cannot(operator_client: Client, message: Message) -> None:
    url = f"{CHANGELIST}{message.pk}/attachment/"
    response = operator_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert operator_client.get(f"{CHANGELIST}{message.pk + 1}/attachment/").status_code == 404

    anonymous = Client().get(url)
    assert anonymous.status_code == 302  # to the admin's login page
    assert "/admin/login/" in anonymous["Location"]
    User.objects.create_user(username="clerk", password="clerk-pass-123", mobile="13900000008", is_staff=True)
    clerk = Client()
    clerk.login(username="clerk", password="clerk-pass-123")  # staff without the permission to view messages
    assert clerk.get(url).status_code == 403
