"""spasmcare.understand: how a story becomes a partial intake, item by item, with its evidence; bad
input gives a message and never an error; the text is neither logged nor printed; the pipeline
loads once, and importing the package costs nothing."""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmcare.errors import IntakeError
from spasmcare.knowledge import KnowledgeBase, load_knowledge
from spasmcare.understand import (
    MAX_CHARACTERS,
    Understanding,
    check_partial,
    emergency_findings,
    understand,
)
from spasmcare.understand.pipeline import pipeline
from spasmcare.understand.text import EMPTY, NO_WORDS, NOT_ENGLISH, TOO_LONG


def read(kb: KnowledgeBase, text: str, **kw: Any) -> dict[str, Any]:
    return understand(text, kb, **kw).intake


def findings(kb: KnowledgeBase, text: str) -> dict[str, Any]:
    return dict(read(kb, text).get("findings", {}))


# -- the issue's own examples -----------------------------------------------------------------------
def test_the_issue_story_is_read_with_its_negations(kb: KnowledgeBase) -> None:
    u = understand(
        "bent to tie my shoe, low back locked, can't stand straight, no fever, peeing fine", kb
    )
    assert u.intake["regions"] == ["lower_back"]
    assert u.intake["findings"]["fever"] is False
    assert u.intake["findings"]["bladder_dysfunction"] is False
    assert u.intake["findings"]["cannot_stand_upright"] is True
    fever = next(f for f in u.findings if f.finding == "fever")
    assert fever.span.text == "fever" and fever.cue is not None and fever.cue.text == "no"
    assert [p.text for p in u.unplaced] == ["bent to tie my shoe"]
    assert u.message is None


def test_cant_feel_my_bum_when_i_wipe_is_saddle_numbness(kb: KnowledgeBase) -> None:
    assert findings(kb, "can't feel my bum when I wipe") == {"saddle_numbness": True}


def test_hard_to_pee_after_a_cant_is_still_bladder_trouble(kb: KnowledgeBase) -> None:
    got = findings(kb, "I can't stand up straight and it's hard to pee")
    assert got["bladder_dysfunction"] is True


def test_family_history_never_sets_the_persons_findings(kb: KnowledgeBase) -> None:
    u = understand("my dad had cancer. Low back pain after lifting.", kb)
    assert "cancer_history" not in u.intake["findings"]
    assert [(a.about, a.reason) for a in u.set_aside] == [("cancer_history", "family")]
    assert u.set_aside[0].cue is not None and u.set_aside[0].cue.text == "my dad"


def test_a_worry_never_sets_a_finding(kb: KnowledgeBase) -> None:
    u = understand("I'm scared I'll lose control of my bladder; my back aches", kb)
    assert "bladder_dysfunction" not in u.intake["findings"]
    assert ("bladder_dysfunction", "hypothetical") in [(a.about, a.reason) for a in u.set_aside]


@pytest.mark.parametrize(
    "text",
    [
        "not sure if I have a fever",
        "maybe a fever",
        "I might have a fever",
        "a fever? hard to tell",
        "I don't think I have a fever",
    ],
)
def test_uncertainty_is_unsure(kb: KnowledgeBase, text: str) -> None:
    assert findings(kb, text) == {"fever": "unsure"}


# -- negation is narrow: a wrong "no" would hide a warning sign ------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no fever, legs weak", {"fever": False, "leg_weakness": True, "both_legs": True}),
        ("no fever, can't feel my bum", {"fever": False, "saddle_numbness": True}),
        ("no fever and my bum is numb", {"fever": False, "saddle_numbness": True}),
        ("No fever. Can't pee.", {"fever": False, "bladder_dysfunction": True}),
        ("no fever but I've wet myself", {"fever": False, "bladder_dysfunction": True}),
    ],
)
def test_a_negation_stops_at_the_clause(
    kb: KnowledgeBase, text: str, expected: dict[str, Any]
) -> None:
    assert findings(kb, text) == expected


