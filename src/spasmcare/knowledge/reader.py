"""Reading the YAML files of a knowledge-base folder, collecting every problem with file and path."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from spasmcare.errors import Problem, problems_from_validation

M = TypeVar("M", bound=BaseModel)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: much faster


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
            self._parsed[name] = yaml.load(entry.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
        except yaml.YAMLError as exc:
            self.problems.append(Problem(name, f"not valid YAML: {exc}"))
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
