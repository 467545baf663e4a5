"""Never another show's episode: the title-family corpus (remakes, national versions) judged
by the engine, with what it knows of each followed show (premiere year, country, whether an
earlier show has the title) against the title alone, in one run.

Goal: zero wrong-show acceptances, no right release lost."""

from __future__ import annotations

import time

from tests.data.title_families import verdicts


def judge(knows_the_family: bool) -> tuple[int, int, int, float]:
    """(cases, wrong-show acceptances, right releases lost, milliseconds)."""
    start = time.perf_counter()
    cases = list(verdicts(knows_the_family))
    elapsed = (time.perf_counter() - start) * 1000
    wrong = sum(1 for _, _, belongs, rejected in cases if not belongs and rejected is None)
    lost = sum(1 for _, _, belongs, rejected in cases if belongs and rejected is not None)
    return len(cases), wrong, lost, elapsed


def main() -> None:
    """Print both judgements side by side."""
    print("other show: title families (remakes, national versions)")
    for label, knows in (("year, country, owner", True), ("title alone (anchor)", False)):
        cases, wrong, lost, elapsed = judge(knows)
        print(
            f"  {label:22} {cases} cases: {wrong} wrong-show acceptances,"
            f" {lost} right releases lost ({elapsed:.0f} ms)"
        )


if __name__ == "__main__":
    main()
