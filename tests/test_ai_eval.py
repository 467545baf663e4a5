"""``benchmarks/ai_eval.py`` against the sandbox's Ollama, as a user runs it against theirs."""

from __future__ import annotations

import pytest

from benchmarks import ai_eval
from tests.conftest import MODEL


@pytest.mark.usefixtures("socket_enabled")
def test_the_evaluation_runs_and_counts(
    sandbox: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Every case is asked; the sandbox's model, which follows the schema and keeps the
    engine's order, gives valid JSON that keeps the rules every time; the table is printed."""
    results = ai_eval.main([sandbox["ollama"], MODEL, "--timeout", "30"])
    rerank, report = results["rerank"], results["report"]
    assert (rerank.asked, report.asked) == (len(ai_eval.RERANK_CASES), 2)
    assert rerank.valid == rerank.agreed == rerank.asked
    assert report.valid == report.agreed == report.asked
    printed = capsys.readouterr().out
    assert printed.count("JSON valid 100.0%") == 2
