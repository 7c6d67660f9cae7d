"""Work shared with forked copies of the process (issue 25): the same results as one process,
in order, from several processes; errors and deaths raised; no child left behind."""

from __future__ import annotations

import os
import signal
import sys
import types
from contextlib import suppress
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.svm import LinearSVC

from stance import PerTargetClassifier, build_model, ngram_features
from stance.io.forking import FORK_ENV, WorkerDied, can_fork, fork_map, resolve_jobs, shares
from stance.predict.files import predict_file
from stance.predict.workers import OrderedPool
from tests.predict_inputs import news, pair_model, statements, text_model

needs_fork = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")


@pytest.fixture(autouse=True)
def forking(monkeypatch):
    """Fork even when an earlier test imported torch (the children here never run it)."""
    monkeypatch.setenv(FORK_ENV, "1")


def test_stance_fork_turns_forking_off_and_on(monkeypatch):
    monkeypatch.setenv(FORK_ENV, "0")
    assert not can_fork()
    assert set(fork_map(lambda _: os.getpid(), [1, 2, 3], 2)) == {os.getpid()}
    monkeypatch.setenv(FORK_ENV, "1")
    assert can_fork() is sys.platform.startswith("linux")
    monkeypatch.delenv(FORK_ENV)  # by default: no fork once torch is imported
    monkeypatch.setitem(sys.modules, "torch", sys.modules.get("torch") or types.ModuleType("t"))
    assert not can_fork()


def _children() -> set[int]:
    """This process's child processes, zombies included (Linux /proc; elsewhere none)."""
    pids: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").glob("*"):
        with suppress(OSError):
            pids |= {int(p) for p in (task / "children").read_text().split()}
    return pids


@pytest.fixture
def no_child_left():
    """Fails the test if it leaves a child process behind (running or unreaped)."""
    before = _children()
    yield
    assert _children() <= before


def test_shares_deal_the_largest_first_to_the_lightest():
    assert shares([10, 4, 3, 2, 1], 2) == [[0], [1, 2, 3, 4]]
    assert shares([5, 5, 5, 5], 2) == [[0, 2], [1, 3]]
    assert shares([1, 1, 1], 3) == [[0], [1], [2]]
    assert resolve_jobs(None) == 1 and resolve_jobs(3) == 3 and resolve_jobs(-1) >= 1


@needs_fork
def test_fork_map_gives_one_process_results_from_several(no_child_left):
    items = list(range(12))
    assert fork_map(lambda x: x * x, items, 3) == [x * x for x in items]
    pids = fork_map(lambda _: os.getpid(), items, 2)
    assert len(set(pids)) == 2 and os.getpid() in pids  # this process did a share
    assert set(fork_map(lambda _: os.getpid(), items, 1)) == {os.getpid()}
    assert fork_map(lambda x: x, [], 2) == []


@needs_fork
def test_a_childs_error_is_raised_here_and_a_dead_child_is_named(no_child_left):
    def fail_on_one(x: int) -> int:
        if x == 1:
            raise ValueError(f"bad item {x}")
        return x

    # costs put item 0 in this process and item 1 in the child
    with pytest.raises(ValueError, match="bad item 1"):
        fork_map(fail_on_one, [0, 1], 2, costs=[5, 1])

    def die_on_one(x: int) -> int:
        if x == 1:
            os.kill(os.getpid(), signal.SIGKILL)
        return x

    with pytest.raises(WorkerDied, match="was killed by SIGKILL"):
        fork_map(die_on_one, [0, 1], 2, costs=[5, 1])


@needs_fork
def test_forked_pool_workers_inherit_what_spawned_ones_could_not_receive():
    unpicklable = lambda job: job * 2  # noqa: E731 (a lambda does not pickle)

    def work(double, job: int) -> tuple[int, int]:
        return double(job), os.getpid()

    with OrderedPool(2, lambda: unpicklable, (), work, fork=True) as pool:
        assert pool.forked
        answers = list(pool.imap(range(8), window=4))
    assert [a for a, _ in answers] == [2 * j for j in range(8)]
    assert {pid for _, pid in answers} <= set(pool.pids)


