#!/usr/bin/python3
"""xgboost's own explanations (Booster.predict(pred_contribs=True)): the oracle of src/xgboost/tree-shap.ts.

Run it with the interpreter of the xgboost to ask: Debian's python3-xgboost 1.7.4 (/usr/bin/python3) or a venv
of `npm run oracles` (.oracles/xgboost-<version>/bin/python; versions in scripts/install-xgboost-oracles.sh).

  PYTHON scripts/xgboost-contributions.py --seed SEED --models N --out DIR [--rows R]
         [--default-model FILE --default-rows K]
      Trains N fresh random models (binary:logistic, reg:logistic, binary:logitraw, reg:squarederror; random
      depth, rounds, learning rate, missing rate, base_score, tree method, lossguide trees, forests, early
      stopping), on bag-of-words-like count features or general float features; saves each as model.json and
      model.ubj; draws R rows of each kind below and writes xgboost's contributions and margins for them. With
      --default-model, also K count rows of that model (the committed default model: 5,000 features). The
      first model with a split is also written with a leaf's cover 0 (zero-leaf.json) and with a split node's
      cover 0 (zero-split.json), and its rows explained with each ("zeroCover" in the manifest; null if none).
  PYTHON scripts/xgboost-contributions.py --bench MODEL ROWS_CSV OUT_F32
      The child of bench/explain.ts: explains every row of ROWS_CSV once (written to OUT_F32 as float32,
      rows x (num_feature + 1)), prints {"ready", "xgboost"}, then for each "round" line on stdin times every
      row as an online request is served (a one-row DMatrix of the float32 row, then predict(pred_contribs))
      and prints {"samplesNs": [...]}; "quit" ends.

Two row kinds, as src/xgboost/tree-shap.ts takes them:
  counts   {indices, values}: every other column is 0, a value (XGBoostModel.marginCounts; dense CSV input).
           Mostly zeros; values at split thresholds and their float32 neighbours too. Given to xgboost as a dense
           float32 row.
  sparse   {indices, values}: every other column is missing (XGBoostModel.marginSparse; libsvm input); some listed
           values are NaN (missing too). Given to xgboost as a dense float32 row with NaN where missing.

The trees explained are the trees the project's loader scores with (src/xgboost/load.ts): xgboost 1.x's
best_ntree_limit attribute limits them (1.7's load_model sets it on the Booster, SageMaker 1.7-1 predicts with
it); 2.0+ neither set nor read it, so every tree of the saved model (early stopping with save_best keeps only
the best rounds). predict() is asked for exactly those rounds (iteration_range), and the manifest says how many
trees that is ("treesUsed").

Output: DIR/manifest.json {"xgboost", "seed", "cases": [{"name", "objective", "numFeature", "treesUsed",
"files": [...], "rows": "<name>/rows.json"}], "zeroCover"}; each rows.json holds, per kind, the rows ("indices",
"values"), xgboost's "contributions" (num_feature + 1 per row, the bias last) and "margins" (output_margin=True).
Every number is the float32's exact double, so nothing is lost on the way (NaN is written as null, an infinity
as "Infinity" or "-Infinity").
"""
import argparse
import json
import math
import os
import sys
import time
import warnings

import numpy as np
import xgboost as xgb

warnings.simplefilter("ignore")  # 1.7: "ntree_limit is deprecated"
xgb.set_config(verbosity=0)
VERSION = tuple(int(part) for part in xgb.__version__.split(".")[:2])
OBJECTIVES = ["binary:logistic", "reg:logistic", "binary:logitraw", "reg:squarederror"]


def exact(values):
    """float32 values as their exact doubles (json writes the shortest repr of each double: no loss); NaN as null,
    infinities as the strings "Infinity" and "-Infinity" (JSON has no such numbers)."""

    def one(v):
        if math.isnan(v):
            return None
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return v

    return [one(v) for v in np.asarray(values, dtype=np.float32).astype(np.float64).tolist()]


def num_parallel_tree(booster):
    config = json.loads(booster.save_config())
    return int(config["learner"]["gradient_booster"]["gbtree_model_param"]["num_parallel_tree"])


