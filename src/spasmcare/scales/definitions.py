"""The scales data file (``data/scales.yaml``): its pydantic schema and its cached, checked loader.

Everything clinical about a scale lives in the data file: codes, citations, licence, score range,
bands, risk-group thresholds and the minimal clinically important difference (MCID). The scoring
modules read their thresholds from here.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from spasmcare.errors import KnowledgeError, NotFoundError, Problem, problems_from_validation
from spasmcare.knowledge.base import StrictModel
from spasmcare.knowledge.reader import parse_yaml

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
AnswerValue = bool | int | str


class Coding(StrictModel):
    """A coded concept: ``{system, code, display}``."""

    system: str = Field(min_length=3)
    code: str = Field(min_length=1)
    display: str = Field(min_length=1)


class SourceDef(StrictModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    citation: str = Field(min_length=10)
    year: int = Field(ge=1900, le=2100)
    url: str | None = None
    doi: str | None = None

    @model_validator(mode="after")
    def _has_locator(self) -> SourceDef:
        if not self.url and not self.doi:
            raise ValueError("a source needs a url or a doi")
        return self


class AnswerDef(StrictModel):
    """One allowed answer: the stored value, its place on the scale, its points and our label."""

    value: AnswerValue
    ordinal: int
    points: int | None = None
    label: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    code: str | None = None


class AnswerSet(StrictModel):
    by_position: bool = False
    answers: tuple[AnswerDef, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique(self) -> AnswerSet:
        values = [a.value for a in self.answers]
        ordinals = [a.ordinal for a in self.answers]
        if len(set(map(repr, values))) != len(values):
            raise ValueError("answer values must be unique")
        if len(set(ordinals)) != len(ordinals):
            raise ValueError("answer ordinals must be unique")
        return self

    def find(self, value: object) -> AnswerDef | None:
        """The answer whose value is ``value`` (type-exact: ``True`` is not ``1``)."""
        for answer in self.answers:
            if type(answer.value) is type(value) and answer.value == value:
                return answer
        return None

    def allowed_text(self) -> str:
        return ", ".join(_show(a.value) for a in self.answers)


class EnableWhen(StrictModel):
    """Ask an item only when another item's answer is above a number."""

    item: str
    above: int


