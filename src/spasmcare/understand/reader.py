""":func:`understand`: free text in; a partial intake with the evidence for every item out.

How a mention becomes an answer (the lexicon says which words; ConText says how they are meant):
- family ("my dad had cancer"), a worry or an "if" ("worried it might be cancer") and the past ("years
  ago", unless the finding asks about the past) never answer a question about the person: they are
  listed in ``set_aside``;
- a negation ("no fever") answers no; doubt ("not sure if my bum is numb") answers "unsure";
- a list negated as a whole ("no numbness, tingling or weakness") is negated item by item, but a
  comma or "and" ends a negation otherwise ("no fever, legs weak": the legs are weak);
- said two ways (yes and no) answers nothing: the interview asks it (``set_aside``, "conflict");
  yes and "unsure" is yes; no and "unsure" is "unsure".
Nothing here decides a result: the person confirms or changes every item first.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from spasmcare.knowledge.body import REGION_LABELS
from spasmcare.knowledge.lexicon import BACK, expand
from spasmcare.knowledge.medicine_match import class_findings, match_medicine
from spasmcare.knowledge.schema import Disposition
from spasmcare.understand import fields, text
from spasmcare.understand.model import (
    FieldRead,
    FindingRead,
    MedicineRead,
    SetAside,
    TextSpan,
    Understanding,
    Value,
)

if TYPE_CHECKING:
    from spasmcare.knowledge.lexicon import Lexicon
    from spasmcare.knowledge.schema import KnowledgeBase
    from spasmcare.understand.pipeline import Cue, Mention

NO_LEXICON = "This knowledge base ({version}) cannot read free text. Please answer the questions."
_LIST_GAP = re.compile(r"^[\s,/]*(?:(?:or|nor|and|any|no|or any|and no)[\s,/]*)*$", re.I)
_OR = re.compile(r"\b(?:or|nor)\b", re.I)
_LIST_TAIL = re.compile(r"^[\s,]*(?:or|nor)\b", re.I)
_DOSE = re.compile(
    r"\s*\d+(?:[.,]\d+)?\s*(?:mg|mcg|micrograms?|µg|ug|g|ml|iu|units?|%)\b(?:\s*/\s*\d*\s*ml)?",
    re.I,
)
_WEEKS = re.compile(rf"\b({fields.NUMBER})[- ]?(?:weeks?|wks?)\b", re.I)
_CLAUSE = re.compile(r"[,;:()!?]|\.(?!\d)|\s-\s|\b(?:and|but|then|so|because)\b", re.I)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
PREGNANT_LABEL = "Pregnant"
UNSURE: Value = "unsure"


@functools.lru_cache(maxsize=4)
def emergency_findings(kb: KnowledgeBase) -> frozenset[str]:
    """Findings used by an active emergency rule: read as present, they are shown first."""
    return frozenset(
        f
        for r in kb.active_rules
        if r.disposition is Disposition.EMERGENCY and not r.is_unsure_rule
        for f in r.findings
    )


@functools.lru_cache(maxsize=4)
def _someone_else(kb: KnowledgeBase) -> re.Pattern[str]:
    """The lexicon's family words, to keep a relative's age or pain out of the intake."""
    lexicon = kb.lexicon
    assert lexicon is not None
    parts = [
        expand(rule.pattern, lexicon.macros) if rule.pattern else re.escape(rule.literal)
        for rule in lexicon.context
        if rule.category == "FAMILY" and rule.direction == "FORWARD"
    ]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.I)


def _span(source: str, start: int, end: int) -> TextSpan:
    return TextSpan(start=start, end=end, text=source[start:end])


def _cue(source: str, cue: Cue | None) -> TextSpan | None:
    return _span(source, cue.start, cue.end) if cue is not None else None


@dataclass
class _Read:
    value: Value
    mention: Mention
    cue: Cue | None


@dataclass
class _Story:
    """What one story says, gathered mention by mention."""

    kb: KnowledgeBase
    source: str
    """The text as read (look-alike characters replaced one for one)."""
    original: str
    """The text as written: every span's text comes from here."""
    findings: dict[str, list[_Read]] = field(default_factory=dict)
    set_aside: list[SetAside] = field(default_factory=list)

    def aside(self, about: str, label: str, reason: Any, m: Mention, cue: Cue | None) -> None:
        self.set_aside.append(
            SetAside(
                about=about,
                label=label,
                reason=reason,
                span=_span(self.original, m.start, m.end),
                cue=_cue(self.original, cue),
            )
        )


