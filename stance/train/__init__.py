"""Training runs: the ``stance-train`` Hydra app (``app``), one run (``experiment``) and its run
folder (``status``, ``card``), checking a run reproduces (``reproduce``), studies (``study``)
and the end of a sweep (``sweep_status``)."""
