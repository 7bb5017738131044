"""Imports point down: the lifecycle, the register and the villages import nothing of the apps above them."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Floors from the top (style.md "Layout"); the demo generators are the top floor wherever they live today.
FLOORS = [{"config"}, {"demo"}, {"reports"}, {"checks", "programs", "cadres"}, {"lifecycle"}, {"households"},
          {"villages"}, {"core"}]  # fmt: skip
DEMO_FILES = {"demo.py", "seed_demo.py"}


def above(app: str) -> set[str]:
    floor = next(i for i, apps in enumerate(FLOORS) if app in apps)
    return set().union(*FLOORS[:floor])


def imported_apps(path: Path) -> set[str]:
    """Top-level packages a module imports, wherever the import stands (inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("app", ["lifecycle", "households", "villages"])
def test_an_app_imports_nothing_from_the_floors_above_it(app):
    """Given an app below the checks, none of its modules (migrations and demo generators aside) imports an app
    above it: the checks reach the lifecycle through its hooks, the lifecycle reaches the register's timeline
    through the register's hooks."""
    offending = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) & above(app))
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and path.name not in DEMO_FILES
    }
    assert {path: apps for path, apps in offending.items() if apps} == {}
