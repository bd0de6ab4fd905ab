#!/usr/bin/python3
"""XGBoost models in every form a user holds, with the real xgboost's predictions: the oracle of the local
endpoint's XGBoost reader (src/xgboost/).

Run it with the interpreter of the xgboost to ask: Debian's python3-xgboost 1.7.4 (the version of SageMaker's
XGBoost 1.7-1 container; /usr/bin/python3 here and in CI), or one of the venvs `npm run oracles` makes
(.oracles/xgboost-<version>/bin/python; the versions are listed in scripts/install-xgboost-oracles.sh):

  PYTHON scripts/xgboost-fixtures.py
      That version's committed fixtures: test/fixtures/xgboost/ for 1.7.4, test/fixtures/xgboost-<version>/
      for the others (--out DIR writes them elsewhere). Deterministic: the same bytes every run.
  PYTHON scripts/xgboost-fixtures.py --random SEED --models N --out DIR
      N freshly trained random models and random rows, same layout: the differential test's input.
  python3 scripts/xgboost-fixtures.py --python PATH [ARGS...]
      The same, run by the interpreter PATH.
  python3 scripts/xgboost-fixtures.py --all
      Every version's committed fixtures (npm run fixtures:xgboost): 1.7.4 with XGBOOST_PYTHON (default
      /usr/bin/python3), each other version with XGBOOST_PYTHON_<version, dots as underscores> (default its venv).

Each version writes the forms THAT version writes, and predicts them as THAT version's SageMaker container does
(below). xgboost 1.7.4 writes each model as:
  model.json, model.ubj        save_model() (JSON; UBJSON, the default from xgboost 2.1)
  xgboost-model                save_model() without extension: the legacy binary, as SageMaker 1.3-1 to 1.7-1 save it
  booster-1.7.pkl              pickle.dumps(booster), protocol 4 (UBJSON {"Config", "Model"} in a bytearray)
  booster-1.7-p2.pkl, -p5.pkl  the same with protocol 2 and 5 (first case only)
  booster-1.0.pkl              a Booster as xgboost 1.0 to 1.2 pickled it (SageMaker 1.0-1 to 1.2-2), protocol 3:
                               its handle is b"CONFIG-offset:" + int64 length + the legacy binary + the JSON config,
                               which is what those versions' XGBoosterSerializeToBuffer wrote (learner.cc
                               Save() with enable_experimental_json_serialization off). xgboost 1.7.4 still
                               unpickles it, so its predictions are the oracle's own.
  booster-0.90.pkl             a Booster as xgboost 0.90 pickled it (SageMaker 0.90-1, 0.90-2), protocol 3 (the
                               default of that container's Python 3). xgboost 0.90 cannot run here, so the pickle
                               is constructed, faithfully to 0.90's code: Booster.__getstate__ copied __dict__ and
                               replaced "handle" by save_raw(), a bytearray of XGBoosterGetModelRaw, i.e.
                               Learner::Save: the legacy binary WITHOUT the "binf" header, LearnerModelParam with
                               base_score stored as a margin (ProbToMargin(base_score), with glibc's logf) and no
                               version fields, no "objective" attribute (attributes only when set_attr was used,
                               i.e. early stopping). Its __dict__ is what 0.90's train() left: handle, booster,
                               feature_names (['f0', ...], from _validate_features), feature_types, best_iteration,
                               best_ntree_limit. The bytes come from 1.7.4's save_raw('deprecated') rewritten that
                               way; pickle.Pickler writes them as NEWOBJ xgboost.core.Booster + BUILD, as 0.90 did.
                               The oracle for it is 1.7.4's load_model of those raw bytes (1.7.4 reads pre-1.0
                               binaries: PredTransform of the stored margin, then ProbToMargin).
  model.tar.gz                 SageMaker's archive with member xgboost-model (the legacy binary); for the first
                               case also model-pickle.tar.gz holding booster-0.90.pkl as xgboost-model.

xgboost 2.0 and later (checked against 2.1.4, 3.0.5 and 3.2.0) write:
  model.json, model.ubj        save_model(); base_score "5E-1" up to 3.0, a JSON list string "[5E-1]" from 3.1,
                               estimated from the labels when not given (2.0+), so rarely 0.5
  xgboost-model                save_model() without extension: UBJSON from 2.1, as SageMaker's 3.0-5 container saves it
  model.deprecated             save_model('m.deprecated'): the legacy binary, which 2.1 and 3.0 still write; 3.1+
                               write UBJSON for it and refuse to load a legacy binary, so from 3.1 there is none
  booster.pkl                  pickle.dumps(booster), protocol 4 (p2, p5 for the first case): a bytearray of UBJSON
                               {"Config", "Model"}; the Booster's __dict__ holds only the handle
  booster-1.x-dict.pkl         (early-stopping case) a Booster whose __dict__ still carries best_iteration,
                               best_ntree_limit and best_score, as one trained by xgboost 1.x and pickled again by
                               this version holds them (Booster.__setstate__ restores the whole __dict__)
  model.tar.gz                 SageMaker's archive, member xgboost-model (the UBJSON); for the first case also
                               model-pickle.tar.gz holding booster.pkl as xgboost-model
and, for the early-stopping case, carries a best_ntree_limit attribute as a model trained by xgboost 1.x and
saved again by this version does (xgboost 2.0+ neither set nor read it). Pickles of 1.0-1.2 (CONFIG-offset:) and
0.90 are written by 1.7.4 only: 2.x and 3.0 still read the former, 3.1+ read neither.

Predictions are what SageMaker's XGBoost container answers: its CSV parsing (empty cell -> "nan", numpy
float64, DMatrix), its libsvm parsing (SciPy CSR of the 0-based indices as given), its model loading
(pickle.load first, then Booster.load_model) and its predict call:
  1.7-1 (xgboost 1.7.4):  booster.predict(d, ntree_limit=getattr(booster, "best_ntree_limit", 0),
                          validate_features=False); xgboost 1.7's load_model sets best_ntree_limit from the
                          model's attribute, pickles keep it in __dict__
  3.0-5 (xgboost 3.0.5):  serve_utils._predict_with_compat: limit = getattr(booster, "best_ntree_limit", 0);
                          booster.predict(d, iteration_range=(0, limit)) when limit > 0 (rounds, not trees),
                          else booster.predict(d): all trees. A 2.0+ Booster has no best_ntree_limit (load_model
                          does not set it), so only a pickle whose __dict__ carries one limits the rounds.
  2.1.4 and 3.2.0 have no container of their own: 3.0-5's rule is used for them.
Scores and margins are written as the float32 value's exact double (repr), so they compare bit for bit.
"""
import argparse
import copy
import copyreg
import ctypes
import gzip
import inspect
import io
import json
import os
import pickle
import re
import struct
import subprocess
import sys
import tarfile
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
INSTALL_SCRIPT = os.path.join(HERE, "install-xgboost-oracles.sh")
# The version of Debian's python3-xgboost, /usr/bin/python3; the others come from the install script.
SYSTEM_VERSION = "1.7.4"

