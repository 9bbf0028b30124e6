"""The import rules of ARCHITECTURE.md, checked on the source: a border crossed fails here, not in review."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import sys
import textwrap
from pathlib import Path

import pytest

from kiwibot.core.base import KiwiBase
from kiwibot.core.service import Kiwi

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
    "reports": {"core", "i18n"},
}
# libraries that speak to the outside world: only adapters may use them
OUTSIDE = {"nio", "aiohttp", "apscheduler", "sqlite3", "sqlite_utils", "matplotlib"}
OUTSIDE_ALLOWED = {
    "storage": {"sqlite3", "sqlite_utils"},
    "scheduling": {"apscheduler"},
    "web": {"aiohttp"},
    "reports": {"matplotlib"},
}


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


# -- the core's use cases: one facade, areas that read alone ----------------------------------


def _core_classes() -> list[type]:
    """Every class defined in a module of core/, imported for real so inheritance can be asked."""
    found: list[type] = []
    for path in sorted((ROOT / "core").rglob("*.py")):
        module = importlib.import_module(".".join(path.relative_to(ROOT.parent).with_suffix("").parts))
        found += [
            value for value in vars(module).values() if isinstance(value, type) and value.__module__ == module.__name__
        ]
    return found


def test_kiwi_is_assembled_from_every_area() -> None:
    """An area module that `Kiwi` does not inherit would be dead code the adapters never reach."""
    areas = {cls for cls in _core_classes() if issubclass(cls, KiwiBase) and cls not in (KiwiBase, Kiwi)}
    assert areas, "no use case areas found"
    assert areas == set(Kiwi.__bases__)


def _self_attributes(tree: ast.AST, *, assigned: bool = False) -> set[str]:
    """The names used as `self.<name>` in `tree` (only those assigned, with `assigned=True`)."""
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
        and (not assigned or isinstance(node.ctx, ast.Store))
    }


def _instance_attributes(cls: type) -> set[str]:
    """Attributes `cls.__init__` assigns to `self` (the ports, the limits' state)."""
    init = vars(cls).get("__init__")
    return _self_attributes(ast.parse(textwrap.dedent(inspect.getsource(init))), assigned=True) if init else set()


def _module_tree(cls: type) -> ast.AST:
    return ast.parse(inspect.getsource(sys.modules[cls.__module__]))


@pytest.mark.parametrize("area", Kiwi.__bases__, ids=lambda cls: cls.__name__)
def test_each_use_case_area_reads_alone(area: type) -> None:
    """An area calls only its own methods and those of `KiwiBase`, never a sibling area's: each module of the
    use cases can be read (and changed) on its own; what two areas need belongs in core/base.py."""
    known = set(vars(area)) | set(dir(KiwiBase)) | _instance_attributes(KiwiBase) | _instance_attributes(area)
    assert _self_attributes(_module_tree(area)) - known == set(), f"{area.__name__} reaches outside itself and KiwiBase"


def test_the_base_reaches_no_area() -> None:
    """The base is what the areas share; if it called into an area, that area could not be read alone."""
    known = set(dir(KiwiBase)) | _instance_attributes(KiwiBase)
    assert _self_attributes(_module_tree(KiwiBase)) - known == set()


def _public_definitions(path: Path) -> list[tuple[str, ast.AST]]:
    """Public functions, classes and methods (of public classes) of one module, with their qualified names."""
    found: list[tuple[str, ast.AST]] = []

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and not child.name.startswith(
                "_"
            ):
                found.append((prefix + child.name, child))
                if isinstance(child, ast.ClassDef):
                    walk(child, f"{prefix}{child.name}.")

    walk(ast.parse(path.read_text(encoding="utf-8")), "")
    return found


def test_the_core_says_why_in_every_public_docstring() -> None:
    """DESIGN.md habit 8: every public function, class and method of core/ (ports included) has a docstring."""
    undocumented = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "core").rglob("*.py"))
        for name, node in _public_definitions(path)
        if ast.get_docstring(node) is None  # type: ignore[arg-type]
    ]
    assert undocumented == []


# -- module size (issue #11.2) ----------------------------------------------------------------

MAX_LINES = 420


# Modules another branch is splitting right now; this list is to be emptied once that work is merged.
def _line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_is_too_long_to_read_at_once() -> None:
    """Guards issue #11.2: a module of kiwibot/ stays small enough to read in one go (about 400 lines);
    split a growing one by area. The message catalogue (i18n/) is exempt: it is a list, not code to follow."""
    too_long = {
        path.relative_to(ROOT).as_posix(): _line_count(path)
        for path in sorted(ROOT.rglob("*.py"))
        if path.relative_to(ROOT).parts[0] != "i18n" and _line_count(path) > MAX_LINES
    }
    assert {name: lines for name, lines in too_long.items()} == {}
