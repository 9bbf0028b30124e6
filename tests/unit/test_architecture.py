"""The import rules of ARCHITECTURE.md, checked on the source: a border crossed fails here, not in review."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "kiwibot"

# folder → the kiwibot folders it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "core": {"i18n"},
    "i18n": set(),
    "commands": {"core", "i18n"},
    "storage": {"core"},
    "scheduling": {"core"},
    "config": set(),
}
# libraries that speak to the outside world: only adapters may use them
OUTSIDE = {"nio", "aiohttp", "apscheduler", "sqlite3", "sqlite_utils"}
OUTSIDE_ALLOWED = {"storage": {"sqlite3", "sqlite_utils"}, "scheduling": {"apscheduler"}}


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("folder", sorted(ALLOWED))
def test_each_folder_imports_only_what_it_may(folder: str) -> None:
    files = sorted((ROOT / folder).rglob("*.py"))
    assert files, folder
    for path in files:
        for name in imports(path):
            parts = name.split(".")
            if parts[0] == "kiwibot" and len(parts) > 1:
                target = parts[1]
                assert target == folder or target in ALLOWED[folder], f"{path.relative_to(ROOT)} imports {name}"
            elif parts[0] in OUTSIDE:
                allowed = OUTSIDE_ALLOWED.get(folder, set())
                assert parts[0] in allowed, f"{path.relative_to(ROOT)} imports {name}"


def test_only_the_composition_root_builds_the_matrix_client() -> None:
    builders = [
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*.py")
        if "new_client(" in path.read_text(encoding="utf-8") and path.name != "login.py"
    ]
    assert builders == ["app.py"]