np = None
xgb = None
VERSION = None  # (major, minor) of the xgboost running
LIBM = ctypes.CDLL("libm.so.6")
LIBM.logf.restype = ctypes.c_float
LIBM.logf.argtypes = [ctypes.c_float]


def load_xgboost():
    """Imports numpy and xgboost (only the modes that run a model need them)."""
    global np, xgb, VERSION
    import numpy
    import xgboost

    np, xgb = numpy, xgboost
    warnings.simplefilter("ignore")  # ntree_limit is deprecated (1.7); pickles of other versions (2.x, 3.x)
    xgb.set_config(verbosity=0)  # "Loading model from XGBoost < 1.0.0", "reg:linear is now deprecated": both intended
    VERSION = tuple(int(part) for part in xgb.__version__.split(".")[:2])


def fixtures_dir(version):
    """Where a version's committed fixtures live."""
    name = "xgboost" if version == SYSTEM_VERSION else f"xgboost-{version}"
    return os.path.join(ROOT, "test", "fixtures", name)


def oracle_versions():
    """The venv versions, from the install script's XGBOOST_VERSIONS=(...) line: the one list."""
    with open(INSTALL_SCRIPT, encoding="utf-8") as f:
        match = re.search(r"^XGBOOST_VERSIONS=\(([^)]*)\)", f.read(), re.M)
    if match is None:
        sys.exit(f"{INSTALL_SCRIPT} has no XGBOOST_VERSIONS=(...) line")
    return match.group(1).split()


def oracle_python(version):
    """The interpreter of a version's oracle (see the module docstring for the environment variables)."""
    if version == SYSTEM_VERSION:
        return os.environ.get("XGBOOST_PYTHON", "/usr/bin/python3")
    default = os.path.join(ROOT, ".oracles", f"xgboost-{version}", "bin", "python")
    return os.environ.get(f"XGBOOST_PYTHON_{version.replace('.', '_')}", default)


# ----------------------------------------------------------------------------------------------------------
# The container's input parsing, model loading and prediction (sagemaker-xgboost-container 1.7-1 and 3.0-5,
# algorithm_mode/serve_utils.py and encoder.py)

def container_csv_dmatrix(payload):
    """encoder.csv_to_dmatrix after serve_utils' payload.strip(): "" -> "nan", numpy float64, DMatrix."""
    rows = [["nan" if x == "" else x for x in line.split(",")] for line in payload.strip().split("\n")]
    return xgb.DMatrix(np.array(rows).astype(float))


def container_libsvm_dmatrix(payload):
    """serve_utils._get_sparse_matrix_from_libsvm: CSR of the indices as given (0-based), then DMatrix."""
    from scipy.sparse import csr_matrix

    row, col, data = [], [], []
    for row_idx, line in enumerate(payload.strip().split("\n")):
        for item in line.split(" "):
            if ":" in item:
                index, value = item.split(":")[:2]
                row.append(row_idx)
                col.append(index)
                data.append(value)
    matrix = csr_matrix((np.array(data).astype(float), (np.array(row), np.array(col).astype(int))))
    return xgb.DMatrix(matrix)