def test_a_list_ending_in_or_is_negated_whole(kb: KnowledgeBase) -> None:
    got = findings(kb, "no numbness, tingling or weakness")
    assert got["numbness_tingling"] is False
    assert got["leg_weakness"] is False and got["arm_weakness"] is False


def test_said_both_ways_is_left_for_the_questions(kb: KnowledgeBase) -> None:
    u = understand("no fever. Actually I do have a fever.", kb)
    assert "fever" not in u.intake["findings"]
    assert {a.reason for a in u.set_aside if a.about == "fever"} == {"conflict"}


def test_yes_and_unsure_is_yes_no_and_unsure_is_unsure(kb: KnowledgeBase) -> None:
    assert findings(kb, "maybe a fever, temperature 38.9")["fever"] is True
    assert findings(kb, "no fever. Not sure about a temperature")["fever"] == "unsure"


def test_past_counts_only_for_findings_about_the_past(kb: KnowledgeBase) -> None:
    assert findings(kb, "breast cancer ten years ago")["cancer_history"] is True
    u = understand("I used to have sciatica years ago", kb)
    assert "pain_below_knee" not in u.intake["findings"]
    assert [(a.about, a.reason) for a in u.set_aside] == [("pain_below_knee", "past")]


# -- fields -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("27, neck ache", "age", 27),
        ("a 72 year old man", "age", 72),
        ("34F with back pain", "age", 34),
        ("Sixty-four, back pain", "age", 64),
        ("back pain 7/10", "pain", 7),
        ("it's about a 6", "pain", 6),
        ("the worst pain ever in my back", "pain", 10),
        ("neck pain for 3 days", "duration_days", 3),
        ("two weeks of back pain", "duration_days", 14),
        ("back pain since yesterday", "duration_days", 1),
        ("back pain for a fortnight", "duration_days", 14),
        ("34F with back pain", "sex", "female"),
        ("it wakes him every night, his back", "sex", "male"),
        ("my back seized suddenly", "onset", "sudden"),
        ("built up over three hours, back pain", "onset", "gradual"),
    ],
)
def test_fields(kb: KnowledgeBase, text: str, field: str, value: Any) -> None:
    assert read(kb, text)[field] == value


def test_since_tuesday_needs_today(kb: KnowledgeBase) -> None:
    text = "low back pain since Tuesday"
    assert "duration_days" not in read(kb, text)
    assert read(kb, text, today=date(2026, 12, 3))["duration_days"] == 2  # a Thursday


def test_worst_headache_is_not_the_pain_score(kb: KnowledgeBase) -> None:
    intake = read(kb, "worst headache of my life and a stiff neck")
    assert "pain" not in intake
    assert intake["findings"]["sudden_severe_headache"] is True


def test_a_relatives_age_is_not_the_persons(kb: KnowledgeBase) -> None:
    assert "age" not in read(kb, "my dad is 80 and has a bad back; mine hurts too")


def test_a_time_said_of_something_else_is_not_the_duration(kb: KnowledgeBase) -> None:
    assert "duration_days" not in read(kb, "stepped on a nail 8 days ago; back spasm")
    assert "duration_days" not in read(kb, "has taken sertraline for three years; neck spasm")


def test_pregnancy_with_weeks_and_doubt(kb: KnowledgeBase) -> None:
    assert read(kb, "I'm 20 weeks pregnant with back pain")["pregnancy_weeks"] == 20
    assert read(kb, "I might be pregnant")["pregnant"] == "unsure"
    assert read(kb, "I'm not pregnant")["pregnant"] is False
    u = understand("my sister is pregnant, my back hurts", kb)
    assert "pregnant" not in u.intake


def test_regions_in_the_words_of_a_sign_are_not_where_the_pain_is(kb: KnowledgeBase) -> None:
    assert "regions" not in read(kb, "numbness around my bum and inner thighs")
    assert read(kb, "pain between my shoulder blades and back ache")["regions"] == ["upper_back"]


