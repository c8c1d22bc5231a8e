"""Medicine names and safety verdicts: which option is ``ok``, ``caution`` or ``avoid`` for a person.

Names are matched to generics, brands and the members of medicine classes (``Advil`` -> ibuprofen;
``Vicodin`` -> an acetaminophen-containing product and an opioid). From knowledge base 1.1.0 this is
the one matcher triage uses too (:mod:`spasmcare.knowledge.medicine_match`: ``Eliquis 5 mg``,
``apixaban 5mg`` and ``Xarelto (rivaroxaban) 20mg`` are blood thinners; a topical product counts for
nothing). Knowledge base 1.0.0 keeps its own rule (exact names, a trailing strength removed, then single
words), so its plans keep their meaning. A name not recognised is never treated as safe: it is
reported as "not checked", with close matches, and every medicine verdict gets the
``unknown_medicine`` check's caution.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from spasmcare.knowledge.care import (
    VERDICT_RANK,
    CareContent,
    Medicine,
    MedicineCheck,
    fill,
)
from spasmcare.knowledge.care_conditions import TakenHours, TakenMg24h, TakesOther, TakesSelf
from spasmcare.knowledge.conditions import Condition, walk
from spasmcare.knowledge.medicine_match import matcher
from spasmcare.knowledge.schema import KnowledgeBase
from spasmcare.plan.checks import (
    Person,
    Predicate,
    Taken,
    compile_care,
    gate,
    join_names,
    matched_names,
    text_nodes,
)

_STRENGTH = re.compile(r"\s*\d[\d.,]*\s*(mg|mcg|g|ml|%|iu)?\b.*$")
_WORD = re.compile(r"[a-z0-9]+")


def normalise(name: str) -> str:
    """Lower case, single spaces, no spaces around '/'."""
    text = " ".join(name.lower().split())
    return re.sub(r"\s*/\s*", "/", text)


@dataclass(frozen=True, slots=True)
class Entry:
    medicines: frozenset[str]
    classes: frozenset[str]


class Resolver:
    """Looks up medicine names in a knowledge base."""

    def __init__(self, kb: KnowledgeBase, care: CareContent) -> None:
        self.care = care
        self.matcher = matcher(kb)
        self.medicine_index = (
            self.matcher.index({m.id: (m.id, m.name, *m.brands) for m in care.medicines.values()})
            if self.matcher is not None
            else None
        )
        meds: dict[str, set[str]] = {}
        classes: dict[str, set[str]] = {}
        for med in care.medicines.values():
            for name in (med.id, med.name, *med.brands):
                key = normalise(name)
                meds.setdefault(key, set()).add(med.id)
                classes.setdefault(key, set()).update(med.classes)
        for cls in kb.medicine_classes.values():
            for name in cls.members:
                classes.setdefault(normalise(name), set()).add(cls.id)
        keys = set(meds) | set(classes)
        self.entries: dict[str, Entry] = {
            k: Entry(frozenset(meds.get(k, ())), frozenset(classes.get(k, ()))) for k in keys
        }
        self.names = sorted(keys)

    def exact(self, name: str) -> Entry | None:
        key = normalise(name)
        entry = self.entries.get(key)
        if entry is None:
            bare = _STRENGTH.sub("", key)
            entry = self.entries.get(bare) if bare else None
        return entry

    def resolve(self, name: str) -> Taken | None:
        """The medicine(s) and classes a name stands for, or None when it is not recognised.

        A topical product (a gel, a cream, a flush solution) is not recognised: it counts for none
        of the checks, and the plan says it was not checked.
        """
        if self.matcher is not None and self.medicine_index is not None:
            read = self.matcher.read(name)
            if read.topical:
                return None
            classes = self.matcher.classes.find(read)
            medicines = self.medicine_index.find(read)
            if not classes.ids and not medicines.ids:
                return None
            return Taken(
                name.strip(),
                read.text,
                medicines.ids,
                classes.ids.union(*(self.care.medicines[m].classes for m in medicines.ids)),
                partial=not self.matcher.complete(read, classes.covered | medicines.covered),
            )
        key = normalise(name)
        entry = self.exact(name)
        if entry is not None:
            return Taken(name.strip(), key, entry.medicines, entry.classes)
        words = _WORD.findall(key)
        found = [self.entries[w] for w in words if w in self.entries]
        found += [
            self.entries[f"{a} {b}"]
            for a, b in itertools.pairwise(words)
            if f"{a} {b}" in self.entries
        ]
        if not found:
            return None
        return Taken(
            name.strip(),
            key,
            frozenset().union(*(e.medicines for e in found)),
            frozenset().union(*(e.classes for e in found)),
            partial=True,
        )

    def classes_of(self, name: str) -> frozenset[str]:
        taken = self.resolve(name)
        return taken.classes if taken else frozenset()

    def topical(self, name: str) -> bool:
        """Whether the name is a topical product, which counts for nothing (1.1.0 on)."""
        return self.matcher is not None and self.matcher.read(name).topical

    def close(self, name: str) -> list[str]:
        if self.topical(name):
            return []  # "diclofenac gel": "did you mean diclofenac?" would mislead
        key = self.matcher.read(name).text if self.matcher is not None else normalise(name)
        return difflib.get_close_matches(key, self.names, n=3, cutoff=0.6)


@dataclass(frozen=True, slots=True)
class CompiledCheck:
    check: MedicineCheck
    predicate: Predicate
    medicines: tuple[str, ...]
    """The plan medicines the check applies to (directly or through their classes)."""
    per_medicine: bool
    """Whether the result depends on which medicine is checked (``takes_other``, ``takes_self``)."""
    gate: frozenset[str] | None
    """Keys of which the person needs one for the check to fire (None: always evaluate)."""
    nodes: tuple[Condition, ...]
    """The nodes the reason's placeholders refer to (:func:`text_nodes`)."""


