"""`spasmcare triage --describe "TEXT"` (and `--describe -` for standard input) as a user runs it: what
was understood is shown (as JSON with --json), nothing is decided from the words alone; in a terminal
the person confirms or changes each item and the interview goes on from there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pexpect

from spasmcare.understand.text import EMPTY, NO_WORDS, NOT_ENGLISH, TOO_LONG
from tests.cli.interview_driver import drive

STORY = "I'm 45, low back pain since yesterday, no fever. My dad had cancer. It was at work."


def _run(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spasmcare", "triage", "--no-diary", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "120"},
    )


def test_json_prints_the_understanding_only() -> None:
    r = _run(["--describe", STORY, "--json"])
    assert r.returncode == 0, r.stderr
    data: dict[str, Any] = json.loads(r.stdout)
    assert data["intake"] == {
        "age": 45,
        "regions": ["lower_back"],
        "duration_days": 1,
        "findings": {"fever": False},
    }
    assert [(a["about"], a["reason"]) for a in data["set_aside"]] == [("cancer_history", "family")]
    assert [p["text"] for p in data["unplaced"]] == ["It was at work"]
    assert "disposition" not in data  # nothing is decided from words alone
    assert r.stderr == ""  # the libraries say nothing (PyRuSH logs every sentence at DEBUG)


def test_standard_input_is_read_and_shown_without_deciding() -> None:
    r = _run(["--describe", "-"], stdin="can't feel my bum when I wipe, low back pain")
    assert r.returncode == 0, r.stderr
    assert "WARNING SIGN - Numbness around your genitals" in r.stdout
    assert "Nothing has been decided from your words" in r.stdout
    assert "EMERGENCY" not in r.stdout
    data = json.loads(_run(["--describe", "-", "--json"], stdin="no fever").stdout)
    assert data["intake"]["findings"] == {"fever": False}


def test_bad_input_is_a_message_and_exit_0() -> None:
    for story, message in (
        ("", EMPTY),
        ("x" * 10_000, TOO_LONG),
        ("😀😀😀", NO_WORDS),
        ("Me duele mucho la espalda y tengo fiebre", NOT_ENGLISH),
    ):
        r = _run(["--describe", "-", "--json"], stdin=story)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["message"] == message
    r = _run(["--describe", "-"], stdin="\x00\x01\x02\x03\x04")
    assert r.returncode == 0 and "could not find any words" in " ".join(r.stdout.split())


def test_describe_and_input_together_is_exit_2(tmp_path: Any) -> None:
    path = tmp_path / "intake.json"
    path.write_text('{"age": 40, "regions": ["neck"]}')
    r = _run(["--describe", "back pain", "--input", str(path)])
    assert r.returncode == 2
    assert "use --describe or --input, not both" in r.stderr


def _spawn(story: str) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "spasmcare", "triage", "--no-diary", "--describe", story],
        encoding="utf-8",
        timeout=30,
        env={**os.environ, "COLUMNS": "120", "TERM": "dumb"},
    )


CONFIRM = r"without\s+your story: "


def test_a_confirmed_emergency_sign_goes_straight_to_the_emergency_result() -> None:
    child = _spawn("I'm 45 and can't feel my bum when I wipe, low back pain")
    child.expect(CONFIRM)
    screen = str(child.before)
    assert "1. WARNING SIGN - Numbness around your genitals" in screen
    child.sendline("")
    child.expect("EMERGENCY")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_an_item_changed_before_confirming_is_what_the_interview_uses() -> None:
    child = _spawn("I'm 45 and can't feel my bum when I wipe, low back pain, no fever")
    child.expect(CONFIRM)
    child.sendline("1")  # the warning sign
    child.expect(r"\(y / n / \?, or x to remove it\): ")
    child.sendline("n")
    child.expect(CONFIRM)
    assert "Numbness around your genitals, bottom or inner thighs: no" in str(child.before)
    child.sendline("")
    # Age, regions and the changed answer are known: the interview goes on with what is open.
    result, answers = drive(child)
    assert result != "EMERGENCY"
    asked = " ".join(screen for _, screen, _ in answers.log)
    assert "How old are you" not in asked
    assert "Where is the spasm" not in asked
    child.sendline("n")  # no care plan now
    child.expect(pexpect.EOF)
    child.close()
