"""``spasmcare learn`` and ``spasmcare search``: output, JSON shape, and clear errors (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from spasmcare.cli import main
from spasmcare.knowledge import KnowledgeBase


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    captured = capsys.readouterr()
    code = info.value.code
    return (0 if code is None else int(code)), captured.out, captured.err


def test_learn_lists_every_topic(kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["learn", "--json"], capsys)
    assert code == 0
    ids = [t["id"] for t in json.loads(out)]
    assert sorted(ids) == sorted(kb.topics)
    assert ids[0] == "warning_signs", "most important first (issue 12)"
    code, out, _ = run(["learn"], capsys)
    assert code == 0
    for topic_id in kb.topics:
        assert topic_id in out


def test_learn_topic_shows_text_related_rules_and_sources(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["learn", "leg_cramps"], capsys)
    assert code == 0
    topic = kb.topics["leg_cramps"]
    assert topic.title in out
    for section in topic.sections:
        assert section.heading in out
    assert kb.sources["nhs-leg-cramps"].citation[:30] in out
    assert "E9" not in out, "no rule codes in text a person reads (issue 12)"
    assert "](" not in out, "link markup must not reach the reader"
    assert "information, not a diagnosis" in out


def test_learn_topic_json(kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["learn", "what_to_expect", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["id"] == "what_to_expect"
    assert {s["id"] for s in data["sources"]} == set(kb.topics["what_to_expect"].sources)


def test_unknown_topic_is_exit_2_with_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["learn", "leg_cramp"], capsys)
    assert code == 2
    assert "leg_cramps" in err and "Traceback" not in err
    assert out == ""


def test_search_json_is_a_list_with_id_kind_title_snippet(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["search", "calf cramp at night", "--json"], capsys)
    assert code == 0
    results = json.loads(out)
    assert isinstance(results, list) and results
    for hit in results:
        assert {"id", "kind", "title", "snippet"} <= hit.keys()
    assert results[0]["id"] == "leg_cramps"


def test_search_text_output_and_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["search", "is tylenl good for a back spasm"], capsys)
    assert code == 0
    assert "Showing results for" in out and "tylenol" in out
    assert "Acetaminophen" in out
    assert "information, not a diagnosis" in out


def test_search_kind_and_limit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["search", "fever", "--kind", "rule", "--limit", "2", "--json"], capsys)
    assert code == 0
    results = json.loads(out)
    assert 0 < len(results) <= 2 and all(r["kind"] == "rule" for r in results)


@pytest.mark.parametrize(
    ("args", "path"),
    [
        (["search", ""], "query"),
        (["search", "x" * 10_000], "query"),
        (["search", '"*"'], "query"),
        (["search", "cramp", "--limit", "0"], "limit"),
        (["search", "cramp", "--kind", "recipe"], "kinds"),
    ],
)
def test_bad_search_input_is_exit_2_naming_the_problem(
    args: list[str], path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(args, capsys)
    assert code == 2
    assert f"{path}:" in err and "Traceback" not in err
    assert out == ""


def test_search_as_a_user_runs_it() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "spasmcare", "search", "NEAR(back spasm) OR *", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert isinstance(json.loads(proc.stdout), list)
    assert "Traceback" not in proc.stderr
