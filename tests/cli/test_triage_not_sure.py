"""Triage v2 in the terminal: "Not sure" is an answer, a blank is not "no", self-checks, and results
that say what the person was unsure about and what remains."""

from __future__ import annotations

import builtins
import dataclasses
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pexpect
import pytest
from rich.console import Console

from spasmcare.cli.interview import (
    ASK_WHICH,
    NOT_A_NO,
    ask,
    parse_checklist,
    parse_yesno,
    render_result,
    run_interview,
)
from spasmcare.errors import RefusedAnswer
from spasmcare.knowledge import KnowledgeBase, load_knowledge
from spasmcare.triage import Interview, Option, Question, TriageResult
from tests.cli.interview_driver import PROMPTS, Answers, Rule, drive, option_number

SELF_CHECK = "Toilet-paper test: touch the skin between your legs with a tissue."
MARKUP = re.compile(r"\[/?(bold|dim|red|yellow|green|cyan|underline)[^\]]*\]|\[/\]")


# -- parsing what the person types -------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("y", True),
        ("Yes", True),
        (" n ", False),
        ("no", False),
        ("?", "unsure"),
        ("not sure", "unsure"),
        ("Not Sure", "unsure"),
        ("don't know", "unsure"),
        ("unsure", "unsure"),
    ],
)
def test_yes_no_or_not_sure(typed: str, value: object) -> None:
    assert parse_yesno(typed, unsure=True) == value


@pytest.mark.parametrize("typed", ["", "   ", "maybe", "yn", "1"])
def test_yes_no_refuses_a_blank_and_anything_else(typed: str) -> None:
    with pytest.raises(RefusedAnswer) as info:
        parse_yesno(typed, unsure=True)
    assert "? if you are not sure" in str(info.value)
    if not typed.strip():
        assert NOT_A_NO in str(info.value)
    with pytest.raises(RefusedAnswer):
        parse_yesno("?", unsure=False)


@pytest.mark.parametrize(
    ("typed", "marks"),
    [
        ("1 3", {1: True, 3: True}),
        ("1,3", {1: True, 3: True}),
        ("3, 1,", {1: True, 3: True}),
        ("0", {}),
        ("none", {}),
        ("None", {}),
        ("?2", {2: "unsure"}),
        ("1 ?3 ?4", {1: True, 3: "unsure", 4: "unsure"}),
        ("2?", {2: "unsure"}),
    ],
)
def test_checklist_answers(typed: str, marks: dict[int, object]) -> None:
    assert parse_checklist(typed, 4, unsure=True) == marks


def test_checklist_not_sure_on_its_own_asks_which() -> None:
    assert parse_checklist("?", 4, unsure=True) is ASK_WHICH
    assert parse_checklist("not sure", 4, unsure=True) is ASK_WHICH


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", NOT_A_NO),
        ("  ", NOT_A_NO),
        ("5", "numbers shown (1 to 4)"),
        ("0 1", "0 means none of these"),
        ("1 ?1", "both with and without ?"),
        ("one", "numbers shown"),
    ],
)
def test_checklist_refuses_a_blank_and_bad_numbers(typed: str, says: str) -> None:
    with pytest.raises(RefusedAnswer) as info:
        parse_checklist(typed, 4, unsure=True)
    assert says in str(info.value)


def test_checklist_without_not_sure_refuses_question_marks() -> None:
    with pytest.raises(RefusedAnswer):
        parse_checklist("?2", 4, unsure=False)
    with pytest.raises(RefusedAnswer):
        parse_checklist("?", 4, unsure=False)


# -- the interview in-process, with a knowledge base that has a known self-check ---------------
def _kb_with_self_check(single: bool) -> KnowledgeBase:
    """1.0.0 with a self-check on saddle numbness; ``single``: the first checklist asks only it,
    so it is a yes/no question."""
    base = load_knowledge("1.0.0")
    findings = dict(base.findings)
    findings["saddle_numbness"] = findings["saddle_numbness"].model_copy(
        update={"self_check": SELF_CHECK}
    )
    steps = tuple(
        s.model_copy(update={"findings": ["saddle_numbness"]})
        if single and s.id == "nerves_below"
        else s
        for s in base.interview
    )
    return dataclasses.replace(base, findings=findings, interview=steps)


