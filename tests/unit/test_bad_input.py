"""The bad-input matrix (issue 6), through the real command lines.

Each case ends in one line on stderr saying what is wrong, where and how to fix it, a non-zero
exit code and no traceback; ``--debug`` (or ``HYDRA_FULL_ERROR=1``) shows the traceback instead.
The command lines are started all at once (each spends seconds importing) and each test checks
one outcome. Covered in tests/integration/test_train.py already: an unknown config key, an unset
data home, and a predict input lacking one of a pair model's mention columns.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from stance.data import SemEval2016, Statements
from stance.data.corpus import carve_dev
from stance.errors import ConfigError, DataError
from stance.io.readers import read_file
from tests.records import statement_record

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "data" / "statements" / "statements.jsonl"
#: Small and fast: word n-grams, few bootstrap resamples, no plots.
FAST = ("features=word_ngrams", "evaluation.n_resamples=20", "evaluation.plots=false")


@dataclass
class Case:
    """One command line and what its last stderr line must be."""

    module: str  # stance.train or stance.cli
    args: list[str]
    code: int
    last_line: str  # a regular expression matched against the whole last line
    env: dict[str, str] = field(default_factory=dict)
    debug: bool = False  # True: expect a traceback instead of one line


# -- crafted inputs ---------------------------------------------------------------------------
def write_statements(folder: Path, records: list[dict], encoding: str = "utf-8") -> Path:
    """A statements.jsonl the bundled-corpus adapter reads with data.corpus.root=folder."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (folder / "statements.jsonl").write_bytes(lines.encode(encoding))
    return folder


SEMEVAL_ROWS = pd.DataFrame(
    {
        "Tweet": ["I love it #SemST", "I hate it", "meh", "great", "awful", "so so"],
        "Target": ["Atheism"] * 6,
        "Stance": ["FAVOR", "AGAINST", "NONE", "FAVOR", "AGAINST", "NONE"],
        "Opinion Towards": ["1"] * 6,
        "Sentiment": ["pos", "neg", "other", "pos", "neg", "other"],
    }
)


def write_semeval(folder: Path, train: pd.DataFrame, sep: str = ",") -> Path:
    """A SemEval-2016 layout (StanceDataset/{train,test}.csv, latin-1) for +data.corpus.root."""
    (folder / "StanceDataset").mkdir(parents=True, exist_ok=True)
    train.to_csv(folder / "StanceDataset" / "train.csv", index=False, sep=sep, encoding="latin-1")
    SEMEVAL_ROWS.to_csv(
        folder / "StanceDataset" / "test.csv", index=False, sep=sep, encoding="latin-1"
    )
    return folder


def overlap_corpus(folder: Path) -> int:
    """A slice of the bundled corpus with three train sentences copied into test.

    Returns how many test rows (ordered actor pairs) share their text with train.
    """
    records = [json.loads(line) for line in BUNDLED.read_text(encoding="utf-8").splitlines()]
    keep = {"train": 160, "dev": 30, "test": 30}
    chosen = []
    for record in records:
        if keep[record["split"]] > 0:
            keep[record["split"]] -= 1
            chosen.append(record)
    copies = [
        {**r, "text_id": f"COPY{i}", "split": "test"}
        for i, r in enumerate(r for r in chosen if r["split"] == "train")
        if i < 3
    ]
    chosen += copies
    write_statements(folder, chosen)
    train_texts = {r["text"] for r in chosen if r["split"] == "train"}
    return sum(
        len(r["mentions"]) * (len(r["mentions"]) - 1)
        for r in chosen
        if r["split"] == "test" and r["text"] in train_texts
    )


def text_model(folder: Path) -> Path:
    """A small fitted text-only model saved as stance-train saves one; returns the run folder."""
    from sklearn.linear_model import LogisticRegression

    from stance import TextView, build_model, load_corpus, ngram_features
    from stance.io.model_files import save_model
    from stance.models import input_columns

    frame = load_corpus("statements")
    train = frame[frame["split"] == "train"]
    estimator = build_model(
        ngram_features(TextView(mode="text"), word={"ngram_range": (1, 1)}),
        LogisticRegression(max_iter=200),
    ).fit(train, train["sentiment"].to_numpy())
    meta = {
        "task": "sentiment",
        "labels": ["positive", "negative", "neutral"],
        "classes": [str(c) for c in estimator.classes_],
        "input_columns": input_columns(estimator),
        "score_kind": "probability",
    }
    save_model(estimator, folder / "model", meta)
    return folder


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def crafted_model(folder: Path, estimator, trusted: list[str]) -> Path:
    """A model folder as an attacker ships it: any skops file, a trusted list to match, and
    metadata whose hash is fixed up. Returns the model folder."""
    import skops.io as sio

    from stance.io.provenance import sha256

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.skops").write_bytes(sio.dumps(estimator))
    (folder / "trusted_types.json").write_text(json.dumps(trusted))
    meta = {"task": "stance", "labels": ["support", "oppose", "neutral"], "input_columns": ["text"]}
    meta["model_sha256"] = sha256(folder / "model.skops")
    (folder / "metadata.json").write_text(json.dumps(meta))
    return folder