# -- medicines (the one medicine matcher) ------------------------------------------------------------
def test_medicines_are_matched_with_their_dose(kb: KnowledgeBase) -> None:
    u = understand("I take Eliquis 5 mg and atorvastatin 20mg; back pain", kb)
    assert u.intake["medicines"] == ["Eliquis 5 mg", "atorvastatin 20mg"]
    assert [m.classes for m in u.medicines] == [["blood_thinner"], ["statin"]]
    assert u.medicines[0].sets_findings == ["blood_thinners"]
    # The intake leaves the findings to the matcher when the intake is read:
    assert "blood_thinners" not in u.intake["findings"]


def test_medicines_of_someone_else_or_negated_are_not_listed(kb: KnowledgeBase) -> None:
    u = understand("my mum takes warfarin. I don't take warfarin. No medicines.", kb)
    assert u.intake["medicines"] == []
    assert [(a.about, a.reason) for a in u.set_aside] == [("warfarin", "family")]


def test_a_doubtful_medicine_leaves_the_question_open(kb: KnowledgeBase) -> None:
    u = understand("I might be on warfarin, not sure; back pain", kb)
    assert "medicines" not in u.intake
    assert [(a.about, a.reason) for a in u.set_aside] == [("warfarin", "uncertain")]


# -- bad input: a message or an empty result, never an error -----------------------------------------
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", EMPTY),
        ("   \n ", EMPTY),
        ("back pain " * 1000, TOO_LONG),
        ("😀😀😀 🙏", NO_WORDS),
        ("\x00\x01\x02\x03\x04\x05\x06\x07ab", NO_WORDS),
        ("Me duele mucho la espalda y tengo fiebre desde ayer", NOT_ENGLISH),
        ("J'ai très mal au dos depuis hier soir", NOT_ENGLISH),
        ("腰がとても痛いです", NOT_ENGLISH),
    ],
)
def test_unreadable_text_gives_a_message_and_an_empty_result(
    kb: KnowledgeBase, text: str, message: str
) -> None:
    u = understand(text, kb)
    assert u.message == message
    assert not u.findings and not u.fields and not u.medicines
    assert u.intake.get("findings", {}) == {}


def test_ten_thousand_characters_is_a_message(kb: KnowledgeBase) -> None:
    assert len("x" * 10_000) > MAX_CHARACTERS
    assert understand("no fever " * 1200, kb).message == TOO_LONG


@pytest.mark.parametrize(
    "text",
    [
        "\ud800 back pain \udfff",
        "back\u200bpain",
        "\ufb01 \ufb02 \uff22\uff21\uff23\uff2b \uff50\uff41\uff49\uff4e",  # ligatures, full width
        "back pain\r\n\tno fever",
        "?" * 50,
        "no no no no not not never",
        "pain pain pain 10/10 10/10 11/10 -3/10",
        "<script>alert(1)</script> back pain",
        "NO FEVER, CAN'T PEE",
    ],
)
def test_odd_text_never_raises_and_spans_quote_the_text(kb: KnowledgeBase, text: str) -> None:
    u = understand(text, kb)
    assert isinstance(u, Understanding)
    u.model_dump_json()  # always serialisable (no lone surrogates)
    safe = text.encode("utf-8", "replace").decode("utf-8", "replace")
    for item in [*u.findings, *u.fields, *u.medicines, *u.set_aside]:
        assert item.span.end <= len(text)
    for p in u.unplaced:
        assert p.end <= len(safe)


def test_capitals_are_read_like_lower_case(kb: KnowledgeBase) -> None:
    assert findings(kb, "NO FEVER, CAN'T PEE") == {"fever": False, "bladder_dysfunction": True}


def test_a_knowledge_base_without_a_lexicon_gives_a_message() -> None:
    old = load_knowledge("1.0.0")
    u = understand("back pain", old)
    assert u.message is not None and "1.0.0" in u.message
    assert u.knowledge_version == "1.0.0"


