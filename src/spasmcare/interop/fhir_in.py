"""Read a spasmcare FHIR R4 Bundle back into a diary (:class:`~spasmcare.diary.DiaryBundle`).

Everything is checked before anything is written, and every problem is reported at once, each with
the entry index, the resource (``Type/id``) and the path at fault:

1. the file is a ``Bundle`` of type ``collection``, tagged FHIR 4.0.1 and made by spasmcare
   (``meta.profile``); a bundle of another FHIR version is refused by name;
2. every entry holds a resource of a type spasmcare writes, with a unique id, and parses with
   fhir.resources' R4B model of that type;
3. every reference points at a resource in the same bundle;
4. every record maps onto the diary's schemas (ranges, required fields, links), and every finding
   Observation of a triage agrees with the intake's answer (``valueBoolean`` yes or no; a
   ``dataAbsentReason`` ``asked-unknown`` is "unsure", never no).

Derived resources (the spasm Condition, panels, finding Observations, the care plan, Device,
Provenance) are checked but not stored: an export recreates them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from spasmcare.errors import ImportFileError, InputError, Problem, problems_from_validation
from spasmcare.interop.answers import finding_code, observation_answer
from spasmcare.interop.codes import INTAKE_QUESTIONNAIRE, UNSURE, Codes, load_codes
from spasmcare.interop.fhir_out import BUNDLE_PROFILE, FHIR_VERSION, RESULT_EXTENSION
from spasmcare.interop.intake_qr import read_intake

if TYPE_CHECKING:
    from spasmcare.diary import DiaryBundle

RESOURCE_TYPES = (
    "Patient",
    "Observation",
    "Condition",
    "MedicationStatement",
    "Procedure",
    "QuestionnaireResponse",
    "RiskAssessment",
    "CarePlan",
    "Device",
    "Provenance",
)
SCALE_QUESTIONNAIRE = "https://spasmcare.org/fhir/Questionnaire/"
_NUMBERED = re.compile(r"^(?P<kind>[a-z]+)-(?P<n>[1-9][0-9]*)$")
_VERSION_HINTS = {
    "http://hl7.org/fhir/5.0": "R5 (5.0)",
    "http://hl7.org/fhir/4.3": "R4B (4.3)",
    "http://hl7.org/fhir/3.0": "STU3 (3.0)",
    "http://hl7.org/fhir/1.0": "DSTU2 (1.0)",
}


@dataclass
class Entry:
    index: int
    resource: dict[str, Any]

    @property
    def key(self) -> str:
        return f"{self.resource.get('resourceType')}/{self.resource.get('id')}"

    def path(self, sub: str = "") -> str:
        return f"entry[{self.index}].resource" + (f".{sub}" if sub else "")


Where = Mapping[str, str | tuple[Entry, str]]


@dataclass
class _Problems:
    items: list[Problem] = field(default_factory=list)

    def add(self, entry: Entry | None, sub: str, message: str, allowed: str | None = None) -> None:
        if entry is None:
            self.items.append(Problem(sub, message, allowed))
        else:
            self.items.append(Problem(entry.path(sub), f"{entry.key}: {message}", allowed))


def _references(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every ``reference`` string inside a resource, with its path."""
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else key
            if key == "reference" and isinstance(item, str):
                yield here, item
            else:
                yield from _references(item, here)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _references(item, f"{path}[{i}]")


def _patient_named(reference: str) -> str | None:
    """``Patient/<id>`` when a FHIR reference (relative or absolute, with or without a version)
    names a Patient; None otherwise."""
    parts = reference.split("/_history")[0].rstrip("/").split("/")
    if len(parts) >= 2 and parts[-2] == "Patient":
        return f"Patient/{parts[-1]}"
    return None


