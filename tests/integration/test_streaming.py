"""`stance predict` streams: bounded batches, parallel workers, resumable after a crash."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.svm import LinearSVC

from stance import load_model
from stance.errors import DataError
from stance.features import ngram_features
from stance.io.model_files import save_model
from stance.models import build_model
from stance.predict.files import predict_file


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    texts = ["we back this", "we oppose that", "a neutral note", "strong support", "firm no"] * 8
    labels = ["support", "oppose", "neutral", "support", "oppose"] * 8
    estimator = build_model(ngram_features(word={}), LinearSVC(random_state=0))
    estimator.fit(pd.DataFrame({"text": texts}), np.array(labels))
    folder = tmp_path_factory.mktemp("model")
    meta = {"task": "stance", "labels": ["support", "oppose", "neutral"], "input_columns": ["text"]}
    save_model(estimator, folder / "model", meta)
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    rng = np.random.default_rng(0)
    words = np.array(["we", "back", "oppose", "support", "note", "firm", "no", "this", "that"])
    texts = [" ".join(rng.choice(words, 6)) for _ in range(3000)]
    path = tmp_path_factory.mktemp("corpus") / "in.csv"
    pd.DataFrame({"id": range(3000), "text": texts}).to_csv(path, index=False)
    return path


def test_streamed_output_equals_in_memory_prediction(model_dir, corpus, tmp_path):
    out = tmp_path / "out.csv"
    summaries = predict_file(model_dir, corpus, out, chunk_size=400, n_jobs=2, quiet=True)
    assert len(summaries) == 8  # ceil(3000 / 400) batches
    result = pd.read_csv(out)
    expected = load_model(model_dir).predict(pd.read_csv(corpus))
    assert result["id"].tolist() == list(range(3000))
    assert result["stance"].tolist() == expected["stance"].tolist()
    assert not out.with_name("out.csv.partial").exists()
    assert not out.with_name("out.csv.progress.json").exists()


class _Crash(Exception):
    pass


def test_interrupted_run_resumes_without_duplicates(model_dir, corpus, tmp_path):
    clean = tmp_path / "clean.jsonl"
    predict_file(model_dir, corpus, clean, chunk_size=250, quiet=True)

    out = tmp_path / "out.jsonl"

    def crash_after_three(state: dict) -> None:
        if state["batches"] == 3:
            raise _Crash

    with pytest.raises(_Crash):
        predict_file(model_dir, corpus, out, chunk_size=250, quiet=True, on_batch=crash_after_three)
    partial = tmp_path / "out.jsonl.partial"
    assert len(partial.read_text().splitlines()) == 750  # the finished batches are intact
    with open(partial, "a") as handle:  # a batch half-written when the process died
        handle.write('{"id": 750, "text": "half')
    with pytest.raises(DataError, match="--resume"):
        predict_file(model_dir, corpus, out, chunk_size=250, quiet=True)
    predict_file(model_dir, corpus, out, chunk_size=250, quiet=True, resume=True)
    assert out.read_bytes() == clean.read_bytes()


def test_sigkill_then_resume_gives_the_same_file(model_dir, corpus, tmp_path):
    clean = tmp_path / "clean.csv"
    predict_file(model_dir, corpus, clean, chunk_size=100, quiet=True)
    out = tmp_path / "out.csv"
    command = [
        sys.executable,
        "-m",
        "stance.cli",
        "predict",
        "--model",
        str(model_dir),
        "--input",
        str(corpus),
        "--output",
        str(out),
        "--chunk-size",
        "100",
        "--jobs",
        "1",
        "--quiet",
    ]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    progress = tmp_path / "out.csv.progress.json"
    deadline = time.time() + 120
    while not progress.exists() and time.time() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    if out.exists():  # finished before the kill: nothing to resume
        assert out.read_bytes() == clean.read_bytes()
        return
    result = subprocess.run([*command, "--resume"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == clean.read_bytes()
