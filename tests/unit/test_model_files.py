"""Model files: only trusted skops files with a matching hash load; pickles never do by default."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from stance import load_model
from stance.errors import ModelFileError
from stance.io.model_files import MODEL_FILE, load_model_file, save_model

MARKER = Path("/tmp/stance_test_pwned")


class _Exploit:
    """Unpickling this object would create MARKER: the classic pickle attack."""

    def __reduce__(self):
        import os

        return (os.system, (f"touch {MARKER}",))


def _saved(tmp_path: Path) -> Path:
    from stance.models import MajorityClassifier

    model = MajorityClassifier().fit(np.zeros((3, 1)), ["a", "b", "b"])
    meta = {"task": "stance", "labels": ["a", "b"], "input_columns": ["text"]}
    return save_model(model, tmp_path / "model", meta)


def test_round_trip(tmp_path):
    folder = _saved(tmp_path)
    model, meta = load_model_file(tmp_path)
    assert model.majority_ == "b"
    assert meta["task"] == "stance" and len(meta["model_sha256"]) == 64
    assert json.loads((folder / "trusted_types.json").read_text()) == [
        "stance.models.baselines.MajorityClassifier"
    ]


def test_altered_model_file_is_refused(tmp_path):
    folder = _saved(tmp_path)
    with open(folder / MODEL_FILE, "ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ModelFileError, match="SHA-256 does not match"):
        load_model(tmp_path)


def test_missing_metadata_means_incomplete(tmp_path):
    folder = _saved(tmp_path)
    (folder / "metadata.json").unlink()
    with pytest.raises(ModelFileError, match="did not finish writing"):
        load_model(tmp_path)


def test_untrusted_type_is_named_and_refused(tmp_path):
    folder = _saved(tmp_path)
    (folder / "trusted_types.json").write_text("[]")
    with pytest.raises(ModelFileError, match=r"untrusted type\(s\) \['stance.models.baselines"):
        load_model(tmp_path)


def test_trusted_list_outside_allowed_modules_is_refused(tmp_path):
    folder = _saved(tmp_path)
    trusted = [*json.loads((folder / "trusted_types.json").read_text()), "os.system"]
    (folder / "trusted_types.json").write_text(json.dumps(trusted))
    with pytest.raises(ModelFileError, match="os.system"):
        load_model(tmp_path)


def test_crafted_pickle_is_refused_and_runs_no_code(tmp_path):
    MARKER.unlink(missing_ok=True)
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps(_Exploit()))
    with pytest.raises(ModelFileError, match="pickle/joblib files can run arbitrary code"):
        load_model(path)
    assert not MARKER.exists()


def test_pickle_disguised_as_skops_is_refused_and_runs_no_code(tmp_path):
    MARKER.unlink(missing_ok=True)
    folder = _saved(tmp_path)
    (folder / MODEL_FILE).write_bytes(pickle.dumps(_Exploit()))
    meta = json.loads((folder / "metadata.json").read_text())
    from stance.io.provenance import sha256

    meta["model_sha256"] = sha256(folder / MODEL_FILE)  # an attacker can fix the hash too
    (folder / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ModelFileError, match="not a readable skops file"):
        load_model(tmp_path)
    assert not MARKER.exists()


def test_missing_path(tmp_path):
    with pytest.raises(ModelFileError, match="no such run folder"):
        load_model(tmp_path / "nope")


def test_skops_imported_the_quick_way_trusts_the_same_types():
    """skops_io() skips the packages all_estimators skips: torch and dask stay unimported and
    skops's default trusted types are those of a plain import (compared in a fresh process)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from stance.io.skops_import import skops_io\n"
        "quick = list(skops_io()._general.SKLEARN_ESTIMATOR_TYPE_NAMES)\n"
        "print(sorted(m for m in ('torch', 'dask') if m in sys.modules))\n"
        "from sklearn.utils import all_estimators\n"
        "from skops.io._utils import get_type_name\n"
        "plain = [get_type_name(c) for _, c in all_estimators()]\n"
        "plain = [n for n in plain if n.startswith('sklearn.')]\n"
        "print(len(quick), quick == plain)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded, compared = out.stdout.splitlines()
    assert loaded == "[]"
    count, same = compared.split()
    assert int(count) > 100 and same == "True"
