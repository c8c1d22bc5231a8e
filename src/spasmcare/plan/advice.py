"""The medicine part of a plan: each option's verdict and reasons, and the medicine warnings."""

from __future__ import annotations

from spasmcare.knowledge.care import Medicine
from spasmcare.plan.checks import Person, join_names
from spasmcare.plan.compiled import Compiled
from spasmcare.plan.doses import DoseSummary
from spasmcare.plan.medicines import CompiledCheck, Fired, reason_text, worst
from spasmcare.plan.model import CheckReason, MedicineAdvice, PlanWarning
from spasmcare.triage.intake import Intake


def medicine_advice(
    comp: Compiled, person: Person, fired: Fired, values: dict[str, str]
) -> tuple[MedicineAdvice, ...]:
    """The advice for every medicine option, built for this person."""
    return tuple(
        _advice(comp, med, fired.by_medicine.get(med.id, []), person, values)
        for med in comp.care.medicines.values()
    )


def _advice(
    comp: Compiled,
    med: Medicine,
    fired: list[CompiledCheck],
    person: Person,
    values: dict[str, str],
) -> MedicineAdvice:
    reasons = tuple(
        CheckReason(
            id=c.check.id,
            verdict=c.check.verdict,
            text=reason_text(c, person, med, values),
            sources=comp.sources(c.check.sources),
        )
        for c in fired
    )
    if not reasons:
        message = comp.care.messages["no_problem_found"]
        reasons = (
            CheckReason(
                id=message.id,
                verdict="ok",
                text=message.text,
                sources=comp.sources(message.sources),
            ),
        )
    verdict = worst(fired)
    hide = verdict == "avoid" or any(c.check.hide_dose for c in fired)
    remedy = comp.care.remedies[med.remedy]
    return MedicineAdvice(
        id=med.id,
        name=med.name,
        brands=med.brands,
        kind=med.kind,
        verdict=verdict,
        reasons=reasons,
        grade=remedy.grade,
        evidence=remedy.summary,
        dose=None if hide else med.dose,
        notes=med.notes,
        sources=comp.sources(med.sources),
    )


def check_warnings(
    comp: Compiled, person: Person, fired: Fired, values: dict[str, str]
) -> list[PlanWarning]:
    """Plan-level warnings from checks marked ``warn`` (e.g. several acetaminophen products)."""
    out: dict[str, PlanWarning] = {}
    for med_id, checks in fired.by_medicine.items():
        for c in checks:
            if c.check.warn and c.check.id not in out:
                text = reason_text(c, person, comp.care.medicines[med_id], values)
                severity = "avoid" if c.check.verdict == "avoid" else "caution"
                out[c.check.id] = PlanWarning(
                    id=c.check.id,
                    text=text,
                    sources=comp.sources(c.check.sources),
                    severity=severity,
                )
    return list(out.values())


def name_warnings(
    comp: Compiled,
    intake: Intake,
    person: Person,
    summary: DoseSummary,
) -> list[PlanWarning]:
    out: list[PlanWarning] = []
    for name in person.unknown:
        if "topical_not_counted" in comp.care.messages and comp.resolver.topical(name):
            warning = comp.warning("topical_not_counted", {"names": name})
            out.append(
                PlanWarning(
                    id="not_checked", text=warning.text, sources=warning.sources, severity="caution"
                )
            )
            continue
        text = comp.warning("not_checked", {"names": name}).text
        close = comp.resolver.close(name)
        if close:
            text += " " + comp.warning("did_you_mean", {"names": " or ".join(close)}).text
        out.append(PlanWarning(id="not_checked", text=text, sources=(), severity="caution"))
    partial = [t.name for t in person.taken if t.partial]
    if partial:
        out.append(comp.warning("partial_match", {"names": join_names(partial)}))
    # One medicine under two names; a combination product (more classes) is not the same medicine.
    groups: dict[tuple[frozenset[str], frozenset[str]], list[str]] = {}
    for t in person.taken:
        if len(t.medicines) == 1:
            groups.setdefault((t.medicines, t.classes), []).append(t.name)
    for names in groups.values():
        if len(names) > 1:
            out.append(comp.warning("same_medicine", {"names": join_names(names)}))
    uncounted = sorted({n for names in summary.uncounted.values() for n in names})
    if uncounted:
        out.append(comp.warning("dose_not_counted", {"names": join_names(uncounted)}, "info"))
    if not intake.medicines and not intake.conditions:
        out.append(comp.warning("nothing_listed", {}, "info"))
    return out
