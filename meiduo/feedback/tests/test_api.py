"""API tests of customer messages: sending with an attachment checked by its content, listing with the staff's
answers, deleting, downloading, and another user's message being 404 whatever the method."""

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve
from django.views.static import serve
from rest_framework.test import APIClient

from meiduo.feedback import services
from meiduo.feedback.models import Message
from meiduo.feedback.tests.conftest import PDF_BYTES, image_bytes
from meiduo.users.models import User

pytestmark = pytest.mark.django_db

MESSAGES = "/api/v1/messages/"


def private_files() -> list[str]:
    folder = Path(settings.MEDIA_ROOT) / "private" / "feedback"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def send(client: APIClient, attachment: SimpleUploadedFile | None = None, **fields: object) -> tuple[int, dict]:
    data = {"message_type": 2, "subject": "快递太慢", "message": "下单五天还没到。", **fields}
    if attachment is not None:
        data["attachment"] = attachment
    response = client.post(MESSAGES, data, format="multipart")
    return response.status_code, response.json()


def test_a_message_with_a_picture_is_stored_privately_and_downloaded_by_its_sender(
    shopper_api: APIClient, client: Client
) -> None:
    png = image_bytes("PNG")
    # The name and the client's content type lie; only the content counts.
    upload = SimpleUploadedFile("快递单.exe", png, content_type="text/html")
    status, body = send(shopper_api, upload)
    assert status == 201, body
    message = Message.objects.get()
    assert body == {
        "id": message.pk,
        "message_type": 2,
        "subject": "快递太慢",
        "message": "下单五天还没到。",
        "attachment": {
            "name": "快递单.png",
            "content_type": "image/png",
            "size": len(png),
            "url": f"{MESSAGES}{message.pk}/attachment/",
        },
        "reply": "",
        "reply_time": None,
        "create_time": body["create_time"],
    }
    assert re.fullmatch(r"private/feedback/[0-9a-f]{32}\.png", message.attachment.name)
    stored = Path(settings.MEDIA_ROOT) / message.attachment.name
    assert stored.read_bytes() == png
    assert stored.stat().st_mode & 0o111 == 0  # never executable

    response = shopper_api.get(body["attachment"]["url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png  # type: ignore[attr-defined]
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('快递单.png')}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    # The public media route does not serve the private folder, while other media still are.
    assert client.get(f"/media/{message.attachment.name}").status_code == 404
    with pytest.raises(Resolver404):
        resolve(f"/media/{message.attachment.name}")
    assert resolve("/media/goods/a.jpg").func is serve


@pytest.mark.parametrize(
    ("filename", "content", "kind", "extension"),
    [
        ("photo.jpg", image_bytes("JPEG"), "image/jpeg", "jpg"),
        ("anim.gif", image_bytes("GIF"), "image/gif", "gif"),
        ("pic.webp", image_bytes("WEBP"), "image/webp", "webp"),
        ("发票", PDF_BYTES, "application/pdf", "pdf"),
    ],
)
def test_pictures_and_pdfs_are_accepted(
    shopper_api: APIClient, filename: str, content: bytes, kind: str, extension: str
) -> None:
    status, body = send(shopper_api, SimpleUploadedFile(filename, content, content_type="application/octet-stream"))
    assert status == 201, body
    assert (body["attachment"]["content_type"], body["attachment"]["name"]) == (
        kind,
        f"{Path(filename).stem}.{extension}",
    )
    assert Message.objects.get().attachment.name.endswith(f".{extension}")


@pytest.mark.parametrize(
    ("filename", "content", "content_type"),
    [
        ("page.png", b"<html><script>alert(1)</script></html>", "image/png"),
        ("cut.png", image_bytes("PNG")[:60], "image/png"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml"),
        ("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf"),
        ("picture.bmp", image_bytes("BMP"), "image/bmp"),
        ("huge.png", image_bytes("PNG", (10_000, 6_000)), "image/png"),
    ],
)
def test_anything_but_a_picture_or_a_pdf_is_refused(
    shopper_api: APIClient, filename: str, content: bytes, content_type: str
) -> None:
    status, body = send(shopper_api, SimpleUploadedFile(filename, content, content_type=content_type))
    assert status == 400
    assert body["code"] == "invalid"
    assert list(body) == ["attachment", "code"]
    assert not Message.objects.exists()
    assert private_files() == []


def test_an_attachment_over_5_mb_is_refused(shopper_api: APIClient) -> None:
    limit = settings.FEEDBACK_ATTACHMENT_MAX_BYTES
    assert limit == 5 * 2**20
    at_limit = PDF_BYTES + b"\n" * (limit - len(PDF_BYTES))
    assert send(shopper_api, SimpleUploadedFile("big.pdf", at_limit))[0] == 201
    status, body = send(shopper_api, SimpleUploadedFile("big.pdf", at_limit + b"\n"))
    assert (status, body["code"]) == (400, "invalid")
    assert "5 MB" in body["attachment"][0]
    # A body far over the limit is refused before it is read.
    status, body = send(shopper_api, SimpleUploadedFile("bigger.pdf", at_limit * 2))
    assert (status, list(body)) == (400, ["attachment", "code"])
    assert Message.objects.count() == 1
    assert len(private_files()) == 1


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"message_type": 6}, "message_type", "invalid_choice"),
        ({"message_type": "投诉"}, "message_type", "invalid_choice"),
        ({"subject": ""}, "subject", "blank"),
        ({"subject": "x" * 101}, "subject", "max_length"),
        ({"message": "x" * 2001}, "message", "max_length"),
    ],
)
def test_bad_fields_are_400_and_store_nothing(
    shopper_api: APIClient, fields: dict[str, object], field: str, code: str
) -> None:
    status, body = send(shopper_api, SimpleUploadedFile("a.png", image_bytes()), **fields)
    assert status == 400
    assert body["codes"] == {field: [code]}
    assert not Message.objects.exists()
    assert private_files() == []


