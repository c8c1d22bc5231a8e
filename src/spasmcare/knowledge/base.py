"""The strict pydantic base model of spasmcare's data, and the id patterns its files share.

The lowest layer with pydantic: the knowledge files, scale definitions, codes and the understand
results all build on :class:`StrictModel` (unknown fields are errors; instances never change), and
the core's results (triage, plan, scales, diary statistics) on :class:`ResultModel`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
RULE_ID_PATTERN = r"^[ESUN][1-9][0-9]*$"
VERSION_PATTERN = r"^[0-9]+\.[0-9]+\.[0-9]+$"


class StrictModel(BaseModel):
    """A frozen pydantic model that rejects unknown fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ResultModel(StrictModel):
    """A core result: strict and frozen, and serialised as is by the API (``response_model``) and by
    the command line's ``--json`` (``model_dump(mode="json")``); its JSON schema marks fields with
    defaults as always present, because they always are in the output."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)