def container_load(path):
    """serve_utils.get_loaded_booster, for one file: pickle.load first, then Booster.load_model."""
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:
        booster = xgb.Booster()
        booster.load_model(path)
        return booster


def container_predict(booster, dmatrix, output_margin=False):
    """The container's predict call: 1.7-1's for xgboost 1.x, 3.0-5's _predict_with_compat for 2.0 and later."""
    limit = getattr(booster, "best_ntree_limit", 0)
    if "ntree_limit" in inspect.signature(booster.predict).parameters:
        return booster.predict(dmatrix, ntree_limit=limit, validate_features=False, output_margin=output_margin)
    limit = int(limit) if limit is not None else 0
    if limit > 0:
        return booster.predict(
            dmatrix, iteration_range=(0, limit), validate_features=False, output_margin=output_margin
        )
    return booster.predict(dmatrix, validate_features=False, output_margin=output_margin)


def exact(values):
    return [float(np.float32(v)) for v in values]


def container_reply(scores):
    """The container's text/csv reply: sagemaker_containers' encoders.encode(preds.tolist(), "text/csv"),
    i.e. np.savetxt(fmt="%s"): one score per line, each the repr of the float32 score as a Python float."""
    stream = io.StringIO()
    np.savetxt(stream, scores.tolist(), delimiter=",", fmt="%s")
    return stream.getvalue()


# ----------------------------------------------------------------------------------------------------------
# Model forms

class OldBoosterPickler(pickle.Pickler):
    """Pickles a bare xgboost.core.Booster instance with a given __dict__ (see the module docstring)."""

    def __init__(self, file, protocol, state):
        super().__init__(file, protocol=protocol)
        self.target = object.__new__(xgb.core.Booster)  # no handle: __del__ has nothing to free
        self.state = state

    def reducer_override(self, obj):
        if obj is self.target:
            # What object.__reduce_ex__(2+) gives for a plain class instance: NEWOBJ of the class, BUILD of the state.
            return (copyreg.__newobj__, (xgb.core.Booster,), self.state)
        return NotImplemented


def pickle_old(state, protocol=3):
    out = io.BytesIO()
    pickler = OldBoosterPickler(out, protocol, state)
    pickler.dump(pickler.target)
    return out.getvalue()


def legacy_binary(booster):
    return bytes(booster.save_raw("deprecated"))


def read_dmlc_string(data, at):
    (length,) = struct.unpack_from("<Q", data, at)
    return data[at + 8 : at + 8 + length], at + 8 + length


def binary_as_090(binary, objective_name, keep_attributes):
    """1.7.4's legacy binary rewritten as xgboost 0.90's Learner::Save wrote it (see the module docstring)."""
    assert binary[:4] == b"binf"
    data = bytearray(binary[4:])
    base_score, num_feature, num_class, extra = struct.unpack_from("<fIii", data, 0)
    objective, at = read_dmlc_string(data, 136)
    if objective.decode() in ("binary:logistic", "reg:logistic"):
        # 0.90 stored ProbToMargin(base_score) = -logf(1/base_score - 1), in float32 with glibc's logf.
        inner = np.float32(np.float32(1.0) / np.float32(base_score) - np.float32(1.0))
        margin = np.float32(-LIBM.logf(float(inner)))
    else:
        margin = np.float32(base_score)
    booster_name, at = read_dmlc_string(data, at)
    # The tree booster runs from GBTreeModelParam to the end of tree_info; the attributes follow.
    gbtree_start = at
    (num_trees,) = struct.unpack_from("<i", data, gbtree_start)
    at = gbtree_start + 160
    for _ in range(num_trees):
        (num_nodes,) = struct.unpack_from("<i", data, at + 4)
        at += 148 + num_nodes * (20 + 16)
    gbtree_end = at + 4 * num_trees
    attributes, at = {}, gbtree_end
    if extra:
        (count,) = struct.unpack_from("<Q", data, at)
        at += 8
        for _ in range(count):
            key, at = read_dmlc_string(data, at)
            value, at = read_dmlc_string(data, at)
            attributes[key.decode()] = value.decode()
    kept = {k: v for k, v in attributes.items() if k in keep_attributes}
    param = bytearray(136)  # base_score, num_feature, num_class, contain_extra_attrs, contain_eval_metrics, reserved
    struct.pack_into("<fIiii", param, 0, float(margin), num_feature, num_class, 1 if kept else 0, 0)
    name = objective_name.encode()
    out = bytearray(param)
    out += struct.pack("<Q", len(name)) + name
    out += struct.pack("<Q", len(booster_name)) + booster_name
    out += data[gbtree_start:gbtree_end]
    if kept:
        out += struct.pack("<Q", len(kept))
        for key in sorted(kept):
            out += struct.pack("<Q", len(key)) + key.encode() + struct.pack("<Q", len(kept[key])) + kept[key].encode()
    return bytes(out)


