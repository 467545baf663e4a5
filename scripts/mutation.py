"""Mutation testing of the code behind Plex Kiosk's safety promises (run by ``scripts/mutation``).

Each target names a module, the functions that hold a promise, and the tests that defend it.
Every small change below is made, one at a time, to a copy of the repository; the target's
tests run against it; a change no test notices *survives*. Changes: a comparison turned
(``<`` ↔ ``<=``, ``==`` ↔ ``!=``, ``in`` ↔ ``not in``…), ``and`` ↔ ``or``, a ``not`` dropped,
a condition negated, ``True`` ↔ ``False``, a number moved by one, a statement (a call, a
``raise``, an assignment) removed, a ``return`` value replaced by ``None``.

    scripts/mutation [TARGET…] [--jobs N]     (targets: the keys of TARGETS; default all)

Prints each target's score and its surviving changes (line and the changed line). Mutants
listed in ``docs/mutation.md`` as equivalent (same behaviour, so no test can see them) are
counted apart. Not run by CI: it takes minutes on this machine."""

from __future__ import annotations

import argparse
import ast
import copy
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from queue import Queue

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "custom_components/plex_kiosk"
EQUIVALENT = ROOT / "docs" / "mutation.md"


@dataclass(frozen=True)
class Target:
    """A module, its guarded functions (``Class.method`` or ``function``), their tests."""

    module: str
    functions: tuple[str, ...]
    tests: tuple[str, ...]


