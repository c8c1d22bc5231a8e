"""Write the examples of docs/interop.md from the code: a FHIR bundle of a small synthetic diary, and a
CDS Hooks request with the response spasmcare gives. tests/interop/test_docs_examples.py checks that
the files still match; run `python scripts/gen_interop_examples.py` after a change that alters them."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EXAMPLES = ROOT / "docs" / "examples"
CDS_TODAY = date(2026, 1, 3)
CDS_PLAN_URL = "http://localhost:8000/plan"
CDS_EMERGENCY = "911"


def example_bundle() -> dict[str, Any]:
    from tests.diary.factories import memory_repository
    from tests.interop.diary_data import ticking_clock

    from spasmcare.diary import (
        EpisodeCreate,
        ProfileCreate,
        ScaleRecordCreate,
        TreatmentCreate,
        TriageRecordCreate,
    )
    from spasmcare.interop import export_bundle
    from spasmcare.knowledge import load_knowledge
    from spasmcare.scales import score
    from spasmcare.triage import evaluate, parse_intake

    kb = load_knowledge()
    repo = memory_repository(clock=ticking_clock())
    profile = repo.profiles.create(ProfileCreate(name="Sam Example", age=41, sex="male")).id
    start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    episode = repo.episodes.create(
        profile,
        EpisodeCreate(
            started_at=start,
            ended_at=start + timedelta(days=2),
            regions=["lower_back"],
            worst_pain=6,
            spasm_frequency=2,
            triggers=["lifting"],
        ),
        [
            TreatmentCreate(
                kind="heat", started_at=start + timedelta(hours=1), relief=6, duration_minutes=20
            )
        ],
    ).id
    intake = parse_intake(
        {
            "age": 41,
            "regions": ["lower_back"],
            "pain": 6,
            "findings": {"bladder_dysfunction": False, "fever": False},
        },
        kb,
    )
    repo.triage_records.create(
        profile,
        TriageRecordCreate.from_result(
            intake, evaluate(intake, kb), start + timedelta(minutes=30), episode_id=episode
        ),
    )
    answers: dict[str, Any] = {f"q{i}": "disagree" for i in range(1, 9)}
    answers.update(q1="agree", q9="slightly")
    repo.scale_records.create(
        profile,
        ScaleRecordCreate.from_result(
            score("startback", answers), answers, start + timedelta(minutes=40)
        ),
    )
    return export_bundle(repo, profile, kb=kb, now=datetime(2026, 1, 10, tzinfo=UTC))


def cds_request() -> dict[str, Any]:
    from tests.interop.helpers import intake_qr, patient, request

    intake = {"age": 45, "regions": ["lower_back"], "findings": {"bladder_dysfunction": True}}
    return request({"patient": patient("1980-05-01", "female"), "intake": intake_qr(intake)})


def cds_response(body: dict[str, Any]) -> dict[str, Any]:
    from spasmcare.interop import patient_view
    from spasmcare.knowledge import load_knowledge

    return patient_view(
        "spasmcare-triage",
        body,
        kb=load_knowledge(),
        today=CDS_TODAY,
        plan_url=CDS_PLAN_URL,
        emergency_call=CDS_EMERGENCY,
    )


def dump(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    EXAMPLES.mkdir(parents=True, exist_ok=True)
    body = cds_request()
    (EXAMPLES / "fhir-bundle.json").write_text(dump(example_bundle()), encoding="utf-8")
    (EXAMPLES / "cds-request.json").write_text(dump(body), encoding="utf-8")
    (EXAMPLES / "cds-response.json").write_text(dump(cds_response(body)), encoding="utf-8")
    print(f"wrote the examples in {EXAMPLES.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