def tar_gz(members):
    """A model.tar.gz as SageMaker writes it; fixed times, so the fixtures are the same bytes every run."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1_700_000_000
            archive.addfile(info, io.BytesIO(data))
    return gzip.compress(out.getvalue(), mtime=0)


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write_forms(booster, directory, objective, first, out, refusals):
    """Every form of one model this version writes; returns [(relative file, form, oracle booster)], and adds
    to refusals the files the container cannot predict with."""
    if VERSION >= (2, 0):
        return write_forms_2(booster, directory, first, out, refusals)
    files = []
    n_trees = booster.num_boosted_rounds() * num_parallel_tree(booster)
    best_iteration = int(booster.attr("best_iteration")) if booster.attr("best_iteration") is not None else None
    best_limit = getattr(booster, "best_ntree_limit", 0)

    booster.save_model(os.path.join(directory, "model.json"))
    booster.save_model(os.path.join(directory, "model.ubj"))
    booster.save_model(os.path.join(directory, "xgboost-model"))
    assert read(os.path.join(directory, "xgboost-model"))[:4] == b"binf", "save_model without extension: legacy binary"
    for name, form in [("model.json", "JSON"), ("model.ubj", "UBJSON"), ("xgboost-model", "legacy binary")]:
        loaded = xgb.Booster()
        loaded.load_model(os.path.join(directory, name))
        files.append((name, form, loaded))

    protocols = [(4, "booster-1.7.pkl")] + ([(2, "booster-1.7-p2.pkl"), (5, "booster-1.7-p5.pkl")] if first else [])
    for protocol, name in protocols:
        data = pickle.dumps(booster, protocol=protocol)
        write(os.path.join(directory, name), data)
        files.append((name, f"pickle 1.7 (protocol {protocol})", pickle.loads(data)))

    binary = legacy_binary(booster)
    handle_10 = b"CONFIG-offset:" + struct.pack("<q", len(binary)) + binary + booster.save_config().encode()
    state_10 = {"handle": bytearray(handle_10), "best_iteration": booster.best_iteration, "best_ntree_limit": best_limit}
    data_10 = pickle_old(state_10)
    write(os.path.join(directory, "booster-1.0.pkl"), data_10)
    files.append(("booster-1.0.pkl", "pickle 1.0-1.2", pickle.loads(data_10)))

    objective_090 = "reg:linear" if objective == "reg:squarederror" else objective
    keep = {"best_iteration", "best_score", "best_msg"} if booster.attr("best_score") is not None else set()
    raw_090 = binary_as_090(binary, objective_090, keep)
    state_090 = {
        "handle": bytearray(raw_090),
        "booster": "gbtree",
        "feature_names": [f"f{i}" for i in range(booster.num_features())],
        "feature_types": None,
        "best_iteration": best_iteration if best_iteration is not None else booster.num_boosted_rounds() - 1,
        "best_ntree_limit": best_limit or n_trees,
    }
    data_090 = pickle_old(state_090)
    write(os.path.join(directory, "booster-0.90.pkl"), data_090)
    oracle_090 = xgb.Booster()
    oracle_090.load_model(bytearray(raw_090))
    oracle_090.best_ntree_limit = state_090["best_ntree_limit"]
    files.append(("booster-0.90.pkl", "pickle 0.90", oracle_090))

    write(os.path.join(directory, "model.tar.gz"), tar_gz([("xgboost-model", binary)]))
    files.append(("model.tar.gz", "model.tar.gz (legacy binary)", files[2][2]))
    if first:
        write(os.path.join(directory, "model-pickle.tar.gz"), tar_gz([("xgboost-model", data_090)]))
        files.append(("model-pickle.tar.gz", "model.tar.gz (pickle 0.90)", oracle_090))
    return files


def write_forms_2(booster, directory, first, out, refusals):
    """The forms xgboost 2.0 and later write (see the module docstring), each loaded as the container loads it."""
    files = []

    def saved(name, form):
        path = os.path.join(directory, name)
        booster.save_model(path)
        files.append((name, form, container_load(path)))

    saved("model.json", "JSON")
    saved("model.ubj", "UBJSON")
    saved("xgboost-model", "UBJSON (save_model without an extension)")
    # What the docstring says each version writes, checked on the version running.
    assert (read(os.path.join(directory, "xgboost-model"))[:2] == b"{L") == (VERSION >= (2, 1)), "UBJSON from 2.1"
    assert bytes(booster.__getstate__()["handle"])[:2] == b"{L", "a pickled Booster holds UBJSON"
    assert base_score(booster).startswith("[") == (VERSION >= (3, 1)), "base_score is a list from 3.1"
    if VERSION < (3, 1):
        saved("model.deprecated", "legacy binary (.deprecated)")
        assert read(os.path.join(directory, "model.deprecated"))[:4] == b"binf"
    else:
        booster.save_model(os.path.join(directory, "model.deprecated"))
        assert read(os.path.join(directory, "model.deprecated"))[:2] == b"{L", "3.1+ write no legacy binary"
        os.remove(os.path.join(directory, "model.deprecated"))

    protocols = [(4, "booster.pkl")] + ([(2, "booster-p2.pkl"), (5, "booster-p5.pkl")] if first else [])
    for protocol, name in protocols:
        data = pickle.dumps(booster, protocol=protocol)
        write(os.path.join(directory, name), data)
        files.append((name, f"pickle (protocol {protocol})", container_load(os.path.join(directory, name))))
    pickled = files[-len(protocols)][2]  # booster.pkl as the container loads it

    if booster.attr("best_iteration") is not None:
        # A Booster trained by xgboost 1.x, unpickled by this version and pickled again: its __dict__ keeps what
        # 1.x's train() set, and 3.0-5's container predicts with iteration_range=(0, best_ntree_limit), in rounds.
        path = os.path.join(directory, "booster-1.x-dict.pkl")
        write(path, pickle_carrying_1x_dict(booster, carried_1x_dict(booster)))
        oracle = container_load(path)
        if fails_every_prediction(oracle):
            refusals.append({"file": os.path.relpath(path, out), "contains": OUT_OF_RANGE_WORDS})
        else:
            files.append(("booster-1.x-dict.pkl", "pickle, 1.x __dict__", oracle))

    model = read(os.path.join(directory, "xgboost-model"))
    write(os.path.join(directory, "model.tar.gz"), tar_gz([("xgboost-model", model)]))
    files.append(("model.tar.gz", "model.tar.gz (UBJSON)", files[2][2]))
    if first:
        write(os.path.join(directory, "model-pickle.tar.gz"), tar_gz([("xgboost-model", read(os.path.join(directory, "booster.pkl")))]))
        files.append(("model-pickle.tar.gz", "model.tar.gz (pickle)", pickled))
    return files


# What the endpoint's refusal of a pickle whose best_ntree_limit is beyond the model's rounds must say.
OUT_OF_RANGE_WORDS = ["best_ntree_limit", "iteration_range", "Out of range for tree layers"]


def pickle_carrying_1x_dict(booster, state):
    carried = copy.copy(booster)
    carried.__dict__.update(state)
    return pickle.dumps(carried, protocol=4)


def fails_every_prediction(booster):
    """Whether the container's predict fails, as xgboost does for an iteration_range beyond the model."""
    try:
        container_predict(booster, xgb.DMatrix(np.zeros((1, booster.num_features()))))
        return False
    except xgb.core.XGBoostError as error:
        assert "Out of range for tree layers" in str(error), error
        return True


