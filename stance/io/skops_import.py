"""Importing ``skops.io`` without walking into packages scikit-learn skips anyway.

At import, ``skops.io`` lists scikit-learn's estimators (its default trusted types) with
``sklearn.utils.all_estimators()``. That function walks sklearn's packages with
``pkgutil.walk_packages``, which imports every package it descends into, including
``sklearn.externals.array_api_compat.torch`` and ``.dask`` (so torch and dask, 2-4 s when they
are installed) and the ``tests`` packages, only for ``all_estimators`` to skip every module in
them. :func:`skops_io` imports ``skops.io`` with a walk that does not descend into the packages
``all_estimators`` skips: the estimator list, and so every trusted-type check, is the same
(``tests/unit/test_model_files.py`` compares them), and the import costs about 1 s instead of
3-5 s on this project's machines.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Iterator
from types import ModuleType, SimpleNamespace


def skops_io() -> ModuleType:
    """``skops.io``, imported (once per process) without the detour through optional backends."""
    if "skops.io" in sys.modules:
        return sys.modules["skops.io"]
    try:
        from sklearn.utils import discovery

        skipped = frozenset(discovery._MODULE_TO_IGNORE)
        walker = discovery.pkgutil
    except (ImportError, AttributeError):  # another scikit-learn layout: import as it is
        return importlib.import_module("skops.io")
    if walker is not pkgutil:  # someone else's patch is in place: leave it alone
        return importlib.import_module("skops.io")
    discovery.pkgutil = SimpleNamespace(walk_packages=_pruned_walk(skipped))
    try:
        return importlib.import_module("skops.io")
    finally:
        discovery.pkgutil = walker


def _pruned_walk(skipped: frozenset[str]):
    """``pkgutil.walk_packages`` that neither yields nor imports what ``all_estimators`` skips:
    any name with a part in `skipped` or a private part (``._``)."""

    def walk(path=None, prefix: str = "", onerror=None) -> Iterator[pkgutil.ModuleInfo]:
        for info in pkgutil.iter_modules(path, prefix):
            if "._" in info.name or skipped.intersection(info.name.split(".")):
                continue
            yield info
            if info.ispkg:
                try:
                    package = importlib.import_module(info.name)
                except ImportError:  # as walk_packages does: an optional package is absent
                    if onerror is not None:
                        onerror(info.name)
                    continue
                yield from walk(getattr(package, "__path__", None) or [], f"{info.name}.", onerror)

    return walk
