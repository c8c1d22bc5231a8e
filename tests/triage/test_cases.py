"""Every development case gives exactly its expected disposition, via the library and the CLI.

The cases are the project's own copy (tests/triage/cases/, from the shared development set of policy
v2); no test reads outside the repository.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from spasmcare.cli import main
from spasmcare.knowledge import KnowledgeBase
from spasmcare.triage import evaluate, parse_intake
from tests.conftest import CASES_DIR, ROOT, load_cases
from tests.triage.reference_policy_v2 import reference_disposition, reference_rules

CASES = load_cases()


def test_cases_live_in_the_repository() -> None:
    assert CASES_DIR.resolve().is_relative_to(ROOT.resolve())
    assert len(CASES) >= 94
    assert len({c["id"] for c in CASES}) == len(CASES)
    assert {c["expected"] for c in CASES} == {"emergency", "urgent", "soon", "self_care"}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_by_reference_policy_v2(case: dict[str, Any]) -> None:
    """The hand-written v2 if-chain agrees with every case (a check on the reference itself)."""
    assert reference_disposition(case["intake"]) == case["expected"], (
        case["why"],
        reference_rules(case["intake"]),
    )


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_through_library(case: dict[str, Any], kb: KnowledgeBase) -> None:
    result = evaluate(parse_intake(case["intake"], kb), kb)
    assert result.disposition.value == case["expected"], (case["story"], result.rules)
    assert result.knowledge_version == kb.version
    assert list(result.rules) == reference_rules(parse_intake(case["intake"], kb)), case["why"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_through_cli(
    case: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(case["intake"]), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["triage", "--input", str(path), "--json"])
    assert exit_info.value.code in (0, None)
    out = json.loads(capsys.readouterr().out)
    assert out["disposition"] == case["expected"]
    assert set(out) >= {"disposition", "reasons", "unanswered", "knowledge_version", "complete"}
    for reason in out["reasons"]:
        assert set(reason) >= {"rule", "title", "advice", "sources"}
        assert reason["sources"], reason["rule"]


def test_cli_subprocess_reads_stdin(cases: list[dict[str, Any]]) -> None:
    """The installed command, as a user runs it: intake on standard input, JSON out, exit 0."""
    case = next(c for c in cases if c["expected"] == "emergency")
    proc = subprocess.run(
        [sys.executable, "-m", "spasmcare", "triage", "--input", "-", "--json"],
        input=json.dumps(case["intake"]),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["disposition"] == "emergency"
    assert "Traceback" not in proc.stderr


def test_every_case_rule_is_explained(cases: list[dict[str, Any]], kb: KnowledgeBase) -> None:
    """A non-self-care result always names the rules that decided it, each with advice."""
    for case in cases:
        result = evaluate(parse_intake(case["intake"], kb), kb)
        if result.disposition.value != "self_care":
            assert result.reasons and result.reasons[0].disposition == result.disposition
            assert all(r.advice and r.sources for r in result.reasons)
