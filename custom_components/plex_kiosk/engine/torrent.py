"""Info hashes computed, never taken on trust: from a ``.torrent`` (SHA-1 of its bencoded
``info`` dictionary) or a magnet (``btih`` in hex or base32)."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import parse_qsl, urlsplit

MAX_DEPTH = 64
_HEX = re.compile(r"[0-9a-f]{40}")
_BASE32 = re.compile(r"[A-Z2-7]{32}")


class NotATorrent(ValueError):
    """Bytes that are not a bencoded torrent with an ``info`` dictionary."""


def _end(data: bytes, start: int, depth: int = 0) -> int:
    """Where the bencoded value starting at ``start`` ends (one past its last byte)."""
    if depth > MAX_DEPTH or start >= len(data):
        raise NotATorrent("truncated or too deep")
    head = data[start : start + 1]
    if head == b"i":
        end = data.find(b"e", start)
        if end < 0:
            raise NotATorrent("unterminated integer")
        return end + 1
    if head in (b"l", b"d"):
        position = start + 1
        while data[position : position + 1] != b"e":
            position = _end(data, position, depth + 1)
        return position + 1
    if head.isdigit():
        colon = data.find(b":", start)
        if colon < 0 or not data[start:colon].isdigit():
            raise NotATorrent("bad string length")
        end = colon + 1 + int(data[start:colon])
        if end > len(data):
            raise NotATorrent("truncated string")
        return end
    raise NotATorrent(f"unexpected byte {head!r}")


def info_hash(torrent: bytes) -> str:
    """The lower-case hex info hash (v1) of a ``.torrent`` file."""
    if torrent[:1] != b"d":
        raise NotATorrent("not a bencoded dictionary")
    position = 1
    while torrent[position : position + 1] != b"e":
        key_end = _end(torrent, position)
        value_end = _end(torrent, key_end)
        key = torrent[torrent.index(b":", position) + 1 : key_end]
        if key == b"info":
            if torrent[key_end : key_end + 1] != b"d":
                raise NotATorrent("info is not a dictionary")
            return hashlib.sha1(torrent[key_end:value_end]).hexdigest()
        position = value_end
    raise NotATorrent("no info dictionary")


def normal_hash(text: str | None) -> str | None:
    """A v1 info hash as 40 lower-case hex digits (hex or base32 given); None otherwise."""
    value = (text or "").strip()
    if _HEX.fullmatch(value.lower()):
        return value.lower()
    if _BASE32.fullmatch(value.upper()):
        return base64.b32decode(value.upper()).hex()
    return None


def magnet_hash(magnet: str | None) -> str | None:
    """The info hash a magnet names (``xt=urn:btih:…``), normalised; None when it has none."""
    if not magnet or not magnet.startswith("magnet:"):
        return None
    for key, value in parse_qsl(urlsplit(magnet).query):
        if key == "xt" and value.lower().startswith("urn:btih:"):
            return normal_hash(value[len("urn:btih:") :])
    return None
