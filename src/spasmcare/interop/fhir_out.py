"""A diary (:class:`~spasmcare.diary.DiaryBundle`) as a FHIR R4 collection Bundle, as plain JSON data.

Resource ids come from the diary file's local record numbers (``episode-3``, ``treatment-7`` ...), so
the same diary always gives the same bundle; only ``Bundle.timestamp`` says when it was written.
docs/interop.md lists every resource and field. Each resource's ``meta.lastUpdated`` is the record's
last change, which an import keeps.

Mapping, one diary record to resources:

- profile: ``Patient`` (name, gender), an age ``Observation`` (LOINC 30525-0), a ``Condition`` per
  health condition, a ``MedicationStatement`` per regular medicine;
- the spasm itself: one ``Condition`` coded ICD-10-CM M62.830 (verification ``unconfirmed``: the
  person reported it, nobody diagnosed it), its evidence the episodes;
- episode: a panel ``Observation`` (period, regions, triggers, causes, notes) whose members are the
  pain ``Observation`` (LOINC 72514-3) and the spasm-frequency ``Observation``;
- treatment: a ``Procedure`` (heat, stretch ...) or a ``MedicationStatement`` (a medicine), and a
  relief ``Observation`` that is ``partOf`` it; dose: a ``MedicationStatement``;
- triage result: the intake as a ``QuestionnaireResponse``, the decision as an ``Observation``
  naming the rules that fired and the knowledge-base version, and one ``Observation`` per answered
  finding (``valueBoolean`` yes or no; "not sure" has no value and the ``dataAbsentReason``
  ``asked-unknown``, so it is never read as a no);
- scale result: a ``QuestionnaireResponse`` (item ids and answers only, never copyrighted wording), a
  score ``Observation`` (scale codes from the scales catalogue), a panel ``Observation`` where the
  scale has a panel code, and a ``RiskAssessment`` for the STarT Back risk group;
- the care plan (when given) as a ``CarePlan``; a ``Device`` for spasmcare and a ``Provenance``
  naming the knowledge-base version.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from spasmcare.interop.answers import is_answer, observation_value
from spasmcare.interop.codes import BASE_URL, INTAKE_QUESTIONNAIRE, Codes, Coding, load_codes
from spasmcare.interop.intake_qr import INTAKE_FIELDS, JSON_LINK, intake_items
from spasmcare.knowledge import KnowledgeBase
from spasmcare.scales import catalogue

if TYPE_CHECKING:
    from spasmcare.diary import DiaryBundle
    from spasmcare.diary.records import (
        DoseRow,
        EpisodeRow,
        ProfileRow,
        ScaleRow,
        TreatmentRow,
        TriageRow,
    )
    from spasmcare.plan import CarePlan

BUNDLE_PROFILE = f"{BASE_URL}/StructureDefinition/spasmcare-diary-bundle"
FHIR_VERSION = "4.0.1"
RESULT_EXTENSION = f"{BASE_URL}/StructureDefinition/result-json"
SCALE_QUESTIONNAIRE = f"{BASE_URL}/Questionnaire/"
URN_NAMESPACE = uuid.UUID("0b6a4d7e-51c4-4a4b-9a57-4f2b54c7a1d2")
RISK_PROBABILITY = {"low": "low", "medium": "moderate", "high": "high"}
NOT_A_DIAGNOSIS = "Reported by the person in spasmcare; not a diagnosis."


def fhir_time(value: datetime) -> str:
    """A FHIR instant/dateTime in UTC."""
    return value.astimezone(UTC).isoformat()


def fhir_id(text: str) -> str:
    """A valid FHIR id from a spasmcare id (``_`` is not allowed in FHIR ids)."""
    return text.replace("_", "-")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _concept(coding: Coding, text: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"coding": [coding.fhir()]}
    if text:
        out["text"] = text
    return out


def _answer(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, float):
        return {"valueDecimal": value}
    return {"valueString": str(value)}


class _Writer:
    def __init__(self, kb: KnowledgeBase, codes: Codes) -> None:
        self.kb = kb
        self.codes = codes
        self.resources: list[dict[str, Any]] = []
        self.patient = {"reference": "Patient/patient"}

    def add(self, resource: dict[str, Any], updated: datetime | None = None) -> dict[str, str]:
        if updated is not None:  # meta right after the id, where readers look for it
            head = {"resourceType": resource.pop("resourceType"), "id": resource.pop("id")}
            resource = {**head, "meta": {"lastUpdated": fhir_time(updated)}, **resource}
        self.resources.append(resource)
        return {"reference": f"{resource['resourceType']}/{resource['id']}"}

    def obs(self, oid: str, code: Coding, **fields: Any) -> dict[str, Any]:
        return {
            "resourceType": "Observation",
            "id": oid,
            "status": "final",
            "code": _concept(code),
            "subject": self.patient,
            **fields,
        }

    def record_kind(self, kind: str) -> dict[str, Any]:
        return _concept(self.codes.local("record_kind", kind))

    # profile ---------------------------------------------------------------------------------------
    def profile(self, p: ProfileRow) -> None:
        patient: dict[str, Any] = {
            "resourceType": "Patient",
            "id": "patient",
            "name": [{"text": p.name}],
        }
        if p.sex:
            patient["gender"] = p.sex
        self.add(patient, p.updated_at)
        if p.age is not None:
            age = self.obs(
                "age",
                self.codes.observation("age"),
                valueQuantity={
                    "value": p.age,
                    "unit": "years",
                    "system": self.codes.system("ucum"),
                    "code": "a",
                },
            )
            if p.age_recorded_at is not None:
                age["effectiveDateTime"] = fhir_time(p.age_recorded_at)
            self.add(age, p.updated_at)
        for cid in p.conditions:
            info = self.kb.conditions.get(cid)
            self.add(
                {
                    "resourceType": "Condition",
                    "id": fhir_id(f"condition-{cid}"),
                    "clinicalStatus": _concept(self.codes.local("condition_clinical", "active")),
                    "verificationStatus": _concept(
                        self.codes.local("condition_verification", "unconfirmed")
                    ),
                    "code": _concept(
                        self.codes.local("condition", cid), info.label if info else cid
                    ),
                    "subject": self.patient,
                    "note": [{"text": NOT_A_DIAGNOSIS}],
                },
                p.updated_at,
            )
        for i, name in enumerate(p.medicines, 1):
            self.add(
                {
                    "resourceType": "MedicationStatement",
                    "id": f"medicine-{i}",
                    "status": "active",
                    "category": self.record_kind("regular-medicine"),
                    "medicationCodeableConcept": {"text": name},
                    "subject": self.patient,
                },
                p.updated_at,
            )

    # episodes and the spasm condition --------------------------------------------------------------
    def spasm(self, episodes: Sequence[EpisodeRow]) -> None:
        condition: dict[str, Any] = {
            "resourceType": "Condition",
            "id": "spasm",
            "verificationStatus": _concept(
                self.codes.local("condition_verification", "unconfirmed")
            ),
            "code": {
                "coding": [c.fhir() for c in self.codes.condition],
                "text": "Muscle spasm of the back or neck",
            },
            "subject": self.patient,
            "note": [{"text": NOT_A_DIAGNOSIS}],
        }
        if episodes:
            ongoing = any(e.ended_at is None for e in episodes)
            condition["clinicalStatus"] = _concept(
                self.codes.local("condition_clinical", "active" if ongoing else "inactive")
            )
            regions = list(dict.fromkeys(r for e in episodes for r in e.regions))
            condition["bodySite"] = [self._region(r) for r in regions]
            condition["onsetDateTime"] = fhir_time(min(e.started_at for e in episodes))
            condition["evidence"] = [
                {"detail": [{"reference": f"Observation/episode-{e.id}"}]} for e in episodes
            ]
        self.add(condition, max((e.updated_at for e in episodes), default=None))

    def _region(self, region: str) -> dict[str, Any]:
        from spasmcare.knowledge.body import REGION_LABELS

        return _concept(self.codes.local("region", region), REGION_LABELS.get(region, region))

    def episode(self, e: EpisodeRow) -> None:
        period = {"start": fhir_time(e.started_at)}
        if e.ended_at is not None:
            period["end"] = fhir_time(e.ended_at)
        base = f"episode-{e.id}"
        members = [
            self.add(
                self.obs(
                    f"{base}-pain",
                    self.codes.observation("pain"),
                    effectivePeriod=period,
                    valueInteger=e.worst_pain,
                ),
                e.updated_at,
            )
        ]
        if e.spasm_frequency is not None:
            members.append(
                self.add(
                    self.obs(
                        f"{base}-frequency",
                        self.codes.observation("spasm_frequency"),
                        effectivePeriod=period,
                        valueInteger=e.spasm_frequency,
                    ),
                    e.updated_at,
                )
            )
        components: list[dict[str, Any]] = [
            {
                "code": _concept(self.codes.observation("region")),
                "valueCodeableConcept": self._region(r),
            }
            for r in e.regions
        ]
        components += [
            {"code": _concept(self.codes.observation("trigger")), "valueString": t}
            for t in e.triggers
        ]
        components += [
            {"code": _concept(self.codes.observation("suspected_cause")), "valueString": c}
            for c in e.suspected_causes
        ]
        panel = self.obs(
            base,
            self.codes.observation("episode"),
            effectivePeriod=period,
            hasMember=members,
            component=components,
        )
        if e.notes:
            panel["note"] = [{"text": e.notes}]
        self.add(panel, e.updated_at)

    # treatments and doses ----------------------------------------------------------------------------
    def treatment(self, t: TreatmentRow) -> None:
        tid = f"treatment-{t.id}"
        when: dict[str, Any]
        if t.duration_minutes:
            end = t.started_at + timedelta(minutes=t.duration_minutes)
            when = {"Period": {"start": fhir_time(t.started_at), "end": fhir_time(end)}}
        else:
            when = {"DateTime": fhir_time(t.started_at)}
        reason = [{"reference": f"Observation/episode-{t.episode_id}"}] if t.episode_id else []
        resource: dict[str, Any]
        if t.kind == "medicine":
            resource = {
                "resourceType": "MedicationStatement",
                "id": tid,
                "status": "completed",
                "category": self.record_kind("treatment"),
                "medicationCodeableConcept": {"text": t.medicine},
                "subject": self.patient,
                **{f"effective{k}": v for k, v in when.items()},
            }
            if t.dose_mg is not None:
                resource["dosage"] = [{"doseAndRate": [{"doseQuantity": self._mg(t.dose_mg)}]}]
        else:
            resource = {
                "resourceType": "Procedure",
                "id": tid,
                "status": "completed",
                "category": self.record_kind("treatment"),
                "code": _concept(self.codes.local("treatment", t.kind), t.kind),
                "subject": self.patient,
                **{f"performed{k}": v for k, v in when.items()},
            }
        if reason:
            resource["reasonReference"] = reason
        if t.notes:
            resource["note"] = [{"text": t.notes}]
        ref = self.add(resource, t.updated_at)
        if t.relief is not None:
            self.add(
                self.obs(
                    f"{tid}-relief",
                    self.codes.observation("treatment_relief"),
                    effectiveDateTime=fhir_time(t.started_at),
                    partOf=[ref],
                    valueInteger=t.relief,
                ),
                t.updated_at,
            )

    def _mg(self, amount: float) -> dict[str, Any]:
        return {"value": amount, "unit": "mg", "system": self.codes.system("ucum"), "code": "mg"}

    def dose(self, d: DoseRow) -> None:
        resource: dict[str, Any] = {
            "resourceType": "MedicationStatement",
            "id": f"dose-{d.id}",
            "status": "completed",
            "category": self.record_kind("dose"),
            "medicationCodeableConcept": {"text": d.medicine},
            "subject": self.patient,
            "effectiveDateTime": fhir_time(d.taken_at),
            "dosage": [{"doseAndRate": [{"doseQuantity": self._mg(d.amount_mg)}]}],
        }
        if d.treatment_id is not None:
            resource["partOf"] = [{"reference": f"MedicationStatement/treatment-{d.treatment_id}"}]
        if d.notes:
            resource["note"] = [{"text": d.notes}]
        self.add(resource, d.updated_at)

    # triage and scales -------------------------------------------------------------------------------
    def _response(
        self,
        rid: str,
        questionnaire: str,
        when: datetime,
        items: list[dict[str, Any]],
        episode_id: int | None,
    ) -> dict[str, Any]:
        qr: dict[str, Any] = {
            "resourceType": "QuestionnaireResponse",
            "id": rid,
            "questionnaire": questionnaire,
            "status": "completed",
            "subject": self.patient,
            "authored": fhir_time(when),
        }
        if episode_id is not None:
            qr["partOf"] = [{"reference": f"Observation/episode-{episode_id}"}]
        if items:
            qr["item"] = items
        return qr

    def triage(self, r: TriageRow) -> None:
        rid = f"triage-{r.id}"
        lossless = set(r.intake) <= set(INTAKE_FIELDS) | {"findings"}
        items = (
            intake_items(r.intake)
            if lossless
            else [{"linkId": JSON_LINK, "answer": [{"valueString": canonical_json(r.intake)}]}]
        )
        qr = self.add(
            self._response(rid, INTAKE_QUESTIONNAIRE, r.taken_at, items, r.episode_id), r.updated_at
        )
        result = r.result
        disposition = str(result["disposition"])
        version = str(result["knowledge_version"])
        titles = {
            x.get("rule"): x.get("title") for x in result.get("reasons", []) if isinstance(x, dict)
        }
        obs = self.obs(
            rid,
            self.codes.observation("triage"),
            effectiveDateTime=fhir_time(r.taken_at),
            valueCodeableConcept=_concept(
                self.codes.local("disposition", disposition),
                str(result.get("label") or disposition),
            ),
            method=_concept(
                Coding(
                    system=self.codes.system("knowledge_base"),
                    code=version,
                    display=f"spasmcare knowledge base {version}",
                )
            ),
            derivedFrom=[qr],
            extension=[{"url": RESULT_EXTENSION, "valueString": canonical_json(result)}],
        )
        fired = [
            {
                "code": _concept(self.codes.observation("triage_rule")),
                "valueCodeableConcept": _concept(
                    Coding(
                        system=self.codes.system("triage_rule"), code=rule, display=titles.get(rule)
                    )
                ),
            }
            for rule in r.rules_fired
        ]
        if fired:
            obs["component"] = fired
        if r.notes:
            obs["note"] = [{"text": r.notes}]
        self.add(obs, r.updated_at)
        self.findings(r, rid, qr)

    def findings(self, r: TriageRow, rid: str, qr: dict[str, str]) -> None:
        """One Observation per answered finding of a triage intake, derived from its answers."""
        answers = r.intake.get("findings")
        if not isinstance(answers, dict):
            return
        system = self.codes.system("finding")
        for fid, answer in sorted(answers.items()):
            if not is_answer(answer):
                continue
            info = self.kb.findings.get(fid)
            coding = Coding(system=system, code=fid, display=info.label if info else None)
            self.add(
                self.obs(
                    f"{rid}-finding-{fhir_id(fid)}",
                    coding,
                    effectiveDateTime=fhir_time(r.taken_at),
                    derivedFrom=[qr],
                    **observation_value(answer, self.codes),
                ),
                r.updated_at,
            )

    def scale(self, s: ScaleRow) -> None:
        sid = f"scale-{s.id}"
        scale_def = catalogue().scales.get(s.scale)
        items = [
            {"linkId": k, **({"answer": [_answer(v)]} if v is not None else {})}
            for k, v in _ordered(s.responses, scale_def.item_ids if scale_def else ())
        ]
        qr = self.add(
            self._response(sid, f"{SCALE_QUESTIONNAIRE}{s.scale}", s.taken_at, items, s.episode_id),
            s.updated_at,
        )
        local = catalogue().local_system
        score_code = (
            Coding(**scale_def.codes.score.model_dump())
            if scale_def
            else Coding(system=local, code=f"{s.scale}.score")
        )
        band_system = self.codes.system("scale_band")
        obs = self.obs(
            f"{sid}-score", score_code, effectiveDateTime=fhir_time(s.taken_at), derivedFrom=[qr]
        )
        if s.score is not None:
            unit = str(s.result.get("unit") or "points")
            obs["valueQuantity"] = {
                "value": s.score,
                "unit": unit,
                "system": self.codes.system("ucum"),
                "code": "%" if unit == "percent" else "{score}",
            }
            if s.band is not None:
                obs["interpretation"] = [
                    _concept(Coding(system=band_system, code=f"{s.scale}.{s.band}"), s.band)
                ]
        elif s.valid and s.band is not None:
            obs["valueCodeableConcept"] = _concept(
                Coding(system=band_system, code=f"{s.scale}.{s.band}"), s.band
            )
        else:
            obs["dataAbsentReason"] = {
                "coding": [{"system": self.codes.system("data_absent"), "code": "unknown"}],
                "text": "Not enough answers to score",
            }
        subscores = s.result.get("subscores") or {}
        components = []
        for name, value in sorted(subscores.items()):
            code = scale_def.codes.subscores.get(name) if scale_def else None
            coding = (
                Coding(**code.model_dump())
                if code
                else Coding(system=local, code=f"{s.scale}.{name}")
            )
            components.append({"code": _concept(coding), "valueQuantity": {"value": value}})
        if components:
            obs["component"] = components
        obs["extension"] = [{"url": RESULT_EXTENSION, "valueString": canonical_json(s.result)}]
        if s.notes:
            obs["note"] = [{"text": s.notes}]
        score_ref = self.add(obs, s.updated_at)
        if scale_def and scale_def.codes.panel:
            self.add(
                self.obs(
                    sid,
                    Coding(**scale_def.codes.panel.model_dump()),
                    effectiveDateTime=fhir_time(s.taken_at),
                    hasMember=[score_ref],
                    derivedFrom=[qr],
                ),
                s.updated_at,
            )
        if s.risk is not None:
            self.risk(s, sid, [qr, score_ref], scale_def)

    def risk(self, s: ScaleRow, sid: str, basis: list[dict[str, str]], scale_def: Any) -> None:
        risk = str(s.risk)
        codings = [
            {
                "system": self.codes.system("risk_probability"),
                "code": RISK_PROBABILITY.get(risk, risk),
            }
        ]
        if scale_def and scale_def.risk_groups and risk in scale_def.risk_groups.codes:
            codings.append(scale_def.risk_groups.codes[risk].model_dump())
        assessment: dict[str, Any] = {
            "resourceType": "RiskAssessment",
            "id": f"{sid}-risk",
            "status": "final",
            "subject": self.patient,
            "occurrenceDateTime": fhir_time(s.taken_at),
            "basis": basis,
            "prediction": [
                {
                    "outcome": {"text": "Poor recovery from back pain"},
                    "qualitativeRisk": {"coding": codings, "text": risk},
                }
            ],
        }
        if scale_def and scale_def.codes.risk:
            assessment["code"] = _concept(Coding(**scale_def.codes.risk.model_dump()))
        if scale_def and scale_def.codes.panel:
            assessment["method"] = _concept(Coding(**scale_def.codes.panel.model_dump()))
        self.add(assessment, s.updated_at)

    # plan, device, provenance ----------------------------------------------------------------------
    def care_plan(self, plan: dict[str, Any], based_on: dict[str, str] | None) -> None:
        activities = [
            {"detail": {"status": "not-started", "description": str(step)}}
            for step in plan.get("activities", [])
        ]
        care_plan: dict[str, Any] = {
            "resourceType": "CarePlan",
            "id": "plan",
            "status": "active",
            "intent": "plan",
            "title": str(plan.get("title") or "spasmcare self-care plan"),
            "subject": self.patient,
        }
        if plan.get("description"):
            care_plan["description"] = str(plan["description"])
        if based_on:
            care_plan["supportingInfo"] = [based_on]
        if activities:
            care_plan["activity"] = activities
        notes = [{"text": str(n)} for n in plan.get("notes", [])]
        if notes:
            care_plan["note"] = notes
        self.add(care_plan)

    def provenance(self, recorded: datetime, software: str) -> None:
        device = self.add(
            {
                "resourceType": "Device",
                "id": "spasmcare",
                "deviceName": [{"name": "spasmcare", "type": "user-friendly-name"}],
                "version": [
                    {"type": {"text": "software"}, "value": software},
                    {"type": {"text": "knowledge base"}, "value": self.kb.version},
                ],
            }
        )
        targets = [
            {"reference": f"{r['resourceType']}/{r['id']}"}
            for r in self.resources
            if r["resourceType"] != "Device"
        ]
        agent_type = self.codes.system("provenance_agent")
        self.add(
            {
                "resourceType": "Provenance",
                "id": "export",
                "target": targets,
                "recorded": fhir_time(recorded),
                "policy": [f"{BASE_URL}/knowledge-base/{self.kb.version}"],
                "agent": [
                    {
                        "type": {"coding": [{"system": agent_type, "code": "author"}]},
                        "who": self.patient,
                    },
                    {
                        "type": {"coding": [{"system": agent_type, "code": "assembler"}]},
                        "who": device,
                    },
                ],
            }
        )


def plan_summary(plan: CarePlan) -> dict[str, Any]:
    """The parts of a care plan a FHIR CarePlan carries: title, description, activities, notes."""
    return {
        "title": f"spasmcare self-care plan: {plan.label}",
        "description": plan.instruction,
        "activities": [f"{step.title}: {step.how}" for step in plan.steps],
        "notes": [*(w.text for w in plan.warnings), plan.notice],
    }


def _ordered(responses: dict[str, Any], order: Iterable[str]) -> list[tuple[str, Any]]:
    """Responses in the scale's item order, then any others by name (stable across databases)."""
    known = [k for k in order if k in responses]
    rest = sorted(k for k in responses if k not in known)
    return [(k, responses[k]) for k in [*known, *rest]]


