"""Where the Hydra configs are, and checking command-line overrides before a run starts."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from omegaconf import OmegaConf

from stance.config.field_files import field_dictionaries
from stance.errors import ConfigError

#: The YAML tree in an installed wheel (pyproject's force-include), else in the checkout.
_INSTALLED = Path(__file__).resolve().parent / "tree"
_CHECKOUT = Path(__file__).resolve().parents[2] / "configs"
PRIMARY_CONFIG = "train"


def config_dir() -> Path:
    """The config tree: inside the installed package, else the checkout's ``configs/``."""
    for candidate in (_INSTALLED, _CHECKOUT):
        if (candidate / f"{PRIMARY_CONFIG}.yaml").is_file():
            return candidate
    raise ConfigError("the stance config tree is missing; reinstall stance or run from a checkout.")


def run_id() -> str:
    """A short id unique to this process and call: part of every run folder's name."""
    return f"{os.getpid()}-{secrets.token_hex(3)}"


def register_resolvers() -> None:
    """Register ``${stance_run_id:}`` (cached, so one config resolves it once) and
    ``${stance_field_dictionaries:<data home>}`` (:mod:`stance.config.field_files`)."""
    if not OmegaConf.has_resolver("stance_run_id"):
        OmegaConf.register_new_resolver("stance_run_id", run_id, use_cache=True)
    if not OmegaConf.has_resolver("stance_field_dictionaries"):
        OmegaConf.register_new_resolver("stance_field_dictionaries", field_dictionaries)


def _first_choice(overrides: list[str]) -> list[str]:
    """Turn sweep overrides (``model=a,b``) into their first choice, for a trial compose.

    An override Hydra cannot parse is a ConfigError; a sweep that has no first choice
    (``interval(0, 1)`` for an optimising sweeper) is left to the sweeper.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parser = OverridesParser.create()
    out = []
    for text in overrides:
        try:
            override = parser.parse_override(text)
        except Exception as err:
            raise ConfigError(
                f"cannot parse the override {text!r}: {one_line(err)} "
                "(quote values with spaces or brackets, e.g. 'key=\"a b\"')"
            ) from err
        if not override.is_sweep_override():
            out.append(text)
            continue
        try:
            value = next(iter(override.sweep_string_iterator()))
        except Exception:  # interval()/tag(): sweeper-specific, no first choice
            continue
        out.append(f"{text.split('=', 1)[0]}={value}")
    return out


def compose(
    overrides: list[str], return_hydra_config: bool = False, config_name: str = PRIMARY_CONFIG
):
    """Compose the primary config with `overrides`; any problem becomes one ConfigError line."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    register_resolvers()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(str(config_dir()), version_base="1.3"):
            return hydra_compose(
                config_name,
                overrides=_first_choice(overrides),
                return_hydra_config=return_hydra_config,
            )
    except ConfigError:
        raise
    except Exception as err:
        raise ConfigError(one_line(err)) from err
    finally:
        GlobalHydra.instance().clear()


def one_line(err: BaseException) -> str:
    """A Hydra/OmegaConf error message folded into one line with a hint."""
    parts: list[str] = []
    options: list[str] | None = None
    for raw in str(err).splitlines():
        line = raw.strip()
        if not line or line.startswith(("full_key:", "object_type", "reference_type")):
            continue
        if line.startswith("Config search path"):
            break
        if line.startswith("Available options in"):
            options = []
            parts.append(line.rstrip(":").replace("Available", "available", 1))
        elif options is not None:
            options.append(line)
        else:
            parts.append(line.rstrip("."))
    text = "; ".join(parts) or type(err).__name__
    if options is not None:
        text += ": " + ", ".join(options)
    if "Could not find '" in text:
        group, _, name = text.split("Could not find '", 1)[1].split("'", 1)[0].partition("/")
        text += f" (pick one: {group}=<name>)"
        if group == "data":
            text = f"unknown corpus {name!r}: {text}"
    if "not in struct" in text or "Could not override" in text:
        text += " (check the key's spelling; `stance-train --cfg job` prints every key)"
    return text