class ItemDef(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    kind: Literal["choice", "text"] = "choice"
    answer_set: str | None = None
    max_length: int | None = None
    code: Coding | None = None
    question: str | None = None
    enable_when: EnableWhen | None = None
    optional: bool = False
    """May be left empty on the form (the second and third activity of the activities scale)."""

    @model_validator(mode="after")
    def _kind_fields(self) -> ItemDef:
        if self.kind == "choice" and not self.answer_set:
            raise ValueError("a choice item needs an answer_set")
        if self.kind == "text" and not self.max_length:
            raise ValueError("a text item needs a max_length")
        return self


class Licence(StrictModel):
    status: Literal["free", "free-appendix", "free-noncommercial", "copyrighted", "verify"]
    text: str = Field(min_length=10)
    sources: tuple[str, ...] = ()


class ScaleCodes(StrictModel):
    panel: Coding | None = None
    score: Coding
    subscores: dict[str, Coding] = Field(default_factory=dict)
    risk: Coding | None = None


class ScoreRange(StrictModel):
    min: float
    max: float
    unit: Literal["points", "percent"]


class Band(StrictModel):
    """A band, chosen by inclusive upper bound: the first band whose ``upper`` is >= the score."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    label: str
    upper: float


class Mcid(StrictModel):
    """Minimal clinically important difference, in score units (and optionally percent)."""

    points: float = Field(gt=0)
    percent: float | None = Field(default=None, gt=0, le=100)
    improve_rule: Literal["points", "both", "either"] = "points"
    sources: tuple[str, ...] = Field(min_length=1)
    note: str

    @model_validator(mode="after")
    def _rule_needs_percent(self) -> Mcid:
        if self.improve_rule in ("both", "either") and self.percent is None:
            raise ValueError(f"improve_rule {self.improve_rule!r} needs a percent")
        return self


class RiskGroups(StrictModel):
    low_total_max: int
    high_distress_min: int
    distress_items: tuple[str, ...]
    codes: dict[Literal["low", "medium", "high"], Coding]


class ScaleDef(StrictModel):
    """One instrument as described in the data file."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    short_name: str
    measures: Literal["pain", "spasm", "spasticity", "disability", "risk", "function"]
    higher_is_better: bool = False
    """True for a scale where a higher score is better (the activities scale): it turns the
    direction of :func:`~spasmcare.scales.compare`."""
    rater: Literal["self", "clinician"]
    wording: Literal["product", "import"]
    audience: Literal["patient", "clinician"]
    meaning: str = Field(min_length=20)
    """What the score means, in one plain sentence (shown on the scale's page and its result)."""
    recall_period: str | None = None
    sources: tuple[str, ...] = Field(min_length=1)
    licence: Licence
    codes: ScaleCodes
    score: ScoreRange | None
    min_answered: int | None = None
    percent_factor: float | None = None
    bands: tuple[Band, ...] = ()
    risk_groups: RiskGroups | None = None
    mcid: Mcid | None
    items: tuple[ItemDef, ...] = Field(min_length=1)
    notes: tuple[str, ...] = ()

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    def item(self, item_id: str) -> ItemDef:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


class ScalesFile(StrictModel):
    version: str = Field(pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$")
    local_system: str
    sources: tuple[SourceDef, ...]
    answer_sets: dict[str, AnswerSet]
    scales: tuple[ScaleDef, ...]


class Catalogue:
    """The loaded, cross-checked scales file with lookups by id."""

    def __init__(self, data: ScalesFile) -> None:
        self.version = data.version
        self.local_system = data.local_system
        self.sources = {s.id: s for s in data.sources}
        self.answer_sets = dict(data.answer_sets)
        self.scales = {s.id: s for s in data.scales}
        # Lookups built once, so that scoring does no linear scans (see benchmarks/bench_scales.py).
        self._by_value: dict[str, dict[tuple[type, object], AnswerDef]] = {
            name: {(type(a.value), a.value): a for a in answer_set.answers}
            for name, answer_set in self.answer_sets.items()
        }
        self._citations = {
            s.id: " ".join(self.sources[r].citation for r in s.sources) for s in data.scales
        }
        self._item_ids = {s.id: frozenset(s.item_ids) for s in data.scales}

    def scale(self, scale_id: str) -> ScaleDef:
        try:
            return self.scales[scale_id]
        except KeyError:
            raise NotFoundError(
                f"unknown scale {scale_id!r}",
                [Problem("scale", f"{scale_id!r} is not a scale", ", ".join(self.scales))],
            ) from None

    def answers(self, item: ItemDef) -> AnswerSet:
        assert item.answer_set is not None
        return self.answer_sets[item.answer_set]

    def find(self, item: ItemDef, value: object) -> AnswerDef | None:
        """The allowed answer of ``item`` whose value is ``value`` (type-exact: True is not 1)."""
        assert item.answer_set is not None
        return self._by_value[item.answer_set].get((type(value), value))

    def item_ids(self, scale_id: str) -> frozenset[str]:
        return self._item_ids[scale_id]

    def citation(self, scale: ScaleDef) -> str:
        return self._citations[scale.id]

    def citations(self, ids: tuple[str, ...]) -> str:
        return " ".join(self.sources[s].citation for s in ids)


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def _cross_check(data: ScalesFile) -> list[Problem]:
    problems: list[Problem] = []
    source_ids = {s.id for s in data.sources}
    seen: set[str] = set()
    for scale in data.scales:
        where = f"scales.yaml: {scale.id}"
        if scale.id in seen:
            problems.append(Problem(where, "duplicate scale id"))
        seen.add(scale.id)
        refs = list(scale.sources) + list(scale.licence.sources)
        refs += list(scale.mcid.sources) if scale.mcid else []
        problems += [Problem(where, f"unknown source {r!r}") for r in refs if r not in source_ids]
        item_ids = [i.id for i in scale.items]
        if len(set(item_ids)) != len(item_ids):
            problems.append(Problem(f"{where}.items", "duplicate item id"))
        for item in scale.items:
            if item.answer_set and item.answer_set not in data.answer_sets:
                problems.append(
                    Problem(f"{where}.{item.id}", f"unknown answer_set {item.answer_set!r}")
                )
            if item.enable_when and item.enable_when.item not in item_ids:
                problems.append(Problem(f"{where}.{item.id}", "enable_when names an unknown item"))
            if scale.wording == "product" and not item.question:
                problems.append(Problem(f"{where}.{item.id}", "product wording needs a question"))
            if scale.wording == "import" and item.question:
                problems.append(
                    Problem(f"{where}.{item.id}", "an imported scale must not ship item wording")
                )
        uppers = [b.upper for b in scale.bands]
        if uppers != sorted(uppers) or len(set(uppers)) != len(uppers):
            problems.append(Problem(f"{where}.bands", "upper bounds must rise"))
        if scale.bands and scale.score and uppers[-1] < scale.score.max:
            problems.append(Problem(f"{where}.bands", "the last band must reach the maximum"))
        if scale.risk_groups:
            for rid in scale.risk_groups.distress_items:
                if rid not in item_ids:
                    problems.append(Problem(f"{where}.risk_groups", f"unknown item {rid!r}"))
    return problems


def load_file(text: str) -> Catalogue:
    """Parse and check the text of a scales file; raise KnowledgeError listing every problem."""
    try:
        raw: Any = parse_yaml(text.encode("utf-8"))
    except KnowledgeError as exc:
        raise KnowledgeError(
            "scales.yaml is not valid YAML", [Problem("scales.yaml", exc.summary)]
        ) from exc
    try:
        data = ScalesFile.model_validate(raw)
    except ValidationError as exc:
        problems = [
            Problem(f"scales.yaml: {p.path}", p.message, p.allowed)
            for p in problems_from_validation(exc, ScalesFile)
        ]
        raise KnowledgeError("scales.yaml is invalid", problems) from exc
    problems = _cross_check(data)
    if problems:
        raise KnowledgeError(f"scales.yaml is invalid ({len(problems)} problems)", problems)
    return Catalogue(data)


@functools.lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The packaged scales data, loaded and checked once per process."""
    text = resources.files("spasmcare.scales").joinpath("data", "scales.yaml").read_text("utf-8")
    return load_file(text)
