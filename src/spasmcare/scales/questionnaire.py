"""Import a licensed FHIR R4 Questionnaire as the wording of a scale (pure: no file access here).

spasmcare ships no copyrighted item text. The user brings a FHIR Questionnaire they may use (for
example LOINC's STarT Back form 91349-1); :func:`parse_questionnaire` maps its items to the scale's
item ids and its answer options to the scale's allowed answers, checks that every item is there,
and returns an :class:`ImportedQuestionnaire` (also the stored format). Any problem raises
:class:`ImportFileError` listing all of them; nothing is returned half-done.

Items are matched, in this order: an explicit ``link_map`` (``linkId -> item id``); an item code
from the data file (LOINC where one exists, else ``urn:spasmcare:scales#<scale>.<item>``); a linkId
equal to the item id (``q1``, ``startback.q1``, ``startback-q1``). Items coded as the scale's score,
subscore or risk are calculated fields and are skipped. An item coded as part of another scale is a
wrong code. Answer options are matched to allowed answers by code or value, by label (``Agree``,
``Very much``...), by an ``ordinalValue``/``itemWeight`` extension, or, for 0-5 sections only, by
position; each way must match every option to a different allowed answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final, Literal

from pydantic import Field, ValidationError

from spasmcare.errors import ImportFileError, NotFoundError, Problem, problems_from_validation
from spasmcare.knowledge.base import StrictModel
from spasmcare.scales.definitions import (
    AnswerDef,
    AnswerSet,
    AnswerValue,
    Catalogue,
    ItemDef,
    ScaleDef,
    catalogue,
)
from spasmcare.scales.forms import Form, form_item, intro_for

FORMAT: Final = "spasmcare-questionnaire/1"
ORDINAL_URLS = frozenset(
    {
        "http://hl7.org/fhir/StructureDefinition/ordinalValue",
        "http://hl7.org/fhir/StructureDefinition/itemWeight",
        "http://hl7.org/fhir/StructureDefinition/iso21090-CO-value",
    }
)
_QUESTION_TYPES = frozenset({"boolean", "choice", "open-choice", "coding", "integer", "string"})


class ImportedAnswer(StrictModel):
    value: AnswerValue
    text: str


class ImportedItem(StrictModel):
    id: str
    link_id: str
    text: str
    answers: tuple[ImportedAnswer, ...] = Field(min_length=2)


class ImportedQuestionnaire(StrictModel):
    """A questionnaire mapped onto a scale: what ``scales take`` asks. Also the stored JSON."""

    format: Literal["spasmcare-questionnaire/1"] = FORMAT
    scale: str
    scales_version: str
    title: str | None = None
    url: str | None = None
    version: str | None = None
    publisher: str | None = None
    copyright: str | None = None
    items: tuple[ImportedItem, ...]
    ignored: tuple[str, ...] = ()
    imported_at: str | None = None
    resource: dict[str, Any]


# --- reading the resource ---------------------------------------------------------------------


def _fhir_problems(data: dict[str, Any]) -> list[Problem]:
    """Structural problems found by fhir.resources' R4B Questionnaire model (R4-compatible)."""
    from fhir.resources.R4B.questionnaire import Questionnaire

    try:
        Questionnaire.model_validate(data)
    except ValidationError as exc:
        return [
            Problem(p.path or "Questionnaire", p.message, p.allowed)
            for p in problems_from_validation(exc)
        ]
    return []


