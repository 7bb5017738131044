"""The floors of docs/architecture.md hold: the import contracts of pyproject.toml, checked by import-linter.

CI runs `lint-imports` too; this test makes `make test` alone catch an import that points up.
"""

from pathlib import Path

from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_imports_point_down_and_rule_modules_stay_pure(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == EXIT_STATUS_SUCCESS
