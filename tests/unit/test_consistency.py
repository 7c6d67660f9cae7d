"""GroupConsistency: a row's scores plus the weighted mean of its story-and-pair group, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression

from stance.errors import ConfigError, DataError
from stance.io.model_files import load_model_file, save_model
from stance.models import GroupConsistency, build_model, consistent_scores, input_columns


def test_consistent_scores_add_the_mean_of_the_other_rows_of_each_group():
    scores = np.array([1.0, -3.0, 2.0, 5.0, -1.0, 7.0])
    groups = np.array([0, 0, 0, 1, -1, 2])
    # row 0: 1 + 0.5 * mean(-3, 2); row 3 and row 5 are alone; row 4 is never grouped
    expected = [1 + 0.5 * -0.5, -3 + 0.5 * 1.5, 2 + 0.5 * -1.0, 5.0, -1.0, 7.0]
    np.testing.assert_allclose(consistent_scores(scores, groups, 0.5), expected)
    np.testing.assert_allclose(consistent_scores(scores, groups, 0.0), scores)
    columns = np.stack([-scores, scores], axis=1)
    np.testing.assert_allclose(
        consistent_scores(columns, groups, 0.5), np.stack([-np.array(expected), expected], 1)
    )
    with pytest.raises(ValueError, match="6 score rows but 2 group ids"):
        consistent_scores(scores, groups[:2], 1.0)


#: One story with the pair (A, B) three times, once reversed; a pair with a placeholder; a
#: second story with the same pair (A, B), which is another group.
ROWS = pd.DataFrame(
    {
        "x": [2.0, 1.5, -0.2, -1.0, -0.3, -0.4, 0.3],
        "story": ["s1", "s1", "s1", "s1", "s1", "s1", "s2"],
        "source": ["A", "B", "A", "C", "None", "None", "A"],
        "target": ["B", "A", "B", "D", "B", "B", "B"],
    }
)


def _model(**params) -> GroupConsistency:
    numbers = ColumnTransformer([("x", "passthrough", ["x"])])
    inner = build_model(numbers, LogisticRegression())
    train = pd.DataFrame({"x": [-2.0, -1.0, 1.0, 2.0]})
    return GroupConsistency(inner, **params).fit(train, ["oppose", "oppose", "support", "support"])


def test_rows_of_one_story_and_pair_are_read_together_in_either_direction():
    model = _model(placeholders=["None"], weight=1.0)
    alone = model.estimator_.decision_function(ROWS)
    groups = model.groups(ROWS)
    assert groups[0] == groups[1] == groups[2]  # (A, B), (B, A), (A, B) in story s1
    assert len({groups[0], groups[3], groups[6]}) == 3  # another pair; another story
    assert groups[4] == groups[5] == -1  # a placeholder actor is never grouped
    expected = alone.copy()
    expected[2] = alone[2] + (alone[0] + alone[1]) / 2
    expected[0] = alone[0] + (alone[1] + alone[2]) / 2
    expected[1] = alone[1] + (alone[0] + alone[2]) / 2
    np.testing.assert_allclose(model.decision_function(ROWS), expected)
    # row 2 leans oppose alone and takes its pair's side; the others keep their own label
    assert model.estimator_.predict(ROWS).tolist()[2] == "oppose"
    assert model.predict(ROWS).tolist() == [
        "support", "support", "support", "oppose", "oppose", "oppose", "support",
    ]  # fmt: skip


def test_directed_grouping_weight_zero_and_one_row_at_a_time():
    directed = _model(symmetric=False, weight=1.0)
    groups = directed.groups(ROWS)
    assert groups[0] == groups[2] != groups[1]
    assert groups[4] == groups[5] != -1  # "None" is an actor here: no placeholders given
    plain = _model(weight=0.0)
    np.testing.assert_allclose(
        plain.decision_function(ROWS), plain.estimator_.decision_function(ROWS)
    )
    one = _model(placeholders=["None"], weight=5.0)
    assert one.predict(ROWS.iloc[[2]]).tolist() == ["oppose"]  # nothing to read it with


def test_needed_columns_settings_and_missing_columns_are_one_line():
    model = _model()
    assert input_columns(build_model("passthrough", model))[-3:] == ["story", "source", "target"]
    with pytest.raises(DataError, match=r"lacks column\(s\) \['story'\].*story or document id"):
        model.predict(ROWS.drop(columns="story"))
    with pytest.raises(ConfigError, match="weight must be >= 0"):
        _model(weight=-1.0)
    with pytest.raises(ConfigError, match="pair names two columns"):
        _model(pair=["source"])


def test_safe_model_file_round_trip(tmp_path):
    model = build_model("passthrough", _model(placeholders=["None"], weight=2.0))
    save_model(model, tmp_path, {"task": "stance"})
    loaded, _ = load_model_file(tmp_path)
    np.testing.assert_allclose(loaded.decision_function(ROWS), model.decision_function(ROWS))
