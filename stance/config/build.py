"""The one place config becomes objects: Hydra ``_target_`` with an allow-list."""

from __future__ import annotations

from typing import Any

from hydra.utils import instantiate
from omegaconf import DictConfig, ListConfig, OmegaConf

from stance.errors import ConfigError

ALLOWED_PREFIXES: tuple[str, ...] = ("stance.", "sklearn.")


def targets(node: Any, path: str = "") -> list[tuple[str, str]]:
    """Every ``(config path, _target_)`` inside `node`."""
    found = []
    if isinstance(node, DictConfig | dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            if key == "_target_":
                found.append((path or "<root>", str(value)))
            else:
                found.extend(targets(value, where))
    elif isinstance(node, ListConfig | list):
        for i, value in enumerate(node):
            found.extend(targets(value, f"{path}[{i}]"))
    return found


def build(node: Any, **kwargs: Any) -> Any:
    """Instantiate `node` after checking each ``_target_`` starts with an allowed prefix."""
    if isinstance(node, DictConfig | ListConfig):
        node = OmegaConf.to_container(node, resolve=True)
    for where, target in targets(node):
        if not target.startswith(ALLOWED_PREFIXES):
            raise ConfigError(
                f"config {where}: _target_ {target!r} is not allowed; only classes and functions "
                f"under {', '.join(ALLOWED_PREFIXES)} can be built from config."
            )
    try:
        return instantiate(node, _convert_="all", **kwargs)
    except Exception as err:
        cause = err.__cause__ or err
        raise ConfigError(f"could not build {node.get('_target_', 'object')}: {cause}") from err
