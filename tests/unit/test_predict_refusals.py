"""Every output-path and input-format problem of `stance predict`: one line, exit 1, and
every file that was there before is there after, byte for byte (the README's table of bad
cases lists these lines)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from stance.cli import main
from stance.errors import DataError
from stance.predict.files import predict_file
from tests.predict_inputs import statements, text_model


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("refusals")
    text_model(root / "run")
    statements(root / "in.csv", 120)
    return root


def _setup(root: Path, case: str) -> list[str]:
    """Make the files of `case` in `root`; return its extra command-line arguments."""
    out = ["--output", "out.csv"]
    if case == "output folder missing":
        return ["--output", "missing/out.csv"]
    if case == "output is a folder":
        (root / "out.csv").mkdir()
    elif case in ("output exists", "--resume of a finished output"):
        (root / "out.csv").write_text("id,stance\n")
        out += ["--resume"] if case.startswith("--resume") else []
    elif case in ("leftovers of an interrupted run", "--resume with another input"):
        with pytest.raises(DataError):
            predict_file(
                root / "run", root / "in.csv", root / "out.csv", chunk_size=40, quiet=True,
                on_batch=_fail_on(2),
            )  # fmt: skip
        if case == "--resume with another input":
            (root / "in.csv").write_bytes((root / "in.csv").read_bytes() + b"120,one more\n")
            out.append("--resume")
    elif case == "output type unknown":
        return ["--output", "out.xlsx"]
    elif case == "output is the input":
        return ["--output", "in.csv"]
    elif case == "--resume with parquet output":
        return ["--output", "out.parquet", "--resume"]
    elif case == "input missing":
        (root / "in.csv").unlink()
    elif case == "input empty":
        (root / "in.csv").write_bytes(b"")
    elif case == "input type unknown":
        (root / "in.xlsx").write_bytes(b"PK\x03\x04")
        return ["--input", "in.xlsx", *out]
    elif case == "input not utf-8":
        (root / "in.csv").write_bytes("id,text\n1,São Paulo\n".encode("latin-1"))
    elif case == "NUL byte in a text":
        (root / "in.csv").write_bytes(b"id,text\n1,we back\x00this\n")
    elif case == "separator is not a comma":
        (root / "in.csv").write_text("id;text\n1;we back this\n")
    elif case == "quote never closed":
        (root / "in.csv").write_text('id,text\n1,"we back this\n2,firm no\n')
    elif case == "no text column":
        (root / "in.csv").write_text("id,body\n1,we back this\n")
    elif case == "empty text":
        (root / "in.csv").write_text("id,text\n1,we back this\n2,  \n")
    elif case == "model is not a model file":
        return ["--model", "in.csv", *out]
    elif case == "model missing":
        return ["--model", "nowhere", *out]
    elif case == "--resume and --overwrite":
        out += ["--resume", "--overwrite"]
    return out


def _fail_on(batch: int):
    def on_batch(state: dict) -> None:
        if state["batches"] == batch:
            raise DataError("stopped for the test")

    return on_batch


#: Each bad case and the line it prints (``{root}`` is the folder it runs in).
CASES = {
    "output folder missing": "missing/out.csv: the folder missing does not exist; create it "
    "(mkdir -p missing) or choose another --output.",
    "output is a folder": "out.csv: is a folder; give a file name inside it, e.g. "
    "out.csv/predictions.csv.",
    "output exists": "out.csv already exists; pass --overwrite to replace it or choose another "
    "--output.",
    "output type unknown": "out.xlsx: unsupported output type '.xlsx'; use one of .csv, .tsv, "
    ".jsonl, .parquet.",
    "output is the input": "in.csv: the output would overwrite the input; choose another path.",
    "leftovers of an interrupted run": "out.csv.partial is left from an interrupted run (80 "
    "input rows done); pass --resume to continue it or --overwrite to start again.",
    "--resume of a finished output": "out.csv is already complete (there is no out.csv.partial "
    "to resume); pass --overwrite to predict it again.",
    "--resume with another input": "--resume: out.csv.partial was written from {root}/in.csv "
    "when its SHA-256 was *, and the file has changed since (now *); pass --overwrite to start "
    "again (or resume with those).",
    "--resume and --overwrite": "--resume and --overwrite exclude each other; pass one.",
    "--resume with parquet output": "--resume continues a streamed csv/tsv/jsonl run; .parquet "
    "output is written whole at the end, so rerun without --resume.",
    "input missing": "in.csv: file not found; check the path.",
    "input empty": "in.csv: file is empty; it needs a header row and at least one row.",
    "input type unknown": "in.xlsx: unsupported file type '.xlsx'; use one of .csv, .json, "
    ".jsonl, .parquet, .tsv, .txt.",
    "input not utf-8": "in.csv: not valid utf-8 (byte 0xe3 near line 2); re-save the file as "
    "UTF-8 or give its real encoding (e.g. latin-1).",
    "NUL byte in a text": "in.csv: NUL character near line 2; text files must not hold NUL "
    "bytes: remove them (e.g. tr -d '\\000' < in > out) or check that the file is really text "
    "in this encoding.",
    "separator is not a comma": "in.csv: read as one column 'id;text'; the file seems to be "
    "separated by ';': save it with commas (.csv) or tabs (.tsv).",
    "quote never closed": "in.csv: could not be read: Error tokenizing data. C error: EOF "
    "inside string starting at row 1",
    "no text column": "input lacks column(s) ['text'] that this stance model needs (it reads "
    "['text']); add them to the input, name your own with columns={{...}} (stance predict: "
    "--<name>-column).",
    # the rows of the piece of a batch one worker had (first at: the row's position in the file)
    "empty text": "input has 1 empty or whitespace-only text(s) in rows * (first at row 1); "
    "remove or fill them.",
    "model is not a model file": "in.csv: not a model file; pass a run folder written by "
    "stance-train, its model/ folder or its model.skops.",
    "model missing": "nowhere: no such run folder or model file; check the path.",
}


def _files(root: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_case_prints_one_line_and_keeps_every_file(base, tmp_path, case, capsys, monkeypatch):
    root = tmp_path / "case"
    shutil.copytree(base, root)
    monkeypatch.chdir(root)
    extra = _setup(root, case)
    args = ["predict", "--model", "run", "--input", "in.csv", "--quiet"]
    for flag in ("--model", "--input"):  # a case may give its own
        if flag in extra:
            del args[args.index(flag) : args.index(flag) + 2]
    before = _files(root)
    capsys.readouterr()
    code = main([*args, *extra])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err, err
    pattern = re.escape("stance: error: " + CASES[case].format(root=root)).replace(r"\*", ".*")
    assert re.fullmatch(pattern + "\n", err), err
    assert _files(root) == before  # nothing lost, nothing half-written


def test_overwrite_replaces_an_output_and_the_leftovers(base, tmp_path, monkeypatch, capsys):
    root = tmp_path / "case"
    shutil.copytree(base, root)
    monkeypatch.chdir(root)
    _setup(root, "leftovers of an interrupted run")
    args = ["predict", "--model", "run", "--input", "in.csv", "--output", "out.csv", "--quiet"]
    assert main([*args, "--overwrite"]) == 0
    first = (root / "out.csv").read_bytes()
    assert not (root / "out.csv.partial").exists()
    assert not (root / "out.csv.progress.json").exists()
    assert main([*args, "--overwrite"]) == 0
    assert (root / "out.csv").read_bytes() == first
    assert capsys.readouterr().err.splitlines()[-1].startswith("labelled 120 statement(s)")
