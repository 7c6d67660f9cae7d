"""Wall time of one training run at two commits, interleaved (what one change bought).

    python benchmarks/cost/compare_commits.py a58099e 7b311b9                 # semeval, 5 pairs
    python benchmarks/cost/compare_commits.py 4678aff 39d878c --pairs 7 experiment=actor_pairs

Each commit is checked out into a temporary git worktree, its bytecode compiled as pip would;
`python -m stance.train` runs there (so it imports that commit's package) with the given
overrides (default ``experiment=semeval2016_stance``) into a temporary run folder, alternating
before, after, after, before, ... Prints every time and the medians; the ratio is after /
before. Needs STANCE_DATA_HOME for the external corpora.
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(tree: Path, run_dir: Path, overrides: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "stance.train", f"hydra.run.dir={run_dir}", *overrides],
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
    args = parser.parse_args(argv)
    seconds: dict[str, list[float]] = {args.before: [], args.after: []}
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
                    s = _run(trees[rev], Path(tmp) / f"run_{next(runs)}", args.overrides)
                    seconds[rev].append(s)
                    print(f"  {rev}: {s:.2f} s", flush=True)
        finally:
            for tree in trees.values():
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                    capture_output=True,
                )
    before, after = (statistics.median(seconds[r]) for r in (args.before, args.after))
    print(
        f"{' '.join(args.overrides)}: {args.before} {before:.2f} s, {args.after} {after:.2f} s "
        f"(medians of {args.pairs}); after / before = {after / before:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