# -- the text is not logged; the libraries are quiet ---------------------------------------------------
def test_the_story_is_never_logged_or_printed(
    kb: KnowledgeBase, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    secret = "zebracorn numbness around my bum since Tuesday"
    with caplog.at_level(logging.DEBUG):
        understand(secret, kb, today=date(2026, 12, 3))
    out, err = capfd.readouterr()
    assert "zebracorn" not in caplog.text
    assert "zebracorn" not in out and "zebracorn" not in err


def test_the_pipeline_is_built_once_per_knowledge_base(kb: KnowledgeBase) -> None:
    assert pipeline(kb) is pipeline(kb)


def test_the_warning_filters_are_left_as_they_were(kb: KnowledgeBase) -> None:
    import warnings

    pipeline(kb)
    with pytest.raises(UserWarning):  # pytest turns warnings into errors: still true afterwards
        warnings.warn("still an error", UserWarning, stacklevel=1)


def test_importing_the_package_and_the_other_paths_does_not_import_medspacy() -> None:
    code = (
        "import sys\n"
        "import spasmcare.understand, spasmcare.app, spasmcare.cli, spasmcare.api.understand\n"
        "import spasmcare.web.pages.understand\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('spacy', 'medspacy', 'PyRuSH', 'thinc')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- emergency signs and the partial intake --------------------------------------------------------
def test_emergency_findings_are_those_of_emergency_rules(kb: KnowledgeBase) -> None:
    found = emergency_findings(kb)
    assert {"bladder_dysfunction", "saddle_numbness", "rash", "chest_pain"} <= found
    assert "heavy_exertion" not in found
    u = understand("heavy lifting, then I couldn't pee", kb)
    assert [(f.finding, f.emergency) for f in u.findings] == [
        ("bladder_dysfunction", True),
        ("heavy_exertion", False),
    ]


def test_every_reading_is_a_valid_partial_intake(kb: KnowledgeBase) -> None:
    from tests.understand.test_stories import STORIES

    for story in STORIES:
        check_partial(understand(story["text"], kb).intake, kb)


def test_check_partial_reports_every_problem_with_its_path(kb: KnowledgeBase) -> None:
    with pytest.raises(IntakeError) as exc:
        check_partial({"findings": {"feverr": True, "fever": "maybe"}, "pain": 12}, kb)
    paths = {p.path for p in exc.value.problems}
    assert {"findings.feverr", "findings.fever", "pain"} <= paths
    with pytest.raises(IntakeError):
        check_partial(["not", "an", "object"], kb)
    assert check_partial({"findings": {"fever": "unsure"}}, kb) == {"findings": {"fever": "unsure"}}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "no",
                    "not",
                    "never",
                    "maybe",
                    "fever",
                    "can't",
                    "pee",
                    "bum",
                    "numb",
                    "legs",
                    "weak",
                    "my",
                    "dad",
                    "had",
                    "cancer",
                    "worried",
                    "back",
                    "neck",
                    "7/10",
                    "since",
                    "yesterday",
                    "for",
                    "3",
                    "days",
                    "45",
                    "pregnant",
                    "warfarin",
                    "20mg",
                    ",",
                    ".",
                    "?",
                    "or",
                    "and",
                    "but",
                    "sure",
                    "if",
                    "years",
                    "ago",
                    "hard",
                    "to",
                    "tell",
                ]
            ),
            st.text(max_size=8),
        ),
        max_size=40,
    )
)
def test_any_text_reads_into_a_valid_partial_intake(kb: KnowledgeBase, words: list[str]) -> None:
    text = " ".join(words)
    u = understand(text, kb)
    check_partial(u.intake, kb)
    u.model_dump_json()
    for item in [*u.findings, *u.fields, *u.medicines, *u.set_aside, *u.unplaced]:
        span = item if hasattr(item, "start") else item.span
        assert 0 <= span.start <= span.end <= len(text)
