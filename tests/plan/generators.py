"""Random care-plan intakes (seeded): triage's random intakes plus medicines, conditions and context."""

from __future__ import annotations

import random
from typing import Any

from spasmcare.knowledge import KnowledgeBase
from tests.triage.generators import random_intake_data

MEDICINE_NAMES = [
    "ibuprofen",
    "Advil",
    "MOTRIN",
    "naproxen",
    "Aleve",
    "Celebrex",
    "Tylenol",
    "paracetamol",
    "NyQuil",
    "Vicodin",
    "Percocet",
    "Excedrin",
    "warfarin",
    "Eliquis",
    "sertraline",
    "Cymbalta",
    "phenelzine",
    "lisinopril",
    "losartan",
    "furosemide",
    "prednisone",
    "aspirin",
    "tramadol",
    "cyclobenzaprine",
    "Robaxin",
    "metformin",
    "ibuprofin",
    "Advil 200 mg",
    "Tylenol PM",
    # knowledge base 1.1.0: doses, forms and brackets; sedatives; a topical product
    "Eliquis 5 mg",
    "Xarelto (rivaroxaban) 20mg",
    "diazepam 5mg",
    "gabapentin",
    "diclofenac gel",
]
CONTEXT = [
    "worse_with_position",
    "cannot_stand_upright",
    "sitting_a_lot",
    "heavy_exertion",
    "low_fluids",
    "stressed",
]


def random_plan_intake_data(
    rng: random.Random, kb: KnowledgeBase, *, density: float = 0.02
) -> dict[str, Any]:
    """A random intake with the fields the care plan reads; valid for parse_intake()."""
    data = random_intake_data(rng, sorted(kb.findings), density=density)
    for fid in CONTEXT:
        if rng.random() < 0.3:
            data["findings"][fid] = rng.random() < 0.5
    if rng.random() < 0.6:
        data["medicines"] = rng.sample(MEDICINE_NAMES, rng.randint(0, 3))
    if rng.random() < 0.5:
        data["conditions"] = rng.sample(sorted(kb.conditions), rng.randint(0, 2))
    if rng.random() < 0.4:
        data["alcohol_drinks_per_day"] = rng.choice([0, 1, 2, 3, 5, 0.5])
    if rng.random() < 0.3:
        data["weight_kg"] = rng.choice([45, 49.5, 50, 70, 95])
    if data.get("pregnant") is True and rng.random() < 0.6:
        data["pregnancy_weeks"] = rng.randint(1, 42)
    return data
