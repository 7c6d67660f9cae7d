"""`stance predict --scheduler`: the same rows as a local run, from a Dask cluster."""

from __future__ import annotations

import pickle
import socket
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.svm import LinearSVC

from stance import TextView, build_model, load_corpus, ngram_features
from stance.cli import main
from stance.errors import ModelFileError
from stance.io.model_files import save_model
from stance.models import input_columns

LABELS = ["support", "oppose", "neutral"]


@pytest.fixture(scope="module")
def dist():
    """:mod:`stance.predict.cluster`; skipped without the dask extra (CI installs it)."""
    pytest.importorskip("distributed")
    import stance.predict.cluster

    return stance.predict.cluster


@pytest.fixture(scope="module")
def cluster(dist):
    """Two single-thread workers in this process, on TCP like a real cluster; closed after."""
    import distributed

    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        yield local
        # nothing of ours outlives a command: its client disconnected, its model unloaded
        assert set(local.scheduler.clients) <= {"fire-and-forget"}
        for worker in local.workers.values():
            assert not [name for name in worker.plugins if name.startswith("stance-model-")]
    assert local.status == distributed.core.Status.closed


def _save(estimator, folder: Path, columns: list[str]) -> Path:
    meta = {"task": "stance", "labels": LABELS, "input_columns": columns}
    save_model(estimator, folder / "model", meta)
    return folder


@pytest.fixture(scope="module")
def text_model(tmp_path_factory) -> Path:
    texts = ["we back this", "we oppose that", "a neutral note", "strong support", "firm no"] * 8
    labels = ["support", "oppose", "neutral", "support", "oppose"] * 8
    estimator = build_model(ngram_features(word={}), LinearSVC(random_state=0))
    estimator.fit(pd.DataFrame({"text": texts}), np.array(labels))
    return _save(estimator, tmp_path_factory.mktemp("text_model"), ["text"])


@pytest.fixture(scope="module")
def pair_model(tmp_path_factory) -> Path:
    frame = load_corpus("statements")
    train = frame[frame["split"] == "train"]
    estimator = build_model(
        ngram_features(TextView(mode="pair"), word={"ngram_range": (1, 1)}),
        LinearSVC(random_state=0),
    ).fit(train, train["stance"].to_numpy())
    return _save(estimator, tmp_path_factory.mktemp("pair_model"), input_columns(estimator))


@pytest.fixture(scope="module")
def statements(tmp_path_factory) -> Path:
    rng = np.random.default_rng(0)
    words = np.array(["we", "back", "oppose", "support", "note", "firm", "no", "this", "that"])
    texts = [" ".join(rng.choice(words, 6)) for _ in range(3000)]
    path = tmp_path_factory.mktemp("statements") / "in.csv"
    pd.DataFrame({"id": range(3000), "text": texts}).to_csv(path, index=False)
    return path


def _predict(model: Path, source: Path, output: Path, *options: str) -> int:
    argv = ["predict", "--model", str(model), "--input", str(source), "--output", str(output)]
    return main([*argv, "--quiet", *options])


def _on(cluster, *options: str) -> list[str]:
    return ["--scheduler", cluster.scheduler_address, *options]


def test_rows_equal_a_local_run_byte_for_byte(cluster, text_model, statements, tmp_path, capsys):
    for suffix in (".csv", ".jsonl"):
        local, remote = tmp_path / f"local{suffix}", tmp_path / f"remote{suffix}"
        assert _predict(text_model, statements, local, "--jobs", "1") == 0
        # ~105 kB in 20 kB blocks: six partitions, each predicted in batches of 300 rows
        assert _predict(text_model, statements, remote, *_on(cluster, "--blocksize", "20kB"),
                        "--chunk-size", "300") == 0  # fmt: skip
        assert remote.read_bytes() == local.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "local.csv", "local.jsonl", "remote.csv", "remote.jsonl"
    ]  # fmt: skip
    result = pd.read_csv(tmp_path / "remote.csv")
    assert result["id"].tolist() == list(range(3000))
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == err[-2].replace("local.jsonl", "remote.jsonl")  # same summary line


def test_raw_text_pairs_count_text_ids_from_the_start_of_the_file(cluster, pair_model, tmp_path):
    corpus = load_corpus("statements").drop_duplicates("text")
    news = corpus[["text"]].assign(date=[f"2026-{1 + i % 12:02d}" for i in range(len(corpus))])
    source = tmp_path / "news.jsonl"
    news.to_json(source, orient="records", lines=True, force_ascii=False)
    local, remote = tmp_path / "local.jsonl", tmp_path / "remote.jsonl"
    assert _predict(pair_model, source, local, "--jobs", "1", "--drop-neutral") == 0
    assert _predict(pair_model, source, remote, *_on(cluster, "--blocksize", "16kB"),
                    "--drop-neutral") == 0  # fmt: skip
    assert remote.read_bytes() == local.read_bytes()
    dyads = pd.read_json(remote, lines=True)
    assert set(dyads["stance"]) == {"support", "oppose"}
    # text ids are rows of the whole file, not of a partition: they reach past the first block
    assert dyads["text_id"].is_monotonic_increasing
    assert dyads["text_id"].max() > len(news) // 2
    texts = news["text"].iloc[dyads["text_id"]]
    assert all(s in t for s, t in zip(dyads["sentence"], texts, strict=True))