def eval_exploit(marker: Path):
    """A fitted pipeline whose predict runs code: every input becomes a payload (numpy's
    full_like) that the vectorizer's preprocessor (builtins.eval) evaluates. Plain skops loads
    it when told to trust the two functions; ``load_model`` must not."""
    import builtins

    import numpy as np
    from sklearn.dummy import DummyClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer

    payload = f"open({str(marker)!r}, 'w').close() or 'owned'"
    pipeline = Pipeline(
        [
            ("fill", FunctionTransformer(func=np.full_like, kw_args={"fill_value": payload})),
            ("vectorize", TfidfVectorizer(preprocessor=builtins.eval, lowercase=False)),
            ("classify", DummyClassifier()),
        ]
    )
    pipeline.fit(np.array(["a", "b"], dtype=object), ["support", "oppose"])
    marker.unlink()  # fitting ran the payload once; the tests start without the marker
    return pipeline


# -- the matrix -------------------------------------------------------------------------------
def build_cases(tmp: Path) -> tuple[dict[str, Case], dict[str, object]]:
    """Write every crafted input under `tmp`; return the cases and facts the tests check."""
    facts: dict[str, object] = {}

    def train(name: str, *args: str, code: int, last: str, **kw) -> Case:
        out = f"paths.output_root={tmp / 'runs' / name}"
        return Case("stance.train", [*args, out, *FAST], code, last, **kw)

    def root(name: str, records: list[dict], encoding: str = "utf-8") -> str:
        return f"data.corpus.root={write_statements(tmp / name, records, encoding)}"

    def semeval(name: str, frame: pd.DataFrame, sep: str = ",") -> list[str]:
        return ["data=semeval2016", f"+data.corpus.root={write_semeval(tmp / name, frame, sep)}"]

    one = [statement_record("a"), statement_record("b", text="Japan praised Russia.", pairs=[])]
    cases: dict[str, Case] = {}
    err = r"stance-train: error: "
    (tmp / "empty").mkdir()
    no_text = [{k: v for k, v in r.items() if k != "text"} for r in one]
    nan_stance = SEMEVAL_ROWS.assign(Stance=[*SEMEVAL_ROWS.Stance[:4], None, "NONE"])
    outside = SEMEVAL_ROWS.assign(Stance=["FAVOUR", *SEMEVAL_ROWS.Stance[1:]])
    neutral_only = [
        statement_record("a", pairs=[]),
        statement_record("b", pairs=[]),
        statement_record("c", split="dev"),
        statement_record("d", split="test"),
    ]
    #: Bad data: exit 1 and one line, ``stance-train: error: <message>``.
    data_errors: dict[str, tuple[list[str], str]] = {
        "missing_file": (
            [f"data.corpus.root={tmp / 'empty'}"],
            f"corpus 'statements': {tmp / 'empty' / 'statements.jsonl'}: file not found; put "
            "the corpus there or point data.corpus.root (external corpora: STANCE_DATA_HOME) "
            "at its folder.",
        ),
        "wrong_delimiter": (
            semeval("semi", SEMEVAL_ROWS, sep=";"),
            f"{tmp / 'semi' / 'StanceDataset' / 'train.csv'}: read as one column "
            "'Tweet;Target;Stance;Opinion Towards;Sentiment'; the file seems to be separated "
            "by ';': save it with commas (.csv) or tabs (.tsv).",
        ),
        "latin1_as_utf8": (
            [
                root(
                    "latin1",
                    [statement_record("a"), statement_record("b", text="São Paulo backed Japan.")],
                    "latin-1",
                )
            ],
            f"{tmp / 'latin1' / 'statements.jsonl'}: not valid utf-8 (byte 0xe3 near line 2); "
            "re-save the file as UTF-8 or give its real encoding (e.g. latin-1).",
        ),
        "missing_text_column": (
            [root("no_text", no_text)],
            f"corpus 'statements' ({tmp / 'no_text' / 'statements.jsonl'}): no column or field "
            "'text' in the corpus file(s); add or rename it as the corpus's data card describes.",
        ),
        "whitespace_text": (
            [root("blank", [*one, statement_record("c", text=" \t ")])],
            f"corpus 'statements' ({tmp / 'blank' / 'statements.jsonl'}): 2 empty or "
            "whitespace-only text(s) (ids ['c:RUS>JPN', 'c:JPN>RUS']); remove those rows or "
            "fill in the text.",
        ),
        "nan_labels": (
            semeval("nan", nan_stance),
            f"corpus 'semeval2016' ({tmp / 'nan'}): 1 row(s) have no stance label (first id "
            "'train-00004'); fill them in or drop those rows.",
        ),
        "label_outside_map": (
            semeval("outside", outside),
            f"corpus 'semeval2016' ({tmp / 'outside'}), column 'stance': 1 row(s) have "
            "label(s) ['FAVOUR'] that are not in the label map ['AGAINST', 'FAVOR', 'NONE'] "
            "(first id 'train-00000'); fix the file or extend the adapter's label map.",
        ),
        "one_class": (
            [root("one_class", neutral_only)],
            "the fit split(s) ['train'] have only one stance class ['neutral']; a classifier "
            "needs at least two: label more rows or fit on other splits (fit_splits=[...]).",
        ),
        "duplicate_ids": (
            [root("dups", [*one, statement_record("a", text="Japan criticised Russia.")])],
            f"corpus 'statements' ({tmp / 'dups' / 'statements.jsonl'}): 2 duplicate id(s), "
            "e.g. ['a:RUS>JPN', 'a:JPN>RUS']; ids must be unique: renumber or drop the repeats.",
        ),
    }
    for name, (args, message) in data_errors.items():
        cases[name] = train(name, *args, code=1, last=err + re.escape(message))
    facts["overlap"] = overlap_corpus(tmp / "overlap")
    cases["train_test_overlap"] = train(
        "train_test_overlap", f"data.corpus.root={tmp / 'overlap'}", code=0, last=r".*"
    )
    cases["unknown_group_option"] = train(
        "unknown_group_option",
        "model=nope",
        code=2,
        last=err + r"In 'train': Could not find 'model/nope'; available options in 'model': "
        r"[a-z_, ]*linear_svc[a-z_, ]* \(pick one: model=<name>\)",
    )
    cases["unknown_corpus"] = train(
        "unknown_corpus",
        "data=nope",
        code=2,
        last=err + r"unknown corpus 'nope': In 'train': Could not find 'data/nope'; available "
        r"options in 'data': [a-z0-9_, ]*statements[a-z0-9_, ]* \(pick one: data=<name>\)",
    )
    (tmp / "home").mkdir()
    cases["empty_data_home"] = train(
        "empty_data_home",
        "experiment=semeval2016_stance",
        code=1,
        env={"STANCE_DATA_HOME": str(tmp / "home")},
        last=err
        + re.escape(
            f"corpus folder 'semeval2016_task6' not found under data home '{tmp / 'home'}'; put "
            "the corpus there or point STANCE_DATA_HOME at the folder that holds it."
        ),
    )
    cases["unparsable_override"] = train(
        "unparsable_override",
        "model=[a",
        code=2,
        last=err + re.escape("cannot parse the override 'model=[a': ") + r".*",
    )
    cases["seed_not_a_number"] = train(
        "seed_not_a_number",
        "seed=abc",
        code=2,
        last=err + re.escape("config seed='abc': expected a whole number >= 0 (e.g. seed=42)."),
    )
    cases["unknown_primary_config"] = train(
        "unknown_primary_config",
        "--config-name=nope",
        code=2,
        last=err + r"Cannot find primary config 'nope'.*",
    )
    # --debug and HYDRA_FULL_ERROR=1 show the traceback instead of the one line
    cases["debug_data_error"] = train(
        "debug_data_error",
        "--debug",
        root("debug_blank", [*one, statement_record("c", text="  ")]),
        code=1,
        last=r"stance\.errors\.DataError: .*empty or whitespace-only.*",
        debug=True,
    )
    cases["debug_config_error"] = train(
        "debug_config_error",
        "model=nope",
        code=1,
        env={"HYDRA_FULL_ERROR": "1"},
        last=r"stance\.errors\.ConfigError: .*Could not find 'model/nope'.*",
        debug=True,
    )

    # stance predict
    run = text_model(tmp / "model_run")

    def predict(name: str, source: Path, *extra: str, code: int, last: str, **kw) -> Case:
        args = ["predict", "--model", str(run), "--input", str(source), "--output"]
        args += [str(tmp / "predicted" / f"{name}.csv"), "--quiet", *extra]
        return Case("stance.cli", args, code, last, **kw)

    (tmp / "predicted").mkdir()
    cases["predict_missing_input"] = predict(
        "predict_missing_input",
        tmp / "nope.csv",
        code=1,
        last=re.escape(f"stance: error: {tmp / 'nope.csv'}: file not found; check the path."),
    )
    semi = _csv(tmp / "semi.csv", "text;source\nParis backed Berlin.;FRA\n")
    # stance predict reads its input in batches (stance/predict/files.py): the wording is its own,
    # but the line must name the file, where in it, and the fix
    semi = _csv(tmp / "semi.csv", "text;source\nParis backed Berlin.;FRA\n")
    cases["predict_wrong_delimiter"] = predict(
        "predict_wrong_delimiter",
        semi,
        code=1,
        last=re.escape(f"stance: error: {semi}: ") + r".*separated by ';'.*",
    )
    latin = _csv(tmp / "latin.csv", "text\nSão Paulo backed Berlin.\n", "latin-1")
    cases["predict_latin1"] = predict(
        "predict_latin1",
        latin,
        code=1,
        last=re.escape(f"stance: error: {latin}: not valid utf-8") + r".*line 2.*latin-1.*",
    )
    cases["predict_latin1_with_encoding"] = predict(
        "predict_latin1_with_encoding", latin, "--encoding", "latin-1", code=0, last=r".*"
    )
    cases["predict_missing_text_column"] = predict(
        "predict_missing_text_column",
        _csv(tmp / "body.csv", "body\nParis backed Berlin.\n"),
        code=1,
        last=r"stance: error: input lacks column\(s\) \['text'\].*",
    )
    marker = tmp / "exploit_ran"
    facts["marker"] = marker
    exploit = crafted_model(
        tmp / "exploit_run" / "model", eval_exploit(marker), ["builtins.eval", "numpy.full_like"]
    )
    args = ["predict", "--model", str(exploit.parent), "--input", str(latin), "--quiet"]
    args += ["--output", str(tmp / "predicted" / "exploit.csv"), "--encoding", "latin-1"]
    cases["predict_untrusted_model"] = Case(
        "stance.cli",
        args,
        1,
        re.escape(
            f"stance: error: {exploit / 'model.skops'}: refusing to load untrusted type(s) "
            "['builtins.eval', 'numpy.full_like']; only classes from stance., sklearn., numpy., "
            "scipy. listed in trusted_types.json are loaded."
        ),
    )
    cases["predict_debug"] = predict(
        "predict_debug",
        tmp / "nope.csv",
        code=1,
        last=r"stance\.\S*(DataError|MissingFileError): .*file not found; check the path\.",
        debug=True,
    )
    cases["predict_debug"].args.insert(0, "--debug")
    return cases, facts


