"""The strict pydantic base model of spasmcare's data, and the id patterns its files share.

The lowest layer with pydantic: the knowledge files, scale definitions, codes and the understand
results all build on :class:`StrictModel` (unknown fields are errors; instances never change).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
RULE_ID_PATTERN = r"^[ESUN][1-9][0-9]*$"
VERSION_PATTERN = r"^[0-9]+\.[0-9]+\.[0-9]+$"


class StrictModel(BaseModel):
    """A frozen pydantic model that rejects unknown fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)
