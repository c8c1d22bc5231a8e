"""`spasmcare plan` and `spasmcare timer` as a user runs them, and the plan offered after triage."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest

from spasmcare.knowledge import KnowledgeBase, latest_version, load_knowledge
from tests.cli.interview_driver import drive, option_number
from tests.plan.helpers import calm_intake, intake_data


def _main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from spasmcare.cli import main

    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_plan_json_has_the_documented_fields(
    tmp_path: Path, kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, intake_data(medicines=["Advil", "warfarin"]))
    code, out, err = _main(["plan", "--input", path, "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["disposition"] == "self_care"
    assert data["knowledge_version"] == kb.version
    assert {"id", "title", "how", "grade", "sources"} <= set(data["steps"][0])
    by_id = {m["id"]: m for m in data["medicines"]}
    assert by_id["naproxen"]["verdict"] == "avoid"
    assert "nsaid_blood_thinner" in [r["id"] for r in by_id["naproxen"]["reasons"]]
    assert {"id", "name", "verdict", "reasons", "grade"} <= set(by_id["ibuprofen"])
    assert isinstance(data["warnings"], list) and "rules_fired" in data


def test_plan_text_is_readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, intake_data(regions=["neck"]))
    code, out, _ = _main(["plan", "--input", path], capsys)
    assert code == 0
    for words in (
        "Your care plan",
        "Use heat, wrapped in a cloth",
        "Medicine checks for you",
        "Chin tuck",
        "When to get help",
        "What to expect",
        "Sources",
        f"Advice version {latest_version()}",
    ):
        assert words in out, words
    assert "[bold" not in out and "[/" not in out, "no Rich markup printed literally"


def test_the_plan_opens_with_the_first_screen_summary(
    tmp_path: Path, kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 12: the terminal plan starts like the web page: get help now, then three things."""
    from spasmcare.plan import build_plan
    from spasmcare.triage import parse_intake

    data = calm_intake(kb)
    code, out, _ = _main(["plan", "--input", _write(tmp_path, data)], capsys)
    assert code == 0
    first = out.index("Get help at once if you have any of these")
    things = out.index("Do these first")
    assert first < things < out.index("Medicine checks for you")
    block = out[things : things + 600]
    assert "1. Use heat" in block and "spasmcare timer heat" in block
    assert "2. Keep moving" in block and "3. If you need a painkiller: Ibuprofen" in block
    plan = build_plan(parse_intake(data, kb), kb)
    signs = [h.title for h in plan.when_to_get_help if h.level == "emergency"][:4]
    assert len(signs) == 4
    for title in signs:
        assert title in out[first:things]


def test_knowledge_text_is_never_read_as_markup(kb: KnowledgeBase) -> None:
    """Issue 12: a title printed through markup showed as `[bold]Trouble with peeing ...[/]`."""
    import io

    from rich.console import Console

    from spasmcare.cli.plan import render_plan
    from spasmcare.plan import build_plan
    from spasmcare.triage import parse_intake

    plan = build_plan(parse_intake(intake_data(), kb), kb)
    odd = "Trouble [bold]peeing[/] or [red]pooing"
    plan = plan.model_copy(
        update={
            "steps": tuple(s.model_copy(update={"title": odd}) for s in plan.steps),
            "when_to_get_help": tuple(
                h.model_copy(update={"title": odd}) for h in plan.when_to_get_help
            ),
        }
    )
    buffer = io.StringIO()
    render_plan(Console(file=buffer, width=200), plan)
    text = buffer.getvalue()
    assert odd in text, "brackets print as typed"
    assert "[bold]Trouble" not in text


def test_an_emergency_plan_on_screen_has_no_home_care(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, intake_data(findings={"bowel_incontinence": True}))
    code, out, _ = _main(["plan", "--input", path, "--emergency-number", "999"], capsys)
    assert code == 0
    assert "Call 999" in out and "Unlock the door" in out
    assert "Medicine checks" not in out and "Stretches" not in out


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"conditions": ["kidneys"]},
            ["conditions[0]: unknown condition 'kidneys'", "kidney_disease", "asthma"],
        ),
        (
            {"sex": "female", "pregnant": True, "pregnancy_weeks": 50},
            ["pregnancy_weeks: 50 is out of range", "1 to 45"],
        ),
        (
            {"alcohol_drinks_per_day": -1},
            ["alcohol_drinks_per_day: -1 is out of range", "0 to 100"],
        ),
        ({"weight_kg": 0}, ["weight_kg: 0 is out of range"]),
        ({"medicines": "Advil"}, ["medicines", "a list"]),
    ],
)
def test_bad_input_exits_2_with_what_is_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], changes: dict[str, Any], expected: list[str]
) -> None:
    path = _write(tmp_path, intake_data(**changes))
    code, out, err = _main(["plan", "--input", path, "--json"], capsys)
    assert code == 2
    assert out == "" and "Traceback" not in err
    for text in expected:
        assert text in err, (text, err)


def test_ics_writes_the_coming_days(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, intake_data())
    ics = tmp_path / "plan.ics"
    code, _, err = _main(
        [
            "plan",
            "--input",
            path,
            "--ics",
            str(ics),
            "--start",
            "2026-05-01T07:00+00:00",
            "--days",
            "2",
        ],
        capsys,
    )
    assert code == 0, err
    text = ics.read_text()
    assert text.count("BEGIN:VEVENT") == 2 * 3 * 2 + 2 * 3
    assert "DTSTART:20260501T080000Z" in text
    assert "Wrote 18 calendar events" in err