def foreign_subjects(data: Any) -> list[Problem]:
    """Every reason a bundle's records could be about someone other than its one patient: a
    bundle has one Patient, and no reference names another.

    Part of :func:`check_envelope`, so every importer (library, CLI, API, web) refuses such a
    bundle before anything is written.
    """
    entries = data.get("entry") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return []
    resources: dict[int, dict[str, Any]] = {
        i: e["resource"]
        for i, e in enumerate(entries)
        if isinstance(e, dict) and isinstance(e.get("resource"), dict)
    }
    patients = [
        (i, f"Patient/{r.get('id')}")
        for i, r in resources.items()
        if r.get("resourceType") == "Patient"
    ]
    if not patients:
        return []  # the reader reports a bundle without its Patient
    own = patients[0][1]
    others = {name for _, name in patients[1:]}  # a reference to no resource: the reader says so
    found = [
        Problem(f"entry[{i}].resource", f"{name} is a second patient", "one Patient")
        for i, name in patients[1:]
    ]
    for index, resource in resources.items():
        stack: list[tuple[Any, str]] = [(resource, f"entry[{index}].resource")]
        while stack:
            item, where = stack.pop()
            if isinstance(item, dict):
                ref = item.get("reference")
                named = _patient_named(ref) if isinstance(ref, str) else None
                if named in others:
                    found.append(
                        Problem(
                            f"{where}.reference",
                            f"{ref!r} is another patient",
                            f"{own}, the bundle's one patient",
                        )
                    )
                stack.extend((v, f"{where}.{k}") for k, v in item.items())
            elif isinstance(item, list):
                stack.extend((v, f"{where}[{i}]") for i, v in enumerate(item))
    return found


def check_envelope(data: object) -> list[Problem]:
    """Problems with the file as a whole: not a Bundle, wrong type, version or maker."""
    found = _Problems()
    if not isinstance(data, dict):
        found.add(
            None,
            "",
            f"the file holds {type(data).__name__}, not a FHIR resource",
            "a FHIR R4 Bundle exported by spasmcare",
        )
        return found.items
    kind = data.get("resourceType")
    if kind != "Bundle":
        found.add(None, "resourceType", f"{kind!r} is the wrong resource type", "Bundle")
        return found.items
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    assert isinstance(meta, dict)
    profiles = [p for p in meta.get("profile", []) if isinstance(p, str)]
    for p in profiles:
        for prefix, name in _VERSION_HINTS.items():
            if p.startswith(prefix):
                found.add(
                    None, "meta.profile", f"the bundle is FHIR {name}", f"FHIR R4 ({FHIR_VERSION})"
                )
    tags = [t for t in meta.get("tag", []) if isinstance(t, dict)]
    version_system = load_codes().system("fhir_version")
    versions = [(i, t.get("code")) for i, t in enumerate(tags) if t.get("system") == version_system]
    if not versions:
        found.add(
            None,
            "meta.tag",
            "does not say which FHIR version the bundle is",
            f"a tag {{system: {version_system}, code: {FHIR_VERSION}}}",
        )
    for i, code in versions:
        if not (isinstance(code, str) and code.startswith("4.0")):
            found.add(
                None,
                f"meta.tag[{i}].code",
                f"FHIR version {code!r} is not supported",
                f"{FHIR_VERSION} (R4)",
            )
    if BUNDLE_PROFILE not in profiles and not found.items:
        found.add(None, "meta.profile", "the bundle was not exported by spasmcare", BUNDLE_PROFILE)
    if data.get("type") != "collection":
        found.add(
            None, "type", f"{data.get('type')!r} is not a bundle type spasmcare reads", "collection"
        )
    if not isinstance(data.get("entry", []), list):
        found.add(None, "entry", "is not a list", "a list of entries")
    return found.items + foreign_subjects(data)


