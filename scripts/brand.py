"""Draw Plex Kiosk's brand images into ``custom_components/plex_kiosk/brand/``.

One geometry, eight files (the names Home Assistant's brands proxy looks for since 2026.3):
a screen on a stand with a play mark and a spark (the AI) on an indigo plate; the logo adds
the name, dark grey on light themes and near-white on dark ones. Run ``python scripts/brand.py``.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = Path(__file__).resolve().parent.parent / "custom_components" / "plex_kiosk" / "brand"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SCALE = 4  # drawn larger, then reduced: smooth edges
TOP, BOTTOM = (79, 70, 229), (109, 40, 217)  # the plate's gradient, indigo to violet
AMBER, WHITE = (245, 179, 1), (255, 255, 255)
TEXT = {"": (31, 41, 55), "dark_": (243, 244, 246)}


def icon(size: int, dark: bool) -> Image.Image:
    """The square icon, ``size`` pixels wide (the dark one's plate has a light rim)."""
    unit = size * SCALE / 512
    big = size * SCALE

    def box(*xy: float) -> list[float]:
        return [v * unit for v in xy]

    gradient = Image.new("RGB", (1, 2))
    gradient.putdata([TOP, BOTTOM])
    plate = gradient.resize((big, big), Image.Resampling.BILINEAR).convert("RGBA")
    mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(mask).rounded_rectangle(box(0, 0, 511, 511), radius=112 * unit, fill=255)
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    image.paste(plate, (0, 0), mask)
    draw = ImageDraw.Draw(image)
    if dark:
        draw.rounded_rectangle(
            box(6, 6, 505, 505), radius=106 * unit, outline=(199, 210, 254), width=round(12 * unit)
        )
    draw.rounded_rectangle(
        box(92, 128, 420, 352), radius=36 * unit, outline=WHITE, width=round(28 * unit)
    )
    draw.polygon(box(226, 184, 226, 296, 322, 240), fill=AMBER)
    draw.rectangle(box(240, 352, 272, 396), fill=WHITE)
    draw.rounded_rectangle(box(176, 390, 336, 418), radius=14 * unit, fill=WHITE)
    spark = [(412, 64), (428, 104), (468, 120), (428, 136), (412, 176), (396, 136), (356, 120)]
    draw.polygon(box(*(v for point in [*spark, (396, 104)] for v in point)), fill=AMBER)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def logo(height: int, dark: bool) -> Image.Image:
    """The icon followed by the name, ``height`` pixels high and trimmed to its content."""
    big = height * SCALE
    font = ImageFont.truetype(FONT, round(big * 0.5))
    _, top, right, bottom = font.getbbox("Plex Kiosk")
    gap = big // 5
    image = Image.new("RGBA", (big + gap + right, big), (0, 0, 0, 0))
    image.paste(icon(big, dark), (0, 0))
    text_y = (big - (bottom - top)) // 2 - top
    ImageDraw.Draw(image).text(
        (big + gap, text_y), "Plex Kiosk", font=font, fill=TEXT["dark_" if dark else ""]
    )
    trimmed = image.crop(image.getbbox())
    width = round(trimmed.width * height / trimmed.height)
    return trimmed.resize((width, height), Image.Resampling.LANCZOS)


def main() -> None:
    """Write the eight files."""
    BRAND.mkdir(exist_ok=True)
    for prefix in ("", "dark_"):
        dark = bool(prefix)
        icon(256, dark).save(BRAND / f"{prefix}icon.png", optimize=True)
        icon(512, dark).save(BRAND / f"{prefix}icon@2x.png", optimize=True)
        logo(128, dark).save(BRAND / f"{prefix}logo.png", optimize=True)
        logo(256, dark).save(BRAND / f"{prefix}logo@2x.png", optimize=True)


if __name__ == "__main__":
    main()
