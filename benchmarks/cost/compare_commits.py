"""Wall time of one training (or `stance predict`) run at two commits, interleaved (what one
change bought).

    python benchmarks/cost/compare_commits.py a58099e 7b311b9                 # semeval, 5 pairs
    python benchmarks/cost/compare_commits.py 4678aff 39d878c --pairs 7 experiment=actor_pairs
    python benchmarks/cost/compare_commits.py 7e73410 d7bfb25 --predict RUN rows.csv

Each commit is checked out into a temporary git worktree, its bytecode compiled as pip would;
`python -m stance.train` runs there (so it imports that commit's package) with the given
overrides (default ``experiment=semeval2016_stance``) into a temporary run folder, alternating
before, after, after, before, ... With ``--predict RUN INPUT``, each run is instead
``python -m stance.cli predict --model RUN --input INPUT --quiet`` into a csv, and the two
commits' outputs are compared byte for byte. Prints every time and the medians; the ratio is
after / before. Needs STANCE_DATA_HOME for the external corpora.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _command(run_dir: Path, overrides: list[str], predict: list[str] | None) -> list[str]:
    """Train into `run_dir`; or, with `predict` (model run, input), predict into a csv there."""
    if predict is None:
        return [sys.executable, "-m", "stance.train", f"hydra.run.dir={run_dir}", *overrides]
    model, source = (str(Path(p).resolve()) for p in predict)
    output = str(run_dir.with_suffix(".csv"))
    return [sys.executable, "-m", "stance.cli", "predict", "--model", model, "--input", source,
            "--output", output, "--quiet"]  # fmt: skip


def _run(tree: Path, command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        command,
        cwd=tree,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("overrides", nargs="*", default=["experiment=semeval2016_stance"])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--predict", nargs=2, metavar=("RUN", "INPUT"), help="time predict")
    args = parser.parse_args(argv)
    seconds: dict[str, list[float]] = {args.before: [], args.after: []}
    outputs: dict[str, set[str]] = {args.before: set(), args.after: set()}
    with tempfile.TemporaryDirectory(prefix="stance_commits_") as tmp:
        trees = {}
        for rev in seconds:
            trees[rev] = Path(tmp) / rev
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(trees[rev]), rev],
                check=True,
                capture_output=True,
            )
            compileall.compile_dir(trees[rev] / "stance", quiet=1)
        try:
            runs = iter(range(10**6))
            for i in range(args.pairs):
                order = list(seconds) if i % 2 == 0 else list(seconds)[::-1]
                for rev in order:
                    run_dir = Path(tmp) / f"run_{next(runs)}"
                    command = _command(run_dir, args.overrides, args.predict)
                    s = _run(trees[rev], command)
                    seconds[rev].append(s)
                    print(f"  {rev}: {s:.2f} s", flush=True)
                    if args.predict:
                        written = run_dir.with_suffix(".csv")
                        outputs[rev].add(hashlib.sha256(written.read_bytes()).hexdigest())
                        written.unlink()
        finally:
            for tree in trees.values():
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                    capture_output=True,
                )
    before, after = (statistics.median(seconds[r]) for r in (args.before, args.after))
    what = f"predict {' '.join(args.predict)}" if args.predict else " ".join(args.overrides)
    print(
        f"{what}: {args.before} {before:.2f} s, {args.after} {after:.2f} s "
        f"(medians of {args.pairs}); after / before = {after / before:.3f}"
    )
    if args.predict:
        same = len(outputs[args.before] | outputs[args.after]) == 1
        print(f"outputs byte for byte the same at both commits: {'yes' if same else 'NO'}")
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
