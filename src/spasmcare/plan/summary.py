"""The first screen of a care plan: the signs that mean "get help now" and the first things to do.

A frightened person reads one phone screen. :func:`first_screen` picks, from a built
:class:`~spasmcare.plan.CarePlan`, a short list of the plan's emergency signs (in the knowledge
base's order, which puts the most serious first) and at most three things to do now: heat or cold
(with its timer), keep moving, and a painkiller that passed every safety check for this person, or
"ask a pharmacist" when the checks could not be made or none passed. The web pages and the terminal
show the same summary.
"""

from __future__ import annotations

from spasmcare.knowledge.base import ResultModel
from spasmcare.plan.model import CarePlan, HelpSign, MedicineAdvice

HELP_NOW_SIGNS = 4
"""How many "get help now" signs the first screen lists (the full list follows further down)."""
FIRST_THINGS = 3
HOME_CARE = frozenset({"self_care", "soon"})
_COMFORT_STEPS = ("heat", "cold")
_MOVING_STEPS = ("keep_moving",)


class FirstThing(ResultModel):
    """One of the first things to do: a plan step or a medicine, in a few words."""

    id: str
    title: str
    text: str
    timer: str | None = None
    """The timer that goes with it (``heat`` or ``cold``), if any."""
    medicine: str | None = None
    """The medicine id, for the painkiller line."""


class FirstScreen(ResultModel):
    """What the first screen of a self-care (or "see a doctor soon") result shows."""

    help_now: tuple[HelpSign, ...]
    things: tuple[FirstThing, ...]


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (up to and including its full stop)."""
    for end in (". ", ".\n"):
        cut = text.find(end)
        if cut > 0:
            return text[: cut + 1]
    return text


def safe_painkiller(plan: CarePlan) -> MedicineAdvice | None:
    """The first over-the-counter medicine the plan recommends that passed every safety check
    (verdict ``ok``; never one with a caution or one advised against for spasms)."""
    for medicine in plan.medicines:
        if medicine.kind == "otc" and medicine.verdict == "ok" and medicine.recommended:
            return medicine
    return None


def first_screen(plan: CarePlan, *, medicines_checked: bool) -> FirstScreen:
    """The first screen of ``plan``.

    ``medicines_checked`` says whether the person's medicines and health problems were asked (the
    care plan's questions); without them no painkiller is called safe: the line says to ask a
    pharmacist.
    """
    help_now: tuple[HelpSign, ...] = ()
    if plan.disposition.value != "emergency":  # an emergency result already says: call now
        signs = [h for h in plan.when_to_get_help if h.level == "emergency"]
        help_now = tuple(signs[:HELP_NOW_SIGNS])
    if plan.disposition.value not in HOME_CARE or not plan.complete:
        # Not home care, or home care not yet safe to conclude (questions remain): no "do these".
        return FirstScreen(help_now=help_now, things=())
    things: list[FirstThing] = []
    comfort = next((plan.step(s) for s in _COMFORT_STEPS if plan.step(s) is not None), None)
    if comfort is not None:
        things.append(
            FirstThing(
                id=comfort.id,
                title=comfort.title,
                text=first_sentence(comfort.how),
                timer=comfort.id,
            )
        )
    moving = next((plan.step(s) for s in _MOVING_STEPS if plan.step(s) is not None), None)
    if moving is not None:
        things.append(FirstThing(id=moving.id, title=moving.title, text=first_sentence(moving.how)))
    medicine = safe_painkiller(plan) if medicines_checked else None
    if medicine is not None:
        dose = first_sentence(medicine.dose) if medicine.dose else "Follow the label."
        things.append(
            FirstThing(
                id="painkiller",
                title=f"If you need a painkiller: {medicine.name}",
                text=f"It passed every safety check for you. {dose}",
                medicine=medicine.id,
            )
        )
    else:
        things.append(
            FirstThing(
                id="painkiller",
                title="Ask a pharmacist which painkiller is safe for you",
                text="Tell them your medicines and health problems."
                if not medicines_checked
                else "Our checks did not find a painkiller you can buy that is safe for you.",
            )
        )
    return FirstScreen(help_now=help_now, things=tuple(things[:FIRST_THINGS]))


__all__ = [
    "FIRST_THINGS",
    "HELP_NOW_SIGNS",
    "FirstScreen",
    "FirstThing",
    "first_screen",
    "first_sentence",
    "safe_painkiller",
]
