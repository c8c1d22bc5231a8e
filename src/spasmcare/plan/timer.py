"""Heat, cold and stretch timers: the on/off phases, checked against the limits in care.yaml.

The core only plans the phases; the CLI runs them with a clock it is given, so tests run a
20-minute timer in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from spasmcare.errors import InputError, Problem
from spasmcare.knowledge.care import Timer
from spasmcare.knowledge.schema import KnowledgeBase


@dataclass(frozen=True, slots=True)
class Phase:
    """One stretch of time: ``on`` (pack on, or hold the stretch) or ``off`` (rest, skin check)."""

    kind: str
    minutes: float
    cycle: int
    text: str


def timer_for(kb: KnowledgeBase, mode: str) -> Timer:
    """The timer settings for ``heat``, ``cold`` or ``stretch``."""
    timer = kb.care.timers.get(mode)
    if timer is None:
        allowed = ", ".join(kb.care.timers)
        raise InputError(
            f"unknown timer {mode!r}", [Problem("mode", f"{mode!r} is not a timer", allowed)]
        )
    return timer


def timer_phases(
    kb: KnowledgeBase,
    mode: str,
    *,
    minutes: float | None = None,
    off_minutes: float | None = None,
    cycles: int | None = None,
) -> tuple[Phase, ...]:
    """The phases of a timer: on, off, on, ... ending with the last on-phase.

    Raises :class:`InputError` naming each option outside its limits (for heat and cold, at most
    30 minutes on and at least 20 off, so the skin gets its rest).
    """
    timer = timer_for(kb, mode)
    on = timer.on_minutes if minutes is None else minutes
    off = timer.off_minutes if off_minutes is None else off_minutes
    count = timer.cycles if cycles is None else cycles
    problems: list[Problem] = []
    if not 0 < on <= timer.max_on_minutes:
        problems.append(
            Problem(
                "--minutes",
                f"{on:g} is out of range",
                f"more than 0, up to {timer.max_on_minutes:g}",
            )
        )
    if not timer.min_off_minutes <= off <= 120:
        problems.append(
            Problem(
                "--off-minutes", f"{off:g} is out of range", f"{timer.min_off_minutes:g} to 120"
            )
        )
    if not 1 <= count <= timer.max_cycles:
        problems.append(Problem("--cycles", f"{count} is out of range", f"1 to {timer.max_cycles}"))
    if problems:
        raise InputError(
            f"the {timer.title.lower()} timer settings are not safe or not valid", problems
        )
    phases: list[Phase] = []
    for cycle in range(1, count + 1):
        phases.append(Phase("on", on, cycle, timer.on_text))
        if cycle < count and off > 0:
            phases.append(Phase("off", off, cycle, timer.off_text))
    return tuple(phases)
