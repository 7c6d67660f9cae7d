"""Files: written whole or not at all (``atomic``), model files (``model_files``), hashes and
versions (``provenance``), readers (``readers``), table and figure writers (``tables``,
``figures``)."""
