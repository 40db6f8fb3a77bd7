"""The engine is provably pure, every rule of REGLEMENT.md has its one place and its test,
and the maquette of the tests is Annexe 3's."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .qlio_maquette import QLIO, check_sums

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "juries" / "rules"
TESTS = ROOT / "tests" / "rules"

RULE_IDS = (
    [f"A{i}" for i in range(1, 10)]
    + [f"S{i}" for i in range(1, 5)]
    + [f"E{i}" for i in range(1, 4)]
    + [f"V{i}" for i in range(1, 7)]
    + [f"C{i}" for i in range(1, 5)]
    + [f"P{i}" for i in range(1, 6)]
    + [f"R{i}" for i in range(1, 5)]
    + ["D1", "D2", "M1", "M2", "M3", "F1", "F2"]
)


def _reglement() -> Path | None:
    for base in (ROOT.parent / "shared", ROOT / "shared", ROOT / "docs"):
        path = base / "docs" / "REGLEMENT.md" if base.name == "shared" else base / "REGLEMENT.md"
        if path.exists():
            return path
    return None


def test_importing_the_engine_loads_no_django():
    code = (
        "import sys, juries.rules, juries.rules.engine\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_the_rule_ids_are_those_of_reglement_md():
    path = _reglement()
    if path is None:
        pytest.skip("REGLEMENT.md not found beside the repository")
    found = re.findall(r"^- \*\*([A-Z]\d+)(?: \[interp\])?\*\*", path.read_text(encoding="utf-8"), re.M)
    assert sorted(found) == sorted(RULE_IDS)


def _docstrings() -> dict[str, list[str]]:
    owners: dict[str, list[str]] = {}
    for path in sorted(RULES.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                doc = ast.get_docstring(node) or ""
                match = re.match(r"([A-Z]\d+) — « ", doc)
                if match:
                    owners.setdefault(match.group(1), []).append(f"{path.name}:{node.name}")
    return owners


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_is_implemented_in_exactly_one_function(rule_id):
    owners = _docstrings().get(rule_id, [])
    assert len(owners) == 1, f"{rule_id}: {owners}"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_has_a_test_named_after_it(rule_id):
    pattern = re.compile(rf"def test_(?:[a-z0-9]+_)*{rule_id.lower()}_")
    sources = "\n".join(p.read_text(encoding="utf-8") for p in TESTS.glob("test_*.py"))
    assert pattern.search(sources), f"no test named after {rule_id}"


def test_no_float_in_the_engine():
    for path in RULES.glob("*.py"):
        assert "float(" not in path.read_text(encoding="utf-8") or path.name == "results.py", path


def test_the_qlio_maquette_adds_up():
    # Each pole's coefficients add up to its ECTS, the poles to the UE, a semester to 30.
    assert check_sums(QLIO) == []
    assert sum(ue.ects for ue in QLIO.ues) == 180
    assert len(QLIO.ues) == 22