CS = "tests/test_crash_safety.py::"
GG = "tests/test_grab_guards.py::"
TARGETS: dict[str, Target] = {
    "grabber": Target(
        "acquire/grabber.py",
        ("check_files", "Grabber._source", "Grabber.grab", "Grabber.known"),
        (
            f"{GG}test_file_list_check",
            f"{GG}test_no_file_list_no_start",
            f"{GG}test_refused_torrent_never_starts",
            f"{GG}test_every_refusal_before_the_file_check",
            f"{GG}test_a_torrent_the_user_already_has",
            f"{CS}test_feed_hash_that_lies_is_refused",
            f"{CS}test_only_its_own_torrents_are_touched",
            f"{CS}test_link_redirecting_to_a_magnet",
            "tests/test_acquire.py::test_download_imported_hardlinked_and_refreshed",
        ),
    ),
    "importer": Target(
        "acquire/importer.py",
        (
            "_videos",
            "main_video",
            "pack_episodes",
            "same_file",
            "link_no_overwrite",
            "place",
            "confined",
            "import_file",
        ),
        (
            "tests/test_media.py",
            f"{CS}test_pack_keeps_the_largest_file_per_episode_and_no_sample",
            f"{CS}test_import_probes_before_placing_and_stays_inside",
            f"{CS}test_placing_is_idempotent_and_never_overwrites",
            f"{CS}test_recycle_folder_is_never_followed_nor_emptied_whole",
            f"{CS}test_settle_reads_the_disk",
        ),
    ),
    "naming": Target(
        "engine/naming.py",
        ("printable", "sanitize", "_fill", "_plain_fields", "check_template", "inside"),
        (
            "tests/test_media.py",
            f"{CS}test_names_fit_every_file_system",
            f"{CS}test_templates_refuse_attributes_and_huge_widths",
        ),
    ),
    "replace": Target(
        "upgrade/replace.py",
        (
            "_move",
            "plan",
            "_recycle_folder",
            "_park",
            "swap",
            "settle",
            "restore",
            "_own_folder",
            "purge",
        ),
        (
            f"{CS}test_settle_reads_the_disk",
            f"{CS}test_swap_and_undo_guards_on_disk",
            f"{CS}test_recycle_folder_is_never_followed_nor_emptied_whole",
            "tests/test_upgrades.py::test_swap_puts_the_old_file_back_when_the_new_one_cannot_be_placed",
            "tests/test_upgrades.py::test_swap_across_a_mount_inside_the_library",
            "tests/test_upgrades.py::test_restore_never_overwrites",
            f"{GG}test_undo_rolls_back_when_the_old_file_cannot_return",
        ),
    ),
    "filters": Target(
        "engine/selection.py",
        ("_filter", "_numbering_problem", "_size_problem"),
        ("tests/test_selection.py",),
    ),
    "tags": Target(
        "engine/tags.py",
        ("french", "audio_class"),
        ("tests/test_release.py",),
    ),
    "torrent": Target(
        "engine/torrent.py",
        ("_end", "info_hash", "normal_hash", "magnet_hash"),
        (
            f"{CS}test_info_hash_is_computed",
            f"{CS}test_broken_torrents_are_refused",
            f"{CS}test_info_hash_skips_what_comes_before_info",
            f"{CS}test_magnets_without_a_btih_have_no_hash",
            f"{CS}test_link_redirecting_to_a_magnet",
        ),
    ),
    "request_limit": Target(
        "acquire/requests.py",
        ("RequestManager.used", "RequestManager._reserve"),
        (
            "tests/test_permissions.py::test_request_limit_holds_under_concurrency",
            "tests/test_permissions.py::test_each_season_counts_and_the_window_moves",
            "tests/test_permissions.py::test_only_automations_escape_the_request_limit",
            "tests/test_requests.py",
        ),
    ),
    "permissions": Target(
        "permissions.py",
        ("AdminOnly.__init__", "caller_of", "require_admin", "admin_action"),
        ("tests/test_permissions.py",),
    ),
    "redaction": Target(
        "clients/errors.py",
        ("clean", "ClientError.__init__"),
        (
            "tests/test_permissions.py::test_clean_strips_credentials_and_queries",
            "tests/test_permissions.py::test_client_errors_never_carry_a_key",
            "tests/test_permissions.py::test_error_texts_carry_no_key",
            "tests/test_diagnostics.py",
        ),
    ),
    "diagnostics": Target(
        "diagnostics.py",
        ("async_get_config_entry_diagnostics",),
        ("tests/test_diagnostics.py",),
    ),
    "llm": Target(
        "ai/llm.py",
        ("parse", "LLM.calls_today", "LLM.ask"),
        (
            "tests/test_ai.py::test_every_answer_a_model_gives",
            "tests/test_ai.py::test_the_daily_budget",
            "tests/test_ai.py::test_a_server_that_refuses_think_is_asked_without_it",
            "tests/test_ai.py::test_an_injected_name_obeyed_by_the_model_stays_within_the_rules",
        ),
    ),
    "rerank": Target(
        "ai/rerank.py",
        ("drop_invented", "ModelReranker.rerank"),
        ("tests/test_ai.py",),
    ),
    "untrusted": Target(
        "ai/untrusted.py",
        ("capped", "block"),
        (
            "tests/test_ai.py::test_outside_text_cannot_close_its_block",
            "tests/test_ai.py::test_an_injected_name_obeyed_by_the_model_stays_within_the_rules",
        ),
    ),
    "schema": Target("ai/schema.py", ("error",), ("tests/test_ai.py",)),
    "who_answers": Target(
        "answers.py",
        ("tapper", "_answer"),
        ("tests/test_notifications.py",),
    ),
    "proposals": Target(
        "ai/chat.py",
        ("Assistant.ask_approval", "Assistant.pending", "Assistant.confirm", "Assistant._use"),
        ("tests/test_chat.py", "tests/test_notifications.py"),
    ),
    "requested_for": Target(
        "services.py",
        ("_requester", "_request"),
        (
            "tests/test_notifications.py",
            "tests/test_permissions.py::test_only_an_administrator_requests_for_someone_else",
            "tests/test_permissions.py::test_request_limit_holds_under_concurrency",
            "tests/test_permissions.py::test_only_automations_escape_the_request_limit",
        ),
    ),
    "panel": Target(
        "websocket_panel.py",
        ("ws_calendar", "calendar_view", "ws_request_limit", "library_view", "_known_ids"),
        ("tests/test_panel.py",),
    ),
    "retry": Target(
        "follow/manager.py",
        ("FollowManager.retry",),
        ("tests/test_panel.py::test_a_failed_episode_is_searched_again_from_the_downloads_view",),
    ),
    "health": Target(
        "engine/health.py",
        ("_codes", "item_findings", "missing_episodes", "assess", "incomplete_collections"),
        ("tests/test_reports.py",),
    ),
}

