"""The arrows between apps run one way (pyproject.toml's import-linter contracts): a wrong one fails the suite."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = ("conect", "labs", "practices", "networks", "activities", "library", "indicators", "partners", "opendata")


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy_of_the_code(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc", "data", "locale"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_apps_keep_their_import_contracts():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_core_importing_an_app_breaks_a_contract(tmp_path):
    root = _copy_of_the_code(tmp_path)
    (root / "conect" / "wrong_arrow.py").write_text("from labs.models import Lab\n")
    result = _lint(root)
    assert result.returncode != 0
    assert "The core knows no app" in result.stdout and "BROKEN" in result.stdout


def test_labs_importing_practices_breaks_a_contract(tmp_path):
    root = _copy_of_the_code(tmp_path)
    (root / "labs" / "wrong_arrow.py").write_text("from practices.models import Practice\n")
    result = _lint(root)
    assert result.returncode != 0
    assert "labs.wrong_arrow -> practices.models" in result.stdout