def test_an_empty_attachment_is_400(shopper_api: APIClient) -> None:
    status, body = send(shopper_api, SimpleUploadedFile("empty.png", b""))
    assert (status, body["codes"]) == (400, {"attachment": ["empty"]})


def test_a_message_without_attachment_as_json(shopper_api: APIClient) -> None:
    response = shopper_api.post(
        MESSAGES, {"message_type": 5, "subject": "求购", "message": "想买红色款"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["attachment"] is None
    assert shopper_api.get(f"{MESSAGES}{response.json()['id']}/attachment/").status_code == 404


def test_the_list_is_the_users_own_newest_first_with_answers(
    shopper_api: APIClient, stranger_api: APIClient, shopper: User, django_assert_num_queries: object
) -> None:
    for number in range(3):
        send(shopper_api, subject=f"问题 {number}")
    send(stranger_api, subject="别人的")
    first = Message.objects.get(subject="问题 0")
    services.message_reply(message_id=first.pk, staff=shopper, reply="已为您催促快递。")
    with django_assert_num_queries(2):  # type: ignore[operator]
        body = shopper_api.get(MESSAGES).json()
    assert body["count"] == 3
    assert [message["subject"] for message in body["results"]] == ["问题 2", "问题 1", "问题 0"]
    answered = body["results"][2]
    assert answered["reply"] == "已为您催促快递。"
    assert answered["reply_time"] is not None


def test_deleting_ones_message_removes_its_file(
    shopper_api: APIClient, django_capture_on_commit_callbacks: object
) -> None:
    _status, body = send(shopper_api, SimpleUploadedFile("a.pdf", PDF_BYTES))
    assert len(private_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert shopper_api.delete(f"{MESSAGES}{body['id']}/").status_code == 204
    assert not Message.objects.exists()
    assert private_files() == []
    assert shopper_api.get(f"{MESSAGES}{body['id']}/").status_code == 404
    assert shopper_api.delete(f"{MESSAGES}{body['id']}/").status_code == 404


def test_another_users_message_is_404_whatever_the_method(
    shopper_api: APIClient, stranger_api: APIClient, api: APIClient
) -> None:
    _status, body = send(shopper_api, SimpleUploadedFile("a.pdf", PDF_BYTES))
    mine = f"{MESSAGES}{body['id']}/"
    for method in ("get", "head", "delete", "put", "patch", "post", "options"):
        response = getattr(stranger_api, method)(mine)
        assert response.status_code == 404, method
        if method != "head":
            assert response.json()["code"] == "not_found", method
        assert getattr(stranger_api, method)(f"{mine}attachment/").status_code == 404, method
    assert stranger_api.get(f"{MESSAGES}99999999/").status_code == 404
    assert stranger_api.get(f"{MESSAGES}{'9' * 30}/").status_code == 404
    assert stranger_api.get(MESSAGES).json()["count"] == 0
    # The owner is told that the method does not exist; an anonymous client must sign in.
    assert shopper_api.put(mine).status_code == 405
    assert shopper_api.options(mine).status_code == 200
    assert api.get(mine).status_code == 401
    assert api.get(f"{mine}attachment/").status_code == 401
    assert api.post(MESSAGES, {"message_type": 1, "subject": "s", "message": "m"}).status_code == 401
    assert Message.objects.count() == 1
    assert len(private_files()) == 1


def test_a_day_has_a_limit_of_messages(shopper_api: APIClient, settings: object) -> None:
    settings.FEEDBACK_DAILY_LIMIT = 2  # type: ignore[attr-defined]
    assert send(shopper_api)[0] == 201
    assert send(shopper_api)[0] == 201
    response = shopper_api.post(MESSAGES, {"message_type": 1, "subject": "s", "message": "m"}, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    assert Message.objects.count() == 2


def test_messages_are_chinese_by_default_and_english_on_request(shopper_api: APIClient) -> None:
    def refused(language: str = "") -> list[str]:
        upload = SimpleUploadedFile("a.png", b"not a picture")
        data = {"message_type": 1, "subject": "s", "message": "m", "attachment": upload}
        response = shopper_api.post(MESSAGES, data, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 400
        return response.json()["attachment"]

    assert refused() == ["附件只能是图片（JPEG、PNG、GIF、WebP）或 PDF 文件。"]
    assert refused("en") == ["Attach a picture (JPEG, PNG, GIF, WebP) or a PDF file."]
