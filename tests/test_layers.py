"""Imports point one way: Home Assistant glue → features → clients and engine.

The features (``acquire`` the common acquisition path, ``follow`` and ``upgrade`` built on
it) never import the glue (set-up, coordinators, actions, websocket, store, entities); the
clients and the engine import no Home Assistant at all, so that they run in benchmarks and
simulations alone."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "custom_components" / "plex_kiosk"
SHARED = {"const", "errors", "models"}
ALLOWED = {
    "engine": {"engine"},
    "clients": {"clients", "engine"},
    "acquire": {"acquire", "clients", "engine"} | SHARED,
    "follow": {"follow", "acquire", "clients", "engine"} | SHARED,
    "upgrade": {"upgrade", "acquire", "clients", "engine"} | SHARED,
}
NO_HOME_ASSISTANT = {"engine", "clients"}


def imports(path: Path, package: Path = PACKAGE) -> set[str]:
    """The top-level parts of the package a module imports, and ``homeassistant``."""
    parts = path.relative_to(package).with_suffix("").parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(parts[:-1])[: len(parts) - node.level]
            target = base + (node.module.split(".") if node.module else [])
            found.add(target[0] if target else "__init__")
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names = (
                [node.module] if isinstance(node, ast.ImportFrom) else [n.name for n in node.names]
            )
            found |= {"homeassistant" for n in names if n and n.split(".")[0] == "homeassistant"}
    return found


def graph() -> dict[str, set[str]]:
    """Each top-level part of the package and the parts it imports (``python -m
    tests.test_layers`` prints it)."""
    edges: dict[str, set[str]] = defaultdict(set)
    for path in sorted(PACKAGE.rglob("*.py")):
        part = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        edges[part] |= imports(path) - {part}
    return edges


def test_imports_point_one_way() -> None:
    """Every module of a layer imports only what its layer may."""
    wrong = []
    for layer, allowed in ALLOWED.items():
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            for target in imports(path) - allowed - {"homeassistant"}:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {target}")
            if layer in NO_HOME_ASSISTANT and "homeassistant" in imports(path):
                wrong.append(f"{path.relative_to(PACKAGE)} imports Home Assistant")
    assert wrong == []


def test_the_rule_sees_a_wrong_import(tmp_path: Path) -> None:
    """Relative imports are read at any depth: a feature importing the glue is seen."""
    (tmp_path / "follow").mkdir()
    probe = tmp_path / "follow" / "probe.py"
    probe.write_text(
        "from ..coordinator import x\nfrom .watcher import y\nimport homeassistant.core\n"
    )
    assert imports(probe, tmp_path) == {"coordinator", "follow", "homeassistant"}


if __name__ == "__main__":
    for part, targets in sorted(graph().items()):
        print(f"{part:14} -> {' '.join(sorted(targets))}")
