"""``python -m stance.train`` = ``stance-train``."""

from stance.train import main

main()