def _not_about_the_person(m: Mention, past_counts: bool) -> tuple[str, Cue | None] | None:
    """Why a mention answers nothing about the person (family, hypothetical, past), or None."""
    for flag, reason in (("family", "family"), ("hypothetical", "hypothetical")):
        if m.has(flag):
            return reason, m.cue(flag)
    if m.has("historical") and not past_counts:
        return "past", m.cue("historical")
    return None


_FINDING_KINDS = ("finding", "absent", "negated_only")
_KIND_RANK = {"absent": 0, "negated_only": 1, "finding": 2}


def _prune_findings(mentions: Iterable[Mention], lexicon: Lexicon) -> list[Mention]:
    """One reading per place and finding: where readings of the same finding overlap, the longest
    wins (on a tie: absent, then the one that names more findings); a finding whose words lie inside
    the words of a finding it yields to is dropped. Different findings may overlap ("numbness in
    my foot that has spread" is numbness and worsening)."""
    found = [m for m in mentions if m.kind in _FINDING_KINDS]
    others = [m for m in mentions if m.kind not in _FINDING_KINDS]
    found.sort(key=lambda m: (-(m.end - m.start), -len(m.keys), _KIND_RANK[m.kind], m.start))
    kept: list[Mention] = []
    for m in found:
        keys = set(m.keys)
        if any(k.start < m.end and m.start < k.end and keys <= set(k.keys) for k in kept):
            continue
        yields = [
            set(lexicon.findings[f].yields_to) if f in lexicon.findings else set() for f in m.keys
        ]
        if any(
            k.start <= m.start and m.end <= k.end and all(y & set(k.keys) for y in yields)
            for k in kept
        ):
            continue
        kept.append(m)
    return sorted(others + kept, key=lambda m: (m.start, -m.end))


_LIST_FLAGS = ("negated", "uncertain", "hypothetical")


def _propagate_lists(source: str, mentions: list[Mention]) -> list[Mention]:
    """ "no numbness, tingling or weakness": every item of a list that ends in "or"/"nor" takes the
    negation (doubt, worry) of its first item; ConText stops them at a comma or "and", so that "no
    fever, legs weak" leaves the legs weak."""
    out = list(mentions)
    items = [i for i, m in enumerate(out) if m.kind in _FINDING_KINDS]
    for n, i in enumerate(items):
        first = out[i]
        cues = [c for flag in _LIST_FLAGS if (c := first.cue(flag)) is not None]
        if not cues:
            continue
        chain = [i]
        gaps: list[str] = []
        for j in items[n + 1 :]:
            if out[j].start < out[chain[-1]].end:
                continue
            gap = source[out[chain[-1]].end : out[j].start]
            if not _LIST_GAP.match(gap):
                break
            chain.append(j)
            gaps.append(gap)
        ors = [k for k, g in enumerate(gaps) if _OR.search(g)]
        tail = source[out[chain[-1]].end : out[chain[-1]].end + 12]
        if _LIST_TAIL.match(tail):
            last = len(chain)  # "no fever, chills or night sweats": the list goes on past them
        elif ors:
            last = ors[-1] + 2
        else:
            continue
        for j in chain[1:last]:
            m = out[j]
            extra = tuple(c for c in cues if c not in m.cues)
            if extra:
                out[j] = replace(m, cues=m.cues + extra)
    return out


