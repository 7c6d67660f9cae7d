"""A hyperparameter scikit-learn refuses, named by the config key that set it."""

from __future__ import annotations

import re
from typing import Any

from omegaconf import DictConfig, OmegaConf

from stance.errors import ConfigError, first_line

_SKLEARN = re.compile(
    r"The '(?P<name>\w+)' parameter of (?P<owner>\w+) must be (?P<allowed>.+)\. "
    r"Got (?P<got>.+) instead\.?$"
)
#: Config subtrees searched first (``pipeline`` repeats ``model`` and ``features``).
_FIRST = ("model", "features")


def _paths(node: Any, name: str, path: str = "") -> list[tuple[str, Any]]:
    """``(dotted key, value)`` of every key called `name` below `node`."""
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            if key == name:
                found.append((where, value))
            found += _paths(value, name, where)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, name, f"{path}[{i}]")
    return found


def config_key(cfg: DictConfig | dict, name: str, value_repr: str | None = None) -> str | None:
    """The config key that sets parameter `name` (the one whose value prints as `value_repr`
    when several do), searching ``model`` and ``features`` first."""
    tree = OmegaConf.to_container(cfg, resolve=True) if isinstance(cfg, DictConfig) else cfg
    tree = {k: v for k, v in tree.items() if k != "hydra"}
    ordered = [k for k in _FIRST if k in tree] + [k for k in tree if k not in _FIRST]
    found = [hit for key in ordered for hit in _paths({key: tree[key]}, name)]
    matching = [key for key, value in found if value_repr is not None and repr(value) == value_repr]
    return (matching or [key for key, _ in found] or [None])[0]


def refused_parameter(err: Exception) -> bool:
    """True for scikit-learn's parameter check (``InvalidParameterError``, private API, so it
    is recognised by its message)."""
    return _SKLEARN.match(first_line(err)) is not None


def invalid_parameter(err: Exception, cfg: DictConfig | dict) -> ConfigError:
    """One line for scikit-learn's ``InvalidParameterError``: the config key, its value and
    what is allowed."""
    match = _SKLEARN.match(first_line(err))
    if match is None:
        return ConfigError(f"invalid hyperparameter: {first_line(err)}")
    name, owner, allowed, got = match.group("name", "owner", "allowed", "got")
    key = config_key(cfg, name, got) or f"{owner}.{name}"
    return ConfigError(f"config {key}={got}: {owner}'s {name} must be {allowed}.")