def _interview(
    kb: KnowledgeBase, rules: Iterable[Rule], monkeypatch: pytest.MonkeyPatch
) -> tuple[TriageResult, str, Answers]:
    """Run the terminal interview with answers chosen by the prompt on screen; return the result,
    everything printed (the result too) and the answers given."""
    screen = io.StringIO()
    console = Console(file=screen, width=100, color_system=None, highlight=False)
    answers = Answers(rules)
    seen = [0]

    def fake_input(prompt: object = "") -> str:
        text = screen.getvalue()
        new, seen[0] = text[seen[0] :], len(text)
        for kind, pattern in PROMPTS.items():
            if re.search(pattern + "$", new):
                reply = answers.reply(kind, new)
                screen.write(reply + "\n")
                seen[0] = len(screen.getvalue())
                return reply
        raise AssertionError(f"no known prompt at the end of: {new!r}")

    monkeypatch.setattr(builtins, "input", fake_input)
    result = run_interview(console, kb, "999")
    render_result(console, result)
    return result, screen.getvalue(), answers


def test_not_sure_on_a_yes_no_shows_the_self_check_then_asks_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kb = _kb_with_self_check(single=True)
    result, text, answers = _interview(
        kb, [("Is there numbness around", "?"), ("Is there numbness around", "n")], monkeypatch
    )
    asked = [screen for kind, screen, _ in answers.log if "Is there numbness around" in screen]
    assert len(asked) == 2
    assert SELF_CHECK not in asked[0] and "Check this yourself" not in asked[0]
    # the self-check comes first, then the same question again
    assert asked[1].index("Check this yourself") < asked[1].index(SELF_CHECK)
    assert asked[1].index(SELF_CHECK) < asked[1].index("Is there numbness around")
    assert "If you are still not sure, answer ?" in asked[1]
    assert result.unsure == ()  # the second answer (no) is kept
    assert result.disposition.value == "self_care"  # (not complete: this test drops 3 findings)
    assert not MARKUP.search(text), MARKUP.search(text)


def test_still_not_sure_after_the_self_check_is_kept_and_listed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kb = _kb_with_self_check(single=True)
    result, text, answers = _interview(
        kb,
        [("Is there numbness around", "not sure"), ("Is there numbness around", "?")],
        monkeypatch,
    )
    assert sum(SELF_CHECK in s for _, s, _ in answers.log) == 1  # shown once only
    assert result.unsure == ("saddle_numbness",)
    tail = text[text.index("You were not sure about:") :]
    assert "- " + kb.findings["saddle_numbness"].label in tail


def test_checklist_blank_is_refused_then_not_sure_marks_and_self_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kb = _kb_with_self_check(single=False)
    step = next(s for s in kb.interview if s.id == "nerves_below")
    saddle = step.findings.index("saddle_numbness") + 1
    result, text, answers = _interview(
        kb,
        [
            ("Since the pain started", ""),  # a bare Enter
            (NOT_A_NO, f"?{saddle}"),  # asked again: not sure about saddle numbness
            ("Is there numbness around", "n"),  # the re-ask after the self-check
            ("Do you have any of these right now", ""),
            (NOT_A_NO, "none"),
        ],
        monkeypatch,
    )
    kinds = [kind for kind, _, _ in answers.log]
    screens = [screen for _, screen, _ in answers.log]
    assert kinds[:7] == [
        "number",
        "multi",
        "checklist",
        "checklist",
        "yesno",
        "checklist",
        "checklist",
    ]
    assert "Since the pain started" in screens[2] and "or 0 if you have none" in screens[2]
    # refused with a clear prompt, and the same question is asked again (not the next one)
    assert "Please answer: type the numbers you have" in screens[3] and NOT_A_NO in screens[3]
    assert screens[3].rstrip().endswith("Your answer:")
    assert "Do you have any of these right now" not in screens[3]
    assert answers.log[3][2].startswith("?")
    assert SELF_CHECK in screens[4] and "Is there numbness around" in screens[4]
    assert "Do you have any of these right now" in screens[5] and NOT_A_NO in screens[6]
    assert result.unsure == () and result.disposition.value == "self_care" and result.complete
    assert not MARKUP.search(text)