def trees_used(booster):
    """The trees the project's loader scores this model's saved files with (see the module docstring)."""
    total = booster.num_boosted_rounds() * num_parallel_tree(booster)
    if VERSION < (2, 0):
        limit = booster.attributes().get("best_ntree_limit")
        if limit is not None and 0 < int(limit) <= total:
            return int(limit)
    return total


def split_thresholds(booster, limit):
    """(feature, split condition) of every split node of the first `limit` trees."""
    model = json.loads(booster.save_raw("json"))
    out = []
    for tree in model["learner"]["gradient_booster"]["model"]["trees"][:limit]:
        for left, feature, cond in zip(tree["left_children"], tree["split_indices"], tree["split_conditions"]):
            if left != -1:
                out.append((feature, np.float32(cond)))
    return out


def near_threshold(rng, thresholds):
    """A split node's feature and its condition or one of its float32 neighbours: the `x < cond` edge."""
    feature, cond = thresholds[int(rng.integers(0, len(thresholds)))]
    step = int(rng.integers(-1, 2))
    return feature, (np.nextafter(cond, np.float32(np.inf * step)) if step else cond)


def general_value(rng):
    return np.float32(np.round(rng.normal() * 4, int(rng.integers(1, 4))))


def counts_row(rng, n_features, thresholds, counts):
    """A row of distinct columns, every other column 0: mostly zeros (bag-of-words-like)."""
    k = int(rng.integers(0, max(1, min(n_features, 3 + n_features // 4)) + 1))
    columns = rng.choice(n_features, size=k, replace=False).tolist()
    row = {int(c): (np.float32(1 + rng.poisson(0.7)) if counts else general_value(rng)) for c in columns}
    for _ in range(int(rng.integers(0, 4))):
        if thresholds:
            feature, value = near_threshold(rng, thresholds)
            row[int(feature)] = value
    return row


def sparse_row(rng, n_features, thresholds, counts):
    """A row whose absent columns are missing; some listed values are NaN (missing too)."""
    density = rng.uniform(0, 1)
    row = {}
    for f in range(n_features):
        if rng.random() < density:
            row[f] = np.float32(rng.poisson(0.7)) if counts else general_value(rng)
    for _ in range(int(rng.integers(0, 4))):
        if thresholds:
            feature, value = near_threshold(rng, thresholds)
            row[int(feature)] = value
    for f in list(row):
        if rng.random() < 0.05:
            row[f] = np.float32(np.nan)
    return row


def explain(booster, rows, n_features, missing_absent, rounds):
    """xgboost's contributions and margins of the rows, as one dense float32 matrix (NaN: missing)."""
    dense = np.full((len(rows), n_features), np.nan if missing_absent else 0, dtype=np.float32)
    for r, row in enumerate(rows):
        for column, value in row.items():
            dense[r, column] = value
    d = xgb.DMatrix(dense, missing=np.nan)
    contributions = booster.predict(d, pred_contribs=True, iteration_range=(0, rounds))
    margins = booster.predict(d, output_margin=True, iteration_range=(0, rounds))
    return {
        "indices": [sorted(row) for row in rows],
        "values": [exact([row[c] for c in sorted(row)]) for row in rows],
        "contributions": [exact(c) for c in contributions],
        "margins": exact(margins),
    }


def train(rng, objective, n_features, counts):
    """A fresh random model on synthetic data; returns the Booster."""
    n_rows = int(rng.integers(60, 400))
    if counts:
        X = rng.poisson(rng.uniform(0.05, 0.6), size=(n_rows, n_features)).astype(float)
    else:
        X = np.round(rng.normal(size=(n_rows, n_features)) * 4, int(rng.integers(1, 4)))
    signal = X @ rng.normal(size=n_features) + rng.normal(size=n_rows)
    if objective in ("binary:logistic", "binary:logitraw"):
        y = (signal > np.median(signal)).astype(float)
    elif objective == "reg:logistic":
        y = 1 / (1 + np.exp(-signal / (np.std(signal) + 1e-9)))
    else:
        y = signal
    if not counts:
        X[rng.random(X.shape) < rng.uniform(0, 0.5)] = np.nan
    params = {
        "objective": objective,
        "eta": float(rng.uniform(0.05, 1.0)),
        "max_depth": int(rng.integers(1, 9)),
        "seed": int(rng.integers(0, 2**31)),
        "nthread": 1,
        "tree_method": ["exact", "approx", "hist"][int(rng.integers(0, 3))],
    }
    if params["tree_method"] == "hist":
        params["max_bin"] = int(rng.integers(4, 256))
        if rng.random() < 0.4:
            # Lossguide: deep, unbalanced trees (the path buffer's worst case), node ids not level by level.
            params.update(grow_policy="lossguide", max_depth=0, max_leaves=int(rng.integers(2, 64)))
    if rng.random() < 0.5:
        params["base_score"] = float(rng.uniform(0.02, 0.98)) if "logistic" in objective else float(rng.normal() * 3)
    if rng.random() < 0.25:
        params.update(num_parallel_tree=2, subsample=0.8)
    if rng.random() < 0.3:
        params["min_child_weight"] = float(rng.uniform(0, 5))
    rounds = int(rng.integers(1, 26))
    if rng.random() < 0.25:
        cut = int(n_rows * 0.75)
        dtrain, dvalid = xgb.DMatrix(X[:cut], y[:cut]), xgb.DMatrix(X[cut:], y[cut:])
        if VERSION >= (2, 0) and rng.random() < 0.5:
            stop = xgb.callback.EarlyStopping(rounds=2, save_best=True)  # SageMaker 3.0-5's way: the best rounds only
            return xgb.train(params, dtrain, rounds, evals=[(dvalid, "valid")], callbacks=[stop], verbose_eval=False)
        return xgb.train(params, dtrain, rounds, evals=[(dvalid, "valid")], early_stopping_rounds=2, verbose_eval=False)
    return xgb.train(params, xgb.DMatrix(X, y), rounds)


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, separators=(",", ":"))


def write_case(out, name, objective, booster, files, rng, n_rows, counts):
    directory = os.path.join(out, name)
    n_features = booster.num_features()
    used = trees_used(booster)
    rounds = used // num_parallel_tree(booster)
    thresholds = split_thresholds(booster, used)
    count_rows = [counts_row(rng, n_features, thresholds, counts) for _ in range(n_rows)]
    sparse_rows = [sparse_row(rng, n_features, thresholds, counts) for _ in range(n_rows)]
    count_rows[0] = {}  # every column 0
    sparse_rows[0] = {}  # every column missing
    write_json(
        os.path.join(directory, "rows.json"),
        {
            "counts": explain(booster, count_rows, n_features, False, rounds),
            "sparse": explain(booster, sparse_rows, n_features, True, rounds),
        },
    )
    return {
        "name": name,
        "objective": objective,
        "numFeature": n_features,
        "treesUsed": used,
        "files": files,
        "rows": f"{name}/rows.json",
    }


def random_models(args):
    rng = np.random.default_rng(args.seed)
    manifest = {"xgboost": xgb.__version__, "seed": args.seed, "cases": [], "zeroCover": None}
    for i in range(args.models):
        objective = OBJECTIVES[i % len(OBJECTIVES)] if i < len(OBJECTIVES) else OBJECTIVES[int(rng.integers(0, 4))]
        counts = bool(i % 2 == 0 if i < len(OBJECTIVES) else rng.random() < 0.5)
        n_features = int(rng.integers(20, 300)) if counts else int(rng.integers(2, 40))
        booster = train(rng, objective, n_features, counts)
        name = f"random-{i}"
        os.makedirs(os.path.join(args.out, name), exist_ok=True)
        files = []
        for file in ("model.json", "model.ubj"):
            booster.save_model(os.path.join(args.out, name, file))
            files.append(f"{name}/{file}")
        manifest["cases"].append(write_case(args.out, name, objective, booster, files, rng, args.rows, counts))
        if manifest.get("zeroCover") is None:
            manifest["zeroCover"] = zero_covers(args.out, manifest["cases"][-1], booster)
    if args.default_model is not None:
        booster = xgb.Booster()
        booster.load_model(args.default_model)
        objective = json.loads(booster.save_config())["learner"]["objective"]["name"]
        name = "default-model"
        os.makedirs(os.path.join(args.out, name), exist_ok=True)
        case = write_case(args.out, name, objective, booster, [os.path.abspath(args.default_model)], rng, args.default_rows, True)
        manifest["cases"].append(case)
    write_json(os.path.join(args.out, "manifest.json"), manifest)


def zero_covers(out, case, booster):
    """The case's model again, once with a leaf's cover 0 and once with a split node's (the root of a tree): how
    xgboost explains a zero cover (see src/xgboost/tree-shap.ts). The covers are set in the JSON model, which
    xgboost then loads; the rows are the case's own."""
    name = case["name"]
    with open(os.path.join(out, name, "model.json")) as f:
        document = json.load(f)
    trees = document["learner"]["gradient_booster"]["model"]["trees"][: case["treesUsed"]]
    tree = next((t for t, nodes in enumerate(trees) if len(nodes["left_children"]) > 1), None)
    if tree is None:
        return None
    leaf = trees[tree]["left_children"].index(-1)
    with open(os.path.join(out, case["rows"])) as f:
        given = json.load(f)
    rounds = case["treesUsed"] // num_parallel_tree(booster)
    result = {"tree": tree, "leafNode": leaf}
    for which, node in (("leaf", leaf), ("split", 0)):
        changed = json.loads(json.dumps(document))
        changed["learner"]["gradient_booster"]["model"]["trees"][tree]["sum_hessian"][node] = 0.0
        file = f"{name}/zero-{which}.json"
        with open(os.path.join(out, file), "w") as f:
            json.dump(changed, f)
        model = xgb.Booster()
        model.load_model(os.path.join(out, file))
        kinds = {}
        for kind, missing_absent in (("counts", False), ("sparse", True)):
            rows = [
                {c: np.float32(np.nan if v is None else v) for c, v in zip(indices, values)}
                for indices, values in zip(given[kind]["indices"], given[kind]["values"])
            ]
            kinds[kind] = explain(model, rows, case["numFeature"], missing_absent, rounds)
        write_json(os.path.join(out, f"{name}/zero-{which}-rows.json"), kinds)
        result[which] = {"file": file, "rows": f"{name}/zero-{which}-rows.json"}
    return result


def bench(model, rows_file, out_file):
    """The interleaved xgboost side of bench/explain.ts (see the module docstring)."""
    booster = xgb.Booster()
    booster.load_model(model)
    booster.set_param("nthread", 1)
    with open(rows_file) as f:
        rows = [np.array([[float(x) for x in line.rstrip("\n").split(",")]], dtype=np.float32) for line in f]
    explained = [booster.predict(xgb.DMatrix(row, missing=np.nan, nthread=1), pred_contribs=True)[0] for row in rows]
    np.asarray(explained, dtype=np.float32).tofile(out_file)
    print(json.dumps({"ready": True, "xgboost": xgb.__version__}), flush=True)
    for command in sys.stdin:
        if command.strip() != "round":
            break
        samples = []
        for row in rows:
            start = time.perf_counter_ns()
            booster.predict(xgb.DMatrix(row, missing=np.nan, nthread=1), pred_contribs=True)
            samples.append(time.perf_counter_ns() - start)
        print(json.dumps({"samplesNs": samples}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int)
    parser.add_argument("--models", type=int, default=12)
    parser.add_argument("--rows", type=int, default=40, help="rows of each kind per model")
    parser.add_argument("--out")
    parser.add_argument("--default-model", help="also explain count rows of this model file")
    parser.add_argument("--default-rows", type=int, default=30)
    parser.add_argument("--bench", nargs=3, metavar=("MODEL", "ROWS_CSV", "OUT_F32"))
    args = parser.parse_args()
    if args.bench is not None:
        bench(*args.bench)
    elif args.seed is None or args.out is None:
        parser.error("--seed and --out are required (or --bench)")
    else:
        random_models(args)


if __name__ == "__main__":
    main()
