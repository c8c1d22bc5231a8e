"""`spasmcare triage` and `spasmcare rules` as a user runs them: exit codes, messages, the interview."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from spasmcare.knowledge import load_knowledge
from tests.cli.interview_driver import PROMPTS, drive, option_number

BAD_INTAKES = [
    ({"regions": ["lower_back"]}, ["age: is required"]),
    ({"age": 130, "regions": ["lower_back"]}, ["age: 130 is out of range", "0 to 120"]),
    ({"age": -1, "regions": ["lower_back"]}, ["age: -1 is out of range"]),
    ({"age": "forty", "regions": ["lower_back"]}, ["age: 'forty' is not a whole number"]),
    ({"age": 40, "regions": []}, ["regions"]),
    ({"age": 40, "regions": ["lowerback"]}, ["regions[0]", "'lower_back'"]),
    ({"age": 40, "regions": ["neck"], "pain": 11}, ["pain: 11 is out of range", "0 to 10"]),
    ({"age": 40, "regions": ["neck"], "pain": 5.5}, ["pain: 5.5 is not a whole number"]),
    (
        {"age": 40, "regions": ["neck"], "findings": {"feverr": True}},
        ["findings.feverr", "did you mean fever"],
    ),
    (
        {"age": 40, "regions": ["neck"], "findings": {"fever": "yes"}},
        ["findings.fever: 'yes' is not an allowed value", "true, false or 'unsure'"],
    ),
    ({"age": 40, "regions": ["neck"], "onset": "fast"}, ["onset", "'sudden'"]),
    ({"age": 40, "regions": ["neck"], "duration_days": -2}, ["duration_days"]),
    (
        {"age": 40, "regions": ["neck"], "colour": "red"},
        ["unknown field 'colour'", "allowed: age, regions"],
    ),
    ({"age": 40, "regions": ["neck"], "conditions": ["flu"]}, ["conditions[0]", "kidney_disease"]),
    (
        {"age": 40, "regions": ["neck"], "pregnancy_weeks": 12},
        ["pregnancy_weeks", "only allowed when pregnant"],
    ),
    (
        {"age": 40, "regions": ["neck"], "sex": "female", "pregnant": True, "pregnancy_weeks": 50},
        ["pregnancy_weeks: 50 is out of range", "1 to 45"],
    ),
    ({"age": 40, "regions": ["neck"], "alcohol_drinks_per_day": -1}, ["alcohol_drinks_per_day"]),
    ([1, 2, 3], ["must be a JSON object"]),
]


def _run(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spasmcare", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )


@pytest.mark.parametrize(
    ("data", "expected"), BAD_INTAKES, ids=[str(i) for i in range(len(BAD_INTAKES))]
)
def test_bad_intake_exit_2_with_message(
    data: object, expected: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from spasmcare.cli import main

    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SystemExit) as info:
        main(["triage", "--input", str(path), "--json"])
    assert info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    for text in expected:
        assert text in captured.err, (text, captured.err)


def test_bad_intake_in_a_real_process_has_no_traceback() -> None:
    proc = _run(
        ["triage", "--input", "-", "--json"],
        json.dumps({"age": 40, "regions": ["neck"], "pain": 11}),
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert "pain: 11 is out of range" in proc.stderr and "Traceback" not in proc.stderr


def test_broken_json_and_missing_file() -> None:
    proc = _run(["triage", "--input", "-"], '{"age": 40,')
    assert proc.returncode == 2 and "not valid JSON" in proc.stderr and "line 1" in proc.stderr
    proc = _run(["triage", "--input", "/nonexistent/intake.json"])
    assert proc.returncode == 2 and "file not found" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_case_file_gets_a_hint(tmp_path: Path) -> None:
    proc = _run(
        ["triage", "--input", "-"],
        json.dumps({"id": "x", "intake": {"age": 4}, "expected": "urgent"}),
    )
    assert proc.returncode == 2 and "looks like a case file" in proc.stderr


def test_human_output_names_rules_sources_and_version() -> None:
    intake = {
        "age": 45,
        "regions": ["lower_back"],
        "findings": {"fever": True, "injects_drugs": True},
    }
    proc = _run(["triage", "--input", "-"], json.dumps(intake))
    assert proc.returncode == 0, proc.stderr
    kb = load_knowledge()
    titles = {r.id: r.title for r in kb.rules}
    text = " ".join(proc.stdout.split())
    assert "EMERGENCY" in proc.stdout and titles["E3"] in text and titles["U1"] in text
    assert not re.search(r"\b[EUSN]\d{1,2}\b", proc.stdout), "no rule codes (issue 12)"
    assert "Finucane" in proc.stdout and f"Advice version {kb.version}" in proc.stdout
    assert proc.stdout.count("not a diagnosis") == 1


def test_incomplete_self_care_says_what_remains() -> None:
    proc = _run(["triage", "--input", "-"], json.dumps({"age": 30, "regions": ["neck"]}))
    assert proc.returncode == 0
    assert "not complete" in proc.stdout and "Questions not answered yet" in proc.stdout


def test_emergency_number_option() -> None:
    intake = {"age": 60, "regions": ["upper_back"], "findings": {"chest_pain": True}}
    proc = _run(
        ["triage", "--input", "-", "--json", "--emergency-number", "000"], json.dumps(intake)
    )
    assert "Call 000" in json.loads(proc.stdout)["instruction"]
    env_proc = subprocess.run(
        [sys.executable, "-m", "spasmcare", "triage", "--input", "-", "--json"],
        input=json.dumps(intake),
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SPASMCARE_EMERGENCY_NUMBER": "111"},
    )
    assert "Call 111" in json.loads(env_proc.stdout)["instruction"]


def test_rules_lists_every_rule_with_sources() -> None:
    kb = load_knowledge()
    proc = _run(["rules", "--json"])
    data = json.loads(proc.stdout)
    assert data["knowledge_version"] == kb.version
    ids = [r["id"] for r in data["rules"]]
    assert ids[:3] == ["E1", "E2", "E3"] and len(ids) == len(kb.rules)
    assert all(r["sources"] for r in data["rules"])
    old = json.loads(_run(["rules", "--json", "--knowledge-version", "1.0.0"]).stdout)
    assert old["knowledge_version"] == "1.0.0" and len(old["rules"]) == 33
    findings = json.loads(_run(["rules", "--findings", "--json"]).stdout)
    assert any(f["id"] == "saddle_numbness" for f in findings)


def _spawn_triage() -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "spasmcare", "triage"],
        encoding="utf-8",
        timeout=20,
        env={**os.environ, "COLUMNS": "120", "TERM": "dumb"},
    )


def _finish(child: pexpect.spawn, offer: str | None) -> None:
    if offer is not None:
        child.expect(offer)
        child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_interactive_interview_to_emergency() -> None:
    kb = load_knowledge()
    bladder = re.escape(kb.findings["bladder_dysfunction"].label)
    child = _spawn_triage()
    result, _ = drive(
        child,
        rules=[
            ("How old are you", "50"),
            ("Where is the spasm", "4"),  # lower back
            (bladder, lambda screen: option_number(screen, bladder) or "y"),
        ],
    )
    assert result == "EMERGENCY"
    child.expect("base of the spine")  # the rule's title, in words (no rule code: issue 12)
    _finish(child, None)


def test_interactive_interview_rejects_bad_answers_then_continues() -> None:
    chest = re.escape(load_knowledge().findings["chest_pain"].label)
    child = _spawn_triage()
    child.expect("How old are you")
    child.expect(PROMPTS["number"])
    for typed, message in [("two hundred", "Please type a number"), ("200", "out of range")]:
        child.sendline(typed)
        child.expect(message)
        child.expect(PROMPTS["number"])  # asked again
    child.sendline("35")
    child.expect("Where is the spasm")
    child.expect(PROMPTS["multi"])
    for typed, message in [
        ("9", r"Please use the numbers shown \(1 to 8\)"),
        ("", "Please answer: type the numbers that apply"),
    ]:
        child.sendline(typed)
        child.expect(message)
        child.expect(PROMPTS["multi"])
    child.sendline("1")  # neck
    result, answers = drive(
        child, rules=[(chest, lambda screen: option_number(screen, chest) or "y")]
    )
    assert result == "EMERGENCY"
    assert not answers.rules, "the chest pain question was not asked"
    assert answers.log[0][0] == "names"  # the next question after the regions
    _finish(child, None)


def test_interactive_interview_to_self_care() -> None:
    child = _spawn_triage()
    result, answers = drive(child)
    assert result == "SELF-CARE", answers.log[-3:]
    kinds = {kind for kind, _, _ in answers.log}
    assert {"number", "multi", "checklist", "choice"} <= kinds
    _finish(child, "Would you like a care plan")  # the interview ends by offering the plan
