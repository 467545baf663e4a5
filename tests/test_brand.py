"""The integration ships its own icon and logo (Home Assistant 2026.3's brands proxy)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import ROOT

BRAND = ROOT / "custom_components" / "plex_kiosk" / "brand"


def luminance(pixel: tuple[int, ...]) -> float:
    """Perceived brightness of an RGB(A) pixel, 0 to 255."""
    return 0.2126 * pixel[0] + 0.7152 * pixel[1] + 0.0722 * pixel[2]


@pytest.mark.parametrize("prefix", ["", "dark_"])
def test_icons_and_logos_have_the_sizes_the_brands_proxy_serves(prefix: str) -> None:
    """Icons square at 256 and 512 px with see-through corners (the plate is rounded); logos
    128 and 256 px high, landscape, trimmed to their content, their name readable on the
    theme they are for (dark text on light, light text on dark)."""
    for name, side in ((f"{prefix}icon.png", 256), (f"{prefix}icon@2x.png", 512)):
        with Image.open(BRAND / name) as image:
            assert image.format == "PNG"
            assert image.size == (side, side)
            assert image.mode == "RGBA"
            assert image.getpixel((0, 0))[3] == 0
            assert image.getpixel((side // 2, side // 2))[3] == 255
    for name, height in ((f"{prefix}logo.png", 128), (f"{prefix}logo@2x.png", 256)):
        with Image.open(BRAND / name) as image:
            assert image.height == height
            assert image.width > 2 * height
            assert image.getbbox() == (0, 0, image.width, image.height)  # trimmed
            text = image.crop((int(image.width * 0.6), 0, image.width, height))
            ink = [p for p in text.getdata() if p[3] == 255]
            brightness = sum(luminance(p) for p in ink) / len(ink)
            assert brightness > 200 if prefix else brightness < 80


def test_brand_folder_holds_only_what_home_assistant_reads() -> None:
    """Eight images, no stray file shipped to every installation."""
    names = {p.name for p in Path(BRAND).iterdir()}
    expected = {
        f"{dark}{kind}{hi}.png"
        for dark in ("", "dark_")
        for kind in ("icon", "logo")
        for hi in ("", "@2x")
    }
    assert names == expected
