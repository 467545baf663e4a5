"""Assist's sentences for Plex Kiosk: Home Assistant reads them only from
``<config>/custom_sentences/<language>/``, so the shipped files are copied there on request.
Each copy carries the hash of its own text: a copy the user edited no longer matches it and
is never overwritten."""

from __future__ import annotations

import hashlib
from pathlib import Path

SHIPPED = Path(__file__).parent / "sentences"
NAME = "plex_kiosk.yaml"
MARK = "# plex_kiosk sha256: "


def _stamped(text: str) -> str:
    return f"{MARK}{hashlib.sha256(text.encode()).hexdigest()}\n{text}"


def _untouched(existing: str) -> bool:
    """Whether a copy is still exactly what Plex Kiosk wrote."""
    first, _, rest = existing.partition("\n")
    return (
        first.startswith(MARK) and first[len(MARK) :] == hashlib.sha256(rest.encode()).hexdigest()
    )


def install(config_sentences: Path) -> dict[str, list[str]]:
    """Copy each language's sentences (runs in the executor): ``installed`` languages, and
    ``kept`` ones whose copy the user changed."""
    done: dict[str, list[str]] = {"installed": [], "kept": []}
    for source in sorted(SHIPPED.glob(f"*/{NAME}")):
        language = source.parent.name
        target = config_sentences / language / NAME
        wanted = _stamped(source.read_text(encoding="utf-8"))
        if target.exists():
            existing = target.read_text(encoding="utf-8")
            if existing != wanted and not _untouched(existing):
                done["kept"].append(language)
                continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(wanted, encoding="utf-8")
        done["installed"].append(language)
    return done