def carried_1x_dict(booster):
    """What xgboost 1.x's train() left in a Booster's __dict__ after early stopping (1.7.4 training.py)."""
    best_iteration = int(booster.attr("best_iteration"))
    return {
        "best_iteration": best_iteration,
        "best_score": float(booster.attr("best_score")),
        "best_ntree_limit": (best_iteration + 1) * num_parallel_tree(booster),
    }


def num_parallel_tree(booster):
    config = json.loads(booster.save_config())
    return int(config["learner"]["gradient_booster"]["gbtree_model_param"]["num_parallel_tree"])


def base_score(booster):
    """base_score as the model stores it: "5E-1", or "[5E-1]" from 3.1."""
    return json.loads(booster.save_config())["learner"]["learner_model_param"]["base_score"]


# ----------------------------------------------------------------------------------------------------------
# Rows

def split_thresholds(booster):
    """(feature, split condition) of every internal node: rows at and beside them test `x < cond` in float32."""
    model = json.loads(booster.save_raw("json"))
    out = []
    for tree in model["learner"]["gradient_booster"]["model"]["trees"]:
        for left, feature, cond in zip(tree["left_children"], tree["split_indices"], tree["split_conditions"]):
            if left != -1:
                out.append((feature, np.float32(cond)))
    return out


def cell(rng, value):
    """A CSV cell for a float32-ish value, in one of the spellings numpy's float() reads."""
    value = np.float32(value)
    choice = rng.integers(0, 6)
    if choice == 0:
        return repr(float(value))  # the float32's exact double
    if choice == 1:
        return str(value)  # shortest float32 repr: rounds to the same float32 through float64
    if choice == 2:
        return f"{float(value):.3e}"
    if choice == 3:
        return f"{float(value):.2f}"
    if choice == 4 and float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def make_rows(rng, booster, n_features, n_rows, sample):
    """CSV and libsvm payloads: training-like values, split thresholds and their float32 neighbours, missing values."""
    thresholds = split_thresholds(booster)
    csv_lines, libsvm_lines = [], []
    for r in range(n_rows):
        values = sample(rng, n_features)
        for _ in range(int(rng.integers(0, 4))):
            if thresholds:
                feature, cond = thresholds[int(rng.integers(0, len(thresholds)))]
                step = int(rng.integers(-1, 2))
                values[feature] = np.nextafter(cond, np.float32(np.inf * step)) if step else cond
        cells = []
        for f in range(n_features):
            u = rng.random()
            if u < 0.08:
                cells.append("")
            elif u < 0.12:
                cells.append(["nan", "NaN", "nan"][int(rng.integers(0, 3))])
            else:
                cells.append(cell(rng, values[f]))
        csv_lines.append(",".join(cells))
        entries = []
        for f in range(n_features):
            u = rng.random()
            if u < 0.3:
                continue  # absent: missing
            if u < 0.33:
                entries.append(f"{f}:nan")
            else:
                entries.append(f"{f}:{cell(rng, values[f])}")
        if r == 0 and not any(e.startswith("0:") for e in entries):
            entries.insert(0, f"0:{cell(rng, values[0])}")  # index 0 present: the payload is read 0-based as is
        libsvm_lines.append(" ".join([str(int(rng.integers(0, 2)))] + entries))
    return "\n".join(csv_lines) + "\n", "\n".join(libsvm_lines) + "\n"