def _run(case: Case, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", **case.env}
    if "HYDRA_FULL_ERROR" not in case.env:
        env.pop("HYDRA_FULL_ERROR", None)
    return subprocess.run(
        [sys.executable, "-m", case.module, *case.args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=600,
    )


@pytest.fixture(scope="module")
def matrix(tmp_path_factory) -> tuple[Path, dict[str, Case], dict, dict]:
    """Every case run once, several at a time (each process spends seconds importing)."""
    tmp = tmp_path_factory.mktemp("bad_input")
    cases, facts = build_cases(tmp)
    workers = max(2, min(4, (os.cpu_count() or 2) + 1))
    with ThreadPoolExecutor(workers) as pool:
        runs = pool.map(_run, cases.values(), [tmp] * len(cases))
        results = dict(zip(cases, runs, strict=True))
    return tmp, cases, results, facts


CASE_NAMES = [
    "missing_file",
    "wrong_delimiter",
    "latin1_as_utf8",
    "missing_text_column",
    "whitespace_text",
    "nan_labels",
    "label_outside_map",
    "one_class",
    "duplicate_ids",
    "unknown_group_option",
    "unknown_corpus",
    "empty_data_home",
    "unparsable_override",
    "seed_not_a_number",
    "unknown_primary_config",
    "predict_missing_input",
    "predict_wrong_delimiter",
    "predict_latin1",
    "predict_missing_text_column",
    "predict_untrusted_model",
]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_one_clear_line_and_a_nonzero_exit(matrix, name):
    _, cases, results, _ = matrix
    case, result = cases[name], results[name]
    lines = result.stderr.strip().splitlines()
    assert result.returncode == case.code, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert len(lines) == 1, result.stderr  # nothing else on stderr: no Hydra report, no noise
    assert re.fullmatch(case.last_line, lines[-1]), lines[-1]


@pytest.mark.parametrize("name", ["debug_data_error", "debug_config_error", "predict_debug"])
def test_debug_shows_the_traceback(matrix, name):
    _, cases, results, _ = matrix
    case, result = cases[name], results[name]
    assert result.returncode != 0
    assert "Traceback (most recent call last)" in result.stderr
    assert re.fullmatch(case.last_line, result.stderr.strip().splitlines()[-1])


def _run_folders(tmp: Path, name: str) -> list[Path]:
    return [p.parent for p in (tmp / "runs" / name).glob("*/*/status.json")]


@pytest.mark.parametrize(
    "name", ["missing_file", "whitespace_text", "one_class", "seed_not_a_number"]
)
def test_a_failed_run_records_why(matrix, name):
    tmp, _, results, _ = matrix
    (folder,) = _run_folders(tmp, name)
    state = json.loads((folder / "status.json").read_text())
    assert state["status"] == "failed"
    message = results[name].stderr.strip().split("error: ", 1)[1]
    assert state["error"].endswith(message)
    assert not (folder / "model").exists() and not (folder / "metrics.json").exists()


@pytest.mark.parametrize("name", ["unknown_group_option", "unknown_corpus", "unparsable_override"])
def test_config_errors_leave_no_run_folder(matrix, name):
    tmp, _, _, _ = matrix
    assert not (tmp / "runs" / name).exists()


def test_failed_predict_writes_no_output(matrix):
    tmp, cases, results, _ = matrix
    failed = [n for n in CASE_NAMES if n.startswith("predict_")] + ["predict_debug"]
    for name in failed:
        output = Path(cases[name].args[cases[name].args.index("--output") + 1])
        assert results[name].returncode != 0 and not output.exists(), name
    ok = tmp / "predicted" / "predict_latin1_with_encoding.csv"
    assert results["predict_latin1_with_encoding"].returncode == 0
    assert pd.read_csv(ok)["text"].tolist() == ["São Paulo backed Berlin."]


def test_the_untrusted_model_ran_nothing(matrix):
    _, _, results, facts = matrix
    assert results["predict_untrusted_model"].returncode == 1
    assert not facts["marker"].exists()


def test_train_test_overlap_is_a_warning_with_the_count(matrix):
    tmp, _, results, facts = matrix
    result = results["train_test_overlap"]
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    count = facts["overlap"]
    assert count >= 6  # three copied sentences, each with at least two ordered pairs
    warning = f"{count} test row(s) have a text that also occurs in train"
    assert warning in result.stdout
    (folder,) = _run_folders(tmp, "train_test_overlap")
    assert warning in (folder / "train.log").read_text()
    assert json.loads((folder / "status.json").read_text())["status"] == "complete"
    manifest = json.loads((folder / "data_manifest.json").read_text())
    assert manifest["test_texts_in_train"] == count


# -- the same checks below the command line, where the CLI cannot reach -----------------------
#: name -> (write the corpus into a folder, its adapter, the error line; {tmp}: the folder)
CORPUS_ERRORS = {
    "semeval_without_its_tweet_column": (
        lambda tmp: write_semeval(tmp, SEMEVAL_ROWS.rename(columns={"Tweet": "Text"})),
        SemEval2016,
        "corpus 'semeval2016' ({tmp}): no column or field 'Tweet' in the corpus file(s); "
        "add or rename it as the corpus's data card describes.",
    ),
    "label_outside_the_schema": (
        lambda tmp: write_statements(
            tmp,
            [statement_record("a"), statement_record("b", pairs=[["RUS", "JPN", "favour"]])],
        ),
        Statements,
        "corpus 'statements' ({tmp}/statements.jsonl): unknown stance label(s) ['favour'] in "
        "1 row(s) (first id 'b:RUS>JPN'); allowed are ['support', 'oppose', 'neutral']. Fix "
        "the file or map them in the corpus adapter's label map.",
    ),
    "semeval_train_too_small_to_carve_a_dev_split": (
        lambda tmp: write_semeval(tmp, SEMEVAL_ROWS.head(1)),
        SemEval2016,
        "corpus 'semeval2016' ({tmp}): the train split has 1 row(s), too few to carve a dev "
        "split of 0.1 from; add rows or set data.corpus.dev_fraction=0 (with "
        "eval_splits=[test] when there is no dev split).",
    ),
}


@pytest.mark.parametrize("name", list(CORPUS_ERRORS))
def test_a_corpus_that_cannot_load_names_the_problem_and_the_fix(tmp_path, name):
    write, adapter, line = CORPUS_ERRORS[name]
    write(tmp_path)
    with pytest.raises(DataError) as err:
        adapter(root=str(tmp_path)).load()
    assert str(err.value) == line.format(tmp=tmp_path)


def test_malformed_record_is_one_line(tmp_path):
    write_statements(tmp_path, [statement_record("a", pairs=[["RUS", "JPN"]])])
    with pytest.raises(DataError, match=r"malformed content \(ValueError: ") as err:
        Statements(root=str(tmp_path)).load()
    assert "\n" not in str(err.value)


def test_dev_carving_on_tiny_or_odd_train_splits():
    frame = pd.DataFrame(
        {
            "id": [str(i) for i in range(6)],
            "text": list("abcdef"),
            "target": "t",
            "stance": ["support", "oppose", "neutral"] * 2,
            "split": "train",
        }
    )
    # three strata of two rows cannot all reach a one-row dev split: carve unstratified
    carved = carve_dev(frame, 0.1, seed=0)
    assert (carved["split"] == "dev").sum() == 1
    with pytest.raises(DataError, match="too few to carve a dev split"):
        carve_dev(frame.head(1), 0.1, seed=0)
    with pytest.raises(ConfigError, match="dev_fraction 1.5 must be between 0 and 1"):
        carve_dev(frame, 1.5, seed=0)


def test_a_csv_with_a_byte_order_mark_reads_its_first_column(tmp_path):
    path = _csv(tmp_path / "excel.csv", "\ufefftext,source\nParis backed Berlin.,FRA\n")
    assert list(read_file(path).columns) == ["text", "source"]


def test_a_tsv_that_is_really_comma_separated(tmp_path):
    path = _csv(tmp_path / "commas.tsv", "text,source\nParis backed Berlin.,FRA\n")
    with pytest.raises(DataError, match=r"separated by ',': name it \.csv\.$"):
        read_file(path)


def test_unknown_encoding_names_it_and_the_fix(tmp_path):
    path = _csv(tmp_path / "ok.csv", "text\nParis backed Berlin.\n")
    with pytest.raises(DataError) as err:
        read_file(path, encoding="latn1")
    assert str(err.value) == (
        f"{path}: unknown encoding 'latn1'; use a Python codec name such as utf-8, latin-1 "
        "or cp1252."
    )


# -- untrusted model files ---------------------------------------------------------------------
def test_the_crafted_exploit_is_real_and_refused(tmp_path):
    import numpy as np
    import skops.io as sio

    from stance import load_model
    from stance.errors import ModelFileError

    marker = tmp_path / "ran"
    folder = crafted_model(
        tmp_path / "run" / "model", eval_exploit(marker), ["builtins.eval", "numpy.full_like"]
    )
    with pytest.raises(ModelFileError, match=r"untrusted type\(s\) \['builtins.eval', 'numpy.f"):
        load_model(folder.parent)
    assert not marker.exists()
    # the same file through skops with the shipped list: predicting runs the payload
    shipped = json.loads((folder / "trusted_types.json").read_text())
    model = sio.load(folder / "model.skops", trusted=shipped)
    model.predict(np.array(["any text"], dtype=object))
    assert marker.exists()


@pytest.mark.parametrize(
    ("function", "name"),
    [("os.system", "posix.system"), ("builtins.exec", "builtins.exec")],
)
def test_functions_are_never_trusted_even_when_listed(tmp_path, function, name):
    import importlib

    from sklearn.preprocessing import FunctionTransformer

    from stance import load_model
    from stance.errors import ModelFileError

    module, attribute = function.rsplit(".", 1)
    estimator = FunctionTransformer(func=getattr(importlib.import_module(module), attribute))
    folder = crafted_model(tmp_path / "run" / "model", estimator, [name])
    with pytest.raises(ModelFileError, match=re.escape(f"untrusted type(s) ['{name}']")):
        load_model(folder)


def test_a_class_from_an_outside_module_is_refused_and_never_imported(tmp_path, monkeypatch):
    from stance import load_model
    from stance.errors import ModelFileError

    marker = tmp_path / "imported"
    (tmp_path / "evil_stance_plugin.py").write_text(
        f"open({str(marker)!r}, 'w').close()\n"
        "class Evil:\n"
        "    def __setstate__(self, state):\n"
        f"        open({str(marker)!r}, 'w').close()\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    import evil_stance_plugin

    folder = crafted_model(
        tmp_path / "run" / "model", evil_stance_plugin.Evil(), ["evil_stance_plugin.Evil"]
    )
    marker.unlink()
    monkeypatch.delitem(sys.modules, "evil_stance_plugin")
    with pytest.raises(ModelFileError, match=r"untrusted type\(s\) \['evil_stance_plugin.Evil'\]"):
        load_model(folder)
    assert not marker.exists() and "evil_stance_plugin" not in sys.modules


def test_what_counts_as_trustable():
    from stance.io.model_files import trustable

    assert trustable("sklearn.svm._classes.LinearSVC")
    assert trustable("stance.features.views.TextView")
    assert trustable("scipy.sparse._csr.csr_matrix")
    for name in (
        "builtins.eval",
        "posix.system",
        "numpy.full_like",  # a function
        "stance.io.atomic.write_text",  # a function, even ours
        "stance.train.card.Card",  # skops's class, re-exported by one of our modules
        "sklearn.nope.Nothing",
        "stance.",
        42,
    ):
        assert not trustable(name), name


def _saved_model(tmp_path: Path) -> Path:
    import numpy as np

    from stance.io.model_files import save_model
    from stance.models import MajorityClassifier

    model = MajorityClassifier().fit(np.zeros((3, 1)), ["a", "b", "b"])
    return save_model(model, tmp_path / "run" / "model", {"task": "stance"})


def _fix_hash(folder: Path) -> None:
    from stance.io.provenance import sha256

    meta = json.loads((folder / "metadata.json").read_text())
    meta["model_sha256"] = sha256(folder / "model.skops")
    (folder / "metadata.json").write_text(json.dumps(meta))


def test_a_model_whose_hash_differs_from_its_card_is_refused(tmp_path):
    from stance import load_model
    from stance.errors import ModelFileError

    folder = _saved_model(tmp_path)
    (folder.parent / "README.md").write_text(f"The model file has SHA-256 `{'0' * 64}`.\n")
    with pytest.raises(ModelFileError, match="does not match the one in the model card"):
        load_model(folder.parent)
    sha = json.loads((folder / "metadata.json").read_text())["model_sha256"]
    (folder.parent / "README.md").write_text(f"The model file has SHA-256 `{sha}`.\n")
    assert load_model(folder.parent).task == "stance"


def _truncate(folder: Path) -> None:
    data = (folder / "model.skops").read_bytes()
    (folder / "model.skops").write_bytes(data[: len(data) // 2])
    _fix_hash(folder)


def _corrupt_schema(folder: Path) -> None:
    import zipfile

    with zipfile.ZipFile(folder / "model.skops", "w") as archive:
        archive.writestr("schema.json", '{"__class__": "MajorityClassifier", "__mod')
    _fix_hash(folder)


def _trusted_not_a_list(folder: Path) -> None:
    (folder / "trusted_types.json").write_text('"stance."')


@pytest.mark.parametrize(
    ("damage", "match"),
    [
        (_truncate, "not a readable skops file"),
        (_corrupt_schema, "(not a readable skops file|corrupt model file)"),
        (_trusted_not_a_list, "trusted_types.json a list"),
    ],
    ids=["truncated", "corrupt_schema", "trusted_list_not_a_list"],
)
def test_a_damaged_model_file_is_refused_in_one_line(tmp_path, damage, match):
    from stance import load_model
    from stance.errors import ModelFileError

    folder = _saved_model(tmp_path)
    damage(folder)
    with pytest.raises(ModelFileError, match=match) as err:
        load_model(folder)
    assert "\n" not in str(err.value)
