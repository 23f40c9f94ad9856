"""Attachments of customer messages: what a file is, judged by its bytes (never its name or the client's
content type), the name it is stored under, and the only way it is ever served (as a download).

An attachment is a picture Pillow can open and verify (JPEG, PNG, GIF, WebP) or a PDF (its `%PDF-` magic).
It is stored through the media storage under `private/feedback/<random>.<extension of what it is>`:
a name nobody can guess or choose, with no executable extension, in a folder neither the app nor the
nginx site serve from /media/ (docs/feedback.md).
"""

from dataclasses import dataclass
from pathlib import Path
from typing import IO
from uuid import uuid4

from django.core.files.storage import default_storage
from django.http import FileResponse

STORAGE_PREFIX = "private/feedback/"
# A picture larger than this is refused before it is decoded (a small file can declare a huge canvas).
MAX_PIXELS = 50_000_000
NAME_MAX_LENGTH = 80


@dataclass(frozen=True)
class Kind:
    """What an attachment is: the content type it is served with and the extension it is stored under."""

    content_type: str
    extension: str


PDF = Kind("application/pdf", "pdf")
IMAGE_KINDS = {
    "JPEG": Kind("image/jpeg", "jpg"),
    "PNG": Kind("image/png", "png"),
    "GIF": Kind("image/gif", "gif"),
    "WEBP": Kind("image/webp", "webp"),
}


def attachment_kind(file: IO[bytes]) -> Kind | None:
    """What the file is by its content: a PDF, a verified picture of an allowed format, or None (refused)."""
    file.seek(0)
    head = file.read(5)
    file.seek(0)
    if head == b"%PDF-":
        return PDF
    from PIL import Image  # here: only an uploaded attachment needs Pillow (2 MB in every web worker otherwise)

    try:
        with Image.open(file, formats=list(IMAGE_KINDS)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return None
            kind = IMAGE_KINDS.get(str(image.format))
            image.verify()
    # A damaged or hostile file makes Pillow's decoders raise almost anything (OSError, SyntaxError, struct.error,
    # IndexError, DecompressionBombError …): every one of them means "not an acceptable picture".
    except Exception:  # noqa: BLE001
        return None
    finally:
        file.seek(0)
    return kind


def stored_name(kind: Kind) -> str:
    """A fresh random storage name for an attachment of this kind."""
    return f"{STORAGE_PREFIX}{uuid4().hex}.{kind.extension}"


def display_name(uploaded_name: str, kind: Kind) -> str:
    """The file name offered on download: the sender's name without its extension, then the real one."""
    stem = "".join(char for char in Path(uploaded_name).stem if char.isprintable() and char not in '\\/"')
    return f"{stem.strip()[:NAME_MAX_LENGTH] or 'attachment'}.{kind.extension}"


def attachment_response(*, name: str, filename: str, content_type: str) -> FileResponse:
    """Stream a stored attachment as a download that no browser renders or sniffs in the shop's origin."""
    response = FileResponse(
        default_storage.open(name, "rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