def predictions(booster, csv_payload, libsvm_payload):
    csv_d = container_csv_dmatrix(csv_payload)
    libsvm_d = container_libsvm_dmatrix(libsvm_payload)
    csv_scores = container_predict(booster, csv_d)
    libsvm_scores = container_predict(booster, libsvm_d)
    return {
        "csv": exact(csv_scores),
        "csvMargins": exact(container_predict(booster, csv_d, output_margin=True)),
        "csvReply": container_reply(csv_scores),
        "libsvm": exact(libsvm_scores),
        "libsvmMargins": exact(container_predict(booster, libsvm_d, output_margin=True)),
        "libsvmReply": container_reply(libsvm_scores),
    }


# ----------------------------------------------------------------------------------------------------------
# Cases

def train(rng, objective, n_features, n_rows, rounds, depth, params, missing_rate=0.1, counts=False, early=False, save_best=False):
    """Trains a model. early: early stopping on the last quarter (2 rounds), keeping every tree unless save_best
    (how SageMaker's 3.0-5 container trains: xgb.callback.EarlyStopping(save_best=True) keeps the best rounds)."""
    if counts:
        X = rng.poisson(0.6, size=(n_rows, n_features)).astype(float)
    else:
        X = np.round(rng.normal(size=(n_rows, n_features)) * 4, int(rng.integers(1, 4)))
    weights = rng.normal(size=n_features)
    signal = X @ weights + rng.normal(size=n_rows)
    if objective in ("binary:logistic", "binary:logitraw"):
        y = (signal > np.median(signal)).astype(float)
    elif objective == "reg:logistic":
        y = 1 / (1 + np.exp(-signal / (np.std(signal) + 1e-9)))
    else:
        y = signal
    X[rng.random(X.shape) < missing_rate] = np.nan
    all_params = {"objective": objective, "max_depth": depth, "eta": 0.3, "seed": 0, "nthread": 1, **params}
    if early:
        cut = int(n_rows * 0.75)
        dtrain, dvalid = xgb.DMatrix(X[:cut], y[:cut]), xgb.DMatrix(X[cut:], y[cut:])
        if save_best:
            stop = xgb.callback.EarlyStopping(rounds=2, save_best=True)
            return xgb.train(all_params, dtrain, rounds, evals=[(dvalid, "valid")], callbacks=[stop], verbose_eval=False)
        return xgb.train(all_params, dtrain, rounds, evals=[(dvalid, "valid")], early_stopping_rounds=2, verbose_eval=False)
    return xgb.train(all_params, xgb.DMatrix(X, y), rounds)


def sampler(counts):
    def sample(rng, n):
        if counts:
            return rng.poisson(0.6, size=n).astype(np.float32)
        return np.float32(np.round(rng.normal(size=n) * 4, int(rng.integers(1, 4))))

    return sample


FIXTURE_CASES = [
    # name, objective, features, rows, rounds, depth, extra params, counts (bag-of-words like), early stopping
    ("binary-logistic", "binary:logistic", 6, 300, 4, 3, {}, True, False),
    ("reg-logistic", "reg:logistic", 5, 300, 2, 3, {"base_score": 0.3}, False, False),
    ("binary-logitraw", "binary:logitraw", 5, 300, 2, 3, {}, False, False),
    ("reg-squarederror", "reg:squarederror", 5, 300, 2, 3, {"base_score": -1.25}, False, False),
    ("early-stopping-forest", "binary:logistic", 5, 120, 12, 2, {"num_parallel_tree": 2, "base_score": 0.7, "eta": 1.0}, False, True),
]


def write_case(out, name, objective, booster, rng, n_features, n_rows, counts, first, refusals):
    directory = os.path.join(out, name)
    os.makedirs(directory, exist_ok=True)
    files = write_forms(booster, directory, objective, first, out, refusals)
    csv_payload, libsvm_payload = make_rows(rng, booster, n_features, n_rows, sampler(counts))
    write(os.path.join(directory, "rows.csv"), csv_payload.encode())
    write(os.path.join(directory, "rows.libsvm"), libsvm_payload.encode())
    expected, forms = {}, []
    for file, form, oracle in files:
        preds = predictions(oracle, csv_payload, libsvm_payload)
        key = next((k for k, v in expected.items() if v == preds), None)
        if key is None:
            key = f"oracle{len(expected)}"
            expected[key] = preds
        entry = {"file": f"{name}/{file}", "form": form, "expected": key}
        if VERSION >= (2, 0):
            # The rounds the container predicts with: every one unless the loaded Booster has a best_ntree_limit.
            entry["bestNtreeLimit"] = int(getattr(oracle, "best_ntree_limit", 0) or 0)
        forms.append(entry)
    case = {
        "name": name,
        "objective": objective,
        "numFeature": n_features,
        "trees": booster.num_boosted_rounds() * num_parallel_tree(booster),
        "bestNtreeLimit": getattr(booster, "best_ntree_limit", 0),
    }
    if VERSION >= (2, 0):
        case["baseScore"] = base_score(booster)
        case["attributes"] = booster.attributes()
    return {
        **case,
        "csv": f"{name}/rows.csv",
        "libsvm": f"{name}/rows.libsvm",
        "files": forms,
        "expected": expected,
    }


