"""The one registry of instruments: id -> definition (from the data file) and scoring function."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from spasmcare.errors import NotFoundError, Problem
from spasmcare.scales import mas, ndi, nrs, odi, peg, psfs, rmdq, specific, startback
from spasmcare.scales.definitions import ScaleDef, catalogue
from spasmcare.scales.result import ScaleResult

Scorer = Callable[[object], ScaleResult]

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

    def to_dict(self) -> dict[str, Any]:
        d = self.definition
        cat = catalogue()
        return {
            "id": d.id,
            "name": d.name,
            "short_name": d.short_name,
            "measures": d.measures,
            "meaning": d.meaning,
            "higher_is_better": d.higher_is_better,
            "rater": d.rater,
            "wording": d.wording,
            "recall_period": d.recall_period,
            "items": list(d.item_ids),
            "score": d.score.model_dump(mode="json") if d.score else None,
            "min_answered": d.min_answered or len(d.items),
            "bands": [b.model_dump(mode="json") for b in d.bands],
            "risk_groups": (
                {k: v for k, v in d.risk_groups.model_dump(mode="json").items() if k != "codes"}
                if d.risk_groups
                else None
            ),
            "mcid": (
                {
                    "points": d.mcid.points,
                    "percent": d.mcid.percent,
                    "improve_rule": d.mcid.improve_rule,
                    "rule": d.mcid.note,
                    "citation": cat.citations(d.mcid.sources),
                }
                if d.mcid
                else None
            ),
            "codes": d.codes.model_dump(mode="json", exclude_none=True),
            "licence": {
                "status": d.licence.status,
                "text": d.licence.text,
                "sources": [cat.sources[s].url or cat.sources[s].doi for s in d.licence.sources],
            },
            "notes": list(d.notes),
            "citation": self.citation,
            "scales_version": cat.version,
        }


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
