"""The diary pages: a spasm logged in three taps, the history, one entry with its treatments, doses,
saved results and charts. Every page works without JavaScript; records of other people are 404."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from spasmcare.api.auth import ProfileId
from spasmcare.api.context import Context
from spasmcare.api.diary import MAX_ID, Repo
from spasmcare.diary import (
    DoseCreate,
    EpisodeCreate,
    EpisodeUpdate,
    TreatmentCreate,
    TriageRecordCreate,
    validate,
)
from spasmcare.diary.schemas import TREATMENT_KINDS
from spasmcare.errors import InputError, Problem, SpasmcareError, has_extra
from spasmcare.knowledge.body import REGION_LABELS
from spasmcare.web.csrf import CsrfChecked
from spasmcare.web.interview_form import parse_steps, replay
from spasmcare.web.localtime import input_value, page_zone, parse_input, show, zone_name
from spasmcare.web.pages.plan import PLAN_NOTE
from spasmcare.web.templating import render

router = APIRouter(prefix="/diary")

PAGE_SIZE = 20
RecordPath = Annotated[int, Path(ge=1, le=MAX_ID)]
FREQUENCY_LABELS = {
    0: "No spasms",
    1: "Only when touched or moved",
    2: "Less than once an hour",
    3: "More than once an hour",
    4: "More than 10 times an hour",
}
KIND_LABELS = {
    "heat": "Heat",
    "cold": "Cold",
    "stretch": "Stretching",
    "exercise": "Exercise or walking",
    "massage": "Massage",
    "rest": "Short rest",
    "medicine": "Medicine",
    "other": "Something else",
}


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _tags(text: str) -> list[str]:
    return [t.strip() for t in text.replace("\n", ",").split(",") if t.strip()]


def _now() -> datetime:
    return datetime.now(UTC)


def episode_view(e: Any, zone: Any) -> dict[str, Any]:
    return {
        "id": e.id,
        "started": show(e.started_at, zone),
        "ended": show(e.ended_at, zone) if e.ended_at else None,
        "regions": [REGION_LABELS.get(r, r) for r in e.regions],
        "worst_pain": e.worst_pain,
        "frequency": FREQUENCY_LABELS.get(e.spasm_frequency)
        if e.spasm_frequency is not None
        else None,
        "triggers": e.triggers,
        "causes": e.suspected_causes,
        "notes": e.notes,
    }


def _base(request: Request, title: str, **extra: Any) -> dict[str, Any]:
    zone = page_zone(request)
    return {"title": title, "zone": zone_name(zone), **extra}


# -- history ---------------------------------------------------------------------------------------
@router.get("", response_class=HTMLResponse, include_in_schema=False)
def history(
    request: Request,
    profile: ProfileId,
    repo: Repo,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    zone = page_zone(request)
    listing = repo.episodes.list(profile, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    summary = repo.dashboard(profile, _now())
    pages = max(1, -(-listing.total // PAGE_SIZE))
    return render(
        request,
        "diary/history.html",
        _base(
            request,
            "Diary",
            summary=summary,
            latest_triage=summary.latest_triage,
            latest_triage_when=show(summary.latest_triage.taken_at, zone)
            if summary.latest_triage
            else None,
            episodes=[episode_view(e, zone) for e in listing.items],
            page=page,
            pages=pages,
            total=listing.total,
        ),
    )


# -- quick entry: three taps -----------------------------------------------------------------------
def _quick_form(
    request: Request, repo: Any, profile: int, *, error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    latest = repo.episodes.list(profile, limit=1).items
    checked = list(latest[0].regions) if latest else []
    return render(
        request,
        "diary/new.html",
        _base(
            request,
            "Log a spasm",
            regions=list(REGION_LABELS.items()),
            checked=checked,
            error=error,
        ),
        status_code=status_code,
    )


@router.get("/new", response_class=HTMLResponse, include_in_schema=False)
def new_entry(request: Request, profile: ProfileId, repo: Repo) -> HTMLResponse:
    return _quick_form(request, repo, profile)


@router.post("/new", include_in_schema=False)
async def save_new_entry(
    request: Request, profile: ProfileId, repo: Repo, _csrf: CsrfChecked
) -> Response:
    form = await request.form()
    regions = [r for r in form.getlist("regions") if isinstance(r, str)]
    if not regions:
        return _quick_form(
            request, repo, profile, error="Please choose where it hurts.", status_code=422
        )
    data = {"started_at": _now(), "regions": regions, "worst_pain": _int(_text(form, "worst_pain"))}
    episode = repo.episodes.create(profile, validate(EpisodeCreate, data))
    return RedirectResponse(f"/diary/episodes/{episode.id}?saved=1", status_code=303)


def _int(text: str) -> int | str:
    try:
        return int(text)
    except ValueError:
        return text


# -- one episode -----------------------------------------------------------------------------------
def _episode_page(
    request: Request,
    repo: Any,
    profile: int,
    episode_id: int,
    *,
    problems: list[Problem] | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    zone = page_zone(request)
    episode = repo.episodes.get(profile, episode_id)
    treatments = repo.treatments.list(profile, episode_id=episode_id, limit=100).items
    return render(
        request,
        "diary/episode.html",
        _base(
            request,
            f"Spasm on {show(episode.started_at, zone)}",
            episode=episode_view(episode, zone),
            raw=episode,
            started_value=input_value(episode.started_at, zone),
            ended_value=input_value(episode.ended_at, zone),
            regions=list(REGION_LABELS.items()),
            frequencies=list(FREQUENCY_LABELS.items()),
            kinds=[(k, KIND_LABELS.get(k, k)) for k in TREATMENT_KINDS],
            treatments=[
                {
                    "id": t.id,
                    "when": show(t.started_at, zone),
                    "kind": KIND_LABELS.get(t.kind, t.kind),
                    "medicine": t.medicine,
                    "dose_mg": t.dose_mg,
                    "relief": t.relief,
                    "minutes": t.duration_minutes,
                    "notes": t.notes,
                }
                for t in treatments
            ],
            problems=problems or [],
            saved=saved,
        ),
        status_code=status_code,
    )


@router.get("/episodes/{episode_id}", response_class=HTMLResponse, include_in_schema=False)
def episode_page(
    request: Request,
    episode_id: RecordPath,
    profile: ProfileId,
    repo: Repo,
    saved: Annotated[int, Query(ge=0, le=1)] = 0,
) -> HTMLResponse:
    return _episode_page(request, repo, profile, episode_id, saved=bool(saved))


@router.post("/episodes/{episode_id}", include_in_schema=False)
async def change_episode(
    request: Request, episode_id: RecordPath, profile: ProfileId, repo: Repo, _csrf: CsrfChecked
) -> Response:
    form = await request.form()
    zone = page_zone(request)
    repo.episodes.get(profile, episode_id)  # 404 before reading anything else
    try:
        started = parse_input(_text(form, "started_at"), zone, "started_at", _now())
        if form.get("end_now") == "1":
            ended: datetime | None = _now()
        else:
            ended = parse_input(_text(form, "ended_at"), zone, "ended_at", _now())
        frequency = _text(form, "spasm_frequency")
        data: dict[str, Any] = {
            "regions": [r for r in form.getlist("regions") if isinstance(r, str)],
            "worst_pain": _int(_text(form, "worst_pain")),
            "spasm_frequency": _int(frequency) if frequency else None,
            "triggers": _tags(_text(form, "triggers")),
            "suspected_causes": _tags(_text(form, "suspected_causes")),
            "notes": _text(form, "notes"),
            "ended_at": ended,
        }
        if started is not None:
            data["started_at"] = started
        repo.episodes.update(profile, episode_id, validate(EpisodeUpdate, data))
    except InputError as exc:
        return _episode_page(
            request, repo, profile, episode_id, problems=exc.problems, status_code=422
        )
    return RedirectResponse(f"/diary/episodes/{episode_id}?saved=1", status_code=303)


@router.post("/episodes/{episode_id}/treatments", include_in_schema=False)
async def add_treatment(
    request: Request, episode_id: RecordPath, profile: ProfileId, repo: Repo, _csrf: CsrfChecked
) -> Response:
    form = await request.form()
    repo.episodes.get(profile, episode_id)
    kind = _text(form, "kind")
    data: dict[str, Any] = {
        "kind": kind,
        "started_at": _now(),
        "episode_id": episode_id,
        "notes": _text(form, "notes"),
    }
    relief = _text(form, "relief")
    minutes = _text(form, "duration_minutes")
    if relief:
        data["relief"] = _int(relief)
    if minutes:
        data["duration_minutes"] = _int(minutes)
    if kind == "medicine":
        data["medicine"] = _text(form, "medicine") or None
        dose = _text(form, "dose_mg")
        if dose:
            data["dose_mg"] = _float(dose)
    try:
        repo.treatments.create(profile, validate(TreatmentCreate, data))
    except InputError as exc:
        return _episode_page(
            request, repo, profile, episode_id, problems=exc.problems, status_code=422
        )
    return RedirectResponse(f"/diary/episodes/{episode_id}?saved=1", status_code=303)


def _float(text: str) -> float | str:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


@router.post("/episodes/{episode_id}/delete", include_in_schema=False)
def delete_episode(
    episode_id: RecordPath, profile: ProfileId, repo: Repo, _csrf: CsrfChecked
) -> Response:
    repo.episodes.delete(profile, episode_id)
    return RedirectResponse("/diary?deleted=1", status_code=303)


@router.post("/treatments/{treatment_id}/delete", include_in_schema=False)
def delete_treatment(
    treatment_id: RecordPath, profile: ProfileId, repo: Repo, _csrf: CsrfChecked
) -> Response:
    treatment = repo.treatments.get(profile, treatment_id)
    repo.treatments.delete(profile, treatment_id)
    target = f"/diary/episodes/{treatment.episode_id}" if treatment.episode_id else "/diary"
    return RedirectResponse(target, status_code=303)


# -- doses -----------------------------------------------------------------------------------------
def _doses_page(
    request: Request,
    repo: Any,
    profile: int,
    *,
    problems: list[Problem] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    zone = page_zone(request)
    doses = repo.doses.list(profile, limit=100).items
    return render(
        request,
        "diary/doses.html",
        _base(
            request,
            "Medicine doses",
            doses=[
                {
                    "id": d.id,
                    "medicine": d.medicine,
                    "amount_mg": f"{d.amount_mg:g}",
                    "when": show(d.taken_at, zone),
                    "from_treatment": d.treatment_id is not None,
                }
                for d in doses
            ],
            problems=problems or [],
            values=values
            or {"medicine": "", "amount_mg": "", "taken_at": input_value(_now(), zone)},
        ),
        status_code=status_code,
    )


@router.get("/doses", response_class=HTMLResponse, include_in_schema=False)
def doses_page(request: Request, profile: ProfileId, repo: Repo) -> HTMLResponse:
    return _doses_page(request, repo, profile)


@router.post("/doses", include_in_schema=False)
async def add_dose(
    request: Request, profile: ProfileId, repo: Repo, _csrf: CsrfChecked
) -> Response:
    form = await request.form()
    values = {k: _text(form, k) for k in ("medicine", "amount_mg", "taken_at")}
    try:
        taken = parse_input(values["taken_at"], page_zone(request), "taken_at", _now()) or _now()
        data = {
            "medicine": values["medicine"],
            "amount_mg": _float(values["amount_mg"]),
            "taken_at": taken,
        }
        repo.doses.create(profile, validate(DoseCreate, data))
    except InputError as exc:
        return _doses_page(
            request, repo, profile, problems=exc.problems, values=values, status_code=422
        )
    return RedirectResponse("/diary/doses", status_code=303)


@router.post("/doses/{dose_id}/delete", include_in_schema=False)
def delete_dose(
    dose_id: RecordPath, profile: ProfileId, repo: Repo, _csrf: CsrfChecked
) -> Response:
    repo.doses.delete(profile, dose_id)
    return RedirectResponse("/diary/doses", status_code=303)


# -- saved results ---------------------------------------------------------------------------------
@router.get("/results", response_class=HTMLResponse, include_in_schema=False)
def results_page(request: Request, profile: ProfileId, repo: Repo) -> HTMLResponse:
    zone = page_zone(request)
    triage = repo.triage_records.list(profile, limit=100).items
    scales = repo.scale_records.list(profile, limit=100).items
    return render(
        request,
        "diary/results.html",
        _base(
            request,
            "Saved results",
            triage=[
                {
                    "id": t.id,
                    "when": show(t.taken_at, zone),
                    "label": t.result.get("label", t.disposition),
                    "disposition": t.disposition,
                    "plan": t.notes == PLAN_NOTE,
                }
                for t in triage
            ],
            scales=[
                {
                    "id": s.id,
                    "when": show(s.taken_at, zone),
                    "name": s.result.get("name", s.scale),
                    "score": s.score,
                    "band": s.result.get("band_label") or s.band,
                    "valid": s.valid,
                }
                for s in scales
            ],
        ),
    )


@router.post("/triage", include_in_schema=False)
async def save_triage(
    request: Request, context: Context, profile: ProfileId, repo: Repo, _csrf: CsrfChecked
) -> Response:
    """Save the triage result of the interview the person just finished (recomputed here)."""
    form = await request.form()
    raw = form.get("steps")
    state = replay(
        context.kb,
        parse_steps(raw if isinstance(raw, str) else None),
        emergency_call=context.emergency_call,
        context=False,
    )
    if state.interview.next_question() is not None:
        raise InputError(
            "the questions are not finished", [Problem("steps", "answer every question first")]
        )
    result = state.interview.result()
    record = TriageRecordCreate.from_result(state.interview.intake(), result, _now())
    repo.triage_records.create(profile, record)
    return RedirectResponse("/diary/results?saved=1", status_code=303)


@router.post("/triage-results/{record_id}/delete", include_in_schema=False)
def delete_triage_result(
    record_id: RecordPath, profile: ProfileId, repo: Repo, _csrf: CsrfChecked
) -> Response:
    repo.triage_records.delete(profile, record_id)
    return RedirectResponse("/diary/results", status_code=303)


@router.post("/scale-results/{record_id}/delete", include_in_schema=False)
def delete_scale_result(
    record_id: RecordPath, profile: ProfileId, repo: Repo, _csrf: CsrfChecked
) -> Response:
    repo.scale_records.delete(profile, record_id)
    return RedirectResponse("/diary/results", status_code=303)


# -- charts and statistics -------------------------------------------------------------------------
VERDICT_WORDS = {
    "improved": "better",
    "worse": "worse",
    "no_meaningful_change": "no real change",
}


def scale_history(records: Any, zone: Any) -> list[dict[str, Any]]:
    """Each scale's valid scores, oldest first, with the change from the first to the latest in
    words (better, worse, no real change) where the scale has a minimal important difference."""
    from spasmcare.diary.analytics import scale_changes
    from spasmcare.scales import get_scale

    changes = {c.scale: c for c in scale_changes(records)}
    by_scale: dict[str, list[Any]] = {}
    for r in sorted(records, key=lambda r: (r.taken_at, r.id)):
        if r.valid and r.score is not None:
            by_scale.setdefault(r.scale, []).append(r)
    rows = []
    for scale_id, found in by_scale.items():
        try:
            name = get_scale(scale_id).name
        except SpasmcareError:
            name = scale_id
        change = changes.get(scale_id)
        rows.append(
            {
                "name": name,
                "scores": [(show(r.taken_at, zone), f"{r.score:g}") for r in found[-12:]],
                "verdict": VERDICT_WORDS.get(change.verdict) if change else None,
                "first": f"{change.first:g}" if change else None,
                "latest": f"{change.latest:g}" if change else None,
            }
        )
    return rows


@router.get("/charts", response_class=HTMLResponse, include_in_schema=False)
def charts_page(request: Request, profile: ProfileId, repo: Repo) -> HTMLResponse:
    from spasmcare.diary.analytics import stats
    from spasmcare.diary.charts import function_series

    zone = page_zone(request)
    snapshot = repo.snapshot(profile)
    result = stats(snapshot, _now(), zone=zone)
    data = result.model_dump(mode="json")
    return render(
        request,
        "diary/charts.html",
        _base(
            request,
            "Charts",
            stats=data,
            tz=zone_name(zone),
            weeks=[(w["start"], w["count"]) for w in data["per_week"]],
            scale_rows=scale_history(snapshot.scale_records, zone),
            function_chart=any(function_series(snapshot.scale_records).values()),
            drawn=has_extra("matplotlib"),
        ),
    )


__all__ = ["router"]