def parse_entries(data: dict[str, Any]) -> tuple[list[Entry], list[Problem]]:
    """The entries, each parsed with its R4B model; problems name entry, resource and path."""
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    found = _Problems()
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    urls: dict[str, int] = {}
    for i, raw in enumerate(data.get("entry", [])):
        resource = raw.get("resource") if isinstance(raw, dict) else None
        if not isinstance(resource, dict):
            found.add(None, f"entry[{i}].resource", "is missing", "a FHIR resource")
            continue
        entry = Entry(i, resource)
        kind = resource.get("resourceType")
        if kind not in RESOURCE_TYPES:
            found.add(
                entry,
                "resourceType",
                f"{kind!r} is not a resource spasmcare exports",
                ", ".join(RESOURCE_TYPES),
            )
            continue
        rid = resource.get("id")
        if not isinstance(rid, str) or not rid:
            found.add(entry, "id", "is missing", "the resource id spasmcare wrote")
            continue
        if entry.key in seen:
            found.add(entry, "id", f"{entry.key} is also entry[{seen[entry.key]}]", "a unique id")
            continue
        seen[entry.key] = i
        url = raw.get("fullUrl")
        if isinstance(url, str):
            urls[url] = i
        try:
            get_fhir_model_class(kind).model_validate(resource)
        except ValidationError as exc:
            for problem in problems_from_validation(exc):
                found.add(entry, problem.path, problem.message, problem.allowed)
            continue
        entries.append(entry)
    keys = {e.key for e in entries} | set(seen)
    for entry in entries:
        for path, target in _references(entry.resource):
            if target in keys or target in urls:
                continue
            found.add(
                entry,
                path,
                f"the reference {target!r} points at nothing in this bundle",
                "Type/id of a resource in the bundle",
            )
    return entries, found.items


