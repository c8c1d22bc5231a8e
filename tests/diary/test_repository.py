"""The repository contract, run on every backend: SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from spasmcare.diary import (
    DiaryRepository,
    DoseUpdate,
    EpisodeUpdate,
    ProfileUpdate,
    ScaleRecordCreate,
    ScaleRecordUpdate,
    TreatmentUpdate,
    TriageRecordCreate,
    TriageRecordUpdate,
)
from spasmcare.errors import ConflictError, InputError, NotFoundError
from spasmcare.knowledge import KnowledgeBase
from spasmcare.scales import score
from spasmcare.triage import evaluate, parse_intake
from tests.diary.conftest import Clock
from tests.diary.factories import at, dose, episode, profile, scale_record, treatment, triage_record


def test_profile_crud(repo: DiaryRepository, clock: Clock) -> None:
    created = repo.profiles.create(profile(age=41, conditions=["asthma"], medicines=["Sertraline"]))
    assert created.name == "Ana" and created.age == 41
    assert created.medicines == ["sertraline"]
    assert created.age_recorded_at == clock.now
    assert repo.profiles.get(created.id) == created

    clock.advance(days=400)
    changed = repo.profiles.update(created.id, ProfileUpdate(age=42))
    assert changed.age == 42 and changed.age_recorded_at == clock.now
    assert changed.created_at == created.created_at and changed.updated_at == clock.now
    assert changed.conditions == ["asthma"], "fields not given are kept"
    assert changed.age_at(clock.now + timedelta(days=366)) == 43

    other = repo.profiles.create(profile(name="Ben", owner="account-7"))
    assert [p.id for p in repo.profiles.list().items] == [created.id, other.id]
    assert [p.id for p in repo.profiles.list(owner="account-7").items] == [other.id]

    repo.profiles.delete(created.id)
    with pytest.raises(NotFoundError):
        repo.profiles.get(created.id)
    assert repo.profiles.list().total == 1


def test_episode_list_is_newest_first_and_paged(repo: DiaryRepository) -> None:
    me = repo.profiles.create(profile()).id
    ids = [repo.episodes.create(me, episode(started_at=at(days=d))).id for d in (3, 1, 4, 2, 0)]
    page = repo.episodes.list(me, limit=2)
    assert page.total == 5 and page.limit == 2 and page.offset == 0
    assert [e.started_at for e in page.items] == [at(days=4), at(days=3)]
    rest = repo.episodes.list(me, limit=10, offset=2)
    assert [e.started_at for e in rest.items] == [at(days=2), at(days=1), at(days=0)]
    window = repo.episodes.list(me, since=at(days=1), until=at(days=3))
    assert [e.started_at for e in window.items] == [at(days=2), at(days=1)]
    assert window.total == 2
    assert sorted(e.id for e in repo.episodes.list(me).items) == sorted(ids)


@pytest.mark.parametrize(
    ("limit", "offset", "field"), [(0, 0, "limit"), (1001, 0, "limit"), (5, -1, "offset")]
)
def test_page_bounds_are_checked(
    repo: DiaryRepository, limit: int, offset: int, field: str
) -> None:
    me = repo.profiles.create(profile()).id
    with pytest.raises(InputError) as info:
        repo.episodes.list(me, limit=limit, offset=offset)
    assert [p.path for p in info.value.problems] == [field]


def _one_of_each(repo: DiaryRepository, me: int) -> dict[str, int]:
    ep = repo.episodes.create(me, episode())
    return {
        "episode": ep.id,
        "treatment": repo.treatments.create(me, treatment(episode_id=ep.id)).id,
        "dose": repo.doses.create(me, dose()).id,
        "triage_record": repo.triage_records.create(me, triage_record(episode_id=ep.id)).id,
        "scale_record": repo.scale_records.create(me, scale_record(episode_id=ep.id)).id,
    }


UPDATES: dict[str, Any] = {
    "episode": EpisodeUpdate(worst_pain=1),
    "treatment": TreatmentUpdate(relief=9),
    "dose": DoseUpdate(amount_mg=250),
    "triage_record": TriageRecordUpdate(notes="seen by GP"),
    "scale_record": ScaleRecordUpdate(notes="after physio"),
}


def test_one_profile_never_reaches_another_profiles_records(repo: DiaryRepository) -> None:
    alice = repo.profiles.create(profile(name="Alice")).id
    bob = repo.profiles.create(profile(name="Bob")).id
    mine = _one_of_each(repo, alice)
    for kind, record_id in mine.items():
        store = getattr(repo, f"{kind}s")
        get = store.get
        before = get(alice, record_id)
        with pytest.raises(NotFoundError) as info:
            get(bob, record_id)
        assert "Alice" not in str(info.value)
        with pytest.raises(NotFoundError):
            store.update(bob, record_id, UPDATES[kind])
        with pytest.raises(NotFoundError):
            store.delete(bob, record_id)
        assert get(alice, record_id) == before, f"{kind} changed through another profile"
    assert repo.episodes.list(bob).total == 0
    assert repo.treatments.list(bob).total == 0
    assert repo.doses.list(bob).total == 0
    assert repo.triage_records.list(bob).total == 0
    assert repo.scale_records.list(bob).total == 0
    assert repo.doses_between(bob, at(days=-1), at(days=1)) == []
    assert repo.snapshot(bob).episodes == []
    assert repo.dashboard(bob, at(days=1)).episodes_total == 0


def test_links_must_stay_inside_the_profile(repo: DiaryRepository) -> None:
    alice = repo.profiles.create(profile()).id
    bob = repo.profiles.create(profile()).id
    bobs_episode = repo.episodes.create(bob, episode()).id
    for create, data in (
        (repo.treatments.create, treatment(episode_id=bobs_episode)),
        (repo.triage_records.create, triage_record(episode_id=bobs_episode)),
        (repo.scale_records.create, scale_record(episode_id=bobs_episode)),
    ):
        with pytest.raises(InputError) as info:
            create(alice, data)  # type: ignore[operator]
        assert info.value.problems[0].path == "episode_id"
    assert repo.treatments.list(alice).total == 0
    mine = repo.treatments.create(alice, treatment())
    with pytest.raises(InputError):
        repo.treatments.update(alice, mine.id, TreatmentUpdate(episode_id=bobs_episode))
    assert repo.treatments.get(alice, mine.id).episode_id is None


@pytest.mark.parametrize(
    "store", ["episodes", "treatments", "doses", "triage_records", "scale_records"]
)
def test_writing_to_an_unknown_profile_fails(repo: DiaryRepository, store: str) -> None:
    data = {
        "episodes": episode(),
        "treatments": treatment(),
        "doses": dose(),
        "triage_records": triage_record(),
        "scale_records": scale_record(),
    }[store]
    with pytest.raises(NotFoundError):
        getattr(repo, store).create(999, data)


def test_update_applies_only_given_fields_and_checks_the_result(
    repo: DiaryRepository, clock: Clock
) -> None:
    me = repo.profiles.create(profile()).id
    ep = repo.episodes.create(me, episode(ended_at=at(days=2), triggers=["lifting"]))
    clock.advance(hours=1)
    changed = repo.episodes.update(me, ep.id, EpisodeUpdate(worst_pain=3))
    assert changed.worst_pain == 3 and changed.triggers == ["lifting"]
    assert changed.updated_at == clock.now and changed.created_at == ep.created_at
    reopened = repo.episodes.update(me, ep.id, EpisodeUpdate.model_validate({"ended_at": None}))
    assert reopened.ended_at is None and reopened.ongoing
    with pytest.raises(InputError) as info:
        repo.episodes.update(me, ep.id, EpisodeUpdate(ended_at=at(days=-1)))
    assert "before started_at" in str(info.value)
    with pytest.raises(InputError):
        repo.episodes.update(me, ep.id, EpisodeUpdate.model_validate({"worst_pain": None}))
    assert repo.episodes.get(me, ep.id) == reopened, "a failed update changes nothing"


def test_a_medicine_treatment_records_its_dose(repo: DiaryRepository) -> None:
    me = repo.profiles.create(profile()).id
    taken = repo.treatments.create(
        me, treatment(kind="medicine", medicine="Ibuprofen", dose_mg=400, started_at=at(hours=1))
    )
    (recorded,) = repo.doses.list(me).items
    assert (recorded.medicine, recorded.amount_mg, recorded.taken_at) == (
        "ibuprofen",
        400,
        at(hours=1),
    )
    assert recorded.treatment_id == taken.id

    repo.treatments.update(me, taken.id, TreatmentUpdate(dose_mg=200, started_at=at(hours=2)))
    (changed,) = repo.doses.list(me).items
    assert (changed.id, changed.amount_mg, changed.taken_at) == (recorded.id, 200, at(hours=2))

    with pytest.raises(ConflictError):
        repo.doses.update(me, recorded.id, DoseUpdate(amount_mg=1))
    with pytest.raises(ConflictError):
        repo.doses.delete(me, recorded.id)

    repo.treatments.update(
        me,
        taken.id,
        TreatmentUpdate.model_validate({"kind": "heat", "medicine": None, "dose_mg": None}),
    )
    assert repo.doses.list(me).total == 0
    repo.treatments.update(
        me, taken.id, TreatmentUpdate(kind="medicine", medicine="naproxen", dose_mg=220)
    )
    assert [d.medicine for d in repo.doses.list(me).items] == ["naproxen"]
    repo.treatments.delete(me, taken.id)
    assert repo.doses.list(me).total == 0


def test_create_episode_writes_its_treatments_in_the_same_transaction(
    repo: DiaryRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = repo.profiles.create(profile()).id
    ep = repo.episodes.create(
        me,
        episode(),
        [
            treatment(kind="heat", relief=6),
            treatment(kind="medicine", medicine="ibuprofen", dose_mg=400),
        ],
    )
    kinds = sorted(t.kind for t in repo.treatments.list(me, episode_id=ep.id).items)
    assert kinds == ["heat", "medicine"]
    assert repo.doses.list(me).total == 1

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(repo.treatments, "_written", fail)
    with pytest.raises(RuntimeError):
        repo.episodes.create(me, episode(started_at=at(days=9)), [treatment()])
    assert repo.episodes.list(me).total == 1, "the episode of a failed write was not kept"
    assert repo.treatments.list(me).total == 2


def test_deleting_an_episode_removes_its_treatments_and_unlinks_results(
    repo: DiaryRepository,
) -> None:
    me = repo.profiles.create(profile()).id
    ids = _one_of_each(repo, me)
    medicine = repo.treatments.create(
        me, treatment(kind="medicine", medicine="ibuprofen", dose_mg=400, episode_id=ids["episode"])
    )
    repo.episodes.delete(me, ids["episode"])
    with pytest.raises(NotFoundError):
        repo.treatments.get(me, ids["treatment"])
    with pytest.raises(NotFoundError):
        repo.treatments.get(me, medicine.id)
    assert [d.id for d in repo.doses.list(me).items] == [ids["dose"]], "the linked dose went too"
    assert repo.triage_records.get(me, ids["triage_record"]).episode_id is None
    assert repo.scale_records.get(me, ids["scale_record"]).episode_id is None


def test_deleting_a_profile_deletes_all_its_records(repo: DiaryRepository) -> None:
    gone = repo.profiles.create(profile()).id
    kept = repo.profiles.create(profile(name="Kept")).id
    ids = _one_of_each(repo, gone)
    keep_ids = _one_of_each(repo, kept)
    repo.profiles.delete(gone)
    for kind, record_id in ids.items():
        with pytest.raises(NotFoundError):
            getattr(repo, f"{kind}s").get(gone, record_id)
    for kind, record_id in keep_ids.items():
        assert getattr(repo, f"{kind}s").get(kept, record_id).id == record_id
    with pytest.raises(NotFoundError):
        repo.episodes.list(gone)


def test_ids_are_not_reused_after_a_delete(repo: DiaryRepository) -> None:
    me = repo.profiles.create(profile()).id
    first = repo.episodes.create(me, episode(started_at=at(days=1))).id
    repo.episodes.delete(me, first)
    assert repo.episodes.create(me, episode()).id != first


def test_doses_between_is_a_half_open_window_oldest_first(repo: DiaryRepository) -> None:
    me = repo.profiles.create(profile()).id
    other = repo.profiles.create(profile()).id
    for hours in (0, 6, 24, 30):
        repo.doses.create(me, dose(taken_at=at(hours=hours), amount_mg=1000))
    repo.doses.create(other, dose(taken_at=at(hours=6)))
    window = repo.doses_between(me, at(hours=0), at(hours=24))
    assert [d.taken_at for d in window] == [at(hours=0), at(hours=6)]
    assert sum(d.amount_mg for d in window) == 2000
    assert [d.medicine for d in repo.doses.list(me, medicine=" Acetaminophen ").items] == [
        "acetaminophen"
    ] * 4


def test_times_are_stored_as_the_same_instant_in_utc(repo: DiaryRepository) -> None:
    me = repo.profiles.create(profile()).id
    local = datetime(2026, 5, 1, 8, 30, tzinfo=timezone(timedelta(hours=2)))
    stored = repo.episodes.create(me, episode(started_at=local))
    again = repo.episodes.get(me, stored.id)
    assert again.started_at == local
    assert again.started_at.utcoffset() == timedelta(0)
    assert again.started_at.hour == 6


def test_triage_result_is_stored_with_its_intake_and_knowledge_version(
    repo: DiaryRepository, kb: KnowledgeBase
) -> None:
    me = repo.profiles.create(profile()).id
    intake = parse_intake(
        {"age": 40, "regions": ["lower_back"], "pain": 8, "findings": {"recurrent": True}}, kb
    )
    result = evaluate(intake, kb)
    ep = repo.episodes.create(me, episode())
    stored = repo.triage_records.create(
        me, TriageRecordCreate.from_result(intake, result, at(hours=3), episode_id=ep.id)
    )
    assert stored.disposition == result.disposition.value
    assert stored.rules_fired == list(result.rules) and "S2" in stored.rules_fired
    assert stored.knowledge_version == kb.version
    assert stored.intake["findings"] == {"recurrent": True}
    assert stored.result == result.model_dump(mode="json")
    linked = repo.triage_records.update(me, stored.id, TriageRecordUpdate(notes="booked GP"))
    assert linked.notes == "booked GP" and linked.result == stored.result
    assert repo.triage_records.list(me).items == [linked]
    assert repo.dashboard(me, at(days=1)).latest_triage == linked


def test_scale_results_from_the_scales_package(repo: DiaryRepository) -> None:
    me = repo.profiles.create(profile()).id
    for hours, value in ((0, 7), (24, 4)):
        result = score("nrs", {"score": value})
        repo.scale_records.create(
            me, ScaleRecordCreate.from_result(result, {"score": value}, at(hours=hours))
        )
    repo.scale_records.create(
        me,
        ScaleRecordCreate.from_result(
            score("psfs", {"frequency": 0}), {"frequency": 0}, at(hours=1)
        ),
    )
    pain = repo.scale_records.list(me, scale="nrs")
    assert [r.score for r in pain.items] == [4.0, 7.0]
    assert pain.items[0].result["scale"] == "nrs" and pain.items[0].valid
    assert repo.scale_records.list(me).total == 3


def test_an_ashworth_grade_is_stored_as_a_code(repo: DiaryRepository) -> None:
    """The Modified Ashworth Scale has no score: its valid result is the grade code."""
    me = repo.profiles.create(profile()).id
    responses = {"grade": "1+", "muscle": "calf"}
    stored = repo.scale_records.create(
        me, ScaleRecordCreate.from_result(score("mas", responses), responses, at())
    )
    got = repo.scale_records.get(me, stored.id)
    assert got.valid and got.score is None and got.band == "1+"


def test_dashboard_summarises_recent_activity(repo: DiaryRepository) -> None:
    me = repo.profiles.create(profile()).id
    now = at(days=300)  # in the past: the diary refuses times more than a day ahead
    for days_ago, pain, ended in (
        (1, 8, False),
        (10, 4, True),
        (40, 6, True),
        (300, 5, True),
        (399, 9, True),
    ):
        start = now - timedelta(days=days_ago)
        repo.episodes.create(
            me,
            episode(
                started_at=start,
                worst_pain=pain,
                ended_at=start + timedelta(days=1) if ended else None,
            ),
        )
    repo.doses.create(me, dose(taken_at=now - timedelta(hours=2)))
    repo.doses.create(me, dose(taken_at=now - timedelta(hours=30)))
    board = repo.dashboard(me, now)
    assert board.episodes_total == 5
    assert (
        board.episodes_last_7_days,
        board.episodes_last_30_days,
        board.episodes_last_365_days,
    ) == (1, 2, 4)
    assert board.open_episodes == 1
    assert board.mean_worst_pain_30_days == 6.0
    assert board.doses_last_24_hours == 1
    assert board.latest_episode is not None and board.latest_episode.worst_pain == 8
    assert board.latest_triage is None
    with pytest.raises(NotFoundError):
        repo.dashboard(999, now)


def test_snapshot_is_oldest_first_and_can_start_later(repo: DiaryRepository) -> None:
    me = repo.profiles.create(profile()).id
    for d in (5, 1, 3):
        repo.episodes.create(me, episode(started_at=at(days=d)))
        repo.treatments.create(me, treatment(started_at=at(days=d)))
    snap = repo.snapshot(me)
    assert [e.started_at for e in snap.episodes] == [at(days=1), at(days=3), at(days=5)]
    assert [t.started_at for t in snap.treatments] == [at(days=1), at(days=3), at(days=5)]
    later = repo.snapshot(me, since=at(days=2))
    assert [e.started_at for e in later.episodes] == [at(days=3), at(days=5)]
    with pytest.raises(NotFoundError):
        repo.snapshot(12345)


def test_public_records_serialise_to_json_with_utc_times(repo: DiaryRepository) -> None:
    me = repo.profiles.create(profile()).id
    ep = repo.episodes.create(me, episode(started_at=datetime(2026, 1, 5, 8, 0, tzinfo=UTC)))
    data = ep.model_dump(mode="json")
    assert data["started_at"] in ("2026-01-05T08:00:00Z", "2026-01-05T08:00:00+00:00")
    assert data["regions"] == ["lower_back"] and data["profile_id"] == me


def test_null_in_an_update_clears_lists_and_notes(repo: DiaryRepository) -> None:
    me = repo.profiles.create(profile()).id
    ep = repo.episodes.create(me, episode(triggers=["lifting"], notes="sore", spasm_frequency=2))
    cleared = repo.episodes.update(
        me,
        ep.id,
        EpisodeUpdate.model_validate({"triggers": None, "notes": None, "spasm_frequency": None}),
    )
    assert (cleared.triggers, cleared.notes, cleared.spasm_frequency) == ([], "", None)
    changed = repo.profiles.update(
        me, ProfileUpdate.model_validate({"medicines": None, "age": None})
    )
    assert changed.medicines == [] and changed.age is None and changed.age_recorded_at is None


def test_times_without_a_zone_are_refused_by_every_query(repo: DiaryRepository) -> None:
    me = repo.profiles.create(profile()).id
    naive = datetime(2026, 1, 1)
    calls = [
        lambda: repo.episodes.list(me, since=naive),
        lambda: repo.doses.list(me, until=naive),
        lambda: repo.doses_between(me, naive, at()),
        lambda: repo.snapshot(me, since=naive),
        lambda: repo.dashboard(me, naive),
    ]
    for call in calls:
        with pytest.raises(InputError) as info:
            call()
        assert "time zone" in str(info.value)
