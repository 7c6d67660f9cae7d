"""Training runs: the ``stance-train`` Hydra app (``app``), one run (``experiment``) and its run
folder (``status``, ``card``), checking a run reproduces (``reproduce``), studies (``study``)
and the end of a sweep (``sweep_status``)."""


def __getattr__(name: str):
    """``stance.train.main`` (the ``stance-train`` console script), imported when asked for:
    the Hydra app pulls in every layer, which ``stance.train.status`` users do not need."""
    if name == "main":
        from stance.train.app import main

        return main
    raise AttributeError(f"module 'stance.train' has no attribute {name!r}")
