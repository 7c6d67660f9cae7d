"""`stance predict` streams: bounded batches, parallel workers, resumable after a crash."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from stance import load_model
from stance.errors import DataError
from stance.predict.files import predict_file
from tests.predict_inputs import statements, text_model


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    return text_model(tmp_path_factory.mktemp("model"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return statements(tmp_path_factory.mktemp("corpus") / "in.csv", 3000)


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


# Kills by signal at random chunks, and their resumes: tests/integration/test_interrupts.py.