def test_per_target_models_are_the_same_fitted_in_one_or_two_processes(monkeypatch, no_child_left):
    from stance.models import per_target

    rng = np.random.default_rng(0)
    words = np.array(["we", "back", "oppose", "support", "deal", "talks", "no", "yes"])
    frame = pd.DataFrame(
        {
            "text": [" ".join(rng.choice(words, 5)) for _ in range(300)],
            "target": rng.choice(["a", "b", "c"], 300),
        }
    )
    labels = rng.choice(["support", "oppose", "neutral"], 300)
    pids: list[int] = []
    real = per_target.fork_map

    def spy(function, items, n_jobs, costs=None):  # which process fitted each model
        out = real(lambda item: (os.getpid(), function(item)), items, n_jobs, costs)
        pids.extend(pid for pid, _ in out)
        return [model for _, model in out]

    monkeypatch.setattr(per_target, "fork_map", spy)
    fitted = []
    for n in (1, 2):
        pids.clear()
        model = build_model(ngram_features(word={}), LinearSVC(random_state=0), True, n_jobs=n)
        fitted.append(model.fit(frame, labels))
        assert len(pids) == 4 and len(set(pids)) == n  # 3 targets + the pooled model
    assert isinstance(fitted[1], PerTargetClassifier) and fitted[1].n_jobs == 2
    assert sorted(fitted[1].estimators_) == ["a", "b", "c"]
    for group in ("a", "b", "c"):
        coefs = [f.estimators_[group][-1].coef_ for f in fitted]
        assert np.array_equal(*coefs)
    np.testing.assert_array_equal(*(f.decision_function(frame) for f in fitted))


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl"])
def test_output_is_the_same_bytes_with_one_or_two_workers(tmp_path, suffix):
    model = text_model(tmp_path / "text")
    source = statements(tmp_path / "in.csv", 1037)
    outputs = []
    for jobs in (1, 2):
        out = tmp_path / f"out_{jobs}{suffix}"
        summaries = predict_file(model, source, out, chunk_size=200, n_jobs=jobs, quiet=True)
        assert len(summaries) == 6  # a summary per batch, whatever the workers' pieces
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    out = tmp_path / f"out_2{suffix}"
    read = (
        pd.read_json(out, lines=True)
        if suffix == ".jsonl"
        else pd.read_csv(out, sep="\t" if suffix == ".tsv" else ",")
    )
    assert read["id"].tolist() == list(range(1037))


def test_raw_text_output_is_the_same_bytes_with_one_or_two_workers(tmp_path):
    model = pair_model(tmp_path / "pairs")
    source = news(tmp_path / "news.csv", 90)
    outputs = []
    for jobs in (1, 2):
        out = tmp_path / f"out_{jobs}.csv"
        predict_file(model, source, out, chunk_size=25, n_jobs=jobs, quiet=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    text_ids = pd.read_csv(tmp_path / "out_2.csv")["text_id"]
    assert text_ids.is_monotonic_increasing and text_ids.max() > 80  # file positions


def test_a_blank_text_is_named_by_its_position_in_the_file(tmp_path):
    model = text_model(tmp_path / "text")
    source = statements(tmp_path / "in.csv", 60)
    frame = pd.read_csv(source)
    frame.loc[47, "text"] = "   "
    frame.to_csv(source, index=False)
    for jobs in (1, 2):
        with pytest.raises(Exception, match=r"first at row 47\)"):
            predict_file(model, source, tmp_path / f"o{jobs}.csv", chunk_size=20, n_jobs=jobs)


@pytest.mark.parametrize(("launcher", "parallel"), [("basic", False), ("local", True)])
def test_a_job_of_a_parallel_sweep_fits_in_one_process(launcher, parallel):
    from hydra.core.hydra_config import HydraConfig

    from stance.config.compose import compose
    from stance.train.experiment import parallel_sweep

    assert not parallel_sweep()  # outside a Hydra run
    cfg = compose([f"hydra/launcher={launcher}"], return_hydra_config=True)
    HydraConfig.instance().set_config(cfg)
    try:
        assert parallel_sweep() is parallel
    finally:
        HydraConfig.instance().cfg = None


def test_the_public_api_is_importable_and_stance_imports_light():
    import subprocess

    import stance

    assert set(stance.__all__) == set(stance._EXPORTS)
    for name in stance.__all__:
        assert getattr(stance, name) is not None
    probe = "import sys, stance.train; print('sklearn' in sys.modules, 'pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]  # the entry points start before the libraries
