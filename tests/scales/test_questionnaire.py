"""Importing a licensed FHIR Questionnaire: success, and failures that store nothing and say why.

Every questionnaire here is synthetic, with placeholder wording (tests/scales/samples.py).
"""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from spasmcare.errors import ConflictError, ImportFileError, StorageError
from spasmcare.questionnaires import (
    import_questionnaire,
    load_questionnaire,
    questionnaire_path,
    stored_scales,
)
from spasmcare.scales import parse_questionnaire, run_form, score, to_form
from tests.scales import samples

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def write(tmp_path: Path, data: Any, name: str = "q.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def messages(exc: ImportFileError) -> str:
    return "\n".join(str(p) for p in exc.problems)


def nothing_stored(data_dir: Path) -> bool:
    folder = data_dir / "questionnaires"
    return not folder.exists() or not any(folder.iterdir())


# --- success ------------------------------------------------------------------------------------


def test_import_startback_by_loinc_codes_and_store_owner_only(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    stored, path = import_questionnaire(data_dir, write(tmp_path, samples.startback()), now=NOW)
    assert stored.scale == "startback"
    assert path == questionnaire_path(data_dir, "startback")
    assert [i.id for i in stored.items] == [f"q{i}" for i in range(1, 10)]
    assert stored.items[0].text == "Placeholder statement 1"
    assert {a.value for a in stored.items[0].answers} == {"agree", "disagree"}
    assert [a.value for a in stored.items[8].answers] == [
        "not_at_all",
        "slightly",
        "moderately",
        "very_much",
        "extremely",
    ]
    assert stored.imported_at == NOW.isoformat()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["startback.json"]  # no temp file left
    assert load_questionnaire(data_dir, "startback") == stored
    assert stored_scales(data_dir) == ["startback"]


def test_imported_form_runs_with_injected_answers_and_scores(tmp_path: Path) -> None:
    stored, _ = import_questionnaire(tmp_path, write(tmp_path, samples.startback()), now=NOW)
    form = to_form(stored)
    assert "Placeholder copyright line" in form.intro
    picks = {f"q{i}": "agree" if i in (5, 6, 7) else "disagree" for i in range(1, 9)}
    picks["q9"] = "very_much"
    answers = run_form(form, lambda item: picks[item.id])
    result = score("startback", answers)
    assert (result.score, result.subscores["distress"], result.risk) == (4.0, 4.0, "high")


def test_import_odi_by_link_id_and_ordinal_values_in_any_order() -> None:
    q = parse_questionnaire(samples.odi(ordinals=True, reverse=True))
    assert q.scale == "odi"
    first = q.items[0]
    assert [a.value for a in first.answers] == [5, 4, 3, 2, 1, 0]
    assert first.answers[0].text == "Placeholder section 1 option 5"


def test_import_odi_by_position_when_options_carry_no_weights() -> None:
    q = parse_questionnaire(samples.odi(ordinals=False))
    assert [a.value for a in q.items[3].answers] == [0, 1, 2, 3, 4, 5]
    assert q.items[3].answers[2].text == "Placeholder section 4 option 2"


def test_import_rmdq_boolean_items_need_the_scale_named() -> None:
    with pytest.raises(ImportFileError) as info:
        parse_questionnaire(samples.rmdq())
    assert "cannot tell which scale" in info.value.summary
    q = parse_questionnaire(samples.rmdq(), scale_id="rmdq")
    assert len(q.items) == 24 and [a.value for a in q.items[0].answers] == [True, False]


def test_import_ndi_with_a_contained_value_set() -> None:
    q = parse_questionnaire(samples.ndi())
    assert q.scale == "ndi" and [a.value for a in q.items[9].answers] == [0, 1, 2, 3, 4, 5]


def test_link_map_maps_unrecognised_link_ids() -> None:
    data = samples.odi()
    data["item"][2]["linkId"] = "/odi/lifting"
    with pytest.raises(ImportFileError) as info:
        parse_questionnaire(data)
    assert "s3: is missing" in messages(info.value)
    assert "'/odi/lifting'" in messages(info.value)
    q = parse_questionnaire(data, link_map={"/odi/lifting": "s3"})
    assert q.items[2].link_id == "/odi/lifting"


# --- failures: nothing stored, and the message says what is wrong ---------------------------------


def test_missing_item_stores_nothing(tmp_path: Path) -> None:
    data = samples.startback()
    del samples.startback_items(data)[4]  # item 5
    with pytest.raises(ImportFileError) as info:
        import_questionnaire(tmp_path, write(tmp_path, data), now=NOW)
    text = messages(info.value)
    assert "q5: is missing: no item in the file has LOINC 91344-2 or linkId 'q5'" in text
    assert "nothing was stored" in info.value.summary
    assert nothing_stored(tmp_path)


def test_wrong_item_code_stores_nothing(tmp_path: Path) -> None:
    data = samples.startback()
    item = samples.startback_items(data)[2]
    item["code"] = [{"system": samples.LOINC, "code": "91399-9"}]
    item["linkId"] = "/91399-9"
    with pytest.raises(ImportFileError) as info:
        import_questionnaire(tmp_path, write(tmp_path, data), now=NOW)
    text = messages(info.value)
    assert "q3: is missing" in text
    assert "items not recognised: linkId '/91399-9' (LOINC 91399-9)" in text
    assert nothing_stored(tmp_path)


def test_item_coded_for_another_scale_is_a_wrong_code(tmp_path: Path) -> None:
    data = samples.startback()
    samples.startback_items(data)[0]["code"] = [{"system": samples.LOINC, "code": "97909-6"}]
    with pytest.raises(ImportFileError) as info:
        import_questionnaire(tmp_path, write(tmp_path, data), now=NOW)
    assert "wrong code: LOINC 97909-6 belongs to ODI, not STarT Back" in messages(info.value)
    assert nothing_stored(tmp_path)


def test_panel_code_of_another_scale_is_a_wrong_code(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError) as info:
        import_questionnaire(
            tmp_path, write(tmp_path, samples.odi()), now=NOW, scale_id="startback"
        )
    assert "coded as ODI, not STarT Back" in info.value.summary
    problem = info.value.problems[0]
    assert "LOINC 97908-8 is the ODI panel" in problem.message
    assert problem.allowed == "LOINC 91349-1"
    assert nothing_stored(tmp_path)


def test_unknown_panel_code_for_the_named_scale_is_a_wrong_code() -> None:
    data = samples.startback()
    data["code"] = [{"system": samples.LOINC, "code": "12345-6"}]
    with pytest.raises(ImportFileError) as info:
        parse_questionnaire(data, scale_id="startback")
    assert "wrong code: LOINC 12345-6" in messages(info.value)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"resourceType": "Questionnaire", "status": "draft",', "line 1, column"),
        ('{"resourceType": "Questionnaire"\n  "status": "draft"}', "line 2, column 3"),
        ("", "line 1, column 1"),
    ],
)
def test_malformed_json_stores_nothing(tmp_path: Path, text: str, where: str) -> None:
    with pytest.raises(ImportFileError) as info:
        import_questionnaire(tmp_path, write(tmp_path, text), now=NOW)
    assert "is not valid JSON" in info.value.summary
    assert info.value.problems[0].path.startswith(where)
    assert nothing_stored(tmp_path)


