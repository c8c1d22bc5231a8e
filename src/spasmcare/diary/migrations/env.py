"""Alembic environment: runs the migrations on the connection spasmcare hands over.

Run from :func:`spasmcare.diary.db.upgrade` (which passes a connection), or with the ``alembic``
command and ``-x url=...`` / ``sqlalchemy.url`` for development.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from spasmcare.diary.tables import metadata

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    given = config.attributes.get("connection")
    if given is not None:
        run(given)
        return
    from spasmcare.diary.db import create_engine_for, write_engine

    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("give the database: alembic -x url=sqlite:///diary.sqlite3 upgrade head")
    engine = create_engine_for(url)
    try:
        with write_engine(engine).connect() as connection:
            run(connection)
            connection.commit()
    finally:
        engine.dispose()


main()
