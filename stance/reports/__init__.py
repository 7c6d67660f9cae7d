"""Pictures and tables of results: a run's plots (``run_plots``) and the table over the runs of
a sweep (``sweep_table``)."""
