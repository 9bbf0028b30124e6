"""The import rules of ARCHITECTURE.md, checked on the source: a border crossed fails here, not in review."""

from __future__ import annotations

import ast
import re
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
    "web": {"core", "i18n", "tasks"},
}
# libraries that speak to the outside world: only adapters may use them
OUTSIDE = {"nio", "aiohttp", "apscheduler", "sqlite3", "sqlite_utils"}
OUTSIDE_ALLOWED = {"storage": {"sqlite3", "sqlite_utils"}, "scheduling": {"apscheduler"}, "web": {"aiohttp"}}


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


# What only a Matrix adapter may know: matrix.to links and matrix: URIs, event and message types, the
# org.matrix namespace, nio.
MATRIX_WORDS = re.compile(
    r"matrix\.to|matrix:[a-z]/|org\.matrix|\bnio\b"
    r"|\bm\.(?:room|reaction|notice|mentions|relates_to|new_content|in_reply_to|thread|replace|annotation"
    r"|text|emote|image|file|audio|video|location|sticker|space|direct|call|key|login|read)\b",
    re.I,
)


def test_the_core_knows_no_matrix() -> None:
    """A second chat platform reuses the core as it is: what it needs of a platform comes through core/ports.py."""
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "core").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if MATRIX_WORDS.search(line)
    ]
    assert found == []


def test_the_matrix_words_are_found_where_they_are() -> None:
    for line in ('"https://matrix.to/#/@a:x"', '{"m.mentions": {}}', "# an m.reaction", "from nio import X"):
        assert MATRIX_WORDS.search(line), line
    for line in ("return m.end()", "matrix of choices", "m.group(1)", "minion"):
        assert not MATRIX_WORDS.search(line), line
