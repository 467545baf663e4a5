"""Frames of a video, scaled down to JPEG, for the model to look at (ffmpeg; synchronous:
run in the executor)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from .errors import BadResponse

SERVICE = "ffmpeg"
TIMEOUT = 60  # seconds for one call
WIDTH = 384  # pixels: enough to recognise a film, small for the model


def _run(args: list[str], what: str) -> bytes:
    binary = shutil.which(args[0])
    if binary is None:
        raise BadResponse(SERVICE, f"{args[0]} is not installed here")
    try:
        result = subprocess.run(
            [binary, *args[1:]], capture_output=True, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as err:
        raise BadResponse(SERVICE, f"{args[0]} gave no answer on {what} in time") from err
    if result.returncode != 0 or not result.stdout:
        detail = result.stderr.decode(errors="replace").strip()[-200:]
        raise BadResponse(SERVICE, f"{args[0]} cannot read {what}: {detail}")
    return result.stdout


def frames(path: Path, count: int = 3, width: int = WIDTH) -> list[bytes]:
    """``count`` JPEG frames spread over the video (at 20 %… 80 % of its length)."""
    answer = _run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", str(path)], path.name
    )
    duration = float(json.loads(answer).get("format", {}).get("duration") or 0)
    spots = [duration * (0.2 + 0.6 * i / max(count - 1, 1)) for i in range(count)]
    return [
        _run(
            [
                "ffmpeg", "-v", "error", "-ss", f"{spot:.2f}", "-i", str(path),
                "-frames:v", "1", "-vf", f"scale={width}:-2", "-f", "image2", "-c:v", "mjpeg",
                "pipe:1",
            ],
            path.name,
        )
        for spot in spots
    ]  # fmt: skip
