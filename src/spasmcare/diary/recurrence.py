"""The recurrence rule: whether the diary shows spasms that keep coming back (it feeds the triage
finding ``recurrent``). Pure functions of episode times and ``now``, with no database and no
pydantic model of the diary, so that ``spasmcare triage`` can apply it to what it reads quickly.

Spasms "keep coming back" when at least :data:`RECUR_YEAR_COUNT` separate episodes started in the
last 365 days, or at least :data:`RECUR_QUARTER_COUNT` in the last 90 days. One return within a year
is common after acute low back pain (24-33%, Stanton 2008; up to 69%, da Silva 2019), so a single
recurrence alone does not fire the rule; a second within the year, or a quick return within three
months, does. Entries that start before an earlier one ended, or within :data:`SAME_EPISODE_DAYS`
days of its start, count as one episode.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol, TypeVar

from spasmcare.knowledge.base import ResultModel

if TYPE_CHECKING:
    from spasmcare.diary.repository import DiaryRepository

__all__ = [
    "LOOKBACK",
    "RECURRENCE_SOURCES",
    "RECUR_QUARTER_COUNT",
    "RECUR_YEAR_COUNT",
    "SAME_EPISODE_DAYS",
    "Recurrence",
    "Span",
    "distinct_episodes",
    "recurrence",
    "recurrence_for",
]

RECUR_YEAR_COUNT = 3
RECUR_QUARTER_COUNT = 2
SAME_EPISODE_DAYS = 7
RECURRENCE_SOURCES = ("stanton-2008", "da-silva-2019")
LOOKBACK = timedelta(days=365 + 60)
"""How far back the rule reads episodes: the year, and a margin for folding an earlier entry."""


class Span(Protocol):
    """What the rule reads of an episode (a stored episode, or a row read without the repository)."""

    @property
    def id(self) -> int: ...

    @property
    def started_at(self) -> datetime: ...

    @property
    def ended_at(self) -> datetime | None: ...


S = TypeVar("S", bound=Span)


def distinct_episodes(episodes: Iterable[S]) -> list[S]:
    """The first entry of each separate episode: later entries that start before the previous one
    ended, or within :data:`SAME_EPISODE_DAYS` days of its start, are folded into it."""
    result: list[S] = []
    reach: datetime | None = None
    for e in sorted(episodes, key=lambda x: (x.started_at, x.id)):
        if reach is not None and e.started_at < reach:
            reach = max(reach, e.ended_at or e.started_at)
            continue
        result.append(e)
        reach = max(e.ended_at or e.started_at, e.started_at + timedelta(days=SAME_EPISODE_DAYS))
    return result


class Recurrence(ResultModel):
    """Whether the diary shows spasms that keep coming back (triage finding ``recurrent``)."""

    fires: bool
    episodes_last_90_days: int
    episodes_last_365_days: int
    reason: str
    rule: str = (
        f"{RECUR_YEAR_COUNT} or more separate episodes started in the last 365 days, "
        f"or {RECUR_QUARTER_COUNT} or more in the last 90 days"
    )
    finding: str = "recurrent"
    sources: tuple[str, ...] = RECURRENCE_SOURCES


def recurrence(episodes: Iterable[Span], now: datetime) -> Recurrence:
    """Apply the recurrence rule (see the module docstring) to a person's episodes at ``now``."""
    separate = [e for e in distinct_episodes(episodes) if e.started_at <= now]
    year = sum(1 for e in separate if e.started_at >= now - timedelta(days=365))
    quarter = sum(1 for e in separate if e.started_at >= now - timedelta(days=90))
    if year >= RECUR_YEAR_COUNT:
        reason = f"{year} separate episodes started in the last 12 months"
    elif quarter >= RECUR_QUARTER_COUNT:
        reason = f"{quarter} separate episodes started in the last 3 months"
    else:
        reason = (
            f"{year} episode(s) in the last 12 months and {quarter} in the last 3 months: "
            "not enough to call it recurrent"
        )
    fires = year >= RECUR_YEAR_COUNT or quarter >= RECUR_QUARTER_COUNT
    return Recurrence(
        fires=fires,
        episodes_last_90_days=quarter,
        episodes_last_365_days=year,
        reason=reason,
    )


def recurrence_for(repo: DiaryRepository, profile_id: int, now: datetime) -> Recurrence:
    """The recurrence rule for a stored profile (reads the last 365 days plus folding margin)."""
    since = now - LOOKBACK
    page_size = 1000
    episodes: list[Span] = []
    offset = 0
    while True:
        page = repo.episodes.list(profile_id, since=since, limit=page_size, offset=offset)
        episodes.extend(page.items)
        offset += page_size
        if offset >= page.total:
            break
    return recurrence(episodes, now)