def test_not_sure_on_its_own_asks_which_then_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    kb = load_knowledge("1.0.0")
    result, _, answers = _interview(
        kb,
        [
            ("Since the pain started", "?"),
            ("Which are you not sure about", "2"),
            ("Do you have any of the others", ""),  # a blank is refused here too
        ],
        monkeypatch,
    )
    kinds = [kind for kind, _, _ in answers.log]
    assert kinds[2:6] == ["checklist", "which", "others", "others"]
    assert NOT_A_NO in answers.log[5][1]
    assert result.unsure == ("bowel_incontinence",)


# -- the same in a real terminal, with the shipped knowledge base ---------------------------------
def _spawn(*args: str) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "spasmcare", "triage", *args],
        encoding="utf-8",
        timeout=20,
        env={**os.environ, "COLUMNS": "120", "TERM": "dumb"},
    )


def _finish(child: pexpect.spawn, result: str) -> None:
    """After the result: decline the offer of a plan or tips, and check the exit status."""
    if result != "EMERGENCY" and child.expect(["Would you like", pexpect.EOF]) == 0:
        child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_pty_blank_checklist_is_refused_and_asked_again_then_none_works() -> None:
    child = _spawn()
    drive(child, until=["Your answer: "])
    first = next(line.strip() for line in str(child.before).splitlines() if "?" in line)
    question = " ".join(str(child.before).split())
    assert "or 0 if you have none" in question and "Put ? before its number" in question
    child.sendline("")
    child.expect("Please answer: type the numbers you have")
    # The terminal may wrap the sentence anywhere: match its words with any white space between.
    child.expect(r"\s+".join(re.escape(word) for word in NOT_A_NO.split()))
    child.expect("Your answer: ")
    assert str(child.before).strip() == "", "the same question is asked again, not another one"
    child.sendline("none")
    result, answers = drive(child)
    assert first not in answers.log[0][1]  # it moved on to the next question
    _finish(child, result)


def test_pty_not_sure_shows_the_self_check_before_the_question_again() -> None:
    kb = load_knowledge()
    finding = kb.findings["saddle_numbness"]
    assert finding.self_check, "policy v2 gives saddle numbness a self-check"
    child = _spawn()
    screens: list[str] = []

    def not_sure(screen: str) -> str:  # on its checklist, or as a yes/no question
        number = option_number(screen, re.escape(finding.label))
        return f"?{number}" if number else "?"

    result, _ = drive(
        child,
        rules=[(f"{re.escape(finding.label)}|{re.escape(finding.question)}", not_sure)],
        on_prompt=lambda kind, screen: screens.append(screen),
    )
    shown = [" ".join(s.replace("│", " ").split()) for s in screens if "Check this yourself" in s]
    assert len(shown) == 1, "the self-check is shown once"
    check = " ".join(finding.self_check.split())
    assert shown[0].index("Check this yourself") < shown[0].index(check[:40])
    assert shown[0].index(check[:40]) < shown[0].index(" ".join(finding.question.split()))
    _finish(child, result)


# -- results from --input -----------------------------------------------------------------------
def _run(args: list[str], stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spasmcare", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "100"},
    )


UNSURE_INTAKE = {
    "age": 40,
    "regions": ["lower_back"],
    "pain": 4,
    "onset": "gradual",
    "findings": {"saddle_numbness": "unsure"},
}


def test_result_lists_what_the_person_was_unsure_about_and_what_to_do() -> None:
    kb = load_knowledge()
    proc = _run(["triage", "--input", "-"], json.dumps(UNSURE_INTAKE))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "You were not sure about:" in out
    assert "- " + kb.findings["saddle_numbness"].label in out
    section = out[out.index("You were not sure about:") :]
    assert "What to do: You were not sure about" in section
    assert "SEE A DOCTOR TODAY" in out
    assert "Questions not answered yet:" in out  # the rest was not asked
    assert not MARKUP.search(out), MARKUP.search(out)


def test_result_from_knowledge_base_1_0_0_lists_unsure_without_n_rules() -> None:
    intake = {**UNSURE_INTAKE, "pregnant": "unsure", "sex": "female"}
    proc = _run(["triage", "--input", "-", "--knowledge-version", "1.0.0"], json.dumps(intake))
    assert proc.returncode == 0, proc.stderr
    section = proc.stdout[proc.stdout.index("You were not sure about:") :]
    assert "- Numbness around your genitals" in section
    assert "- Whether you could be pregnant" in section
    assert "run spasmcare triage again" in section
    assert not MARKUP.search(proc.stdout)