def _read_findings(story: _Story, mentions: list[Mention], lexicon: Lexicon) -> None:
    for m in mentions:
        if m.kind not in _FINDING_KINDS:
            continue
        if m.kind == "negated_only":  # "no headache": no severe headache; "headache": nothing
            negated = m.cue("negated")
            if negated is not None and _not_about_the_person(m, past_counts=False) is None:
                for fid in m.keys:
                    story.findings.setdefault(fid, []).append(_Read(False, m, negated))
            continue
        past = all(
            lexicon.findings[f].past_counts for f in m.keys if f in lexicon.findings
        ) and all(f in lexicon.findings for f in m.keys)
        why = _not_about_the_person(m, past)
        if why is not None:
            if m.kind == "finding":
                for fid in m.keys:
                    story.aside(fid, story.kb.findings[fid].label, why[0], m, why[1])
            continue
        uncertain = m.cue("uncertain")
        if m.kind == "absent":  # "peeing fine": a negation near it does not turn it into a yes
            value: Value = UNSURE if uncertain else False
            cue = uncertain
        elif uncertain is not None:
            value, cue = UNSURE, uncertain
        elif m.has("negated"):
            value, cue = False, m.cue("negated")
        else:
            value, cue = True, None
        for fid in m.keys:
            story.findings.setdefault(fid, []).append(_Read(value, m, cue))


def _merge(reads: list[_Read]) -> _Read | None:
    """One answer from several mentions (None: said both ways)."""
    values = {r.value for r in reads}
    if True in values and False in values:
        return None
    for wanted in (True, UNSURE, False):
        if wanted in values:
            return next(r for r in reads if r.value == wanted)
    return None  # pragma: no cover - values is never empty


def _clean_mentions(mentions: Iterable[Mention], *kinds: str) -> list[Mention]:
    return [
        m
        for m in mentions
        if m.kind in kinds and not (m.has("family") or m.has("hypothetical") or m.has("historical"))
    ]


def _regions(story: _Story, mentions: list[Mention], lexicon: Lexicon) -> list[FieldRead]:
    masks = [
        m
        for m in mentions
        if m.kind in _FINDING_KINDS
        and any(lexicon.findings[f].masks_regions for f in m.keys if f in lexicon.findings)
    ]
    found: dict[str, Mention] = {}
    for m in _clean_mentions(mentions, "region"):
        if m.has("negated") or any(k.start <= m.start and m.end <= k.end for k in masks):
            continue
        found.setdefault(m.keys[0], m)
    if BACK in found:
        generic = found.pop(BACK)
        if not {"upper_back", "mid_back", "lower_back"} & set(found):
            found["lower_back"] = generic
    if not found:
        return []
    ordered = [r for r in REGION_LABELS if r in found]
    first = min(found.values(), key=lambda m: m.start)
    return [
        FieldRead(
            field="regions", value=ordered, span=_span(story.original, first.start, first.end)
        )
    ]


def _one_value(story: _Story, mentions: list[Mention], kind: str) -> Mention | None:
    """The mention of a one-value field (onset, sex) when all agree and none is negated."""
    clean = [m for m in _clean_mentions(mentions, kind) if not m.has("negated")]
    clean = [m for m in clean if not m.has("uncertain")]
    if len({m.keys[0] for m in clean}) != 1:
        return None
    return clean[0]


def _pregnancy(story: _Story, mentions: list[Mention]) -> list[FieldRead]:
    reads: list[_Read] = []
    for m in mentions:
        if m.kind not in ("pregnant", "not_pregnant"):
            continue
        why = _not_about_the_person(m, past_counts=False)
        if why is not None:
            if m.kind == "pregnant":
                story.aside("pregnant", PREGNANT_LABEL, why[0], m, why[1])
            continue
        uncertain = m.cue("uncertain")
        if uncertain is not None:
            reads.append(_Read(UNSURE, m, uncertain))
        elif m.kind == "not_pregnant" or m.has("negated"):
            reads.append(_Read(False, m, m.cue("negated")))
        else:
            reads.append(_Read(True, m, None))
    if not reads:
        return []
    merged = _merge(reads)
    if merged is None:
        for r in reads:
            story.aside("pregnant", PREGNANT_LABEL, "conflict", r.mention, r.cue)
        return []
    m = merged.mention
    out = [
        FieldRead(field="pregnant", value=merged.value, span=_span(story.original, m.start, m.end))
    ]
    if merged.value is True:
        weeks = _WEEKS.search(story.source, max(0, m.start - 12), m.end)
        number = fields.number(weeks.group(1)) if weeks else None
        if weeks and number is not None and number.is_integer() and 1 <= number <= 45:
            span = _span(story.original, weeks.start(), weeks.end())
            out.append(FieldRead(field="pregnancy_weeks", value=int(number), span=span))
    return out


