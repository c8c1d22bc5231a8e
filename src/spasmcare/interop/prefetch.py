"""Turn CDS Hooks prefetch data (Patient, Conditions, Observations, MedicationStatements and a
QuestionnaireResponse holding a spasmcare intake) into one triage intake.

The mapping tables live in ``data/codes.yaml`` (``cds``) and docs/interop.md. Rules of combination:

- age comes from ``Patient.birthDate`` (a year or year-month counts from its first day), else from the
  intake; sex from ``Patient.gender`` (``unknown`` is left out), else from the intake;
- regions come from the intake, else from active Conditions coded as a spasm or back or neck pain,
  else the default region (and the card says it was assumed);
- a finding is true when any source says so; "unsure" when no source says yes and one says "not
  sure" (an Observation with the ``dataAbsentReason`` ``asked-unknown``, or a QuestionnaireResponse
  answer of that code), so the triage's not-sure rules apply; false only when a source says false and
  none says true or "not sure";
- pain is the most recent of the intake's answer and the pain Observations (LOINC 72514-3).

Nothing here does I/O or reads the clock: ``today`` is passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from spasmcare.errors import Problem
from spasmcare.interop.answers import Answer, is_answer, observation_answer
from spasmcare.interop.codes import UNSURE, Codes, load_codes
from spasmcare.interop.intake_qr import is_intake_response, read_intake

PREFETCH_TYPES: dict[str, tuple[str, ...]] = {
    "patient": ("Patient",),
    "intake": ("QuestionnaireResponse",),
    "conditions": ("Condition",),
    "observations": ("Observation",),
    "medications": ("MedicationStatement", "MedicationRequest"),
}
_VOID = {"entered-in-error", "cancelled", "refuted"}
_MEDICINE_NOT_TAKEN = _VOID | {"stopped", "completed", "not-taken"}
_ACTIVE_CONDITION = {"active", "recurrence", "relapse"}
_FEVER = {"Cel": 38.0, "[degF]": 100.4}
_Read = tuple[str, dict[str, Any], dict[str, str]]
_WEIGHT: dict[object, int] = {False: 0, UNSURE: 1, True: 2}
"""How strongly an answer counts when sources differ: yes beats not sure, which beats no."""


@dataclass
class Gathered:
    """The intake built from prefetch data, with what it rests on."""

    intake: dict[str, Any] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    relevant: bool = False
    problems: list[Problem] = field(default_factory=list)


def resources_of(
    key: str, value: object, problems: list[Problem]
) -> list[tuple[str, dict[str, Any]]]:
    """The resources of one prefetch value (a resource, a searchset Bundle, or null), with paths."""
    allowed = PREFETCH_TYPES[key]
    where = f"prefetch.{key}"
    if value is None:
        return []
    if not isinstance(value, dict):
        problems.append(
            Problem(where, "is not a JSON object", f"a {' or '.join(allowed)} or a Bundle")
        )
        return []
    kind = value.get("resourceType")
    if kind in allowed:
        return [(where, value)]
    if kind != "Bundle":
        problems.append(
            Problem(
                f"{where}.resourceType",
                f"{kind!r} is not expected here",
                f"{', '.join(allowed)} or Bundle",
            )
        )
        return []
    found: list[tuple[str, dict[str, Any]]] = []
    entries = value.get("entry", [])
    if not isinstance(entries, list):
        problems.append(Problem(f"{where}.entry", "is not a list", "a list of entries"))
        return []
    for i, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        path = f"{where}.entry[{i}].resource"
        if not isinstance(resource, dict):
            problems.append(Problem(path, "is missing", "a FHIR resource"))
        elif resource.get("resourceType") == "OperationOutcome":
            continue  # search messages (e.g. "no matches") are not data
        elif resource.get("resourceType") not in allowed:
            problems.append(
                Problem(
                    f"{path}.resourceType",
                    f"{resource.get('resourceType')!r} is not expected here",
                    ", ".join(allowed),
                )
            )
        else:
            found.append((path, resource))
    return found


def _codings(concept: object) -> list[dict[str, Any]]:
    if not isinstance(concept, dict):
        return []
    return [c for c in concept.get("coding", []) if isinstance(c, dict)]


def _status(resource: Mapping[str, Any], key: str) -> str | None:
    value = resource.get(key)
    if isinstance(value, str):
        return value
    codes = [c.get("code") for c in _codings(value)]
    return codes[0] if codes and isinstance(codes[0], str) else None


def _subject_ok(
    resource: Mapping[str, Any], patient_id: str, path: str, problems: list[Problem]
) -> bool:
    for key in ("subject", "patient"):
        ref = resource.get(key)
        if isinstance(ref, dict) and isinstance(ref.get("reference"), str):
            target = ref["reference"]
            if target not in (f"Patient/{patient_id}", patient_id) and not target.endswith(
                f"/Patient/{patient_id}"
            ):
                problems.append(
                    Problem(
                        f"{path}.{key}.reference",
                        f"{target!r} is another patient",
                        f"Patient/{patient_id} (context.patientId)",
                    )
                )
                return False
    return True


def _when(resource: Mapping[str, Any]) -> str:
    """A sortable timestamp (ISO text) of an Observation or QuestionnaireResponse; '' when unknown."""
    for key in ("effectiveDateTime", "authored", "issued"):
        value = resource.get(key)
        if isinstance(value, str):
            return value
    period = resource.get("effectivePeriod")
    if isinstance(period, dict) and isinstance(period.get("start"), str):
        return str(period["start"])
    return ""


def age_on(birth: str, today: date) -> int | None:
    """Whole years from a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD) to ``today``; None if unreadable."""
    parts = birth.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2][:2]) if len(parts) > 2 else 1
        born = date(year, month, day)
    except (ValueError, IndexError):
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class _Builder:
    def __init__(self, patient_id: str, today: date, codes: Codes) -> None:
        self.g = Gathered()
        self.patient_id = patient_id
        self.today = today
        self.codes = codes
        self.findings: dict[str, Answer] = {}
        self.pain: tuple[str, int] | None = None

    def finding(self, fid: str, value: Answer, path: str) -> None:
        """One source's answer: the strongest answer of all sources is kept (yes, then not sure)."""
        old = self.findings.get(fid)
        if old is None or _WEIGHT[value] > _WEIGHT[old]:
            self.g.paths[f"findings.{fid}"] = path
            self.findings[fid] = value

    def patient(self, path: str, res: Mapping[str, Any]) -> None:
        if isinstance(res.get("id"), str) and res["id"] != self.patient_id:
            self.g.problems.append(
                Problem(
                    f"{path}.id",
                    f"{res['id']!r} is not the patient in context",
                    f"{self.patient_id!r} (context.patientId)",
                )
            )
            return
        birth = res.get("birthDate")
        if isinstance(birth, str):
            age = age_on(birth, self.today)
            if age is None:
                self.g.problems.append(
                    Problem(f"{path}.birthDate", f"{birth!r} is not a FHIR date", "YYYY-MM-DD")
                )
            else:
                self.g.intake["age"] = age
                self.g.paths["age"] = f"{path}.birthDate"
        gender = res.get("gender")
        if gender in ("male", "female", "other"):
            self.g.intake["sex"] = gender
            self.g.paths["sex"] = f"{path}.gender"

    def questionnaire(self, path: str, res: Mapping[str, Any]) -> _Read | None:
        if not is_intake_response(res) or not _subject_ok(
            res, self.patient_id, path, self.g.problems
        ):
            return None
        if _status(res, "status") in _VOID:
            return None
        read = read_intake(res, path)
        self.g.problems.extend(read.problems)
        self.g.relevant = True
        self.g.sources.append(
            f"spasmcare intake of {_when(res)[:10] or 'unknown date'} "
            f"(QuestionnaireResponse/{res.get('id', '?')})"
        )
        return _when(res), read.data, read.paths

    def condition(self, path: str, res: Mapping[str, Any]) -> None:
        if not _subject_ok(res, self.patient_id, path, self.g.problems):
            return
        if _status(res, "verificationStatus") in _VOID:
            return
        active = (_status(res, "clinicalStatus") or "active") in _ACTIVE_CONDITION
        icd = self.codes.system("icd10cm")
        for coding in _codings(res.get("code")):
            code = coding.get("code")
            if coding.get("system") != icd or not isinstance(code, str):
                continue
            for row in self.codes.cds.condition_regions:
                if active and code.startswith(row.code) and row.region:
                    regions = self.g.intake.setdefault("_condition_regions", [])
                    if row.region not in regions:
                        regions.append(row.region)
                    self.g.relevant = True
                    self.g.sources.append(f"Condition {code} ({path})")
            for row in self.codes.cds.condition_findings:
                if code.startswith(row.code) and row.finding:
                    self.finding(row.finding, True, f"{path}.code")
                    self.g.sources.append(f"Condition {code} ({path})")

    def observation(self, path: str, res: Mapping[str, Any]) -> None:
        if not _subject_ok(res, self.patient_id, path, self.g.problems):
            return
        if _status(res, "status") in _VOID:
            return
        finding_system = self.codes.system("finding")
        pain = self.codes.observation("pain")
        temperature = self.codes.observation("body_temperature")
        for coding in _codings(res.get("code")):
            if coding.get("system") == finding_system:
                read = observation_answer(res, path, self.g.problems, self.codes)
                fid, value = read if read is not None else ("", None)
                if value is None:
                    return  # a problem, or a data-absent reason that answers nothing
                self.finding(fid, value, path)
                self.g.relevant = True
                said = " (not sure)" if value == UNSURE else ""
                self.g.sources.append(f"Observation {fid}{said} ({path})")
                return
            if pain.matches(coding):
                value = res.get("valueInteger")
                if value is None and isinstance(res.get("valueQuantity"), dict):
                    value = res["valueQuantity"].get("value")
                if not isinstance(value, int | float) or isinstance(value, bool):
                    self.g.problems.append(
                        Problem(f"{path}.valueInteger", "is missing", "a whole number 0 to 10")
                    )
                    return
                when = _when(res)
                if self.pain is None or when >= self.pain[0]:
                    self.pain = (when, round(value))
                    self.g.paths["pain"] = path
                return
            if temperature.matches(coding):
                quantity = res.get("valueQuantity")
                if isinstance(quantity, dict):
                    limit = _FEVER.get(str(quantity.get("code") or quantity.get("unit")))
                    value = quantity.get("value")
                    if limit is not None and isinstance(value, int | float) and value >= limit:
                        self.finding("fever", True, path)
                        self.g.sources.append(f"Body temperature {value} ({path})")
                return

    def medication(self, path: str, res: Mapping[str, Any]) -> None:
        if not _subject_ok(res, self.patient_id, path, self.g.problems):
            return
        if _status(res, "status") in _MEDICINE_NOT_TAKEN:
            return
        concept = res.get("medicationCodeableConcept")
        names: list[str] = []
        if isinstance(concept, dict):
            if isinstance(concept.get("text"), str):
                names.append(concept["text"])
            names += [c["display"] for c in _codings(concept) if isinstance(c.get("display"), str)]
        medicines = self.g.intake.setdefault("medicines", [])
        for name in names:
            if name not in medicines:
                medicines.append(name)