def _codings(node: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [
        (str(c.get("system", "")), str(c.get("code", "")))
        for c in node.get("code") or []
        if isinstance(c, Mapping)
    ]


def _show_code(system: str, code: str) -> str:
    return f"LOINC {code}" if system == "http://loinc.org" else f"{system}#{code}"


def _flatten(items: list[Any], path: str = "item") -> list[tuple[str, dict[str, Any]]]:
    """Every question item (groups opened, display items skipped), with its path in the file."""
    out: list[tuple[str, dict[str, Any]]] = []
    for i, item in enumerate(items):
        where = f"{path}[{i}]"
        if item.get("type") in _QUESTION_TYPES:
            out.append((where, item))
        out += _flatten(item.get("item") or [], f"{where}.item")
    return out


# --- matching items -----------------------------------------------------------------------------


class _Codes:
    """Code tables for one scale: its item codes, its calculated codes, and other scales' codes."""

    def __init__(self, cat: Catalogue, scale: ScaleDef) -> None:
        self.items: dict[tuple[str, str], str] = {}
        for item in scale.items:
            self.items[(cat.local_system, f"{scale.id}.{item.id}")] = item.id
            if item.code:
                self.items[(item.code.system, item.code.code)] = item.id
        calc = [scale.codes.score, *scale.codes.subscores.values(), scale.codes.risk]
        self.calculated = {(c.system, c.code) for c in calc if c is not None}
        self.panel = (
            (scale.codes.panel.system, scale.codes.panel.code) if scale.codes.panel else None
        )
        self.foreign: dict[tuple[str, str], str] = {}
        for other in cat.scales.values():
            if other.id == scale.id:
                continue
            for c in [other.codes.panel, other.codes.score, *(i.code for i in other.items)]:
                if c is not None:
                    self.foreign[(c.system, c.code)] = other.short_name
            for item in other.items:
                self.foreign[(cat.local_system, f"{other.id}.{item.id}")] = other.short_name


def _by_link_id(scale: ScaleDef, link_id: str) -> str | None:
    text = link_id.strip().lstrip("/").lower()
    for item_id in scale.item_ids:
        if text in (
            item_id,
            f"{scale.id}.{item_id}",
            f"{scale.id}-{item_id}",
            f"{scale.id}_{item_id}",
        ):
            return item_id
    return None


def _which_scale(cat: Catalogue, data: Mapping[str, Any], scale_id: str | None) -> ScaleDef:
    codes = _codings(data)
    panels = {
        (s.codes.panel.system, s.codes.panel.code): s for s in cat.scales.values() if s.codes.panel
    }
    importable = ", ".join(s.id for s in cat.scales.values() if s.wording == "import")
    declared = [panels[c] for c in codes if c in panels]
    if scale_id is None:
        if len({s.id for s in declared}) == 1:
            scale = declared[0]
        else:
            raise ImportFileError(
                "cannot tell which scale this questionnaire is for",
                [Problem("code", "no single known panel code; name the scale", importable)],
            )
    else:
        try:
            scale = cat.scale(scale_id)
        except NotFoundError as exc:
            raise ImportFileError(exc.summary, exc.problems) from None
    if scale.wording != "import":
        raise ImportFileError(
            f"{scale.short_name} uses spasmcare's own wording; there is nothing to import",
            [Problem("scale", f"{scale.id} needs no questionnaire", importable)],
        )
    wrong = [s for s in declared if s.id != scale.id]
    own = scale.codes.panel
    expected = _show_code(own.system, own.code) if own else f"a {scale.id} questionnaire"
    if wrong:
        other = wrong[0].codes.panel
        assert other is not None
        raise ImportFileError(
            f"this questionnaire is coded as {wrong[0].short_name}, not {scale.short_name}",
            [
                Problem(
                    "code",
                    f"wrong code: {_show_code(other.system, other.code)} is the "
                    f"{wrong[0].short_name} panel",
                    expected,
                )
            ],
        )
    loinc = [c for c in codes if c[0] == "http://loinc.org"]
    if own and own.system == "http://loinc.org" and loinc and (own.system, own.code) not in codes:
        raise ImportFileError(
            f"this questionnaire's code is not the {scale.short_name} panel",
            [
                Problem(
                    "code",
                    "wrong code: "
                    + ", ".join(_show_code(*c) for c in loinc)
                    + " is not the expected panel code",
                    expected,
                )
            ],
        )
    return scale


# --- matching answers ---------------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9+]+", " ", text.lower()).strip()


def _ordinal(option: Mapping[str, Any]) -> Decimal | None:
    nodes = [option, option.get("valueCoding") or {}]
    for node in nodes:
        for ext in node.get("extension") or []:
            if ext.get("url") in ORDINAL_URLS:
                for key in ("valueDecimal", "valueInteger"):
                    if ext.get(key) is not None:
                        return Decimal(str(ext[key]))
    return None


def _option_text(option: Mapping[str, Any]) -> str:
    coding = option.get("valueCoding")
    if isinstance(coding, Mapping):
        return str(coding.get("display") or coding.get("code") or "")
    for key in ("valueString", "valueInteger"):
        if option.get(key) is not None:
            return str(option[key])
    return ""


def _option_value(option: Mapping[str, Any]) -> str | None:
    coding = option.get("valueCoding")
    if isinstance(coding, Mapping) and coding.get("code") is not None:
        return str(coding["code"])
    for key in ("valueString", "valueInteger"):
        if option.get(key) is not None:
            return str(option[key])
    return None


def _value_text(value: AnswerValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).lower()


def _bijection(
    options: list[Mapping[str, Any]],
    answers: AnswerSet,
    pick: Callable[[Mapping[str, Any], AnswerDef], bool],
) -> list[AnswerDef] | None:
    """Each option matched to exactly one allowed answer, every answer used once; else None."""
    if len(options) != len(answers.answers):
        return None
    chosen: list[AnswerDef] = []
    for option in options:
        hits = [a for a in answers.answers if pick(option, a)]
        if len(hits) != 1:
            return None
        chosen.append(hits[0])
    if len({_value_text(a.value) for a in chosen}) != len(chosen):
        return None
    return chosen


def _match_answers(options: list[Mapping[str, Any]], answers: AnswerSet) -> list[AnswerDef] | None:
    def by_value(o: Mapping[str, Any], a: AnswerDef) -> bool:
        v = _option_value(o)
        return v is not None and v.strip().lower() == _value_text(a.value)

    def by_label(o: Mapping[str, Any], a: AnswerDef) -> bool:
        text = _norm(_option_text(o))
        return bool(text) and text in {_norm(a.label), *(_norm(x) for x in a.aliases)}

    def by_ordinal(o: Mapping[str, Any], a: AnswerDef) -> bool:
        return _ordinal(o) == Decimal(a.ordinal)

    for pick in (by_value, by_label, by_ordinal):
        found = _bijection(options, answers, pick)
        if found is not None:
            return found
    if answers.by_position and len(options) == len(answers.answers):
        return sorted(answers.answers, key=lambda a: a.ordinal)
    return None


def _contained_options(data: Mapping[str, Any], ref: str) -> list[dict[str, Any]] | None:
    """Options from a contained ValueSet (``answerValueSet: "#id"``), as answerOption-like dicts."""
    if not ref.startswith("#"):
        return None
    for res in data.get("contained") or []:
        if res.get("resourceType") == "ValueSet" and res.get("id") == ref[1:]:
            concepts: list[dict[str, Any]] = []
            for inc in (res.get("compose") or {}).get("include") or []:
                concepts += [{**c, "system": inc.get("system")} for c in inc.get("concept") or []]
            if not concepts:
                concepts = list((res.get("expansion") or {}).get("contains") or [])
            return [
                {
                    "valueCoding": {
                        "system": c.get("system"),
                        "code": c.get("code"),
                        "display": c.get("display"),
                        "extension": c.get("extension") or [],
                    }
                }
                for c in concepts
            ]
    return None


def _answers_for(
    cat: Catalogue,
    data: Mapping[str, Any],
    where: str,
    node: Mapping[str, Any],
    item: ItemDef,
) -> tuple[ImportedAnswer, ...] | Problem:
    answers = cat.answers(item)
    label = f"{where} (linkId {node.get('linkId')!r}, item {item.id})"
    allowed = answers.allowed_text()
    if node.get("type") == "boolean":
        if not all(isinstance(a.value, bool) for a in answers.answers):
            return Problem(label, "is a yes/no item, but this item needs other answers", allowed)
        return tuple(ImportedAnswer(value=a.value, text=a.label) for a in answers.answers)
    options = node.get("answerOption")
    if not options and node.get("answerValueSet"):
        options = _contained_options(data, str(node["answerValueSet"]))
        if options is None:
            return Problem(
                label,
                f"its answers are in an outside value set {node['answerValueSet']!r}",
                "answer options listed in the file (answerOption or a contained ValueSet)",
            )
    if not options:
        return Problem(label, "has no answer options", allowed)
    matched = _match_answers(options, answers)
    if matched is None:
        how = "a code equal to the answer, a matching label, or an ordinalValue extension"
        if answers.by_position:
            how += f"; or exactly {len(answers.answers)} options in score order"
        return Problem(
            label,
            f"its {len(options)} answer options could not be matched to the allowed answers "
            f"({allowed})",
            how,
        )
    return tuple(
        ImportedAnswer(value=a.value, text=_option_text(o) or a.label)
        for o, a in zip(options, matched, strict=True)
    )


# --- the whole import ---------------------------------------------------------------------------


def parse_questionnaire(
    data: object,
    *,
    scale_id: str | None = None,
    link_map: Mapping[str, str] | None = None,
) -> ImportedQuestionnaire:
    """Map a FHIR R4 Questionnaire (parsed JSON) onto a scale; raise ImportFileError on any problem."""
    cat = catalogue()
    if not isinstance(data, dict):
        raise ImportFileError(
            "the file is not a FHIR resource",
            [Problem("", f"it holds a JSON {type(data).__name__}", "a JSON object")],
        )
    kind = data.get("resourceType")
    if kind != "Questionnaire":
        raise ImportFileError(
            "the file is not a FHIR Questionnaire",
            [Problem("resourceType", f"is {kind!r}", "Questionnaire")],
        )
    structure = _fhir_problems(data)
    if structure:
        raise ImportFileError("the Questionnaire is not valid FHIR", structure)
    scale = _which_scale(cat, data, scale_id)
    codes = _Codes(cat, scale)
    problems: list[Problem] = []
    links = dict(link_map or {})
    for link, wanted in links.items():
        if wanted not in scale.item_ids:
            problems.append(
                Problem(f"map {link}={wanted}", "unknown item", ", ".join(scale.item_ids))
            )

    mapped: dict[str, tuple[str, dict[str, Any]]] = {}
    unmatched: list[str] = []
    for where, node in _flatten(data.get("item") or []):
        link_id = str(node.get("linkId"))
        item_codes = _codings(node)
        target: str | None = links.get(link_id)
        if target is None:
            target = next((codes.items[c] for c in item_codes if c in codes.items), None)
        if target is None and any(c in codes.calculated for c in item_codes):
            continue  # a calculated score field; spasmcare computes it itself
        if target is None:
            foreign = [c for c in item_codes if c in codes.foreign]
            if foreign:
                c = foreign[0]
                problems.append(
                    Problem(
                        f"{where} (linkId {link_id!r})",
                        f"wrong code: {_show_code(*c)} belongs to {codes.foreign[c]}, "
                        f"not {scale.short_name}",
                    )
                )
                continue
            target = _by_link_id(scale, link_id)
        if target is None:
            shown = ", ".join(_show_code(*c) for c in item_codes) or "no code"
            unmatched.append(f"linkId {link_id!r} ({shown})")
            continue
        if target in mapped:
            problems.append(
                Problem(
                    f"{where} (linkId {link_id!r})",
                    f"is a second item for {target} (the first has linkId "
                    f"{mapped[target][1].get('linkId')!r})",
                )
            )
            continue
        mapped[target] = (where, node)

    for item in scale.items:
        if item.id not in mapped:
            expected = [f"linkId {item.id!r}"]
            if item.code:
                expected.insert(0, _show_code(item.code.system, item.code.code))
            problems.append(
                Problem(
                    item.id,
                    f"is missing: no item in the file has {' or '.join(expected)}",
                    "add the item, or map its linkId with --map LINKID=" + item.id,
                )
            )
    if unmatched and len(mapped) < len(scale.items):
        problems.append(Problem("item", "items not recognised: " + "; ".join(unmatched)))

    items: list[ImportedItem] = []
    for item in scale.items:
        if item.id not in mapped:
            continue
        where, node = mapped[item.id]
        text = str(node.get("text") or "").strip()
        if not text:
            problems.append(Problem(f"{where} (item {item.id})", "has no text to show"))
        answers = _answers_for(cat, data, where, node, item)
        if isinstance(answers, Problem):
            problems.append(answers)
            continue
        items.append(
            ImportedItem(id=item.id, link_id=str(node.get("linkId")), text=text, answers=answers)
        )
    if problems:
        raise ImportFileError(
            f"this questionnaire cannot be used for {scale.short_name} "
            f"({len(problems)} problem{'s' if len(problems) != 1 else ''}); nothing was stored",
            problems,
        )
    return ImportedQuestionnaire(
        scale=scale.id,
        scales_version=cat.version,
        title=data.get("title") or data.get("name"),
        url=data.get("url"),
        version=data.get("version"),
        publisher=data.get("publisher"),
        copyright=data.get("copyright"),
        items=tuple(items),
        ignored=tuple(unmatched),
        resource=data,
    )


def check_imported(q: ImportedQuestionnaire) -> list[Problem]:
    """Problems that make a stored questionnaire unusable with the current scales data."""
    cat = catalogue()
    if q.scale not in cat.scales:
        return [Problem("scale", f"unknown scale {q.scale!r}", ", ".join(cat.scales))]
    scale = cat.scales[q.scale]
    problems: list[Problem] = []
    have = {i.id: i for i in q.items}
    for item in scale.items:
        if item.id not in have:
            problems.append(Problem(item.id, "is missing"))
            continue
        allowed = cat.answers(item)
        values = [a.value for a in have[item.id].answers]
        if any(allowed.find(v) is None for v in values) or len(values) != len(allowed.answers):
            problems.append(Problem(item.id, "has answers that do not fit", allowed.allowed_text()))
    return problems


def to_form(q: ImportedQuestionnaire) -> Form:
    """The form to take an imported questionnaire, items in the scale's order."""
    cat = catalogue()
    scale = cat.scale(q.scale)
    have = {i.id: i for i in q.items}
    items = tuple(
        form_item(item, have[item.id].text, [(a.value, a.text) for a in have[item.id].answers])
        for item in scale.items
    )
    credit = f" {q.copyright}" if q.copyright else ""
    return Form(
        scale=scale.id,
        title=q.title or scale.name,
        intro=intro_for(scale) + credit,
        items=items,
        source=f"imported questionnaire {q.title or q.url or ''}".strip(),
    )