def _medicines(story: _Story, mentions: list[Mention]) -> tuple[list[MedicineRead], bool, bool]:
    """The medicines named for the person, whether one was doubtful, and "I take none"."""
    out: list[MedicineRead] = []
    doubtful = False
    seen: set[str] = set()
    for m in mentions:
        if m.kind != "medicine":
            continue
        end = m.end
        dose = _DOSE.match(story.source, end)
        if dose:
            end = dose.end()
        name = story.original[m.start : end].strip()
        why = _not_about_the_person(m, past_counts=False)
        if why is not None or m.has("negated"):
            if why is not None:
                story.aside(name, name, why[0], m, why[1])
            continue
        if m.has("uncertain"):
            doubtful = True
            story.aside(name, name, "uncertain", m, m.cue("uncertain"))
            continue
        match = match_medicine(story.kb, name)
        if match.normalised in seen:
            continue
        seen.add(match.normalised)
        sets = sorted(
            {f for c in match.classes for f in class_findings(story.kb.medicine_classes[c])}
        )
        out.append(
            MedicineRead(
                name=name,
                classes=list(match.classes),
                sets_findings=sets,
                span=_span(story.original, m.start, end),
            )
        )
    none = any(
        m.kind == "no_medicines" and not m.has("negated")
        for m in _clean_mentions(mentions, "no_medicines")
    )
    return out, doubtful, none


def _someone_elses(source: str, start: int, kb: KnowledgeBase) -> bool:
    """Whether a number at ``start`` is said of a relative ("my dad is 80")."""
    left = 0
    for m in _CLAUSE.finditer(source, 0, start):
        left = m.end()
    return bool(_someone_else(kb).search(source, left, start))


def _number_fields(story: _Story, lexicon: Lexicon, today: date | None) -> list[FieldRead]:
    source = story.source
    out: list[FieldRead] = []
    readings: tuple[tuple[Literal["age", "duration_days", "pain"], fields.Found | None], ...] = (
        ("age", fields.age(source)),
        ("duration_days", fields.duration(source, today)),
        ("pain", fields.pain(source)),
    )
    for name, found in readings:
        if found is None or _someone_elses(source, found.start, story.kb):
            continue
        out.append(
            FieldRead(
                field=name,
                value=found.value,
                span=_span(story.original, found.start, found.end),
            )
        )
    return out


def _sex(story: _Story, mentions: list[Mention]) -> FieldRead | None:
    said = _one_value(story, mentions, "sex")
    if said is not None:
        return FieldRead(
            field="sex", value=said.keys[0], span=_span(story.original, said.start, said.end)
        )
    for found in (fields.letter_sex(story.source), fields.pronoun_sex(story.source)):
        if found is not None:
            span = _span(story.original, found.start, found.end)
            return FieldRead(field="sex", value=found.value, span=span)
    return None


def _unplaced(
    source: str,
    sentences: Iterable[tuple[int, int]],
    taken: list[tuple[int, int]],
    filler: frozenset[str],
) -> list[TextSpan]:
    out: list[TextSpan] = []
    for s_start, s_end in sentences:
        cuts = [s_start]
        cuts += [c for m in _CLAUSE.finditer(source, s_start, s_end) for c in (m.start(), m.end())]
        cuts.append(s_end)
        for a, b in zip(cuts[::2], cuts[1::2], strict=False):
            chunk = source[a:b]
            stripped = chunk.strip(" .!?\"'")
            if not stripped:
                continue
            start = a + chunk.index(stripped)
            end = start + len(stripped)
            if any(t0 < end and start < t1 for t0, t1 in taken):
                continue
            words = [w.lower() for w in _WORD.findall(stripped)]
            if not words or all(w in filler for w in words):
                continue
            out.append(_span(source, start, end))
    return out