class _Reader:
    """Map checked entries to diary rows, collecting problems."""

    def __init__(self, entries: list[Entry], codes: Codes, now: datetime) -> None:
        self.entries = entries
        self.by_key = {e.key: e for e in entries}
        self.codes = codes
        self.now = now
        self.found = _Problems()
        self.intakes: dict[str, dict[str, Any]] = {}
        """The intake read from each triage QuestionnaireResponse, by ``Type/id``."""

    # helpers -----------------------------------------------------------------------------------------
    def number(self, entry: Entry, kind: str) -> int | None:
        match = _NUMBERED.match(str(entry.resource["id"]))
        if not match or match["kind"] != kind:
            self.found.add(
                entry, "id", f"{entry.resource['id']!r} is not spasmcare's form", f"{kind}-<number>"
            )
            return None
        return int(match["n"])

    def target(self, ref: object, kind: str) -> int | None:
        if not isinstance(ref, dict) or not isinstance(ref.get("reference"), str):
            return None
        entry = self.by_key.get(ref["reference"])
        return self.number(entry, kind) if entry else None

    def time(self, entry: Entry, sub: str, value: object) -> datetime | None:
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(str(value))
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            self.found.add(
                entry,
                sub,
                f"{value!r} is not a full time with a time zone",
                "e.g. 2026-01-05T08:00:00+00:00",
            )
            return None
        return parsed

    def stamps(self, entry: Entry) -> dict[str, datetime]:
        meta = entry.resource.get("meta") or {}
        updated = self.time(entry, "meta.lastUpdated", meta.get("lastUpdated")) or self.now
        return {"created_at": updated, "updated_at": updated}

    def has_code(self, concept: object, system: str, code: str | None = None) -> str | None:
        for coding in (concept or {}).get("coding", []) if isinstance(concept, dict) else []:
            if coding.get("system") == system and (code is None or coding.get("code") == code):
                return str(coding.get("code"))
        return None

    def is_obs(self, entry: Entry, name: str) -> bool:
        wanted = self.codes.observation(name)
        return entry.resource.get("resourceType") == "Observation" and bool(
            self.has_code(entry.resource.get("code"), wanted.system, wanted.code)
        )

    def kind_of(self, entry: Entry) -> str | None:
        return self.has_code(entry.resource.get("category"), self.codes.system("record_kind"))

    def note(self, entry: Entry) -> str:
        notes = entry.resource.get("note") or []
        return str(notes[0].get("text", "")) if notes else ""

    def row(self, model: type[Any], data: dict[str, Any], entry: Entry, where: Where) -> Any:
        """Validate a diary row; a problem is reported at the resource and path ``where`` names."""
        from spasmcare.diary import validate

        try:
            return validate(model, data)
        except InputError as exc:
            for p in exc.problems:
                head = p.path.split(".")[0].split("[")[0]
                place = where.get(head, "")
                at, sub = place if isinstance(place, tuple) else (entry, place)
                message = f"{p.path}: {p.message}" if p.path else p.message
                self.found.add(at, sub, message, p.allowed)
            return None

    def result_json(self, entry: Entry) -> dict[str, Any] | None:
        for i, ext in enumerate(entry.resource.get("extension", [])):
            if ext.get("url") == RESULT_EXTENSION:
                try:
                    value = json.loads(ext.get("valueString", ""))
                except json.JSONDecodeError as exc:
                    self.found.add(entry, f"extension[{i}].valueString", f"is not JSON: {exc.msg}")
                    return None
                if isinstance(value, dict):
                    return value
        self.found.add(entry, "extension", "has no result", RESULT_EXTENSION)
        return None

    # records -----------------------------------------------------------------------------------------
    def profile(self) -> Any:
        from spasmcare.diary.records import ProfileRow

        patient = self.by_key.get("Patient/patient")
        if patient is None:
            self.found.add(None, "entry", "the bundle has no Patient/patient", "one Patient")
            return None
        res = patient.resource
        names = res.get("name") or [{}]
        data: dict[str, Any] = {"name": names[0].get("text") or "me", **self.stamps(patient)}
        if res.get("gender") in ("male", "female", "other"):
            data["sex"] = res["gender"]
        where = {"name": "name[0].text", "sex": "gender"}
        age = self.by_key.get("Observation/age")
        if age is not None:
            data["age"] = (age.resource.get("valueQuantity") or {}).get("value")
            data["age_recorded_at"] = self.time(
                age, "effectiveDateTime", age.resource.get("effectiveDateTime")
            )
        condition_system = self.codes.system("condition")
        data["conditions"] = [
            code
            for e in self.entries
            if e.resource["resourceType"] == "Condition"
            if (code := self.has_code(e.resource.get("code"), condition_system))
        ]
        data["medicines"] = [
            str((e.resource.get("medicationCodeableConcept") or {}).get("text", ""))
            for e in self.entries
            if e.resource["resourceType"] == "MedicationStatement"
            and self.kind_of(e) == "regular-medicine"
        ]
        return self.row(ProfileRow, data, patient, where)

    def episode(self, entry: Entry) -> Any:
        from spasmcare.diary.records import EpisodeRow

        res = entry.resource
        period = res.get("effectivePeriod") or {}
        data: dict[str, Any] = {
            "id": self.number(entry, "episode"),
            "started_at": self.time(entry, "effectivePeriod.start", period.get("start")),
            "ended_at": self.time(entry, "effectivePeriod.end", period.get("end")),
            "regions": [],
            "triggers": [],
            "suspected_causes": [],
            "notes": self.note(entry),
            **self.stamps(entry),
        }
        where: dict[str, str | tuple[Entry, str]] = {
            "started_at": "effectivePeriod.start",
            "ended_at": "effectivePeriod.end",
            "regions": "component",
            "triggers": "component",
            "suspected_causes": "component",
            "notes": "note",
            "worst_pain": "hasMember",
            "spasm_frequency": "hasMember",
        }
        region = self.codes.observation("region")
        trigger = self.codes.observation("trigger")
        cause = self.codes.observation("suspected_cause")
        for comp in res.get("component", []):
            code = comp.get("code")
            if self.has_code(code, region.system, region.code):
                value = self.has_code(comp.get("valueCodeableConcept"), self.codes.system("region"))
                data["regions"].append(value)
            elif self.has_code(code, trigger.system, trigger.code):
                data["triggers"].append(comp.get("valueString"))
            elif self.has_code(code, cause.system, cause.code):
                data["suspected_causes"].append(comp.get("valueString"))
        for member in res.get("hasMember", []):
            child = self.by_key.get(str(member.get("reference")))
            if child is None:
                continue
            if self.is_obs(child, "pain"):
                data["worst_pain"] = child.resource.get("valueInteger")
                where["worst_pain"] = (child, "valueInteger")
            elif self.is_obs(child, "spasm_frequency"):
                data["spasm_frequency"] = child.resource.get("valueInteger")
                where["spasm_frequency"] = (child, "valueInteger")
        return self.row(EpisodeRow, data, entry, where)

    def treatment(self, entry: Entry, relief: dict[str, tuple[Any, tuple[Entry, str]]]) -> Any:
        from spasmcare.diary.records import TreatmentRow

        res = entry.resource
        prefix = "effective" if res["resourceType"] == "MedicationStatement" else "performed"
        data: dict[str, Any] = {
            "id": self.number(entry, "treatment"),
            "notes": self.note(entry),
            **self.stamps(entry),
        }
        period = res.get(f"{prefix}Period")
        if isinstance(period, dict):
            start = self.time(entry, f"{prefix}Period.start", period.get("start"))
            end = self.time(entry, f"{prefix}Period.end", period.get("end"))
            data["started_at"] = start
            if start and end:
                data["duration_minutes"] = round((end - start).total_seconds() / 60)
        else:
            data["started_at"] = self.time(entry, f"{prefix}DateTime", res.get(f"{prefix}DateTime"))
        if res["resourceType"] == "MedicationStatement":
            data["kind"] = "medicine"
            data["medicine"] = (res.get("medicationCodeableConcept") or {}).get("text")
            dose = _dose(res)
            if dose is not None:
                data["dose_mg"] = dose
        else:
            data["kind"] = self.has_code(res.get("code"), self.codes.system("treatment"))
        for ref in res.get("reasonReference", []):
            data["episode_id"] = self.target(ref, "episode")
        where: dict[str, str | tuple[Entry, str]] = {
            "started_at": f"{prefix}DateTime",
            "kind": "code",
            "medicine": "medicationCodeableConcept.text",
            "dose_mg": "dosage",
            "duration_minutes": f"{prefix}Period",
            "episode_id": "reasonReference",
        }
        if entry.key in relief:
            data["relief"], where["relief"] = relief[entry.key]
        return self.row(TreatmentRow, data, entry, where)

    def dose(self, entry: Entry) -> Any:
        from spasmcare.diary.records import DoseRow

        res = entry.resource
        data: dict[str, Any] = {
            "id": self.number(entry, "dose"),
            "medicine": (res.get("medicationCodeableConcept") or {}).get("text"),
            "amount_mg": _dose(res),
            "taken_at": self.time(entry, "effectiveDateTime", res.get("effectiveDateTime")),
            "notes": self.note(entry),
            **self.stamps(entry),
        }
        for ref in res.get("partOf", []):
            data["treatment_id"] = self.target(ref, "treatment")
        where: dict[str, str | tuple[Entry, str]] = {
            "medicine": "medicationCodeableConcept.text",
            "amount_mg": "dosage",
            "taken_at": "effectiveDateTime",
            "treatment_id": "partOf",
        }
        return self.row(DoseRow, data, entry, where)

    def _questionnaire(self, entry: Entry, sub: str = "derivedFrom") -> Entry | None:
        for ref in entry.resource.get(sub, []):
            found = self.by_key.get(str(ref.get("reference")))
            if found is not None and found.resource["resourceType"] == "QuestionnaireResponse":
                return found
        self.found.add(
            entry,
            sub,
            "does not point at the QuestionnaireResponse it came from",
            "QuestionnaireResponse/<id>",
        )
        return None

    def _episode_of(self, qr: Entry) -> int | None:
        for ref in qr.resource.get("partOf", []):
            return self.target(ref, "episode")
        return None

    def triage(self, entry: Entry) -> Any:
        from spasmcare.diary.records import TriageRow

        qr = self._questionnaire(entry)
        result = self.result_json(entry)
        if qr is None or result is None:
            return None
        read = read_intake(qr.resource, qr.path())
        for p in read.problems:
            self.found.add(qr, p.path.removeprefix(qr.path() + "."), p.message, p.allowed)
        self.intakes[qr.key] = read.data
        code = self.has_code(
            entry.resource.get("valueCodeableConcept"), self.codes.system("disposition")
        )
        if code != result.get("disposition"):
            self.found.add(
                entry,
                "valueCodeableConcept",
                f"says {code!r} but the stored result says {result.get('disposition')!r}",
                "the same disposition in both",
            )
        data = {
            "id": self.number(entry, "triage"),
            "taken_at": self.time(
                entry, "effectiveDateTime", entry.resource.get("effectiveDateTime")
            ),
            "intake": read.data,
            "result": result,
            "episode_id": self._episode_of(qr),
            "notes": self.note(entry),
            **self.stamps(entry),
        }
        where = {"taken_at": "effectiveDateTime", "result": "extension", "intake": "derivedFrom"}
        return self.row(TriageRow, data, entry, where)

    def finding(self, entry: Entry) -> None:
        """Check a finding Observation against the answer in the intake it was derived from."""
        problems: list[Problem] = []
        read = observation_answer(entry.resource, entry.path(), problems, self.codes)
        for p in problems:
            self.found.add(entry, p.path.removeprefix(entry.path() + "."), p.message, p.allowed)
        qr = self._questionnaire(entry)
        if read is None or problems or qr is None or qr.key not in self.intakes:
            return
        fid, answer = read
        findings = self.intakes[qr.key].get("findings") or {}
        stated = findings.get(fid) if isinstance(findings, dict) else None
        if answer is None or stated is answer or stated == answer == UNSURE:
            return
        sub = "dataAbsentReason" if "dataAbsentReason" in entry.resource else "valueBoolean"
        self.found.add(
            entry,
            sub,
            f"says {_said(answer)} but {qr.key} says {_said(stated)} for {fid!r}",
            "the same answer in both",
        )

    def scale(self, entry: Entry, risks: dict[str, str]) -> Any:
        from spasmcare.diary.records import ScaleRow

        qr = self._questionnaire(entry)
        result = self.result_json(entry)
        if qr is None or result is None:
            return None
        res = entry.resource
        scale = str(qr.resource.get("questionnaire", "")).removeprefix(SCALE_QUESTIONNAIRE)
        responses: dict[str, Any] = {}
        for item in qr.resource.get("item", []):
            answers = item.get("answer") or [{}]
            values = [v for k, v in answers[0].items() if k.startswith("value")]
            responses[str(item.get("linkId"))] = values[0] if values else None
        band_system = self.codes.system("scale_band")
        band_code = self.has_code(res.get("valueCodeableConcept"), band_system)
        for concept in res.get("interpretation", []):
            band_code = self.has_code(concept, band_system) or band_code
        data = {
            "id": self.number(qr, "scale"),
            "scale": scale,
            "taken_at": self.time(qr, "authored", qr.resource.get("authored")),
            "responses": responses,
            "score": (res.get("valueQuantity") or {}).get("value"),
            "valid": "dataAbsentReason" not in res,
            "band": band_code.removeprefix(f"{scale}.") if band_code else None,
            "risk": risks.get(qr.key),
            "result": result,
            "episode_id": self._episode_of(qr),
            "notes": self.note(entry),
            **self.stamps(entry),
        }
        where: dict[str, str | tuple[Entry, str]] = {
            "scale": "derivedFrom",
            "score": "valueQuantity",
            "band": "interpretation",
            "responses": "derivedFrom",
            "valid": "dataAbsentReason",
            "taken_at": "derivedFrom",
        }
        return self.row(ScaleRow, data, entry, where)

    # all ---------------------------------------------------------------------------------------------
    def diary(self) -> DiaryBundle | None:
        from spasmcare.diary import DiaryBundle

        profile = self.profile()
        relief: dict[str, tuple[Any, tuple[Entry, str]]] = {}
        risks: dict[str, str] = {}
        for e in self.entries:
            if self.is_obs(e, "treatment_relief"):
                for ref in e.resource.get("partOf", []):
                    relief[str(ref.get("reference"))] = (
                        e.resource.get("valueInteger"),
                        (e, "valueInteger"),
                    )
            if e.resource["resourceType"] == "RiskAssessment":
                text = (e.resource.get("prediction") or [{}])[0].get("qualitativeRisk") or {}
                for ref in e.resource.get("basis", []):
                    risks[str(ref.get("reference"))] = str(text.get("text"))
        rows: dict[str, list[Any]] = {
            k: [] for k in ("episodes", "treatments", "doses", "triage", "scales")
        }
        finding_obs: list[Entry] = []
        for e in self.entries:
            kind = e.resource["resourceType"]
            if kind == "Observation" and finding_code(e.resource, self.codes):
                finding_obs.append(e)
            elif self.is_obs(e, "episode"):
                rows["episodes"].append(self.episode(e))
            elif kind in ("Procedure", "MedicationStatement") and self.kind_of(e) == "treatment":
                rows["treatments"].append(self.treatment(e, relief))
            elif kind == "MedicationStatement" and self.kind_of(e) == "dose":
                rows["doses"].append(self.dose(e))
            elif self.is_obs(e, "triage"):
                rows["triage"].append(self.triage(e))
            elif kind == "Observation" and any(
                x.get("url") == RESULT_EXTENSION for x in e.resource.get("extension", [])
            ):
                rows["scales"].append(self.scale(e, risks))
            elif kind == "QuestionnaireResponse":
                questionnaire = str(e.resource.get("questionnaire", ""))
                if not questionnaire.startswith((INTAKE_QUESTIONNAIRE, SCALE_QUESTIONNAIRE)):
                    self.found.add(
                        e,
                        "questionnaire",
                        f"{questionnaire!r} is not a spasmcare form",
                        f"{INTAKE_QUESTIONNAIRE} or {SCALE_QUESTIONNAIRE}<scale>",
                    )
        for e in finding_obs:  # after the triage results, whose intakes they are checked against
            self.finding(e)
        if self.found.items or profile is None or any(None in r for r in rows.values()):
            return None
        return DiaryBundle(
            profile=profile,
            episodes=rows["episodes"],
            treatments=rows["treatments"],
            doses=rows["doses"],
            triage_results=rows["triage"],
            scale_results=rows["scales"],
        )


