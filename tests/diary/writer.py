"""A separate process that writes diary entries in a loop, printing each id after its commit.

Used by test_durability.py: ``python writer.py URL PROFILE_ID COUNT [--read-first]``. A COUNT of 0
writes until killed. With ``--read-first`` each write is preceded by a read in its own transaction.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from spasmcare.diary import EpisodeCreate, TreatmentCreate, open_repository


def main() -> int:
    url, profile_id, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    read_first = "--read-first" in sys.argv
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with open_repository(url) as repo:
        i = 0
        while count == 0 or i < count:
            if read_first:
                repo.episodes.list(profile_id, limit=1)
            when = start + timedelta(minutes=i)
            created = repo.episodes.create(
                profile_id,
                EpisodeCreate(
                    started_at=when, regions=["neck"], worst_pain=i % 11, notes=f"entry {i}"
                ),
                [TreatmentCreate(kind="heat", started_at=when, relief=i % 11)],
            )
            sys.stdout.write(f"{created.id}\n")
            sys.stdout.flush()
            i += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
