"""Training runs: the ``stance-train`` Hydra app (``app``), one run (``experiment``) and its run
folder (``status``, ``card``), checking a run reproduces (``reproduce``), studies (``study``)
and the end of a sweep (``sweep_status``)."""


def main() -> None:
    """``stance-train``: start the run's helper (:mod:`stance.train.early`), then import the
    Hydra app, which pulls in every layer, and run it."""
    import sys

    from stance.train.early import start

    start(sys.argv[1:])  # before the libraries: its imports use the core this process leaves idle
    from stance.io.teardown import skip_final_collections
    from stance.train.app import main as app_main

    try:
        app_main()
    finally:
        skip_final_collections()
