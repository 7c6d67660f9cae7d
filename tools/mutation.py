"""Mutation testing of the core modules with mutmut, and the score per module (issue 27).

    python tools/mutation.py                  # fresh run on 2 workers, then the table
    python tools/mutation.py --jobs 1         # one worker
    python tools/mutation.py --report         # only the table of the last run (mutants/)
    python tools/mutation.py --survivors      # also every mutant not killed, as a diff

The modules and the tests that run against them are ``[tool.mutmut]`` in pyproject.toml;
mutmut copies the package into ``mutants/`` and runs, for each mutant, only the tests that
call the mutated function (fastest first, stopping at the first failure). The score is killed
mutants over all mutants run: a survivor, a timeout and a mutant no test reaches all count
against it. The equivalent survivors and why each changes no behaviour are listed in
benchmarks/README.md ("Mutation testing").
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
#: mutmut's exit codes of a mutant run (mutmut.stats.status_by_exit_code), grouped.
KILLED = {1, 3}
SURVIVED = {0}
NO_TESTS = {5, 33}
TIMEOUT = {24, -24, 36, 152, 255}


def run(jobs: int) -> dict[str, float | str]:
    """A fresh ``mutmut run`` (the old ``mutants/`` removed); wall time, CPU time and load."""
    shutil.rmtree(MUTANTS, ignore_errors=True)
    load_before = os.getloadavg()
    start = time.perf_counter()
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs)]
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"mutation: mutmut run failed (exit {done.returncode}); rerun it by hand")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "load_before": " / ".join(f"{x:.1f}" for x in load_before),
        "load_after": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def results() -> dict[str, dict[str, int]]:
    """Exit code of every mutant, by module: ``{module: {mutant: code}}``."""
    found = {}
    for meta in sorted(MUTANTS.rglob("*.py.meta")):
        module = meta.relative_to(MUTANTS).as_posix().removesuffix(".meta")
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if codes:
            found[module] = codes
    if not found:
        sys.exit("mutation: no results under mutants/; run `python tools/mutation.py` first")
    return found


def kind(code: int | None) -> str:
    """killed, survived, timeout, no tests or not run."""
    if code in KILLED:
        return "killed"
    if code in SURVIVED:
        return "survived"
    if code in NO_TESTS:
        return "no tests"
    if code in TIMEOUT:
        return "timeout"
    return "not run" if code is None else "survived"  # suspicious, segfault: not killed


def table(found: dict[str, dict[str, int]]) -> str:
    """The markdown table: mutants run, killed, survived, timeouts, no tests, score."""
    lines = [
        "| module | mutants run | killed | survived | timeout | no tests | score |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    total: Counter[str] = Counter()
    for module, codes in found.items():
        counts = Counter(kind(code) for code in codes.values())
        total.update(counts)
        lines.append(_row(f"`{module}`", counts))
    lines.append(_row("**all**", total))
    return "\n".join(lines)


def _row(name: str, counts: Counter[str]) -> str:
    ran = sum(counts.values()) - counts["not run"]
    score = 100 * counts["killed"] / ran if ran else 0.0
    cells = [ran, counts["killed"], counts["survived"], counts["timeout"], counts["no tests"]]
    return f"| {name} | " + " | ".join(map(str, cells)) + f" | {score:.1f}% |"


def survivors(found: dict[str, dict[str, int]]) -> str:
    """Every mutant not killed, with the lines it changes (read from ``mutants/``)."""
    out = []
    for module, codes in found.items():
        left = {name: code for name, code in codes.items() if kind(code) != "killed"}
        if not left:
            continue
        functions = _functions(MUTANTS / module)
        for name, code in left.items():
            short = name.rsplit(".", 1)[1]
            original = re.sub(r"__mutmut_\d+$", "__mutmut_orig", short)
            before = functions.get(original, "").replace(original, "f").splitlines()
            after = functions.get(short, "").replace(short, "f").splitlines()
            diff = [
                line.strip()
                for line in difflib.unified_diff(before, after, lineterm="", n=0)
                if line[:1] in "+-" and line[:3] not in ("+++", "---")
            ]
            out.append(f"{kind(code)}: {name}\n" + "\n".join(f"    {d}" for d in diff))
    return "\n".join(out)


def _functions(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    return {
        node.name: "\n".join(lines[node.lineno - 1 : node.end_lineno])
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once (default 2)")
    parser.add_argument("--report", action="store_true", help="only report the last run")
    parser.add_argument("--survivors", action="store_true", help="list every mutant not killed")
    args = parser.parse_args(argv)
    timing = None if args.report else run(args.jobs)
    found = results()
    print(table(found))
    if timing:
        print(
            f"\nwall {timing['wall_s'] / 60:.1f} min, CPU {timing['cpu_s'] / 60:.1f} min, "
            f"{args.jobs} worker(s); load average (1 / 5 / 15 min) {timing['load_before']} "
            f"before, {timing['load_after']} after"
        )
    if args.survivors:
        print("\n" + survivors(found))


if __name__ == "__main__":
    main()
