"""Which diary profile a command works on (shared by the diary, triage and report commands)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spasmcare.diary import DiaryRepository


def choose_profile(repo: DiaryRepository, given: int | None, *, create: bool = False) -> int:
    """The profile given, or the only one; a new "me" profile when the diary is empty and
    ``create`` (writing, and reading commands such as stats and export, which then answer with
    zero counts or an empty export instead of an error)."""
    from spasmcare.diary import ProfileCreate
    from spasmcare.errors import InputError, NotFoundError, Problem

    if given is not None:
        return repo.profiles.get(given).id
    page = repo.profiles.list(limit=20)
    if page.total == 1:
        return page.items[0].id
    if page.total == 0:
        if create:
            return repo.profiles.create(ProfileCreate()).id
        raise NotFoundError(
            "the diary is empty", [Problem("profile", "no entries yet", "log an episode first")]
        )
    ids = ", ".join(f"{p.id} ({p.name})" for p in page.items)
    raise InputError(
        "the diary has more than one profile", [Problem("--profile", "is required", ids)]
    )