def refused_fixtures(out):
    """Models the endpoint must refuse at load, each with the words its message must contain."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(60, 3))
    y3 = rng.integers(0, 3, size=60).astype(float)
    y2 = (X[:, 0] > 0).astype(float)
    d = os.path.join(out, "refused")
    os.makedirs(d, exist_ok=True)
    cases = []

    def save(name, booster, words):
        booster.save_model(os.path.join(d, name))
        cases.append({"file": f"refused/{name}", "contains": words})

    save("multiclass.json", xgb.train({"objective": "multi:softprob", "num_class": 3, "max_depth": 1}, xgb.DMatrix(X, y3), 1), ["multi:softprob", "multi-class"])
    save("multiclass-xgboost-model", xgb.train({"objective": "multi:softmax", "num_class": 3, "max_depth": 1}, xgb.DMatrix(X, y3), 1), ["multi:softmax", "multi-class"])
    save("dart.json", xgb.train({"booster": "dart", "objective": "binary:logistic", "max_depth": 1}, xgb.DMatrix(X, y2), 2), ["dart"])
    save("gblinear.ubj", xgb.train({"booster": "gblinear", "objective": "binary:logistic", "nthread": 1}, xgb.DMatrix(X, y2), 2), ["gblinear", "linear"])
    save("poisson.json", xgb.train({"objective": "count:poisson", "max_depth": 1}, xgb.DMatrix(X, np.abs(X[:, 0])), 1), ["count:poisson"])
    Xc = np.column_stack([rng.integers(0, 4, size=60).astype(float), X[:, 1]])
    dc = xgb.DMatrix(Xc, y2, feature_types=["c", "q"], enable_categorical=True)
    save("categorical.json", xgb.train({"objective": "binary:logistic", "max_depth": 2, "tree_method": "hist"}, dc, 2), ["categorical"])

    from xgboost import XGBClassifier

    classifier = XGBClassifier(n_estimators=2, max_depth=1).fit(X, y2)
    write(os.path.join(d, "xgbclassifier.pkl"), pickle.dumps(classifier))
    cases.append({"file": "refused/xgbclassifier.pkl", "contains": ["xgboost.sklearn.XGBClassifier", "not an xgboost.core.Booster"]})
    write(os.path.join(d, "dict.pkl"), pickle.dumps({"handle": b"\x00" * 16, "note": "not a booster"}))
    cases.append({"file": "refused/dict.pkl", "contains": ["a dict", "handle", "not an xgboost.core.Booster"]})
    write(os.path.join(d, "ndarray.pkl"), pickle.dumps(np.arange(4.0)))
    cases.append({"file": "refused/ndarray.pkl", "contains": ["numpy", "not an xgboost.core.Booster"]})
    write(os.path.join(d, "no-model.tar.gz"), tar_gz([("a.txt", b"hello"), ("b.bin", b"\x00\x01")]))
    cases.append({"file": "refused/no-model.tar.gz", "contains": ["no member xgboost-model", "a.txt", "b.bin"]})
    if VERSION >= (2, 0):
        # A 3-round forest pickled with the __dict__ 1.x's train() leaves at best_iteration 2: best_ntree_limit 6,
        # which 3.0-5's container passes as iteration_range=(0, 6).
        forest = xgb.train({"objective": "binary:logistic", "max_depth": 1, "num_parallel_tree": 2, "nthread": 1}, xgb.DMatrix(X, y2), 3)
        data = pickle_carrying_1x_dict(forest, {"best_iteration": 2, "best_score": 0.5, "best_ntree_limit": 6})
        write(os.path.join(d, "limit-beyond-rounds.pkl"), data)
        assert fails_every_prediction(container_load(os.path.join(d, "limit-beyond-rounds.pkl")))
        cases.append({"file": "refused/limit-beyond-rounds.pkl", "contains": OUT_OF_RANGE_WORDS})
    return cases


def container_rule():
    if VERSION < (2, 0):
        return "sagemaker-xgboost-container 1.7-1: predict(ntree_limit=getattr(booster, 'best_ntree_limit', 0))"
    own = "" if xgb.__version__ == "3.0.5" else f" (xgboost {xgb.__version__} has no container of its own)"
    return (
        "sagemaker-xgboost-container 3.0-5" + own + ": predict(iteration_range=(0, getattr(booster, "
        "'best_ntree_limit', 0))) when that is above 0, else every tree"
    )


def fixtures(out):
    rng = np.random.default_rng(20240601)
    manifest = {"xgboost": xgb.__version__, "generatedBy": "scripts/xgboost-fixtures.py", "cases": []}
    if VERSION >= (2, 0):
        manifest["container"] = container_rule()
    refusals = []
    for i, (name, objective, n_features, n_rows, rounds, depth, params, counts, early) in enumerate(FIXTURE_CASES):
        booster = train(rng, objective, n_features, n_rows, rounds, depth, params, counts=counts, early=early)
        if early and VERSION >= (2, 0):
            # As a model trained by xgboost 1.x and saved again by this version: the attribute stays, unread.
            booster.set_attr(best_ntree_limit=str(carried_1x_dict(booster)["best_ntree_limit"]))
        manifest["cases"].append(write_case(out, name, objective, booster, rng, n_features, 24, counts, i == 0, refusals))
    manifest["refused"] = refusals + refused_fixtures(out)
    write(os.path.join(out, "manifest.json"), (json.dumps(manifest, indent=1) + "\n").encode())


def random_models(seed, count, out):
    """Fresh random models: random objective, shape, depth, missing rate, base_score, forest size, early stopping
    (from 2.0 also as the 3.0-5 container trains, save_best, and with a 1.x best_ntree_limit attribute)."""
    rng = np.random.default_rng(seed)
    objectives = ["binary:logistic", "reg:logistic", "binary:logitraw", "reg:squarederror"]
    manifest = {"xgboost": xgb.__version__, "generatedBy": f"scripts/xgboost-fixtures.py --random {seed}", "cases": []}
    if VERSION >= (2, 0):
        manifest["container"] = container_rule()
    refusals = []
    for i in range(count):
        objective = objectives[i % len(objectives)] if i < len(objectives) else objectives[int(rng.integers(0, 4))]
        n_features = int(rng.integers(2, 40))
        counts = bool(rng.random() < 0.4)
        params = {"eta": float(rng.uniform(0.05, 1.0)), "max_bin": int(rng.integers(4, 256))}
        if rng.random() < 0.5:
            params["base_score"] = float(rng.uniform(0.02, 0.98)) if "logistic" in objective else float(rng.normal() * 3)
        if rng.random() < 0.25:
            params["num_parallel_tree"] = 2
            params["subsample"] = 0.8
        if rng.random() < 0.3:
            params["min_child_weight"] = float(rng.uniform(0, 5))
        shape = (int(rng.integers(80, 400)), int(rng.integers(1, 25)), int(rng.integers(1, 9)))
        missing_rate, early = float(rng.uniform(0, 0.5)), bool(rng.random() < 0.25)
        save_best = carry = False
        if VERSION >= (2, 0) and early:
            save_best, carry = bool(rng.random() < 0.5), bool(rng.random() < 0.5)
        booster = train(
            rng, objective, n_features, shape[0], shape[1], shape[2], params,
            missing_rate=missing_rate, counts=counts, early=early, save_best=save_best,
        )
        if carry and booster.attr("best_iteration") is not None:
            booster.set_attr(best_ntree_limit=str(carried_1x_dict(booster)["best_ntree_limit"]))
        manifest["cases"].append(write_case(out, f"random-{i}", objective, booster, rng, n_features, 120, counts, i == 0, refusals))
    manifest["refused"] = refusals
    write(os.path.join(out, "manifest.json"), (json.dumps(manifest) + "\n").encode())


def run_all():
    """Every version's committed fixtures, each by its own interpreter."""
    for version in [SYSTEM_VERSION, *oracle_versions()]:
        python = oracle_python(version)
        if not os.access(python, os.X_OK):
            sys.exit(f"no xgboost {version} oracle at {python}: run `npm run oracles`")
        print(f"xgboost {version}: {python} -> {os.path.relpath(fixtures_dir(version), ROOT)}", flush=True)
        subprocess.run([python, os.path.abspath(__file__), "--expect-version", version], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--random", type=int, help="seed: write fresh random models instead of the fixtures")
    parser.add_argument("--models", type=int, default=12)
    parser.add_argument("--out", help="output directory (default: the version's committed fixtures)")
    parser.add_argument("--python", help="run this script with that interpreter instead")
    parser.add_argument("--all", action="store_true", help="every version's committed fixtures (npm run fixtures:xgboost)")
    parser.add_argument("--expect-version", help="fail unless the interpreter's xgboost is this version")
    args = parser.parse_args()
    if args.python is not None:
        rest, skip = [], False
        for arg in sys.argv[1:]:
            if skip or arg.startswith("--python="):
                skip = False
            elif arg == "--python":
                skip = True
            else:
                rest.append(arg)
        os.execv(args.python, [args.python, os.path.abspath(__file__), *rest])
    if args.all:
        run_all()
        return
    load_xgboost()
    if args.expect_version is not None and xgb.__version__ != args.expect_version:
        sys.exit(f"{sys.executable} has xgboost {xgb.__version__}, not {args.expect_version}: run `npm run oracles`")
    if args.random is not None:
        random_models(args.random, args.models, args.out or ".")
    else:
        fixtures(os.path.normpath(args.out or fixtures_dir(xgb.__version__)))


if __name__ == "__main__":
    main()