_FLIP = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}  # fmt: skip


def _none(value: ast.expr | None) -> bool:
    """``return`` / ``return None``: replacing it by None changes nothing."""
    return value is None or (isinstance(value, ast.Constant) and value.value is None)


def _sites(node: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """Every place in ``node`` a change can be made, with the kind of change."""
    for child in ast.walk(node):
        if isinstance(child, ast.Compare):
            yield child, "compare"
        elif isinstance(child, ast.BoolOp):
            yield child, "boolop"
        elif isinstance(child, ast.UnaryOp) and isinstance(child.op, ast.Not):
            yield child, "not"
        elif isinstance(child, ast.If | ast.While | ast.IfExp):
            yield child, "negate"
        elif isinstance(child, ast.Constant) and isinstance(child.value, bool):
            yield child, "bool"
        elif isinstance(child, ast.Constant) and type(child.value) is int:
            yield child, "number"
        elif isinstance(child, ast.Expr | ast.Raise | ast.Assign | ast.AugAssign | ast.Delete):
            yield child, "remove"
        elif isinstance(child, ast.Return) and not (
            child.value is None
            or (isinstance(child.value, ast.Constant) and child.value.value is None)
        ):
            yield child, "return"


class _Mutate(ast.NodeTransformer):
    """Apply one change (the ``index``-th site) to a copy of the tree."""

    def __init__(self, site: ast.AST, kind: str) -> None:
        self.site, self.kind = site, kind

    def visit(self, node: ast.AST) -> ast.AST | None:
        if node is not self.site:
            return super().visit(node)
        if self.kind == "compare":
            node.ops = [_FLIP.get(type(op), type(op))() for op in node.ops]  # type: ignore[attr-defined]
        elif self.kind == "boolop":
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()  # type: ignore[attr-defined]
        elif self.kind == "not":
            return node.operand  # type: ignore[attr-defined, no-any-return]
        elif self.kind == "negate":
            node.test = ast.UnaryOp(ast.Not(), node.test)  # type: ignore[attr-defined]
        elif self.kind == "bool":
            node.value = not node.value  # type: ignore[attr-defined]
        elif self.kind == "number":
            node.value += 1  # type: ignore[attr-defined]
        elif self.kind == "remove":
            return ast.Pass()
        elif self.kind == "return":
            node.value = ast.Constant(None)  # type: ignore[attr-defined]
        return node


def _functions(tree: ast.Module, names: tuple[str, ...]) -> Iterator[ast.AST]:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in names:
            yield node
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if (
                    isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                    and f"{node.name}.{item.name}" in names
                ):
                    yield item


@dataclass(frozen=True)
class Mutant:
    """One changed version of a module."""

    target: str
    line: int
    kind: str
    source: str
    shown: str

    @property
    def key(self) -> str:
        """How ``docs/mutation.md`` names it: ``target:line:kind``."""
        return f"{self.target}:{self.line}:{self.kind}"


def mutants(name: str, target: Target) -> list[Mutant]:
    """Every single change of the target's functions."""
    source = (ROOT / PACKAGE / target.module).read_text(encoding="utf-8")
    tree = ast.parse(source)
    found = []
    for function in _functions(tree, target.functions):
        docstring = ast.get_docstring(function) is not None  # type: ignore[arg-type]
        for index, (site, kind) in enumerate(_sites(function)):
            if docstring and site is function.body[0]:  # type: ignore[attr-defined]
                continue
            changed = copy.deepcopy(tree)
            twin = list(_sites(next(_functions(changed, (_qualified(function, tree),)))))[index]
            mutated = _Mutate(*twin).visit(changed)
            ast.fix_missing_locations(mutated)
            line = getattr(site, "lineno", 0)
            shown = source.splitlines()[line - 1].strip() if line else ""
            found.append(Mutant(name, line, kind, ast.unparse(mutated), shown))
    return found


def _qualified(function: ast.AST, tree: ast.Module) -> str:
    for node in tree.body:
        if node is function:
            return function.name  # type: ignore[attr-defined, no-any-return]
        if isinstance(node, ast.ClassDef) and function in node.body:
            return f"{node.name}.{function.name}"  # type: ignore[attr-defined]
    raise LookupError


def _workspace() -> Path:
    """A copy of the repository (sources, tests, settings) that mutants may change."""
    folder = Path(tempfile.mkdtemp(prefix="plex-kiosk-mutation-"))
    for part in ("custom_components", "tests", "pyproject.toml"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, folder / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, folder / part)
    return folder


def _run(workspace: Path, mutant: Mutant, target: Target) -> bool:
    """True when a test fails (the mutant is killed)."""
    path = workspace / PACKAGE / target.module
    original = path.read_text(encoding="utf-8")
    path.write_text(mutant.source, encoding="utf-8")
    scratch = Path(tempfile.mkdtemp(prefix="scratch-", dir=workspace))  # a mutant that
    try:  # deletes "." (an empty path made absolute) deletes only this
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:sugar", "--timeout=45",
             "-c", str(workspace / "pyproject.toml"), "--rootdir", str(workspace),
             *(str(workspace / test) for test in target.tests)],
            cwd=scratch,
            env={**os.environ, "PYTHONPATH": str(workspace), "PYTHONDONTWRITEBYTECODE": "1"},
            capture_output=True,
            timeout=900,
            check=False,
        )  # fmt: skip
        return result.returncode != 0
    except subprocess.TimeoutExpired:
        return True
    finally:
        path.write_text(original, encoding="utf-8")
        shutil.rmtree(scratch, ignore_errors=True)