def _said(answer: object) -> str:
    if answer is None:
        return "nothing"
    if answer is True or answer is False:
        return "yes" if answer else "no"
    return "not sure" if answer == UNSURE else repr(answer)


def _dose(resource: Mapping[str, Any]) -> Any:
    for dosage in resource.get("dosage", []):
        for rate in dosage.get("doseAndRate", []):
            quantity = rate.get("doseQuantity")
            if isinstance(quantity, dict):
                return quantity.get("value")
    return None


def fhir_to_diary(data: object, *, now: datetime) -> DiaryBundle:
    """The diary held by a spasmcare FHIR Bundle; :class:`ImportFileError` listing every problem.

    ``now`` stamps records whose ``meta.lastUpdated`` is missing.
    """
    from spasmcare.diary import check_bundle

    problems = check_envelope(data)
    if problems:
        raise ImportFileError(
            "the file is not a spasmcare FHIR R4 bundle; nothing was imported", problems
        )
    assert isinstance(data, dict)
    entries, problems = parse_entries(data)
    if problems:
        raise ImportFileError("the FHIR bundle is not valid; nothing was imported", problems)
    reader = _Reader(entries, load_codes(), now)
    diary = reader.diary()
    if diary is None:
        raise ImportFileError(
            "the FHIR bundle does not fit the diary; nothing was imported", reader.found.items
        )
    check_bundle(diary)
    return diary


__all__ = ["RESOURCE_TYPES", "check_envelope", "fhir_to_diary", "parse_entries"]
