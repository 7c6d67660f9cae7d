"""``python -m stance.train`` = ``stance-train``."""

from stance.train.app import main

main()