def diary_to_fhir(
    diary: DiaryBundle,
    kb: KnowledgeBase,
    *,
    now: datetime,
    plan: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The FHIR R4 collection Bundle of a whole diary (plain JSON data; ``now`` stamps it).

    ``plan`` is the care plan to include, as ``{title, description, activities: [...], notes: [...]}``.
    """
    from spasmcare import __version__

    w = _Writer(kb, load_codes())
    w.profile(diary.profile)
    w.spasm(diary.episodes)
    for e in diary.episodes:
        w.episode(e)
    for t in diary.treatments:
        w.treatment(t)
    for d in diary.doses:
        w.dose(d)
    for r in diary.triage_results:
        w.triage(r)
    for s in diary.scale_results:
        w.scale(s)
    if plan is not None:
        latest = diary.triage_results[-1] if diary.triage_results else None
        w.care_plan(
            plan, {"reference": f"QuestionnaireResponse/triage-{latest.id}"} if latest else None
        )
    stamps = [diary.profile.updated_at]
    for rows in (
        diary.episodes,
        diary.treatments,
        diary.doses,
        diary.triage_results,
        diary.scale_results,
    ):
        stamps += [row.updated_at for row in rows]
    w.provenance(max(stamps), __version__)

    digest = hashlib.sha256(canonical_json(w.resources).encode()).hexdigest()
    space = uuid.uuid5(URN_NAMESPACE, digest)
    return {
        "resourceType": "Bundle",
        "id": f"spasmcare-{digest[:32]}",
        "meta": {
            "profile": [BUNDLE_PROFILE],
            "tag": [{"system": load_codes().system("fhir_version"), "code": FHIR_VERSION}],
        },
        "type": "collection",
        "timestamp": fhir_time(now),
        "entry": [
            {
                "fullUrl": f"urn:uuid:{uuid.uuid5(space, r['resourceType'] + '/' + r['id'])}",
                "resource": r,
            }
            for r in w.resources
        ],
    }


__all__ = [
    "BUNDLE_PROFILE",
    "FHIR_VERSION",
    "RESULT_EXTENSION",
    "diary_to_fhir",
    "fhir_time",
    "plan_summary",
]
