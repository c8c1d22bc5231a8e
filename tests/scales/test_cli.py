"""``spasmcare scales``: list, score, compare, import and take (take in a pseudo-terminal)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest

from spasmcare.cli import main
from tests.scales import samples


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    captured = capsys.readouterr()
    code = info.value.code
    return (0 if code is None else int(code)), captured.out, captured.err


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("SPASMCARE_DATA_DIR", str(folder))
    return folder


def write(tmp_path: Path, data: Any, name: str) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_list_json_has_every_scale_with_licence_and_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["scales", "list", "--json"], capsys)
    assert code == 0
    listed = {s["id"]: s for s in json.loads(out)}
    assert list(listed) == [
        "nrs",
        "psfs",
        "peg",
        "specific_function",
        "mas",
        "odi",
        "rmdq",
        "startback",
        "ndi",
    ]
    assert listed["odi"]["licence"]["status"] == "copyrighted"
    assert listed["odi"]["wording"] == "import"
    assert listed["odi"]["min_answered"] == 9
    assert listed["startback"]["codes"]["panel"]["code"] == "91349-1"
    assert listed["ndi"]["mcid"]["points"] == 7.5 and "Young" in listed["ndi"]["mcid"]["citation"]
    assert listed["mas"]["rater"] == "clinician"


def test_list_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["scales", "list"], capsys)
    assert code == 0 and "startback" in out and "clinician" in out


def test_score_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = {f"s{i}": 2 for i in range(1, 10)}
    code, out, _ = run(
        ["scales", "score", "odi", "--input", write(tmp_path, answers, "a.json"), "--json"], capsys
    )
    assert code == 0
    result = json.loads(out)
    for key in ("scale", "score", "valid", "problems", "band", "risk", "subscores", "answered"):
        assert key in result
    assert (result["score"], result["band"], result["answered"]) == (40.0, "moderate", 9)
    assert result["codes"][1] == {
        "system": "http://loinc.org",
        "code": "97909-6",
        "display": "Oswestry Disability Index score",
    }


def test_score_not_valid_prints_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, {"frequency": 0, "severity": 3}, "p.json")
    code, out, _ = run(["scales", "score", "psfs", "--input", path], capsys)
    assert code == 0
    assert "not scored" in out and "severity is given" in out


@pytest.mark.parametrize(
    ("scale_id", "answers", "fragments"),
    [
        ("odi", {"s1": 9}, ["s1: 9 is not an allowed answer", "allowed: 0, 1, 2, 3, 4, 5"]),
        ("nrs", {"pain": 3}, ["pain: unknown item for nrs", "allowed: score"]),
        ("startback", {"q9": "lots"}, ["q9: 'lots'", '"very_much"']),
        ("mas", {"grade": 2}, ["grade: 2 is not an allowed answer", '"1+"']),
    ],
)
def test_bad_values_exit_2_with_allowed_values(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    scale_id: str,
    answers: dict[str, Any],
    fragments: list[str],
) -> None:
    path = write(tmp_path, answers, "bad.json")
    code, out, err = run(["scales", "score", scale_id, "--input", path, "--json"], capsys)
    assert code == 2 and out == ""
    for fragment in fragments:
        assert fragment in err
    assert "Traceback" not in err


def test_malformed_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.json"
    path.write_text("{\n  'score': 3}", encoding="utf-8")
    code, _, err = run(["scales", "score", "nrs", "--input", str(path)], capsys)
    assert code == 2 and "line 2, column 3" in err


def test_unknown_scale_names_the_scales(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["scales", "score", "vas", "--input", write(tmp_path, {}, "e.json")], capsys)
    assert code == 1 and "unknown scale 'vas'" in err and "nrs, psfs, peg" in err


def test_compare_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = write(tmp_path, {f"q{i}": i <= 12 for i in range(1, 25)}, "b.json")
    after = write(tmp_path, {f"q{i}": i <= 7 for i in range(1, 25)}, "a.json")
    code, out, _ = run(
        ["scales", "compare", "rmdq", "--before", before, "--after", after, "--json"], capsys
    )
    assert code == 0
    change = json.loads(out)
    assert (change["verdict"], change["delta"], change["threshold"]) == ("improved", -5.0, 5.0)
    spasms = write(tmp_path, {"frequency": 2, "severity": 1}, "p.json")
    code, _, err = run(["scales", "compare", "psfs", "--before", spasms, "--after", spasms], capsys)
    assert code == 2 and "cannot be compared" in err


def test_import_command_and_failure(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = samples.startback()
    del samples.startback_items(broken)[1]
    code, _, err = run(["scales", "import", write(tmp_path, broken, "b.json")], capsys)
    assert code == 2
    assert "q2: is missing" in err and "nothing was stored" in err
    assert not (data_dir / "questionnaires" / "startback.json").exists()

    code, out, _ = run(
        ["scales", "import", write(tmp_path, samples.startback(), "s.json"), "--json"], capsys
    )
    assert code == 0
    report = json.loads(out)
    assert report["scale"] == "startback" and len(report["items"]) == 9
    assert (data_dir / "questionnaires" / "startback.json").exists()


def test_import_with_map_option(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = samples.odi()
    data["item"][0]["linkId"] = "/x/1"
    path = write(tmp_path, data, "o.json")
    code, _, err = run(["scales", "import", path, "--map", "nonsense"], capsys)
    assert code == 2 and "is not LINKID=ITEM" in err
    code, out, _ = run(["scales", "import", path, "--map", "/x/1=s1"], capsys)
    assert code == 0 and "Imported 10 items for odi" in out


def test_take_without_import_explains_how(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["scales", "take", "startback"], capsys)
    assert code == 1 and out == ""
    assert "no STarT Back questionnaire has been imported yet" in err
    assert "spasmcare scales import FILE --scale startback" in err
    assert "Free for non-commercial use" in err


# --- interactive, in a pseudo-terminal ------------------------------------------------------------


def spawn(args: list[str], data_dir: Path) -> pexpect.spawn:
    env = {**os.environ, "SPASMCARE_DATA_DIR": str(data_dir), "COLUMNS": "200", "TERM": "dumb"}
    return pexpect.spawn(
        sys.executable,
        ["-m", "spasmcare", *args],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 200),
    )


def test_take_pain_rating_in_a_terminal(tmp_path: Path) -> None:
    child = spawn(["scales", "take", "nrs"], tmp_path)
    child.expect("How bad is your pain right now")
    child.expect("Type one of 0, 1")
    child.sendline("11")
    child.expect("Please type one of")
    child.sendline("7")
    child.expect(r"Numeric pain rating scale \(0-10\): 7 points")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_take_spasm_frequency_skips_severity_when_no_spasms(tmp_path: Path) -> None:
    child = spawn(["scales", "take", "psfs", "--json"], tmp_path)
    child.expect("how often did you have muscle spasms")
    child.expect("Type one of")
    child.sendline("0")
    child.expect(r'"valid": true')
    child.expect(pexpect.EOF)
    child.close()
    assert "how strong" not in (child.before or "")
    assert child.exitstatus == 0


def test_take_ashworth_in_a_terminal(tmp_path: Path) -> None:
    child = spawn(["scales", "take", "mas"], tmp_path)
    child.expect("This scale is for a clinician")
    child.expect("Which muscle")
    child.sendline("right biceps")
    child.expect("Type one of 0, 1, 1\\+, 2, 3, 4")
    child.sendline("1+")
    child.expect("Modified Ashworth Scale: grade 1\\+")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_take_imported_startback_in_a_terminal(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(["scales", "import", write(tmp_path, samples.startback(), "s.json")], capsys)
    assert code == 0
    child = spawn(["scales", "take", "startback"], data_dir)
    child.expect(r"Placeholder\s+copyright line")
    # options in the file's order: 1. Disagree, 2. Agree; item 9: 1..5 (4 = Very much)
    for n, key in enumerate(["1", "1", "1", "1", "2", "2", "2", "1"], 1):
        child.expect(f"Placeholder statement {n}")
        child.expect("Type one of 1, 2")
        child.sendline(key)
    child.expect("Placeholder statement 9")
    child.expect("Type one of 1, 2, 3, 4, 5")
    child.sendline("4")
    child.expect("Keele STarT Back Screening Tool: 4 points")
    child.expect("Risk group: high")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_take_imported_odi_allows_one_skipped_section(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(["scales", "import", write(tmp_path, samples.odi(), "o.json")], capsys)
    assert code == 0
    child = spawn(["scales", "take", "odi", "--json"], data_dir)
    for n in range(1, 11):
        child.expect(f"Placeholder section {n}\r?\n")
        child.expect("or press Enter to skip")
        child.sendline("" if n == 8 else "2")
    child.expect(r'"score": 40\.0')
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
