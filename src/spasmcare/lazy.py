"""Names a package re-exports, imported on first use (PEP 562), so that importing one small module
of a package (or ``spasmcare`` itself, for the command line) does not load the whole package."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """The package's ``__getattr__``: ``exports`` maps each public name to the module that defines
    it (absolute, or relative to ``package`` when it starts with a dot); a name is imported once and
    then kept in the package's ``namespace``."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value
        return value

    return __getattr__


__all__ = ["lazy_exports"]