def gather(prefetch: Mapping[str, Any], patient_id: str, today: date) -> Gathered:
    """One raw intake from the prefetched resources (validated later by ``parse_intake``)."""
    b = _Builder(patient_id, today, load_codes())
    g = b.g
    by_key = {k: resources_of(k, prefetch[k], g.problems) for k in PREFETCH_TYPES if k in prefetch}
    for path, res in by_key.get("patient", []):
        b.patient(path, res)
    intakes = [
        found for path, res in by_key.get("intake", []) if (found := b.questionnaire(path, res))
    ]
    for path, res in by_key.get("conditions", []):
        b.condition(path, res)
    for path, res in by_key.get("observations", []):
        b.observation(path, res)
    for path, res in by_key.get("medications", []):
        b.medication(path, res)

    condition_regions = g.intake.pop("_condition_regions", [])
    latest: _Read | None = max(intakes, key=lambda x: x[0]) if intakes else None
    if latest is not None:
        when, data, paths = latest
        for key, value in data.items():
            path = paths.get(key, "prefetch.intake")
            if key == "findings" and isinstance(value, dict):
                for fid, answer in value.items():
                    where = paths.get(f"findings.{fid}", path)
                    if is_answer(answer):
                        b.finding(str(fid), answer, where)
                    else:  # left for parse_intake to report, with its path
                        g.intake.setdefault("findings", {})[fid] = answer
                        g.paths[f"findings.{fid}"] = where
            elif key == "medicines" and isinstance(value, list):
                merged = list(value) + [m for m in g.intake.get("medicines", []) if m not in value]
                g.intake["medicines"] = merged
            elif key == "pain" and b.pain is not None and when < b.pain[0]:
                continue  # a newer pain Observation wins
            elif key not in g.intake or key == "pain":
                g.intake[key] = value
                g.paths[key] = path
    if "pain" not in g.intake and b.pain is not None:
        g.intake["pain"] = b.pain[1]
    if "regions" not in g.intake and g.relevant:
        if condition_regions:
            g.intake["regions"] = condition_regions
            g.paths["regions"] = "prefetch.conditions"
        else:
            g.intake["regions"] = [load_codes().cds.default_region]
            g.paths["regions"] = "prefetch"
            g.notes.append("No sore area was recorded, so the lower back was assumed.")
    if b.findings:
        findings = g.intake.setdefault("findings", {})
        findings.update(b.findings)
    if not g.intake.get("medicines"):
        g.intake.pop("medicines", None)
    g.sources = list(dict.fromkeys(g.sources))
    return g


__all__ = ["PREFETCH_TYPES", "Gathered", "age_on", "gather", "resources_of"]
