"""A report a clinician can trust at a glance (issue 13): each point is checked in the text of the real
PDF of a seeded diary, read back with pdftotext.

The diaries: a new user (six episodes, one saved triage recording age 35 and male, one pain rating, a
profile without age or sex); one never screened; pain ratings without episodes; a trend the old fitted
line called "improving" while the monthly mean rose; empty scale forms; and a busy year.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from spasmcare.diary import (
    DiaryRepository,
    EpisodeCreate,
    ProfileCreate,
    ScaleRecordCreate,
    TriageRecordCreate,
)
from spasmcare.diary.analytics import pain_series, pain_trend
from spasmcare.knowledge import KnowledgeBase
from spasmcare.report import make_report, render_html, render_pdf
from spasmcare.report.chart import FONT_PT, HEIGHT_MM, WIDTH_MM
from spasmcare.report.terms import FINDING_TERMS
from spasmcare.scales import score
from spasmcare.triage import evaluate, parse_intake
from tests.diary.factories import memory_repository
from tests.interop.diary_data import fixture_repo
from tests.report.busy_year import fill_busy_year
from tests.report.pdf import page_count, page_size_mm, pdf_text, printed_font_sizes, word_heights

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PERIOD = {"start": date(2026, 1, 1), "end": date(2026, 2, 28)}
TRIAGED = datetime(2026, 2, 20, 9, 0, tzinfo=UTC)
SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself|please)\b", re.IGNORECASE)


def rating(repo: DiaryRepository, profile: int, value: int, when: datetime) -> None:
    result = score("nrs", {"score": value})
    repo.scale_records.create(
        profile, ScaleRecordCreate.from_result(result, {"score": value}, when)
    )


def triage(repo: DiaryRepository, kb: KnowledgeBase, profile: int, intake: dict[str, Any]) -> None:
    parsed = parse_intake(intake, kb)
    repo.triage_records.create(
        profile, TriageRecordCreate.from_result(parsed, evaluate(parsed, kb), TRIAGED)
    )


def new_user(kb: KnowledgeBase, *, triaged: bool = True, age: int | None = None) -> Any:
    """Six episodes of low back pain, one saved triage (35, male, everything denied), one pain
    rating; the profile records no age or sex."""
    repo = memory_repository()
    profile = repo.profiles.create(ProfileCreate(name="Sam New", age=age)).id
    for i in range(6):
        began = datetime(2026, 1, 5, 8, tzinfo=UTC) + timedelta(days=8 * i)
        repo.episodes.create(
            profile,
            EpisodeCreate(
                started_at=began,
                ended_at=began + timedelta(days=1),
                regions=["lower_back"],
                worst_pain=4 + i % 3,
            ),
        )
    if triaged:
        findings = dict.fromkeys(("bladder_dysfunction", "saddle_numbness", "fever"), False)
        triage(
            repo,
            kb,
            profile,
            {"age": 35, "sex": "male", "regions": ["lower_back"], "findings": findings},
        )
    rating(repo, profile, 6, TRIAGED + timedelta(hours=1))
    return repo, profile


def rendered(repo: DiaryRepository, profile: int, kb: KnowledgeBase, **period: Any) -> Any:
    data = make_report(repo, profile, kb, now=NOW, **(period or PERIOD))
    html = render_html(data)
    return data, html, render_pdf(html)


@pytest.fixture(scope="module")
def new_user_pdf(kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    _, html, pdf = rendered(*new_user(kb), kb)
    return html, pdf_text(pdf, tmp_path_factory.mktemp("new"))


@pytest.fixture(scope="module")
def busy_pdf(kb: KnowledgeBase) -> tuple[str, bytes]:
    repo = memory_repository()
    profile = fill_busy_year(repo, kb, end=NOW)
    _, html, pdf = rendered(repo, profile, kb, start=date(2025, 3, 1), end=date(2026, 2, 28))
    return html, pdf


# -- red flags: "not screened" is not "none" ------------------------------------------------------
def test_a_diary_never_screened_says_not_screened_never_none(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    _, _, pdf = rendered(*new_user(kb, triaged=False), kb)
    text = pdf_text(pdf, tmp_path)
    assert "Red flags now NOT SCREENED No triage recorded: red flags were not screened." in text
    assert "Red flags ever reported: not screened (no triage recorded)." in text
    assert (
        text.count("Not screened: no triage recorded.") == 4
    )  # bladder, stiffness, sensory, weakness
    assert "None reported" not in text and "NONE" not in text
    assert not re.search(r"Red flags[^.]*: None", text)


def test_a_screen_that_found_nothing_says_none_with_its_date(new_user_pdf: tuple[str, str]) -> None:
    _, text = new_user_pdf
    assert f"Red flags now NONE At the last screen, {TRIAGED:%Y-%m-%d}" in text
    assert "Red flags ever reported: none in 1 triage(s)." in text
    assert "NOT SCREENED" not in text


# -- age, sex and sore area -----------------------------------------------------------------------
def test_age_and_sex_come_from_the_saved_triage(new_user_pdf: tuple[str, str]) -> None:
    _, text = new_user_pdf
    assert f"Age: 35 years (from triage {TRIAGED:%Y-%m-%d})" in text
    assert f"Sex: male (from triage {TRIAGED:%Y-%m-%d})" in text
    assert "not given" not in text and "not recorded" not in text
    # the medicine checks ran on that age and the triage's sore area
    assert "not run" not in text
    assert "Plan warning: No regular medicines or conditions recorded" in text


def test_without_a_triage_the_sore_area_comes_from_the_episodes(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    _, _, pdf = rendered(*new_user(kb, triaged=False, age=35), kb)
    text = pdf_text(pdf, tmp_path)
    assert "Age: 35 years" in text and "Lower back (6 episodes)" in text
    assert "not run" not in text and "no valid age and sore area" not in text
    assert "Plan warning: No regular medicines or conditions recorded" in text


def test_without_any_age_the_report_says_what_is_missing(kb: KnowledgeBase, tmp_path: Path) -> None:
    _, _, pdf = rendered(*new_user(kb, triaged=False), kb)
    text = pdf_text(pdf, tmp_path)
    assert "Age: not recorded" in text
    assert "Medicine safety check not run: no age recorded." in text


# -- clinician wording ----------------------------------------------------------------------------
@pytest.mark.parametrize("diary", ["fixture", "unsure", "new user", "never screened", "busy"])
def test_clinician_wording_throughout(
    diary: str, kb: KnowledgeBase, tmp_path: Path, busy_pdf: tuple[str, bytes]
) -> None:
    if diary == "busy":
        pdf = busy_pdf[1]
    elif diary in ("fixture", "unsure"):
        pdf = rendered(*fixture_repo(kb, unsure=diary == "unsure"), kb)[2]
    else:
        pdf = rendered(*new_user(kb, triaged=diary == "new user"), kb)[2]
    text = pdf_text(pdf, tmp_path)
    assert SECOND_PERSON.findall(text) == []  # third person: nothing speaks to the patient
    patient_words = [
        f.label for f in kb.findings.values() if f.label != FINDING_TERMS[f.id] and f.label in text
    ]
    assert patient_words == []
    for phrase in ("check again", "Ask a pharmacist", "Do not take", "We could", "we do not"):
        assert phrase not in text


def test_standard_terms_and_units(kb: KnowledgeBase, tmp_path: Path) -> None:
    repo, profile = fixture_repo(kb, unsure=True)
    text = pdf_text(rendered(repo, profile, kb)[2], tmp_path)
    expected = [
        "Saddle anaesthesia",  # standard terms
        "New faecal incontinence",
        "Limb paraesthesia or numbness",
        "Urgent (doctor within 24 h)",
        "Possible pregnancy",
        "Fever (38 °C or more) or rigors",
        "Heat and cold packs excluded: reduced skin sensation or circulation.",
        "400 mg in the period, at most 400 mg in 24 h",  # units
        "Now 3/10 (NRS, 2026-02-04)",
        "ODI 40% to 20%",
        "1.5 episodes/month",
        "median of 2 days",
        "(59 days)",
    ]
    missing = [phrase for phrase in expected if phrase not in text]
    assert missing == [], missing


def test_medicine_safety_flags_are_in_standard_terms(kb: KnowledgeBase, tmp_path: Path) -> None:
    repo, profile = fixture_repo(kb)  # sertraline and asthma; the last triage leaves home care
    # pdftotext drops a hyphen that ends a line: compare without hyphens
    text = pdf_text(rendered(repo, profile, kb)[2], tmp_path).replace("-", "")
    for flag in (
        "Caution: Ibuprofen, Naproxen, Celecoxib: pregnancy not excluded; with SSRI or SNRI "
        "(bleeding); asthma (NSAID-exacerbated respiratory disease).",
        "Caution: Cyclobenzaprine: with serotonergic drug (serotonin syndrome).",
        "Plan warning: Heat and cold packs excluded: reduced skin sensation or circulation.",
    ):
        assert flag.replace("-", "") in text, flag


# -- scale results --------------------------------------------------------------------------------
def test_an_empty_scale_form_is_never_a_first_result(kb: KnowledgeBase, tmp_path: Path) -> None:
    repo, profile = new_user(kb)
    first = datetime(2026, 1, 6, 9, tzinfo=UTC)
    for responses, when in (
        ({}, first),  # an empty ODI form
        ({f"s{i}": 2 for i in range(1, 11)}, first + timedelta(days=1)),
        ({"s1": 1}, first + timedelta(days=2)),  # left unfinished
        ({f"s{i}": 1 for i in range(1, 11)}, first + timedelta(days=30)),
    ):
        result = score("odi", responses)
        repo.scale_records.create(profile, ScaleRecordCreate.from_result(result, responses, when))
    for responses in ({}, {"q1": "agree"}):  # a STarT Back never completed
        result = score("startback", responses)
        repo.scale_records.create(profile, ScaleRecordCreate.from_result(result, responses, first))
    text = pdf_text(rendered(repo, profile, kb)[2], tmp_path)
    assert "not scored (" not in text and not re.search(r"First:? not scored", text)
    assert "ODI (2 incomplete, not scored) 2 40% moderate disability (2026-01-07)" in text
    assert "ODI 40% to 20% (2026-01-07 to 2026-02-05): -20, meaningful improvement" in text
    assert "STarT Back (2 incomplete, not scored) 0 no complete result no complete result" in text
    assert "STarT Back: no complete result (2 incomplete forms not scored)." in text


# -- the pain trend -------------------------------------------------------------------------------
def rising_pain(kb: KnowledgeBase) -> Any:
    """January: six days at 10, then sixteen at 0 (mean 2.7); February: three at 4 and the latest,
    on the 28th, at 10 (mean 5.5). A line fitted through them falls by about 8 points."""
    repo = memory_repository()
    profile = repo.profiles.create(ProfileCreate(name="Pat Rising", age=50)).id
    noon = datetime(2026, 1, 1, 12, tzinfo=UTC)
    values = [(d, 10) for d in range(0, 6)] + [(d, 0) for d in range(15, 31)]
    values += [(d, 4) for d in range(31, 34)] + [(58, 10)]
    for day, value in values:
        rating(repo, profile, value, noon + timedelta(days=day))
    return repo, profile


def test_the_pain_trend_names_period_and_method_and_agrees_with_the_monthly_means(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    repo, profile = rising_pain(kb)
    snapshot = repo.snapshot(profile)
    old = pain_trend(pain_series([], snapshot.scale_records), now=NOW, days=59)
    assert old.direction == "improving"  # what the report used to print
    data, html, pdf = rendered(repo, profile, kb)
    text = pdf_text(pdf, tmp_path)
    trend = (
        "2026-01 to 2026-02: monthly mean 2.7 (n=22) to 5.5 (n=4), +2.8 points: worse; "
        "latest rating 10/10 on 2026-02-28."
    )
    assert f"Trend {trend}" in text  # the first block
    assert f"Pain trend {trend} Method: mean of all 0-10 pain scores" in text
    assert "calendar month with scores; a change of 2 points or more is meaningful" in text
    assert "improving" not in text
    # the chart draws the same monthly means, and says so
    assert data.pain is not None and [m.mean for m in data.pain.months] == [2.7, 5.5]
    assert "monthly means of 2 months, 2026-01 2.7 and 2026-02 5.5" in text
    chart = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert ">2.7</text>" in chart and ">5.5</text>" in chart


# -- the chart's text is at least 8 pt when printed ------------------------------------------------
def test_every_text_prints_at_8_pt_or_more(busy_pdf: tuple[str, bytes], tmp_path: Path) -> None:
    html, pdf = busy_pdf
    sizes = printed_font_sizes(pdf)
    chart_words = {"Pain (0-10)", "Monthly mean", "Episode worst pain", "10", "Jan"}
    assert chart_words <= {t for _, t in sizes}
    assert min(size for size, _ in sizes) >= 8.0, sorted(sizes)[:5]
    # poppler's word boxes agree: no word is smaller than the 8 pt body text
    heights = word_heights(pdf, tmp_path)
    if heights:
        body = min(h for h, w in heights if w == "Scale")
        small = [(round(h, 2), w) for h, w in heights if h < body - 0.01]
        assert small == []
    # the chart is drawn 1:1: its size in mm is its viewBox in points, and its labels are 8 pt
    tag = re.search(r"<svg[^>]*>", html)
    assert tag is not None
    assert f'width="{WIDTH_MM:g}mm"' in tag.group(0) and f'height="{HEIGHT_MM:g}mm"' in tag.group(0)
    box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', tag.group(0))
    assert box is not None
    assert abs(float(box.group(1)) - WIDTH_MM * 72 / 25.4) < 0.1
    assert abs(float(box.group(2)) - HEIGHT_MM * 72 / 25.4) < 0.1
    assert FONT_PT >= 8 and "font-size" not in html.split(".chart svg", 1)[1].split("}", 1)[0]


# -- pain ratings without episodes ----------------------------------------------------------------
def test_pain_ratings_without_episodes_make_a_report(kb: KnowledgeBase, tmp_path: Path) -> None:
    repo = memory_repository()
    profile = repo.profiles.create(ProfileCreate(name="Only Ratings", age=40)).id
    for day in range(0, 50, 7):
        rating(repo, profile, 3 + day % 4, datetime(2026, 1, 2, 20, tzinfo=UTC) + timedelta(day))
    data, html, pdf = rendered(repo, profile, kb)
    text = pdf_text(pdf, tmp_path)
    assert data.chart_svg is not None and "<svg" in html
    assert "No episodes started in this period." in text
    assert "8 pain ratings and 0 episodes from 2026-01-02 to 2026-02-20" in text
    assert "No episodes in this period." in text  # the site


# -- the first block -------------------------------------------------------------------------------
def test_the_first_block_answers_the_30_second_questions(
    busy_pdf: tuple[str, bytes], tmp_path: Path
) -> None:
    html, pdf = busy_pdf
    path = tmp_path / "busy.pdf"
    path.write_bytes(pdf)
    text = pdf_text(pdf, tmp_path)
    block = text.split("AT A GLANCE", 1)[1].split("RED FLAGS AND TRIAGE", 1)[0]
    headings = [
        "Red flags now NOT SURE At the last screen, 2026-01-27",
        "Latest triage Urgent (doctor within 24 h) on 2026-01-27; rules fired: N1",
        "decided by knowledge base",
        "Pain Now ",
        "start of period ",
        "Function scores ODI ",
        "MCID 10",
        "Tried, helped most Tried: ",
        "Most relief (median, 0-10): medicine: ibuprofen",
        "Medicines, safety flags sertraline (regular)",
        "acetaminophen (for the spasm): ",
    ]
    positions = [block.find(h) for h in headings]
    assert -1 not in positions, [h for h, p in zip(headings, positions, strict=True) if p < 0]
    assert positions == sorted(positions)  # in the order a clinician reads them
    assert (
        "Reported at earlier screens: Fever (38 °C or more) or rigors (last 2025-06-01)." in block
    )
    assert (
        "Not sure (neither yes nor no: to check): " + FINDING_TERMS["bladder_dysfunction"] in block
    )
    # the block is on the first page, first after the header
    assert html.index('id="glance-h"') < html.index('id="flags-h"') < html.index('id="qa-h"')
    first_page = pdf_text_page(path, 1)
    assert "AT A GLANCE" in first_page and "Medicines, safety flags" in first_page


def pdf_text_page(path: Path, page: int) -> str:
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("poppler's pdftotext is not installed")
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return " ".join(out.split())


# -- two pages for a busy year, A4 or Letter ------------------------------------------------------
@pytest.mark.parametrize(("paper", "size"), [("A4", (210.0, 297.0)), ("Letter", (215.9, 279.4))])
def test_a_busy_year_fits_two_pages(
    paper: str, size: tuple[float, float], kb: KnowledgeBase, tmp_path: Path
) -> None:
    repo = memory_repository()
    profile = fill_busy_year(repo, kb, end=NOW)
    data = make_report(repo, profile, kb, now=NOW, start=date(2025, 3, 1), end=date(2026, 2, 28))
    pdf = render_pdf(render_html(data, paper=paper))
    assert page_size_mm(pdf) == size
    assert page_count(pdf) <= 2
    text = pdf_text(pdf, tmp_path)
    assert "40 episodes started in this period" in text and "page 2 of 2" in text
    nrs = [line.results for line in data.scale_lines if line.scale == "nrs"]
    assert len(nrs) == 1 and nrs[0] > 360 and f" {nrs[0]} " in text  # one line for a year
