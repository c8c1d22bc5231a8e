"""Opening the diary database: the URL, the engine, its SQLite settings, and the Alembic migrations.

Nothing is opened at import time. The default database is a SQLite file, ``diary.sqlite3`` in the user
data directory, created readable by its owner only (mode 0600), in WAL mode with foreign keys on and a
busy timeout. Write transactions on SQLite start with ``BEGIN IMMEDIATE``, so two processes writing to
the same file wait for each other instead of failing with "database is locked".

``SPASMCARE_DATABASE_URL`` (``Settings.database_url``) selects any SQLAlchemy URL instead; a plain
``postgresql://`` URL uses psycopg 3.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from spasmcare.config import DIARY_FILE
from spasmcare.diary.revisions import MIGRATIONS, head_revision, revisions
from spasmcare.diary.sqlite_read import BUSY_TIMEOUT_MS
from spasmcare.errors import InputError, Problem, StorageError, require_extra

if TYPE_CHECKING:
    from alembic.config import Config

    from spasmcare.config import Settings

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DEFAULT_FILE",
    "SchemaState",
    "create_engine_for",
    "current_revision",
    "default_url",
    "display_url",
    "head_revision",
    "ready_engine",
    "schema_state",
    "sqlite_path",
    "storage_error",
    "upgrade",
]

DEFAULT_FILE = (
    DIARY_FILE  # one name for the default diary file (config.Settings.diary_exists reads it)
)
WRITE_OPTION = "spasmcare_write"

SchemaState = Literal["empty", "current", "behind", "unknown"]


def default_url(settings: Settings | None = None) -> str:
    """``Settings.database_url`` if set, else the SQLite file in the user data directory."""
    from spasmcare.config import get_settings

    settings = settings or get_settings()
    if settings.database_url:
        return settings.database_url
    path = settings.resolved_data_dir() / DEFAULT_FILE
    return URL.create("sqlite+pysqlite", database=str(path)).render_as_string()


def display_url(url: str | URL) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unreadable database URL>"


def _parse(url: str | URL) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InputError(
            "the database URL cannot be read",
            [
                Problem(
                    "database_url", str(exc), "an SQLAlchemy URL such as sqlite:///diary.sqlite3"
                )
            ],
        ) from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def sqlite_path(url: str | URL) -> Path | None:
    """The file of a SQLite URL (``None`` for other databases and in-memory SQLite)."""
    parsed = _parse(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _create_private_file(path: Path) -> None:
    """Create an empty database file readable and writable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def _sqlite_connect(dbapi_connection: Any, record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def create_engine_for(url: str | URL) -> Engine:
    """An engine for ``url`` with spasmcare's settings; creates a new SQLite file as owner-only."""
    parsed = _parse(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            path = sqlite_path(parsed)
            kwargs: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000}}
            if path is None:
                kwargs = {
                    "connect_args": {"check_same_thread": False},
                    "poolclass": StaticPool,
                }
            else:
                _create_private_file(path)
            engine = create_engine(parsed, hide_parameters=True, **kwargs)
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        if parsed.get_backend_name() == "postgresql":
            require_extra("psycopg", "a PostgreSQL diary")
            from spasmcare.diary.tables import postgresql_options

            postgresql_options()
        return create_engine(parsed, hide_parameters=True, pool_pre_ping=True)
    except (NoSuchModuleError, ArgumentError) as exc:
        raise InputError(
            "this kind of database is not supported",
            [Problem("database_url", str(exc), "sqlite:///FILE or postgresql://USER@HOST/DB")],
        ) from exc
    except OSError as exc:
        raise StorageError(
            f"cannot create the diary file: {exc.strerror}",
            [Problem("database", str(parsed.database))],
        ) from exc


def write_engine(engine: Engine) -> Engine:
    """The same engine, but transactions start as writes (``BEGIN IMMEDIATE`` on SQLite)."""
    return engine.execution_options(**{WRITE_OPTION: True})


def storage_error(exc: SQLAlchemyError, action: str = "use the diary database") -> StorageError:
    """A StorageError naming the database problem, without SQL parameters (they may be health data)."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    return StorageError(f"could not {action}: {first}", [Problem("database", type(orig).__name__)])


# --- migrations -----------------------------------------------------------------------------------
# Alembic is imported only to change the schema (upgrade, downgrade). Every command that opens the
# diary checks the schema version with one plain query against the revision ids in the migration
# files (spasmcare.diary.revisions; a test checks that they name the same head as Alembic).


def _alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _version(conn: Connection) -> str | None:
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (``None``: never migrated)."""
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return _version(conn)
    except SQLAlchemyError as exc:
        raise storage_error(exc, "read the diary database") from exc


def schema_state(engine: Engine) -> SchemaState:
    """Whether the database is empty, up to date, behind, or something unknown (newer or foreign)."""
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            current = _version(conn) if "alembic_version" in tables else None
    except SQLAlchemyError as exc:
        raise storage_error(exc, "open the diary database") from exc
    if current is None:
        return "empty" if not tables & {"profiles", "episodes"} else "unknown"
    if current == head_revision():
        return "current"
    return "behind" if current in revisions() else "unknown"


def upgrade(target: str | URL | Engine, revision: str = "head") -> str | None:
    """Bring the database to ``revision`` (default: the newest) in one transaction; return it."""
    from alembic import command

    engine = target if isinstance(target, Engine) else create_engine_for(target)
    try:
        with write_engine(engine).connect() as conn:
            command.upgrade(_alembic_config(conn), revision)
            conn.commit()
        return current_revision(engine)
    except SQLAlchemyError as exc:
        raise storage_error(exc, "upgrade the diary database") from exc
    finally:
        if not isinstance(target, Engine):
            engine.dispose()


def downgrade(engine: Engine, revision: str) -> None:
    """Step the schema back (for tests and for undoing a failed upgrade)."""
    from alembic import command

    with write_engine(engine).connect() as conn:
        command.downgrade(_alembic_config(conn), revision)
        conn.commit()


def ready_engine(url: str | URL) -> Engine:
    """An engine for ``url`` at the newest schema: a new or empty SQLite file is set up
    automatically; any other database that is not current raises a :class:`StorageError` that says
    what to do (``spasmcare db upgrade``)."""
    engine = create_engine_for(url)
    try:
        state = schema_state(engine)
        if state == "empty" and engine.dialect.name == "sqlite":
            upgrade(engine)
        elif state == "empty":
            raise StorageError(
                f"the diary database {display_url(url)} has no tables yet",
                [Problem("database", "not set up", "run `spasmcare db upgrade` once")],
            )
        elif state == "behind":
            raise StorageError(
                f"the diary database {display_url(url)} needs an upgrade",
                [
                    Problem(
                        "database", "older schema", "back it up, then run `spasmcare db upgrade`"
                    )
                ],
            )
        elif state == "unknown":
            raise StorageError(
                f"the database {display_url(url)} is not a diary this spasmcare knows",
                [
                    Problem(
                        "database", "unknown schema", "a newer spasmcare, or a different database"
                    )
                ],
            )
    except BaseException:
        engine.dispose()
        raise
    return engine
