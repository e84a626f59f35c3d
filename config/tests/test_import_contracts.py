"""The import contracts of `make lint` (pyproject.toml, [tool.importlinter]) hold on the project and
break on a forbidden import: lint-imports runs on a copy of the packages, then on the copy with one
forbidden import written into it."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

# The packages the contracts cover, as pyproject.toml names them (an app added there is copied too).
PACKAGES = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())["tool"]["importlinter"][
    "root_packages"
]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


@pytest.fixture
def tree(tmp_path) -> Path:
    root = Path(settings.BASE_DIR)
    for package in PACKAGES:
        shutil.copytree(root / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(root / "pyproject.toml", tmp_path)
    return tmp_path


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    if not LINT_IMPORTS.exists():
        pytest.skip(f"needs import-linter in the environment ({LINT_IMPORTS}): make install-dev")
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=tree, capture_output=True, text=True, env={"PYTHONPATH": str(tree)}
    )


def write_import(module: Path, line: str) -> None:
    module.write_text(f"{line}\n{module.read_text()}")


def test_the_project_keeps_its_contracts(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("finance/services/__init__.py", "import alerts.selectors  # noqa", "Apps depend one way"),
        ("core/months.py", "import users.models  # noqa", "Apps depend one way"),
        ("alerts/rules.py", "import django.db  # noqa", "The pure cores import no Django"),
        (
            "insights/analytics/signals.py",
            "from django.utils import timezone  # noqa",
            "The pure cores import no Django",
        ),
        ("operators/views.py", "from alerts.models import Delivery  # noqa", "alerts' tables through alerts.selectors"),
        (
            "insights/wording.py",
            "from finance.models import Budget  # noqa",
            "finance's tables through finance.selectors",
        ),
    ],
)
def test_a_forbidden_import_breaks_its_contract(tree, module, line, contract):
    write_import(tree / module, line)
    result = lint_imports(tree)
    assert result.returncode != 0
    broken = result.stdout[result.stdout.index("Broken contracts") :]
    assert contract in broken and module.removesuffix(".py").replace("/", ".").removesuffix(".__init__") in broken
