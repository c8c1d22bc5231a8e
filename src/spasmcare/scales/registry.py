"""The one registry of instruments: id -> definition (from the data file) and scoring function."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field, field_serializer

from spasmcare.errors import NotFoundError, Problem
from spasmcare.knowledge.base import ResultModel
from spasmcare.scales import mas, ndi, nrs, odi, peg, psfs, rmdq, specific, startback
from spasmcare.scales.definitions import (
    Band,
    RiskGroups,
    ScaleCodes,
    ScaleDef,
    ScoreRange,
    catalogue,
)
from spasmcare.scales.responses import Scorer
from spasmcare.scales.result import ScaleResult

_SCORERS: dict[str, Scorer] = {
    nrs.SCALE_ID: nrs.score,
    psfs.SCALE_ID: psfs.score,
    peg.SCALE_ID: peg.score,
    specific.SCALE_ID: specific.score,
    mas.SCALE_ID: mas.score,
    odi.SCALE_ID: odi.score,
    rmdq.SCALE_ID: rmdq.score,
    startback.SCALE_ID: startback.score,
    ndi.SCALE_ID: ndi.score,
}


@dataclass(frozen=True)
class Scale:
    """One registered instrument: its data-file definition, citation and scorer."""

    definition: ScaleDef
    citation: str
    scorer: Scorer

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def name(self) -> str:
        return self.definition.name

    def score(self, responses: object) -> ScaleResult:
        return self.scorer(responses)

    def info(self) -> ScaleInfo:
        """The instrument as ``spasmcare scales list --json`` and ``GET /api/v1/scales`` show it."""
        d = self.definition
        cat = catalogue()
        return ScaleInfo(
            id=d.id,
            name=d.name,
            short_name=d.short_name,
            measures=d.measures,
            meaning=d.meaning,
            higher_is_better=d.higher_is_better,
            rater=d.rater,
            wording=d.wording,
            recall_period=d.recall_period,
            items=list(d.item_ids),
            score=d.score,
            min_answered=d.min_answered or len(d.items),
            bands=list(d.bands),
            risk_groups=d.risk_groups,
            mcid=McidInfo(
                points=d.mcid.points,
                percent=d.mcid.percent,
                improve_rule=d.mcid.improve_rule,
                rule=d.mcid.note,
                citation=cat.citations(d.mcid.sources),
            )
            if d.mcid
            else None,
            codes=d.codes,
            licence=LicenceInfo(
                status=d.licence.status,
                text=d.licence.text,
                sources=[cat.sources[s].url or cat.sources[s].doi for s in d.licence.sources],
            ),
            notes=list(d.notes),
            citation=self.citation,
            scales_version=cat.version,
        )


class McidInfo(ResultModel):
    """The minimal clinically important difference, with its rule in words and its citation."""

    points: float
    percent: float | None
    improve_rule: str
    rule: str
    citation: str


class LicenceInfo(ResultModel):
    status: str
    text: str
    sources: list[str | None] = Field(description="The licence's sources (a URL or a DOI).")


class ScaleInfo(ResultModel):
    """One instrument: what it measures, its items, score range, bands, MCID, codes and licence."""

    id: str
    name: str
    short_name: str
    measures: str
    meaning: str
    higher_is_better: bool
    rater: str
    wording: str
    recall_period: str | None
    items: list[str] = Field(description="The item ids, in order.")
    score: ScoreRange | None
    min_answered: int
    bands: list[Band]
    risk_groups: RiskGroups | None
    mcid: McidInfo | None
    codes: ScaleCodes
    licence: LicenceInfo
    notes: list[str]
    citation: str
    scales_version: str

    @field_serializer("risk_groups")
    def _without_codes(self, groups: RiskGroups | None) -> dict[str, Any] | None:
        """The thresholds only (the risk groups' codes are in each result's ``codes``)."""
        return groups.model_dump(mode="json", exclude={"codes"}) if groups else None

    @field_serializer("codes")
    def _codes_given(self, codes: ScaleCodes) -> dict[str, Any]:
        return codes.model_dump(mode="json", exclude_none=True)


def list_scales() -> list[Scale]:
    """Every registered instrument, in the data file's order."""
    cat = catalogue()
    return [get_scale(scale_id) for scale_id in cat.scales]


def get_scale(scale_id: str) -> Scale:
    """One instrument by id; NotFoundError (listing the ids) when there is none."""
    cat = catalogue()
    definition = cat.scale(scale_id)
    scorer = _SCORERS.get(scale_id)
    if scorer is None:
        raise NotFoundError(
            f"scale {scale_id!r} has no scorer",
            [Problem("scale", f"{scale_id!r} is not registered", ", ".join(_SCORERS))],
        )
    return Scale(definition=definition, citation=cat.citation(definition), scorer=scorer)


def score(scale_id: str, responses: object) -> ScaleResult:
    """Score ``responses`` with the instrument ``scale_id``."""
    return get_scale(scale_id).score(responses)