def equivalent() -> set[str]:
    """Mutants documented as equivalent: ``target:line:kind`` at the start of a table row."""
    if not EQUIVALENT.exists():
        return set()
    return set(re.findall(r"^\| `(\w+:\d+:\w+)` \|", EQUIVALENT.read_text(), re.MULTILINE))


def main() -> int:
    """Run the targets; print scores and survivors; exit 1 under 90 % on any target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", default=list(TARGETS), help=", ".join(TARGETS))
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if unknown := set(args.targets) - set(TARGETS):
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}")
    known = equivalent()
    workspaces: Queue[Path] = Queue()
    for _ in range(args.jobs):
        workspaces.put(_workspace())
    below = False
    for name in args.targets:
        target = TARGETS[name]
        todo = mutants(name, target)

        def job(mutant: Mutant, target: Target = target) -> tuple[Mutant, bool]:
            workspace = workspaces.get()
            try:
                return mutant, _run(workspace, mutant, target)
            finally:
                workspaces.put(workspace)

        with ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(job, todo))
        survivors = [m for m, killed in results if not killed and m.key not in known]
        counted = [m for m, _ in results if m.key not in known]
        score = 100 * (len(counted) - len(survivors)) / len(counted) if counted else 100.0
        below |= score < 90
        print(
            f"{name:14} {target.module:24} {len(counted) - len(survivors):4}/{len(counted):<4}"
            f" killed  {score:5.1f} %  ({len(results) - len(counted)} equivalent)",
            flush=True,
        )
        for mutant in survivors:
            print(f"    survived {mutant.key:28} {mutant.shown}", flush=True)
    while not workspaces.empty():
        shutil.rmtree(workspaces.get(), ignore_errors=True)
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
