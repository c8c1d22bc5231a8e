"""The scales data file: complete, cross-checked, citable, readable, and free of licensed wording."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import textstat

from spasmcare.errors import KnowledgeError
from spasmcare.scales import catalogue, list_scales
from spasmcare.scales.definitions import load_file
from spasmcare.scales.registry import _SCORERS

TEXT = resources.files("spasmcare.scales").joinpath("data", "scales.yaml").read_text("utf-8")


def test_every_scale_in_the_data_has_a_scorer_and_back() -> None:
    assert set(catalogue().scales) == set(_SCORERS)
    assert [s.id for s in list_scales()] == [
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


def test_every_scale_cites_sources_that_exist_with_a_locator() -> None:
    cat = catalogue()
    for scale in cat.scales.values():
        refs = [*scale.sources, *scale.licence.sources, *(scale.mcid.sources if scale.mcid else ())]
        for ref in refs:
            source = cat.sources[ref]
            assert source.url or source.doi, ref


def test_codes_from_the_evidence_file() -> None:
    cat = catalogue()
    codes = {
        s.id: (s.codes.panel.code if s.codes.panel else None, s.codes.score.code)
        for s in cat.scales.values()
    }
    assert codes["nrs"] == (None, "72514-3")
    assert codes["odi"] == ("97908-8", "97909-6")
    assert codes["startback"] == ("91349-1", "91351-7")
    assert codes["ndi"] == ("82226-2", "82237-9")
    sb = cat.scales["startback"]
    assert sb.codes.subscores["distress"].code == "91350-9"
    assert sb.codes.risk is not None and sb.codes.risk.code == "91352-5"
    for local in ("psfs", "mas", "rmdq"):
        assert cat.scales[local].codes.score.system == cat.local_system


def test_thresholds_from_the_evidence_file() -> None:
    cat = catalogue()
    odi = cat.scales["odi"]
    assert [(b.id, b.upper) for b in odi.bands] == [
        ("minimal", 20),
        ("moderate", 40),
        ("severe", 60),
        ("crippled", 80),
        ("bed-bound", 100),
    ]
    assert odi.min_answered == 9
    ndi = cat.scales["ndi"]
    assert [b.upper for b in ndi.bands] == [4, 14, 24, 34, 50]
    rules = cat.scales["startback"].risk_groups
    assert rules is not None
    assert (rules.low_total_max, rules.high_distress_min) == (3, 4)
    assert rules.distress_items == ("q5", "q6", "q7", "q8", "q9")
    mcids = {s.id: s.mcid.points for s in cat.scales.values() if s.mcid}
    assert mcids == {
        "nrs": 2,
        "odi": 10,
        "rmdq": 5,
        "ndi": 7.5,
        "peg": 1,  # care-evidence.md, version 2 additions: about 1 point
        "specific_function": 2,  # 2 points for the average
    }
    assert [s.id for s in cat.scales.values() if s.higher_is_better] == ["specific_function"]


def test_licensed_scales_ship_no_item_wording() -> None:
    """Imported scales have no questions; their code displays are spasmcare's neutral names."""
    cat = catalogue()
    for scale in cat.scales.values():
        if scale.wording != "import":
            continue
        for n, item in enumerate(scale.items, 1):
            assert item.question is None
            assert item.code is not None
            assert re.fullmatch(rf"{scale.short_name} (item|section) {n}", item.code.display)
        for answer_set in {cat.answers(i).model_dump_json() for i in scale.items}:
            # answer labels of imported scales are short words of our own (Agree, Very much, 0..5)
            for label in re.findall(r'"label":"([^"]*)"', answer_set):
                assert len(label.split()) <= 6, label


def test_patient_wording_reads_at_grade_8_or_below() -> None:
    """Sentences a person reads (questions, notes, licence text) score <= 8 (Flesch-Kincaid)."""
    cat = catalogue()
    for scale in cat.scales.values():
        if scale.audience != "patient":
            continue
        texts = [scale.licence.text, *scale.notes]
        texts += [i.question for i in scale.items if i.question]
        for item in scale.items:
            if item.answer_set:
                texts += [a.label for a in cat.answers(item).answers]
        for text in texts:
            if len(text.split()) >= 5:
                grade = textstat.flesch_kincaid_grade(text)
                assert grade <= 8, (scale.id, grade, text)


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("sources: [young-2009]", "sources: [nobody-2020]", "unknown source 'nobody-2020'"),
        (
            '- {id: severe, label: "severe disability", upper: 60}',
            '- {id: severe, label: "severe disability", upper: 10}',
            "upper bounds must rise",
        ),
        ("answer_set: pain_0_10", "answer_set: pain_0_100", "unknown answer_set"),
        (
            '      - {id: s1, answer_set: zero_to_five, code: {system: "urn:spasmcare:scales", '
            'code: "odi.s1", display: "ODI section 1"}}',
            '      - {id: s1, answer_set: zero_to_five, question: "licensed text"}',
            "must not ship item wording",
        ),
        ('version: "1.1.0"', "version: one", "scales.yaml: version"),
        ("low_total_max: 3", "low_total_max: [", "not valid YAML"),
    ],
)
def test_broken_data_is_rejected_with_a_path(old: str, new: str, fragment: str) -> None:
    assert old in TEXT
    with pytest.raises(KnowledgeError) as info:
        load_file(TEXT.replace(old, new, 1))
    assert fragment in str(info.value)
