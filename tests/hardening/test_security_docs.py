"""README's "Sécurité" table names the test that proves each guard: those tests exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_test_named_in_the_security_section_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Sécurité", 1)[1].split("\n## ", 1)[0]
    named = re.findall(r"`((?:tests/[\w/]+/)?test_\w+\.py)(?:::(\w+))?`", section)
    assert len(named) >= 8
    missing = []
    for path, function in named:
        file = ROOT / path if path.startswith("tests/") else ROOT / "tests" / "hardening" / path
        if not file.exists() or (function and f"def {function}(" not in file.read_text(encoding="utf-8")):
            missing.append(f"{path}::{function}" if function else path)
    assert not missing, missing