@dataclass(frozen=True, slots=True)
class CheckIndex:
    """The compiled checks, indexed by gate key so that only checks a person could fire are tried."""

    always: tuple[CompiledCheck, ...]
    by_key: dict[str, tuple[CompiledCheck, ...]]
    order: dict[str, int]


def compile_checks(care: CareContent, *, only_warnings: bool = False) -> CheckIndex:
    """Every check compiled (or only those that also warn); the most serious first, then file order."""
    out: list[CompiledCheck] = []
    for c in care.checks:
        if only_warnings and not c.warn:
            continue
        targets = set(c.applies_to)
        meds = tuple(m.id for m in care.medicines.values() if targets & {m.id, *m.classes})
        out.append(
            CompiledCheck(
                c,
                compile_care(c.when),
                meds,
                any(isinstance(n, TakesOther | TakesSelf) for n in walk(c.when)),
                gate(c.when),
                text_nodes(c.when),
            )
        )
    out.sort(key=lambda c: -VERDICT_RANK[c.check.verdict])
    by_key: dict[str, list[CompiledCheck]] = {}
    for compiled in out:
        for key in compiled.gate or ():
            by_key.setdefault(key, []).append(compiled)
    return CheckIndex(
        always=tuple(x for x in out if x.gate is None),
        by_key={k: tuple(v) for k, v in by_key.items()},
        order={x.check.id: i for i, x in enumerate(out)},
    )


@dataclass(frozen=True, slots=True)
class Fired:
    """The checks that apply to a person, per medicine."""

    by_medicine: dict[str, list[CompiledCheck]]


def fire(index: CheckIndex, person: Person) -> Fired:
    """For each medicine, the checks that apply to this person, most serious first, then file order.

    Only checks whose gate meets the person's keys are tried (a check whose gate misses cannot
    fire); each is evaluated once, or once per medicine if it depends on the medicine.
    """
    candidates = list(index.always)
    seen = {c.check.id for c in candidates}
    for key in person.keys:
        for c in index.by_key.get(key, ()):
            if c.check.id not in seen:
                seen.add(c.check.id)
                candidates.append(c)
    candidates.sort(key=lambda c: index.order[c.check.id])
    fired: dict[str, list[CompiledCheck]] = {}
    for c in candidates:
        if c.per_medicine:
            for m in c.medicines:
                if c.predicate(person, m):
                    fired.setdefault(m, []).append(c)
        elif c.predicate(person, None):
            for m in c.medicines:
                fired.setdefault(m, []).append(c)
    return Fired(fired)


def reason_text(c: CompiledCheck, person: Person, medicine: Medicine, base: dict[str, str]) -> str:
    """A check's reason with its placeholders filled in for this person and medicine."""
    return fill(c.check.reason, text_values(c.nodes, person, medicine, base))


def text_values(
    nodes: tuple[Condition, ...],
    person: Person,
    medicine: Medicine | None,
    base: dict[str, str],
) -> dict[str, str]:
    """What the placeholders of a text stand for: names, mg, hours, max_mg, emergency."""
    values = dict(base)
    values["names"] = join_names(matched_names(nodes, person, medicine.id if medicine else None))
    for node in nodes:
        if isinstance(node, TakenMg24h):
            values["mg"] = f"{person.mg_24h.get(node.cls, 0.0):,.0f}"
        elif isinstance(node, TakenHours):
            values["hours"] = f"{person.course_hours.get(node.cls, 0.0):.0f}"
    if medicine is not None and medicine.limits.daily_mg is not None:
        values["max_mg"] = f"{medicine.limits.daily_mg:,.0f}"
    return values


def worst(fired: Iterable[CompiledCheck]) -> str:
    verdict = "ok"
    for f in fired:
        if VERDICT_RANK[f.check.verdict] > VERDICT_RANK[verdict]:
            verdict = f.check.verdict
    return verdict
