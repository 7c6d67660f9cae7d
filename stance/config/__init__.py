"""Config in, objects out: compose the Hydra tree (``compose``), build ``_target_`` nodes
(``build``, allow-listed)."""
