"""Research at scale: aggregating sweeps and reproducing runs."""
