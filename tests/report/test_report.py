"""The clinician report: the real renderer's PDF holds the expected answers for the fixture diary,
on one or two pages, with nothing loaded from outside; the summary's rules hold."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from spasmcare.diary import ProfileCreate, TriageRecordCreate
from spasmcare.knowledge import KnowledgeBase
from spasmcare.report import build_report, make_report, red_flags, render_html, render_pdf
from spasmcare.report.terms import FINDING_TERMS
from spasmcare.triage import evaluate, parse_intake
from tests.diary.factories import memory_repository
from tests.interop.diary_data import START, UNSURE_AT, fixture_repo
from tests.report.pdf import page_count, pdf_text

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PERIOD = {"start": date(2026, 1, 1), "end": date(2026, 2, 28)}


@pytest.fixture(autouse=True)
def _matplotlib_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))


@pytest.fixture(scope="module")
def rendered(kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, bytes]:
    import os

    os.environ.setdefault("MPLCONFIGDIR", str(tmp_path_factory.mktemp("mpl")))
    repo, profile = fixture_repo(kb)
    data = make_report(repo, profile, kb, now=NOW, **PERIOD)
    html = render_html(data)
    return html, render_pdf(html)


def test_the_pdf_answers_the_clinicians_questions(
    rendered: tuple[str, bytes], kb: KnowledgeBase, tmp_path: Path
) -> None:
    _, pdf = rendered
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)
    expected = [
        # who, when, which knowledge base
        "Alex Example",
        "Age: 46 years",
        "2026-01-01 to 2026-02-28 (59 days)",
        f"Knowledge base: {kb.version}",
        # site
        "Lower back (2 episodes)",
        "Buttock (1 episode)",
        "Neck (1 episode)",
        # pain, spasm frequency
        "Worst pain per episode: median 5/10, range 4 to 7",
        "Latest pain rating 3/10 (NRS) on 2026-02-04",
        "Typical frequency: spasms more than once an hour (Penn 3/4)",
        # bladder and bowel: denied, and "not asked" is never shown as a no
        f"Denied: {terms('bladder_dysfunction', 'bowel_incontinence')}",
        f"Not asked: {terms('saddle_numbness', 'sexual_dysfunction')}",
        # duration and frequency
        "3 episodes started in this period",
        "Ended episodes lasted a median of 2 days (shortest 1, longest 3)",
        "1 ongoing",
        # stiffness, numbness, weakness
        f"REPORTED: {terms('cannot_stand_upright')}",
        f"REPORTED: {terms('numbness_tingling')}",
        f"Denied: {terms('leg_weakness')}",
        # medicines and treatments with relief
        "sertraline (regular)",
        "ibuprofen (for the spasm): 1 dose, 400 mg in the period",
        "medicine: ibuprofen",
        "heat",
        # timeline
        "2026-01-05",
        "ongoing",
        "lifting a box",
        # scales with meaningful change
        "ODI",
        "40% moderate disability (2026-01-05)",
        "20% minimal disability",
        "ODI 40% to 20% (2026-01-05 to 2026-02-04): -20, meaningful improvement (MCID 10)",
        "9/9 high risk",
        # red flag reported long before the period, and the last triage with its rules
        f"REPORTED: {FINDING_TERMS['fever']}",
        "2025-06-19",
        "Last triage (2026-01-05): Non-urgent (doctor within days, under 2 weeks); rules fired: S1",
        "spasmcare informs; it does not diagnose",
    ]
    missing = [phrase for phrase in expected if phrase not in text]
    assert missing == [], missing


def test_the_report_fits_on_one_or_two_pages(rendered: tuple[str, bytes]) -> None:
    assert page_count(rendered[1]) <= 2


def test_the_html_is_self_contained(rendered: tuple[str, bytes]) -> None:
    html, _ = rendered
    assert '<html lang="en">' in html
    assert "<svg" in html and 'role="img"' in html  # the chart is inline, with a text alternative
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # nothing from outside
    assert "@page" in html  # print CSS is part of the page


def test_the_pdf_renderer_loads_nothing_from_outside() -> None:
    html = (
        '<html lang="en"><body><img src="https://example.com/x.png" alt="x"><p>ok</p></body></html>'
    )
    pdf = render_pdf(html)  # the image is refused, the page still renders
    assert pdf.startswith(b"%PDF-")


# -- "not sure" is a fourth state, never a no --------------------------------------------------------
@pytest.fixture(scope="module")
def rendered_unsure(kb: KnowledgeBase) -> tuple[str, bytes]:
    """The fixture diary whose last triage answered yes, no, "not sure" and left some unasked."""
    repo, profile = fixture_repo(kb, unsure=True)
    html = render_html(make_report(repo, profile, kb, now=NOW, **PERIOD))
    return html, render_pdf(html)


def terms(*ids: str) -> str:
    """Findings as the report names them (a clinician's terms), as a list line ends."""
    return "; ".join(FINDING_TERMS[f] for f in ids) + "."


def test_the_report_shows_yes_no_not_sure_and_not_asked_apart(
    rendered_unsure: tuple[str, bytes], kb: KnowledgeBase, tmp_path: Path
) -> None:
    html, pdf = rendered_unsure
    text = pdf_text(pdf, tmp_path)
    bladder, weak = FINDING_TERMS["bladder_dysfunction"], FINDING_TERMS["leg_weakness"]
    expected = [
        # the four states of the bladder and bowel question, and of the others
        f"Not sure: {terms('bladder_dysfunction')}",
        f"Denied: {terms('bowel_incontinence')}",
        f"Not asked: {terms('saddle_numbness', 'sexual_dysfunction')}",
        f"REPORTED: {terms('numbness_tingling')}",
        f"Not sure: {terms('leg_weakness')}",
        # the red flags: the fever ever reported, and the warning signs answered "not sure"
        f"REPORTED: {FINDING_TERMS['fever']}",
        "Red flags the patient was not sure about (not a denial: to check)",
        f"Not sure: {bladder} {UNSURE_AT:%Y-%m-%d} {UNSURE_AT:%Y-%m-%d} 1",
        f"Not sure: {weak} {UNSURE_AT:%Y-%m-%d}",
        # the last triage names what the person was not sure about
        f"Last triage ({UNSURE_AT:%Y-%m-%d})",
        "not sure about 3: " + "; ".join([bladder, weak, "Possible pregnancy"]),
        '"Not sure": asked, and the patient did not know. "Not asked": no answer. Neither is a '
        "denial.",
        # red flags now: the last screen answered "not sure"
        f"Red flags now NOT SURE At the last screen, {UNSURE_AT:%Y-%m-%d}",
        f"Not sure (neither yes nor no: to check): {bladder}; {weak}.",
        "None reported, but not sure about 1 (to check).",
    ]
    missing = [phrase for phrase in expected if phrase not in text]
    assert missing == [], missing
    # a "not sure" is never listed as denied, in the PDF or the HTML
    for denied in re.findall(r"Denied: (.*?\.)", text):
        assert bladder not in denied and weak not in denied
    row = html.split('id="answer-bladder_bowel"', 1)[1].split('<div class="row"', 1)[0]
    assert f'<span class="status-not-sure">Not sure:</span> {escape(bladder)}.' in row, row
    assert (
        f'<span class="status-denied">Denied:</span> {escape(terms("bowel_incontinence"))}' in row
    )
    assert row.count("status-not-asked") == 1
    assert page_count(pdf) <= 2


def test_an_unsure_finding_has_its_own_status_and_summary(kb: KnowledgeBase) -> None:
    repo, profile = fixture_repo(kb, unsure=True)
    data = build_report(repo.snapshot(profile), kb, now=NOW, **PERIOD)
    answers = {a.key: a for a in data.answers}
    assert {f.id: f.status for f in answers["bladder_bowel"].findings} == {
        "bladder_dysfunction": "not sure",
        "bowel_incontinence": "denied",
        "saddle_numbness": "not asked",
        "sexual_dysfunction": "not asked",
    }
    assert answers["bladder_bowel"].answer == "None reported, but not sure about 1 (to check)."
    assert answers["weakness"].answer == "None reported, but not sure about 1 (to check)."
    assert answers["numbness"].answer == f"Reported: {terms('numbness_tingling')}"
    assert [(f.finding, f.status) for f in data.unsure_flags] == [
        ("bladder_dysfunction", "not sure"),
        ("leg_weakness", "not sure"),
    ]
    assert [f.finding for f in data.red_flags] == ["fever"]  # a "not sure" is not reported either
    assert data.last_triage is not None and data.last_triage.taken == UNSURE_AT
    assert "Possible pregnancy" in data.last_triage.unsure


def test_a_summary_with_yes_and_not_sure_counts_the_not_sure(kb: KnowledgeBase) -> None:
    repo = memory_repository()
    profile = repo.profiles.create(ProfileCreate(name="P")).id
    findings = {"numbness_tingling": True, "saddle_numbness": "unsure", "both_legs": False}
    intake = {"age": 40, "regions": ["lower_back"], "findings": findings}
    repo.triage_records.create(profile, record(kb, intake, START))
    data = build_report(repo.snapshot(profile), kb, now=NOW, **PERIOD)
    numb = {a.key: a for a in data.answers}["numbness"]
    assert numb.answer == (
        f"Reported: {terms('numbness_tingling')} Also not sure about 1 (to check)."
    )
    assert [f.status for f in numb.findings] == ["reported", "not sure", "denied"]


def test_a_result_saved_without_an_unsure_list_is_read_from_its_intake(kb: KnowledgeBase) -> None:
    repo = memory_repository()
    profile = repo.profiles.create(ProfileCreate(name="P")).id
    intake = {"age": 40, "regions": ["lower_back"], "findings": {"fever": "unsure"}}
    saved = record(kb, intake, START)
    saved = saved.model_copy(
        update={"result": {k: v for k, v in saved.result.items() if k != "unsure"}}
    )
    repo.triage_records.create(profile, saved)
    data = build_report(repo.snapshot(profile), kb, now=NOW, **PERIOD)
    assert data.last_triage is not None
    assert data.last_triage.unsure == (FINDING_TERMS["fever"],)


# -- the summary's rules ---------------------------------------------------------------------------
def test_findings_are_reported_denied_or_not_asked(kb: KnowledgeBase) -> None:
    repo, profile = fixture_repo(kb)
    data = build_report(repo.snapshot(profile), kb, now=NOW, **PERIOD)
    answers = {a.key: a for a in data.answers}
    bladder = {f.id: f.status for f in answers["bladder_bowel"].findings}
    assert bladder == {
        "bladder_dysfunction": "denied",
        "bowel_incontinence": "denied",
        "saddle_numbness": "not asked",
        "sexual_dysfunction": "not asked",
    }
    assert answers["bladder_bowel"].answer == "Denied where asked; some questions not asked."
    assert answers["stiffness"].answer == "Reported: Unable to stand upright."


def test_without_a_triage_nothing_is_called_denied(kb: KnowledgeBase) -> None:
    repo = memory_repository()
    profile = repo.profiles.create(ProfileCreate(name="New")).id
    data = build_report(repo.snapshot(profile), kb, now=NOW, **PERIOD)
    answers = {a.key: a for a in data.answers}
    for key in ("bladder_bowel", "stiffness", "numbness", "weakness"):
        assert answers[key].answer == "Not screened: no triage recorded."
        assert {f.status for f in answers[key].findings} == {"not asked"}
    assert data.red_flags == [] and data.last_triage is None
    assert data.screen.status == "not screened"


def record(kb: KnowledgeBase, intake: dict[str, Any], when: datetime) -> Any:
    parsed = parse_intake(intake, kb)
    return TriageRecordCreate.from_result(parsed, evaluate(parsed, kb), when)


def test_red_flags_are_findings_that_alone_make_triage_urgent_or_worse(kb: KnowledgeBase) -> None:
    repo = memory_repository()
    profile = repo.profiles.create(ProfileCreate(name="P")).id
    base = {"age": 40, "regions": ["lower_back"]}
    findings = {
        "bladder_dysfunction": True,  # E1 on its own
        "numbness_tingling": True,  # S1 only: not a red flag by itself
        "recurrent": True,  # S2: not a red flag
        "cancer_history": False,
    }
    repo.triage_records.create(profile, record(kb, {**base, "findings": findings}, START))
    repo.triage_records.create(
        profile,
        record(kb, {**base, "findings": {"bladder_dysfunction": True}}, START + timedelta(days=3)),
    )
    flags = red_flags(kb, repo.snapshot(profile).triage_records)
    assert [(f.finding, f.times) for f in flags] == [("bladder_dysfunction", 2)]
    assert flags[0].first == START and flags[0].last == START + timedelta(days=3)


def test_nausea_is_a_red_flag_only_with_flank_pain(kb: KnowledgeBase) -> None:
    repo = memory_repository()
    profile = repo.profiles.create(ProfileCreate(name="P")).id
    for regions in (["lower_back"], ["flank"]):
        intake = {"age": 40, "regions": regions, "findings": {"nausea_vomiting": True}}
        repo.triage_records.create(profile, record(kb, intake, START))
    flags = red_flags(kb, repo.snapshot(profile).triage_records)
    assert [(f.finding, f.times) for f in flags] == [("nausea_vomiting", 1)]


def test_records_outside_the_period_are_left_out_but_red_flags_are_not(kb: KnowledgeBase) -> None:
    repo, profile = fixture_repo(kb)
    data = build_report(
        repo.snapshot(profile), kb, now=NOW, start=date(2026, 1, 10), end=date(2026, 1, 31)
    )
    assert [e.started.date() for e in data.episodes] == [date(2026, 1, 19)]
    assert [f.finding for f in data.red_flags] == ["fever"]
    assert data.last_triage is not None and data.last_triage.rules == "S1"
