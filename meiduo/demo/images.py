"""Product-card pictures drawn locally with Pillow (no network) for the demo and synthetic catalogs.

A CJK font is used when one is installed (fonts-noto-cjk, fonts-wqy-zenhei …);
without one the Latin text given is drawn instead, so drawing never fails.
"""

import colorsys
import hashlib
import io
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
LATIN_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@cache
def cjk_font_path() -> str | None:
    """The first installed font able to draw Chinese, if any."""
    for candidate in CJK_FONT_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    for pattern in ("**/*CJK*.tt[cf]", "**/*[Zz]en[Hh]ei*.tt[cf]", "**/*[Mm]icro[Hh]ei*.tt[cf]"):
        for found in Path("/usr/share/fonts").glob(pattern):
            return str(found)
    return None


@cache
def _font(size: int, cjk: bool) -> Font:
    path = cjk_font_path() if cjk else None
    for candidate in (path, *LATIN_FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            try:
                return ImageFont.truetype(candidate, size)
            except OSError:
                continue
    return ImageFont.load_default(size=size)


def palette(seed: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """A soft background colour and a deeper accent, stable for the same seed."""
    hue = int(hashlib.sha256(seed.encode()).hexdigest()[:4], 16) / 0xFFFF
    light = colorsys.hls_to_rgb(hue, 0.90, 0.55)
    deep = colorsys.hls_to_rgb(hue, 0.38, 0.55)
    return (
        (int(light[0] * 255), int(light[1] * 255), int(light[2] * 255)),
        (int(deep[0] * 255), int(deep[1] * 255), int(deep[2] * 255)),
    )


def _fit(draw: ImageDraw.ImageDraw, text: str, width: int, size: int, cjk: bool) -> Font:
    """The largest font (from `size` down) in which the text fits the width."""
    while size > 12:
        font = _font(size, cjk)
        if draw.textlength(text, font=font) <= width:
            return font
        size -= 2
    return _font(12, cjk)


def _device(
    draw: ImageDraw.ImageDraw, shape: str, box: tuple[int, int, int, int], accent: tuple[int, int, int]
) -> None:
    """A simple silhouette of the product kind, centred in the box."""
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    centre_x = left + width // 2
    dark = (40, 44, 52)
    if shape == "phone":
        w, h = int(height * 0.5), height
        draw.rounded_rectangle((centre_x - w // 2, top, centre_x + w // 2, top + h), radius=w // 6, fill=dark)
        draw.rounded_rectangle(
            (centre_x - w // 2 + 8, top + 14, centre_x + w // 2 - 8, top + h - 14), radius=w // 9, fill=accent
        )
    elif shape == "laptop":
        w = int(width * 0.8)
        draw.rounded_rectangle((centre_x - w // 2 + 20, top, centre_x + w // 2 - 20, bottom - 30), radius=10, fill=dark)
        draw.rectangle((centre_x - w // 2 + 32, top + 12, centre_x + w // 2 - 32, bottom - 42), fill=accent)
        draw.polygon(
            [
                (centre_x - w // 2, bottom - 28),
                (centre_x + w // 2, bottom - 28),
                (centre_x + w // 2 - 14, bottom),
                (centre_x - w // 2 + 14, bottom),
            ],
            fill=(120, 124, 132),
        )
    elif shape == "screen":
        w = int(width * 0.85)
        draw.rounded_rectangle((centre_x - w // 2, top, centre_x + w // 2, bottom - 36), radius=8, fill=dark)
        draw.rectangle((centre_x - w // 2 + 10, top + 10, centre_x + w // 2 - 10, bottom - 46), fill=accent)
        draw.rectangle((centre_x - 8, bottom - 36, centre_x + 8, bottom - 12), fill=dark)
        draw.rounded_rectangle((centre_x - 60, bottom - 14, centre_x + 60, bottom), radius=6, fill=dark)
    elif shape == "round":
        radius = min(width, height) // 2
        draw.ellipse((centre_x - radius, top, centre_x + radius, top + 2 * radius), fill=dark)
        draw.ellipse((centre_x - radius + 18, top + 18, centre_x + radius - 18, top + 2 * radius - 18), fill=accent)
    else:  # "box": appliances, cameras, accessories
        w = int(min(width, height * 1.2))
        draw.rounded_rectangle((centre_x - w // 2, top, centre_x + w // 2, bottom), radius=18, fill=(245, 246, 248))
        draw.rounded_rectangle((centre_x - w // 2, top, centre_x + w // 2, bottom), radius=18, outline=dark, width=6)
        draw.rounded_rectangle((centre_x - w // 3, top + 24, centre_x + w // 3, top + 60), radius=8, fill=accent)


def product_card_png(
    *,
    title: str,
    subtitle: str,
    latin_title: str,
    latin_subtitle: str,
    seed: str,
    shape: str = "box",
    size: tuple[int, int] = (400, 400),
) -> bytes:
    """A clean product card: coloured background, product silhouette, brand/product name and options."""
    cjk = cjk_font_path() is not None
    title, subtitle = (title, subtitle) if cjk else (latin_title, latin_subtitle)
    background, accent = palette(seed)
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rounded_rectangle((16, 16, width - 16, height - 16), radius=24, fill=(255, 255, 255))
    _device(draw, shape, (48, 44, width - 48, int(height * 0.62)), accent)
    title_font = _fit(draw, title, width - 60, 30, cjk)
    draw.text((width // 2, int(height * 0.73)), title, font=title_font, fill=(34, 34, 34), anchor="mm")
    if subtitle:
        sub_font = _fit(draw, subtitle, width - 60, 22, cjk)
        draw.text((width // 2, int(height * 0.84)), subtitle, font=sub_font, fill=accent, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def banner_png(*, title: str, latin_title: str, seed: str, size: tuple[int, int] = (1200, 400)) -> bytes:
    """A wide promotional banner with a large headline."""
    cjk = cjk_font_path() is not None
    text = title if cjk else latin_title
    background, accent = palette(seed)
    image = Image.new("RGB", size, accent)
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.ellipse((width - 520, -200, width + 200, height + 200), fill=background)
    draw.ellipse((-160, height - 120, 260, height + 260), fill=background)
    font = _fit(draw, text, width - 680, 72, cjk)
    draw.text((80, height // 2), text, font=font, fill=(255, 255, 255), anchor="lm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
