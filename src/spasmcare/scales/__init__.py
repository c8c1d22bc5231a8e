"""Clinical scales: score questionnaires the way the literature does, and judge change.

Pure clinical core: no clock, no settings, no I/O beyond the packaged data file
(``data/scales.yaml``: codes, citations, licences, bands and MCIDs). One module per instrument
(:mod:`~spasmcare.scales.nrs`, :mod:`~.psfs`, :mod:`~.mas`, :mod:`~.odi`, :mod:`~.rmdq`,
:mod:`~.startback`, :mod:`~.ndi`), each with ``score(responses) -> ScaleResult``, registered in
:mod:`~spasmcare.scales.registry`. Copyrighted wording is imported by the user
(:mod:`~spasmcare.scales.questionnaire`); the file store lives outside the core
(:mod:`spasmcare.questionnaires`).
"""

from spasmcare.scales.change import compare
from spasmcare.scales.definitions import Coding, ScaleDef, catalogue
from spasmcare.scales.forms import Form, FormAnswer, FormItem, builtin_form, run_form
from spasmcare.scales.questionnaire import (
    ImportedQuestionnaire,
    check_imported,
    parse_questionnaire,
    to_form,
)
from spasmcare.scales.registry import Scale, get_scale, list_scales, score
from spasmcare.scales.result import Change, ScaleResult, Verdict

__all__ = [
    "Change",
    "Coding",
    "Form",
    "FormAnswer",
    "FormItem",
    "ImportedQuestionnaire",
    "Scale",
    "ScaleDef",
    "ScaleResult",
    "Verdict",
    "builtin_form",
    "catalogue",
    "check_imported",
    "compare",
    "get_scale",
    "list_scales",
    "parse_questionnaire",
    "run_form",
    "score",
    "to_form",
]
