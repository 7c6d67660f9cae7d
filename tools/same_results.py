"""Fingerprint every experiment's metrics and predictions, and compare two fingerprints.

A refactor or a speed-up must not move any result. Run this before and after (same seed):

    python tools/same_results.py run --output before.json            # every experiment
    python tools/same_results.py run --output after.json --only actor_pairs semeval2016_stance
    python tools/same_results.py compare before.json after.json      # exit 1 on any difference

`run` trains each experiment with ``stance-train experiment=NAME seed=SEED`` in a fresh process
(into a temporary folder), then records the SHA-256 of ``metrics.json`` without its ``timing``
block, the SHA-256 of every ``predictions/*.csv`` and the primary metric per split. Encoder
experiments take minutes each (about 1.5 hours for all of them on 2 cores); ``--skip-encoders``
leaves out those whose config names a fine-tuned encoder or sentence embeddings.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPERIMENTS = ROOT / "configs" / "experiment"
SLOW_MARKERS = ("fine_tuned_encoder", "FineTunedEncoder", "embeddings", "Embedding", "_best")


def experiments(only: list[str] | None, skip_encoders: bool) -> list[str]:
    """Experiment names to run, in a fixed order."""
    # data=local experiments train on a user's files: nothing to fingerprint here
    names = sorted(
        p.stem
        for p in EXPERIMENTS.glob("*.yaml")
        if "override /data: local" not in p.read_text(encoding="utf-8")
    )
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            sys.exit(f"same_results: unknown experiment(s) {unknown}; pick from {names}")
        names = [n for n in names if n in only]
    if skip_encoders:
        names = [n for n in names if not _slow(n)]
    return names


def _slow(name: str) -> bool:
    """An experiment that trains an encoder or embeds text, itself or through the experiments
    its defaults list (dse_best is dse_blend's embeddings)."""
    text = (EXPERIMENTS / f"{name}.yaml").read_text(encoding="utf-8")
    parents = [
        line.strip()[2:].strip()
        for line in text.splitlines()
        if line.strip().startswith("- ")
        and (EXPERIMENTS / f"{line.strip()[2:].strip()}.yaml").is_file()
    ]
    return (
        any(marker in text for marker in SLOW_MARKERS)
        or name in {"dse", "seesaw_best"}
        or any(_slow(parent) for parent in parents if parent != name)
    )


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(run_dir: Path) -> dict:
    """What must not change between two runs of one experiment with one seed."""
    metrics = json.loads((run_dir / "metrics.json").read_text(encoding="utf-8"))
    metrics.pop("timing", None)
    stable = json.dumps(metrics, sort_keys=True).encode()
    predictions = {
        p.name: _sha(p.read_bytes()) for p in sorted((run_dir / "predictions").glob("*.csv"))
    }
    primary = {
        split: body.get("primary", {}).get("value")
        for split, body in metrics.get("splits", {}).items()
    }
    return {"metrics": _sha(stable), "predictions": predictions, "primary": primary}


def run(args: argparse.Namespace) -> int:
    names = experiments(args.only, args.skip_encoders)
    out = Path(args.output)
    results = json.loads(out.read_text(encoding="utf-8")) if args.append and out.is_file() else {}
    for name in names:
        if name in results and args.append:
            continue
        with tempfile.TemporaryDirectory(prefix=f"same_{name}_") as tmp:
            command = [
                sys.executable,
                "-m",
                "stance.train",
                f"experiment={name}",
                f"seed={args.seed}",
                f"hydra.run.dir={tmp}/run",
                "evaluation.plots=false",
            ]
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
            seconds = round(time.perf_counter() - started, 1)
            if done.returncode != 0:
                last = (done.stderr.strip().splitlines() or ["?"])[-1]
                results[name] = {"error": last}
                print(f"{name}: FAILED ({last})", flush=True)
            else:
                results[name] = fingerprint(Path(tmp) / "run")
                print(f"{name}: {results[name]['primary']} ({seconds} s)", flush=True)
        tmp_out = out.with_suffix(out.suffix + ".tmp")
        tmp_out.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp_out, out)
    return 0


def compare(args: argparse.Namespace) -> int:
    before = json.loads(Path(args.before).read_text(encoding="utf-8"))
    after = json.loads(Path(args.after).read_text(encoding="utf-8"))
    common = sorted(set(before) & set(after))
    differ = 0
    for name in common:
        same = before[name] == after[name]
        differ += not same
        status = "identical" if same else "DIFFERENT"
        print(f"{status:10} {name}  {after[name].get('primary', after[name].get('error'))}")
        if not same and "predictions" in before[name] and "predictions" in after[name]:
            for split, sha in before[name]["predictions"].items():
                if after[name]["predictions"].get(split) != sha:
                    print(f"           predictions/{split} differ")
    for name in sorted(set(before) ^ set(after)):
        print(f"{'only in':10} {name} ({'before' if name in before else 'after'})")
    print(f"{len(common) - differ} of {len(common)} experiments identical")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="train experiments and write their fingerprints")
    r.add_argument("--output", required=True)
    r.add_argument("--only", nargs="*")
    r.add_argument("--skip-encoders", action="store_true")
    r.add_argument("--seed", type=int, default=42)
    r.add_argument("--append", action="store_true", help="keep finished ones in --output")
    c = sub.add_parser("compare", help="compare two fingerprint files")
    c.add_argument("before")
    c.add_argument("after")
    args = parser.parse_args(argv)
    return run(args) if args.command == "run" else compare(args)


if __name__ == "__main__":
    sys.exit(main())