def test_failed_import_leaves_an_earlier_import_untouched(tmp_path: Path) -> None:
    _, path = import_questionnaire(tmp_path, write(tmp_path, samples.startback()), now=NOW)
    before = path.read_bytes()
    broken = samples.startback()
    del samples.startback_items(broken)[0]
    with pytest.raises(ImportFileError):
        import_questionnaire(tmp_path, write(tmp_path, broken), now=NOW, replace=True)
    with pytest.raises(ImportFileError):
        import_questionnaire(tmp_path, write(tmp_path, "{not json"), now=NOW, replace=True)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["startback.json"]


def test_second_import_needs_replace(tmp_path: Path) -> None:
    import_questionnaire(tmp_path, write(tmp_path, samples.startback()), now=NOW)
    with pytest.raises(ConflictError) as info:
        import_questionnaire(tmp_path, write(tmp_path, samples.startback()), now=NOW)
    assert info.value.problems[0].allowed == "use --replace to overwrite it"
    later = datetime(2026, 2, 1, tzinfo=UTC)
    stored, _ = import_questionnaire(
        tmp_path, write(tmp_path, samples.startback()), now=later, replace=True
    )
    assert stored.imported_at == later.isoformat()


@pytest.mark.parametrize(
    ("data", "path", "fragment"),
    [
        ([1, 2], "", "JSON list"),
        ({"resourceType": "Patient"}, "resourceType", "'Patient'"),
        (
            {"resourceType": "Questionnaire", "status": "draft", "item": [{"type": "choice"}]},
            "item[0].linkId",
            "required",
        ),
    ],
)
def test_not_a_questionnaire(data: Any, path: str, fragment: str) -> None:
    with pytest.raises(ImportFileError) as info:
        parse_questionnaire(data, scale_id="odi")
    problem = info.value.problems[0]
    assert problem.path == path and fragment in problem.message


def test_product_wording_scales_cannot_be_imported() -> None:
    with pytest.raises(ImportFileError) as info:
        parse_questionnaire(samples.odi(), scale_id="nrs")
    assert "uses spasmcare's own wording" in info.value.summary
    assert info.value.problems[0].allowed == "odi, rmdq, startback, ndi"


def test_unmatchable_answer_options_are_reported() -> None:
    data = samples.startback()
    options = samples.startback_items(data)[8]["answerOption"]
    options[3]["valueCoding"]["display"] = "Quite a lot"
    with pytest.raises(ImportFileError) as info:
        parse_questionnaire(data)
    problem = info.value.problems[0]
    assert "item q9" in problem.path
    assert "5 answer options could not be matched" in problem.message


def test_odi_with_five_options_cannot_match_by_position() -> None:
    data = samples.odi(ordinals=False)
    data["item"][0]["answerOption"].pop()
    with pytest.raises(ImportFileError) as info:
        parse_questionnaire(data)
    assert "item s1" in info.value.problems[0].path
    assert "exactly 6 options in score order" in (info.value.problems[0].allowed or "")


def test_duplicate_items_and_blank_text_are_reported() -> None:
    data = samples.odi()
    data["item"][1]["linkId"] = "s1"
    del data["item"][4]["text"]
    with pytest.raises(ImportFileError) as info:
        parse_questionnaire(data)
    text = messages(info.value)
    assert "is a second item for s1" in text
    assert "s2: is missing" in text
    assert "(item s5): has no text to show" in text


def test_calculated_score_items_are_skipped_not_required() -> None:
    q = parse_questionnaire(samples.startback())
    assert all(i.link_id != "/91351-7" for i in q.items) and q.ignored == ()


def test_damaged_store_is_reported(tmp_path: Path) -> None:
    _, path = import_questionnaire(tmp_path, write(tmp_path, samples.startback()), now=NOW)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["items"] = data["items"][:3]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StorageError) as info:
        load_questionnaire(tmp_path, "startback")
    assert "import it again" in info.value.summary
    path.write_text("{", encoding="utf-8")
    with pytest.raises(StorageError):
        load_questionnaire(tmp_path, "startback")
    assert load_questionnaire(tmp_path, "odi") is None
