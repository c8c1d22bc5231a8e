"""Reading spasmcare's YAML files: one parser for every data file, and a reader for the files of a
knowledge-base folder that collects every problem with file and path.

Parsing YAML is most of what loading a knowledge base costs (about 40 ms of a command's start, and
10 more to import PyYAML), so :func:`parse_yaml` can keep what it parsed in a cache folder, like
Python keeps compiled modules in ``__pycache__``. The cache holds only the parsed data, never
validated objects: every load still checks the content in full. An entry is named by the SHA-256 of
the file's exact bytes, the installed PyYAML (its location, size and time, read without importing
it) and Python's version, so a changed file, parser or Python never meets an old entry; an entry is
written only when its JSON reads back equal to the parse; an entry that cannot be read is ignored
(and written again). Nothing is cached unless the application names a folder
(:func:`use_parse_cache`; the command line does, from ``SPASMCARE_CACHE_DIR``).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import sys
import tempfile
from collections.abc import Callable
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from spasmcare.errors import KnowledgeError, Problem, problems_from_validation

M = TypeVar("M", bound=BaseModel)
_cache_dir: Path | None = None


def use_parse_cache(folder: Path | None) -> None:
    """Keep parsed YAML in ``folder`` from now on in this process (None: parse every time)."""
    global _cache_dir
    _cache_dir = folder


def parse_yaml(data: bytes) -> Any:
    """The parsed YAML of a file's bytes (UTF-8), from the parse cache when one is set; raises
    :class:`KnowledgeError` for bytes that are not UTF-8 or not YAML, saying which."""
    folder = _cache_dir
    if folder is None:
        return _parse(data)
    entry = folder / "yaml" / f"{hashlib.sha256(_parser_id() + data).hexdigest()}.json"
    try:
        return json.loads(entry.read_bytes())
    except (OSError, ValueError):
        pass  # not cached yet, or unreadable: parse again
    parsed = _parse(data)
    _store(entry, parsed)
    return parsed


def _parse(data: bytes) -> Any:
    import yaml  # imported only to parse: a warm cache never needs it

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KnowledgeError(f"not UTF-8 text: {exc}") from exc
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"not valid YAML: {exc}") from exc


@functools.cache
def _parser_id() -> bytes:
    """What the cache entries depend on besides the file: the installed PyYAML package (found, not
    imported) and Python's version."""
    spec = importlib.util.find_spec("yaml")
    origin = spec.origin if spec is not None and spec.origin else "no yaml"
    folder = Path(origin).parent
    try:
        parts = [f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in folder.iterdir()]
    except OSError:
        parts = []
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return f"spasmcare-parse 1 py{version} {folder} {sorted(parts)}\0".encode()


def _store(entry: Path, parsed: Any) -> None:
    """Write a cache entry atomically (owner-only), if its JSON reads back equal to the parse."""
    try:
        text = json.dumps(parsed, ensure_ascii=False, allow_nan=False)
        if json.loads(text) != parsed:  # e.g. number keys or dates: not cached
            return
        entry.parent.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # the cache folder
        entry.parent.mkdir(exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, entry)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, TypeError, ValueError):
        return  # a cache that cannot be written is no cache: parsing still works


class Reader:
    """Reads YAML files of one version and collects problems with file and path."""

    def __init__(self, root: Traversable) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self._parsed: dict[str, Any] = {}

    def raw(self, name: str, *, required: bool = True) -> Any:
        """A file's parsed YAML (read once, so a broken file shared by two readers is reported once)."""
        entry = self.root.joinpath(name)
        if not entry.is_file():
            if required:
                self.problems.append(Problem(name, "file is missing"))
            return None
        if name in self._parsed:
            return self._parsed[name]
        self._parsed[name] = None
        try:
            self._parsed[name] = parse_yaml(entry.read_bytes())
        except KnowledgeError as exc:
            self.problems.append(Problem(name, exc.summary))
        return self._parsed[name]

    def model(self, model: type[M], data: Any, where: str, context: object = None) -> M | None:
        try:
            return model.model_validate(data, context=context)
        except ValidationError as exc:
            self.problems.extend(problems_from_validation(exc, model, where))
            return None

    def models(self, model: type[M], name: str, key: str, context: object = None) -> list[M]:
        """The items of a file's list ``key``; ``context`` is the pydantic validation context."""
        data = self.raw(name)
        if data is None:
            return []
        items = data.get(key) if isinstance(data, dict) else None
        if not isinstance(items, list):
            self.problems.append(Problem(f"{name}: {key}", "must be a list"))
            return []
        out: list[M] = []
        for i, item in enumerate(items):
            label = item.get("id", i) if isinstance(item, dict) else i
            parsed = self.model(model, item, f"{name}: {key}[{label}]", context)
            if parsed is not None:
                out.append(parsed)
        return out

    def unique(self, items: list[M], name: str, ident: Callable[[M], str]) -> dict[str, M]:
        out: dict[str, M] = {}
        for item in items:
            key = ident(item)
            if key in out:
                self.problems.append(Problem(f"{name}: {key}", "duplicate id"))
            out[key] = item
        return out
