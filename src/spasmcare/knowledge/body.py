"""The body regions and the sexes a person can give: the words the intake, the diary and the
condition language share (a small module, so that the diary does not load the condition language)."""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["REGIONS", "REGION_LABELS", "SEXES", "Region", "Sex"]

Region = Literal[
    "neck", "upper_back", "mid_back", "lower_back", "flank", "buttock", "thigh", "calf"
]
Sex = Literal["female", "male", "other"]
REGIONS: tuple[str, ...] = get_args(Region)

REGION_LABELS: dict[str, str] = {
    "neck": "Neck",
    "upper_back": "Upper back, between the shoulder blades",
    "mid_back": "Middle of the back",
    "lower_back": "Lower back",
    "flank": "Side of the body, below the ribs (flank)",
    "buttock": "Buttock",
    "thigh": "Thigh",
    "calf": "Calf",
}
"""Each body region in the person's words (the interview's and the diary's)."""
assert tuple(REGION_LABELS) == REGIONS
SEXES: tuple[str, ...] = get_args(Sex)