def test_parquet_row_groups_in_and_parquet_out(cluster, text_model, statements, tmp_path):
    source = tmp_path / "in.parquet"
    pd.read_csv(statements).to_parquet(source, row_group_size=700)  # five row groups
    local, remote = tmp_path / "local.parquet", tmp_path / "remote.parquet"
    assert _predict(text_model, source, local) == 0
    assert _predict(text_model, source, remote, *_on(cluster)) == 0
    pd.testing.assert_frame_equal(pd.read_parquet(remote), pd.read_parquet(local))
    assert pd.read_parquet(remote)["id"].tolist() == list(range(3000))


def test_quoted_line_break_across_a_partition_boundary_is_one_error_line(
    cluster, text_model, tmp_path, capsys
):
    source = tmp_path / "quoted.csv"
    rows = [f'{i},"we back this\nfirm no {i}"' for i in range(400)]
    source.write_text("id,text\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert _predict(text_model, source, out, *_on(cluster, "--blocksize", "2kB")) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "convert the file to jsonl or parquet" in err
    assert not out.exists() and list(tmp_path.iterdir()) == [source]
    # one block holds the whole file: the same rows as a local run
    local = tmp_path / "local.csv"
    assert _predict(text_model, source, out, *_on(cluster)) == 0
    assert _predict(text_model, source, local) == 0
    assert out.read_bytes() == local.read_bytes()


def test_workers_get_the_files_and_check_them_as_load_model_does(dist, text_model, statements):
    ModelBytes, ModelPlugin = dist.ModelBytes, dist.ModelPlugin
    files = ModelBytes.read(text_model)
    assert sorted(files.files) == [
        "model/metadata.json", "model/model.skops", "model/trusted_types.json"
    ]  # fmt: skip
    plugin = pickle.loads(pickle.dumps(ModelPlugin(files)))  # what a worker receives
    plugin.setup(worker=None)
    frame = pd.read_csv(statements).head(50)
    expected = ModelBytes.read(text_model / "model" / "model.skops").load().predict(frame)
    pd.testing.assert_frame_equal(plugin.model.predict(frame), expected)
    altered = dict(files.files)
    skops = altered["model/model.skops"]
    altered["model/model.skops"] = skops[:-1] + bytes([skops[-1] ^ 0xFF])  # one byte changed
    with pytest.raises(ModelFileError, match="SHA-256 does not match"):
        ModelPlugin(ModelBytes(altered, files.entry)).setup(worker=None)


def test_a_worker_refusing_the_model_is_one_error_line(
    dist, cluster, text_model, statements, tmp_path, monkeypatch, capsys
):
    load = dist.ModelBytes.load

    def refuse_on_workers(self):  # as a worker with other files or versions would
        if threading.current_thread() is threading.main_thread():  # this process checks first
            return load(self)
        raise ModelFileError("refused on a worker")

    monkeypatch.setattr(dist.ModelBytes, "load", refuse_on_workers)
    out = tmp_path / "out.csv"
    assert _predict(text_model, statements, out, *_on(cluster)) == 1
    assert capsys.readouterr().err == "stance: error: refused on a worker\n"
    assert not out.exists()
    assert not [n for n in cluster.scheduler.worker_plugins if n.startswith("stance-model-")]


def test_an_unreachable_or_malformed_address_is_one_error_line(
    dist, text_model, statements, capsys
):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for address in (f"tcp://127.0.0.1:{port}", "no-port-here"):
        assert _predict(text_model, statements, statements.with_suffix(".out.csv"),
                        "--scheduler", address) == 1  # fmt: skip
        err = capsys.readouterr().err
        assert err.startswith(f"stance: error: --scheduler {address}: no Dask scheduler")
        assert err.count("\n") == 1
    assert not statements.with_suffix(".out.csv").exists()


def test_without_dask_the_option_names_the_extra(text_model, statements, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    monkeypatch.delitem(sys.modules, "stance.predict.cluster", raising=False)
    out = statements.with_suffix(".out.csv")
    assert _predict(text_model, statements, out, "--scheduler", "tcp://127.0.0.1:8786") == 1
    err = capsys.readouterr().err
    assert err == (
        "stance: error: --scheduler needs dask and distributed, which are not installed: "
        'pip install "stance[dask]"\n'
    )


def test_resume_and_blocksize_need_the_right_mode(text_model, statements, tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert _predict(text_model, statements, out, "--scheduler", "x:1", "--resume") == 1
    assert _predict(text_model, statements, out, "--blocksize", "1MB") == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(";")[0] for line in err] == [
        "stance: error: --resume continues a streamed csv/tsv/jsonl run",
        "stance: error: --blocksize only applies with --scheduler.",
    ]


def test_a_worker_with_other_versions_is_named(dist):
    ours = {"stance": "0.4.0", "scikit-learn": "1.6.1"}
    workers = {"tcp://b:1": dict(ours), "tcp://a:1": {**ours, "scikit-learn": "1.5.2"}}
    assert dist.version_mismatch(ours, workers) == (
        "worker tcp://a:1 has scikit-learn 1.5.2 but this process has 1.6.1; "
        "install the same versions on every worker."
    )
    assert dist.version_mismatch(ours, {"tcp://b:1": dict(ours)}) is None
