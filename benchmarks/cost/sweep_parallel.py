"""Wall time of a 2-job sweep with the joblib launcher against the same jobs one after another.

    python benchmarks/cost/sweep_parallel.py                       # the default experiment
    python benchmarks/cost/sweep_parallel.py experiment=dse_ngrams # longer jobs (about 1 min each)

Both sweeps train the experiment given by the overrides (default: the bundled corpus) with
seeds 1 and 2, into temporary folders, in the same session; the figure is the ratio
sequential / parallel (ideal 2.0 on 2 idle cores). Results go to
benchmarks/cost/results/sweep_parallel.json (sweep_parallel_<overrides>.json with overrides).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stance.io.atomic import write_text

HERE = Path(__file__).resolve().parent


def sweep(launcher: list[str], root: Path, overrides: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "stance.train",
            "-m",
            *launcher,
            *overrides,
            "seed=1,2",
            f"paths.output_root={root}",
            "evaluation.plots=false",
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main() -> None:
    overrides = sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        sequential = sweep([], Path(tmp) / "basic", overrides)
        parallel = sweep(["hydra/launcher=local"], Path(tmp) / "joblib", overrides)
    result = {
        "overrides": overrides,
        "load_average_after": os.getloadavg()[0],
        "cores": os.cpu_count(),
        "sequential_seconds": sequential,
        "joblib_2_jobs_seconds": parallel,
        "speedup": sequential / parallel,
    }
    suffix = "_" + "_".join(o.replace("=", "-").replace("/", "-") for o in overrides)
    out = HERE / "results" / f"sweep_parallel{suffix if overrides else ''}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text(out, json.dumps(result, indent=2) + "\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