def understand(story_text: str, kb: KnowledgeBase, *, today: date | None = None) -> Understanding:
    """Read a story: the partial intake it supports and the words behind every item.

    ``today`` lets "since Tuesday" become a number of days (the core reads no clock). Text that
    cannot be read (empty, over :data:`~spasmcare.understand.text.MAX_CHARACTERS`, no words, not
    English) gives an empty result with a ``message``, never an error. The text is not stored or
    logged.
    """
    from spasmcare.understand.pipeline import pipeline

    def empty(message: str) -> Understanding:
        return Understanding(
            intake={},
            findings=[],
            fields=[],
            medicines=[],
            set_aside=[],
            unplaced=[],
            message=message,
            knowledge_version=kb.version,
        )

    lexicon = kb.lexicon
    if lexicon is None:
        return empty(NO_LEXICON.format(version=kb.version))
    story_text = text.safe(story_text)
    why = text.unreadable(story_text)
    if why is not None:
        return empty(why)
    source = text.clean(story_text)
    reading = pipeline(kb).read(source)
    mentions = _propagate_lists(source, _prune_findings(reading.mentions, lexicon))
    story = _Story(kb, source, story_text)

    _read_findings(story, mentions, lexicon)
    emergency = emergency_findings(kb)
    finding_reads: list[FindingRead] = []
    answers: dict[str, Any] = {}
    for fid, reads in story.findings.items():
        merged = _merge(reads)
        if merged is None:
            for r in reads:
                story.aside(fid, kb.findings[fid].label, "conflict", r.mention, r.cue)
            continue
        answers[fid] = merged.value
        m = merged.mention
        finding_reads.append(
            FindingRead(
                finding=fid,
                label=kb.findings[fid].label,
                value=merged.value,
                span=_span(story_text, m.start, m.end),
                cue=_cue(story_text, merged.cue),
                emergency=fid in emergency,
            )
        )
    finding_reads.sort(key=lambda f: (not (f.emergency and f.value is True), f.span.start))

    field_reads: list[FieldRead] = []
    field_reads += _number_fields(story, lexicon, today)
    sex = _sex(story, mentions)
    pregnancy = _pregnancy(story, mentions)
    if sex is not None and not (
        sex.value == "male" and any(p.field == "pregnant" and p.value is True for p in pregnancy)
    ):
        field_reads.append(sex)
    field_reads += pregnancy
    field_reads += _regions(story, mentions, lexicon)
    onset = _one_value(story, mentions, "onset")
    if onset is not None:
        field_reads.append(
            FieldRead(
                field="onset", value=onset.keys[0], span=_span(story_text, onset.start, onset.end)
            )
        )
    medicines, doubtful, none = _medicines(story, mentions)

    intake: dict[str, Any] = {}
    for name in ("age", "sex", "pregnant", "pregnancy_weeks", "regions", "onset"):
        intake.update({f.field: f.value for f in field_reads if f.field == name})
    for name in ("duration_days", "pain"):
        intake.update({f.field: f.value for f in field_reads if f.field == name})
    if medicines and not doubtful:
        intake["medicines"] = [m.name for m in medicines]
    elif none and not medicines and not doubtful:
        intake["medicines"] = []
    intake["findings"] = dict(
        sorted(answers.items(), key=lambda kv: list(kb.findings).index(kv[0]))
    )
    field_reads.sort(key=lambda f: f.span.start)

    taken = [(m.start, m.end) for m in mentions]
    taken += [(f.span.start, f.span.end) for f in field_reads]
    taken += [(c.start, c.end) for m in mentions for c in m.cues]
    unplaced = _unplaced(story_text, reading.sentences, taken, frozenset(lexicon.filler))

    message = None
    if not (finding_reads or field_reads or medicines or story.set_aside):
        message = text.NOTHING_FOUND if text.looks_english(source) else text.NOT_ENGLISH
        if message == text.NOT_ENGLISH:
            unplaced = []
    return Understanding(
        intake=intake,
        findings=finding_reads,
        fields=field_reads,
        medicines=medicines,
        set_aside=story.set_aside,
        unplaced=unplaced,
        message=message,
        knowledge_version=kb.version,
    )


def medicine_findings(kb: KnowledgeBase, intake: Mapping[str, Any]) -> dict[str, bool]:
    """The findings the intake's medicines answer yes (as reading the intake will)."""
    from spasmcare.knowledge.medicine_match import findings_set_by

    return dict.fromkeys(findings_set_by(kb, intake.get("medicines", ())), True)


__all__ = ["emergency_findings", "medicine_findings", "understand"]
