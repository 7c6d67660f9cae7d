"""Every experiment composes and builds; bad overrides fail with one clear line."""

from __future__ import annotations

import pytest
from omegaconf import OmegaConf

from stance.config.build import build
from stance.config.compose import compose, config_dir
from stance.errors import ConfigError

EXPERIMENTS = sorted(p.stem for p in (config_dir() / "experiment").glob("*.yaml"))


def test_the_required_experiments_exist():
    required = {
        "statements_stance",
        "semeval2016_stance",
        "semeval2016_sentiment",
        "tweeteval_stance",
    }
    assert required <= set(EXPERIMENTS)


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_experiment_composes_and_builds(experiment):
    cfg = compose([f"experiment={experiment}", "paths.data_home=/data"])
    assert cfg.evaluation.primary in {"f_avg", "macro_f1", "macro_recall", "micro_f1", "accuracy"}
    assert OmegaConf.select(cfg, "data.corpus._target_").startswith("stance.data.")
    model = build(cfg.pipeline)
    assert hasattr(model, "fit") and hasattr(model, "get_params")
    corpus = build(cfg.data.corpus)
    assert corpus.name == cfg.data.name


@pytest.mark.parametrize(
    "model", ["logistic_regression", "linear_svc", "complement_nb", "majority"]
)
def test_model_options_and_seed(model):
    cfg = compose([f"model={model}", "seed=123"])
    estimator = build(cfg.pipeline)
    classifier = estimator.named_steps["classifier"]
    if "random_state" in classifier.get_params():
        assert classifier.random_state == 123


def test_semeval_stance_is_the_organisers_protocol():
    cfg = compose(["experiment=semeval2016_stance"])
    model = build(cfg.pipeline)
    assert type(model).__name__ == "PerTargetClassifier"
    union = model.estimator.named_steps["features"].named_steps["ngrams"]
    ranges = {name: vec.ngram_range for name, vec in union.transformer_list}
    assert ranges == {"word": (1, 3), "char": (2, 5)}
    assert cfg.evaluation.primary == "f_avg"


def test_unknown_key_is_one_line():
    with pytest.raises(ConfigError) as err:
        compose(["modle.C=3"])
    assert "\n" not in str(err.value) and "modle" in str(err.value)


def test_unknown_group_option_lists_the_options():
    with pytest.raises(ConfigError, match="Could not find 'model/nope'.*linear_svc"):
        compose(["model=nope"])


def test_sweep_overrides_compose_on_their_first_choice():
    cfg = compose(["seed=1,2,3", "model=linear_svc,majority"])
    assert cfg.seed == 1 and cfg.model._target_ == "sklearn.svm.LinearSVC"


def test_disallowed_target_is_refused_before_anything_is_built():
    with pytest.raises(ConfigError, match="_target_ 'os.system' is not allowed"):
        build({"_target_": "stance.models.build_model", "features": {"_target_": "os.system"}})


@pytest.mark.parametrize(
    ("launcher", "target", "key", "value"),
    [
        ("local", "JoblibLauncher", "n_jobs", 2),
        ("slurm", "SlurmLauncher", "cpus_per_task", 2),
    ],
)
def test_launcher_configs_compose(launcher, target, key, value):
    cfg = compose([f"hydra/launcher={launcher}"], return_hydra_config=True)
    assert cfg.hydra.launcher._target_.endswith(target)
    assert cfg.hydra.launcher[key] == value


def test_run_folders_have_a_unique_id():
    cfg = compose([], return_hydra_config=True)
    assert "${stance_run_id:}" in OmegaConf.to_container(cfg.hydra.run)["dir"]


#: blend experiment -> (its n-gram member's experiment, its encoder member's experiment).
BLENDS = {
    "semeval2016_stance_blend": ("semeval2016_stance_best", "semeval2016_stance_encoder"),
    "seesaw_blend": ("seesaw_mentions", "seesaw_encoder"),
    "dse_blend": ("dse_ngrams", "dse_encoder"),
}


@pytest.mark.parametrize("blend", sorted(BLENDS))
def test_blend_members_are_the_experiments_their_weight_was_chosen_for(blend):
    """experiments/semeval2016_stance/blend_select.py chooses the weight on the member
    experiments, so the blend's members must build exactly those models (features and
    classifier)."""
    members = compose([f"experiment={blend}", "paths.data_home=/data"]).blend.estimators
    for member, experiment in zip(("ngrams", "encoder"), BLENDS[blend], strict=True):
        alone = compose([f"experiment={experiment}", "paths.data_home=/data"])
        got = members[member]
        if "estimator" in got:  # a wrapper (PairedDirections) around the member's own model
            assert _settings(build(got)) == _settings(build(alone.pipeline.classifier)), member
            got = got.estimator
        assert repr(build(got.features)) == repr(build(alone.features)), (member, experiment)
        assert build(got.classifier).get_params() == build(alone.model).get_params(), member


def test_seesaw_best_reads_the_seesaw_blend_together_with_the_weight_chosen_on_dev():
    """experiments/seesaw/consistency_select.py chose the weight on seesaw_blend's dev scores, so
    seesaw_best must wrap exactly that model, with that weight and its grouping."""
    best, blend = (
        OmegaConf.to_container(
            compose([f"experiment={name}", "paths.data_home=/data"]), resolve=True
        )
        for name in ("seesaw_best", "seesaw_blend")
    )
    consistency = best["pipeline"]["classifier"]
    assert consistency["_target_"] == "stance.models.consistency.GroupConsistency"
    assert consistency["estimator"] == blend["pipeline"]["classifier"]
    assert (consistency["weight"], consistency["by"], consistency["symmetric"]) == (
        3.0,
        ["story"],
        True,
    )
    assert consistency["placeholders"] == ["Not in the list", "None"]
    model = build(best["pipeline"])
    assert model.named_steps["classifier"].weight == 3.0


def test_dse_is_the_blend_that_meets_the_bar_and_dse_ngrams_the_svm_alone():
    """Issue 3 checks `stance-train experiment=dse`: since session 7 it is the blend (= dse_best);
    the n-gram SVM it was before is experiment=dse_ngrams, the blend's first member."""
    dse, best, ngrams = (
        compose([f"experiment={name}", "paths.data_home=/data"])
        for name in ("dse", "dse_best", "dse_ngrams")
    )
    assert OmegaConf.to_container(dse, resolve=True) == OmegaConf.to_container(best, resolve=True)
    assert set(dse.blend.estimators) == {"ngrams", "encoder"}
    assert dse.blend.weights.encoder == 0.4
    assert ngrams.pipeline.classifier["_target_"].endswith("LinearSVC")
    assert dse.data == ngrams.data and dse.evaluation == ngrams.evaluation


def _settings(estimator) -> dict:
    """An estimator's own settings, nested estimators left out (compared on their own)."""
    return {k: v for k, v in estimator.get_params(deep=False).items() if not hasattr(v, "fit")}