def test_ics_refuses_an_emergency_and_bad_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ics = tmp_path / "plan.ics"
    path = _write(tmp_path, intake_data(findings={"chest_pain": True}))
    code, _, err = _main(["plan", "--input", path, "--ics", str(ics)], capsys)
    assert code == 0 and not ics.exists() and "No calendar written" in err
    path = _write(tmp_path, intake_data())
    code, _, err = _main(["plan", "--input", path, "--ics", str(ics), "--start", "soon"], capsys)
    assert code == 2 and "--start: 'soon' is not a date and time" in err and not ics.exists()
    code, _, err = _main(["plan", "--input", path, "--ics", str(ics), "--days", "40"], capsys)
    assert code == 2 and "--days: 40 is out of range" in err and not ics.exists()


def test_the_timer_counts_down_in_minutes_and_seconds() -> None:
    from spasmcare.cli.plan import clock

    assert [clock(s) for s in (1200, 61, 59.6, 0, -3, 3725)] == [
        "20:00",
        "01:01",
        "01:00",
        "00:00",
        "00:00",
        "1:02:05",
    ]


def test_timer_runs_and_refuses_unsafe_settings(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _main(
        ["timer", "cold", "--minutes", "1", "--cycles", "2", "--seconds-per-minute", "0"], capsys
    )
    assert code == 0
    assert "Cold pack timer" in out and "00:00 left" in out and "Done" in out
    code, out, err = _main(["timer", "heat", "--minutes", "40"], capsys)
    assert code == 2 and "--minutes: 40 is out of range (allowed: more than 0, up to 30)" in err
    code, out, err = _main(["timer", "sauna"], capsys)
    assert code == 2 and "heat, cold, stretch" in err


def test_the_timer_bell_rings_in_a_terminal() -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "spasmcare", "timer", "stretch", "--cycles", "2", "--seconds-per-minute", "0.2"],
        encoding="utf-8",
        timeout=20,
        env={**os.environ, "COLUMNS": "100"},
    )
    child.expect("Hold the stretch gently")
    child.expect("\a")
    child.expect("Well done")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def _spawn(args: list[str]) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "spasmcare", *args],
        encoding="utf-8",
        timeout=20,
        env={**os.environ, "COLUMNS": "120", "TERM": "dumb"},
    )


MEDICINES = ("Type the names from the pack", "Advil, warfarin")
"""The medicines question: asked in the interview (knowledge base 1.1.0) or with the plan (1.0.0)."""


def test_interactive_triage_offers_the_plan_at_the_end() -> None:
    child = _spawn(["triage"])
    result, answers = drive(child, rules=[MEDICINES])
    assert result == "SELF-CARE", answers.log[-3:]
    child.expect("Would you like a care plan")
    child.sendline("y")
    _, plan_answers = drive(child, rules=answers.rules, until=["alcoholic drinks"])
    assert not plan_answers.rules, "the medicines were not asked"
    assert any("To tailor your care plan" in screen for _, screen, _ in plan_answers.log)
    assert any("health problems" in screen for _, screen, _ in plan_answers.log)
    child.sendline("")
    child.expect("weigh")
    child.sendline("")
    child.expect("Your care plan")
    child.expect("Medicine checks for you")
    child.expect("Avoid")
    child.expect("blood thinner")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_interactive_plan_for_an_emergency_is_what_to_do_while_waiting() -> None:
    bladder = re.escape(load_knowledge().findings["bladder_dysfunction"].label)
    child = _spawn(["plan"])
    result, _ = drive(
        child,
        rules=[
            ("How old are you", "50"),
            ("Where is the spasm", "4"),
            (bladder, lambda screen: option_number(screen, bladder) or "y"),
        ],
    )
    assert result == "EMERGENCY"
    child.expect("Unlock the door")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_cli_start_up_does_not_import_the_plan_libraries() -> None:
    code = (
        "import sys; import spasmcare.cli; "
        "print(','.join(m for m in ('icalendar', 'spasmcare.plan') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == ""


def _finished_interview(kb: KnowledgeBase, **changes: Any) -> Any:
    from spasmcare.triage import Interview

    data = intake_data(**changes)
    return Interview(kb, answers=data, emergency_call="999")


def test_after_an_urgent_triage_the_offer_is_comfort_until_the_doctor(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from rich.console import Console
    from rich.prompt import Confirm

    from spasmcare.cli.plan import offer_plan

    asked: list[str] = []
    monkeypatch.setattr(
        Confirm, "ask", classmethod(lambda cls, prompt, **kw: asked.append(prompt) or True)
    )
    interview = _finished_interview(kb, findings={"fever": True})
    result = interview.result()
    assert result.disposition.value == "urgent"
    buffer = io.StringIO()
    offer_plan(Console(file=buffer, width=120), interview, result)
    assert asked == ["Would you like tips to ease the pain until you see the doctor?"]
    text = buffer.getvalue()
    assert "Rest in a comfortable position" in text and "Medicine checks" not in text


def test_after_an_emergency_triage_there_is_no_question_only_what_to_do_while_waiting(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from rich.console import Console
    from rich.prompt import Confirm

    from spasmcare.cli.plan import offer_plan

    def refuse(*args: object, **kwargs: object) -> bool:
        raise AssertionError("an emergency is not asked anything more")

    monkeypatch.setattr(Confirm, "ask", refuse)
    interview = _finished_interview(kb, findings={"chest_pain": True})
    buffer = io.StringIO()
    offer_plan(Console(file=buffer, width=120), interview, interview.result())
    text = buffer.getvalue()
    assert "While you wait" in text and "Do not drive yourself" in text and "call 999 again" in text