def test_json_has_unsure() -> None:
    proc = _run(["triage", "--input", "-", "--json"], json.dumps(UNSURE_INTAKE))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["unsure"] == ["saddle_numbness"]
    assert "N1" in data["rules_fired"] and data["disposition"] == "urgent"
    assert data["complete"] is False and data["unanswered"]
    sure = _run(["triage", "--input", "-", "--json"], json.dumps({"age": 40, "regions": ["neck"]}))
    assert json.loads(sure.stdout)["unsure"] == []


@pytest.mark.parametrize(
    ("change", "names"),
    [
        ({"age": "unsure"}, "age:"),
        ({"pain": "unsure"}, "pain:"),
        ({"sex": "unsure"}, "sex:"),
        ({"duration_days": "unsure"}, "duration_days:"),
        ({"findings": {"fever": "maybe"}}, "findings.fever: 'maybe' is not an allowed value"),
        ({"findings": {"fever": None}}, "findings.fever:"),
        ({"pregnant": "perhaps"}, "pregnant: 'perhaps' is not an allowed value"),
        ({"onset": "not sure"}, "onset:"),
    ],
)
def test_bad_unsure_exits_2_naming_the_field(
    change: dict[str, object], names: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from spasmcare.cli import main

    path = tmp_path / "intake.json"
    path.write_text(json.dumps({"age": 40, "regions": ["neck"], **change}))
    with pytest.raises(SystemExit) as info:
        main(["triage", "--input", str(path), "--json"])
    assert info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    assert names in captured.err, captured.err
    if "findings" in change or "pregnant" in change:
        assert "true, false or 'unsure'" in captured.err
        assert ".bool" not in captured.err and "literal[" not in captured.err


# -- single questions ---------------------------------------------------------------------------
def _ask_typed(
    question: Question, typed: list[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[object, str]:
    screen = io.StringIO()
    console = Console(file=screen, width=100, color_system=None, highlight=False)
    replies = iter(typed)

    def fake_input(prompt: object = "") -> str:
        reply = next(replies)
        screen.write(reply + "\n")
        return reply

    monkeypatch.setattr(builtins, "input", fake_input)
    return ask(console, question), " ".join(screen.getvalue().split())


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        ([""], []),
        (["none"], []),
        (["Advil, warfarin 5 mg;  "], ["Advil", "warfarin 5 mg"]),
    ],
)
def test_medicines_names_an_empty_enter_means_none(
    typed: list[str], names: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    question = Question(id="medicines", kind="names", text="Which medicines?", field="medicines")
    value, screen = _ask_typed(question, typed, monkeypatch)
    assert value == names
    assert "Medicines (press Enter for none): " in screen + " " and "If you take none" in screen


def test_onset_offers_not_sure(monkeypatch: pytest.MonkeyPatch) -> None:
    kb = load_knowledge()
    interview = Interview(kb, answers={"age": 40, "regions": ["neck"]})
    step = next(s for s in kb.interview if s.field == "onset")
    question = interview._field_question(step)
    value, screen = _ask_typed(question, ["", "not sure"], monkeypatch)
    assert value == "unsure" and "Not sure" in screen
    assert "Please answer: type the number of your answer." in screen
    value, _ = _ask_typed(question, [str(len(question.options))], monkeypatch)
    assert value == "unsure"


def test_a_checklist_without_not_sure_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    question = Question(
        id="conditions",
        kind="checklist",
        text="Do you have any of these health problems?",
        options=(
            Option(value="asthma", label="Asthma"),
            Option(value="kidney_disease", label="Kidney disease"),
        ),
    )
    value, screen = _ask_typed(question, ["?1", "", "2"], monkeypatch)
    assert value == {"asthma": False, "kidney_disease": True}
    assert 'no "not sure"' in screen and NOT_A_NO in screen
    assert "Put ? before" not in screen


def test_the_care_plan_after_triage_renders_without_markup() -> None:
    proc = _run(["plan", "--input", "-"], json.dumps({**UNSURE_INTAKE, "findings": {}}))
    assert proc.returncode == 0, proc.stderr
    assert "When to get help" in proc.stdout
    assert not MARKUP.search(proc.stdout), MARKUP.search(proc.stdout)
