"""A year of a 200-series household in the store: its size and the time one save takes at
the end, with the retention rule (90 days, run daily as the entry does) against the same
year kept whole (the anchor: the store before the rule), in one run.

Each series airs a weekly episode; each episode gets a decision (10 candidates), a
download imported (5 % fail and blocklist a release); every day brings two requests, three
upgrade candidates settled a week later and their replacements purged after seven days."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from custom_components.plex_kiosk.models import (
    DecisionCandidate,
    DecisionRecord,
    Download,
    EpisodeRelease,
    MediaRequest,
    SeriesFollow,
    StoreData,
    UpgradeCandidate,
    UpgradeHistory,
    encode,
)

SERIES = 200
DAYS = 365
KEEP = timedelta(days=90)
START = datetime(2026, 1, 1, tzinfo=UTC)


def _day(data: StoreData, day: int, now: datetime) -> None:
    for series in range(SERIES):
        if (series + day) % 7:
            continue
        week = day // 7
        key = f"s{series}:e{week}"
        data.episodes[key] = EpisodeRelease(
            key, f"s{series}", 1 + week // 10, 1 + week % 10, air_time=now, status="completed",
            decision_id=f"episode:{key}",
        )  # fmt: skip
        data.decisions[f"episode:{key}"] = DecisionRecord(
            f"episode:{key}",
            f"Series {series} {week}",
            f"Series.{series}.E{week}.MULTi.1080p.WEB.H264-GRP",
            [
                DecisionCandidate(f"Series.{series}.E{week}.{n}.1080p-G", 70 + n, {"audio": 40})
                for n in range(10)
            ],
            at=now,
        )
        infohash = f"{series:08x}{day:032x}"
        failed = (series * 31 + day) % 20 == 0
        data.downloads[infohash] = Download(
            infohash, key, "episode", key, state="failed" if failed else "imported",
            added_at=now, completed_at=now,
        )  # fmt: skip
        if failed:
            data.block(infohash, key, "no French audio", now)
    for n in range(2):
        rid = f"r{day}-{n}"
        data.requests[rid] = MediaRequest(rid, "movie", f"Movie {rid}", status="completed",
                                          created_at=now, updated_at=now)  # fmt: skip
    for n in range(3):
        cid = f"c{day}-{n}"
        data.candidates[cid] = UpgradeCandidate(
            cid, "vostfr_multi", [cid], f"Movie {cid}", f"Movie.{cid}.MULTi", f"{day:020x}{n:020x}",
            None, None, None, 9_000_000_000, 50, 40, 80, status="applied", found_at=now,
        )  # fmt: skip
        data.history.append(
            UpgradeHistory(
                cid,
                cid,
                cid,
                cid,
                f"/old/{cid}.mkv",
                f"/new/{cid}.mkv",
                40,
                80,
                "applied",
                at=now,
                purged=True,  # the recycle folder keeps files 7 days
            )
        )


def year(retention: bool) -> tuple[int, int, float, float]:
    """(records, bytes of the store file, milliseconds to encode one save in the event loop,
    milliseconds of its JSON in the executor) after a year."""
    data = StoreData()
    data.follows = {f"s{n}": SeriesFollow(id=f"s{n}", title=f"Series {n}") for n in range(SERIES)}
    for day in range(DAYS):
        now = START + timedelta(days=day)
        _day(data, day, now)
        if retention:
            data.prune(now, KEEP)
    start = time.perf_counter()
    encoded = encode(data)
    encoding = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    text = json.dumps({"version": 1, "data": encoded})
    dumping = (time.perf_counter() - start) * 1000
    return data.size() + len(data.episodes), len(text.encode()), encoding, dumping


def main() -> None:
    """Print the year with and without the retention rule."""
    print(
        f"store: a year of a {SERIES}-series household (decisions, downloads, requests, upgrades)"
    )
    for label, retention in (("90-day retention", True), ("kept whole (anchor)", False)):
        records, size, encoding, dumping = year(retention)
        print(
            f"  {label:20} {records:7,} records, {size / 1e6:5.1f} MB store file; one save:"
            f" {encoding:5.0f} ms encoding (event loop) + {dumping:5.0f} ms JSON (executor)"
        )


if __name__ == "__main__":
    main()
