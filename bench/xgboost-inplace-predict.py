#!/usr/bin/python3
"""xgboost's own scoring of one row, for bench/model-scoring.ts: Booster.inplace_predict on a 1 x num_feature
float32 numpy row (xgboost's fastest path: no DMatrix, no parsing), nthread=1 as SageMaker's container sets.

  /usr/bin/python3 bench/xgboost-inplace-predict.py MODEL ROWS_CSV

Prints {"ready", "predictions"} once, then for each "round" line on stdin times every row once and prints
{"samplesNs": [...]}; "quit" ends. The rounds are interleaved with the TypeScript side's by its caller.
"""
import json
import sys
import time

import numpy as np
import xgboost as xgb


def main():
    model, rows_file = sys.argv[1], sys.argv[2]
    booster = xgb.Booster()
    booster.load_model(model)
    booster.set_param("nthread", 1)
    with open(rows_file) as f:
        rows = [np.array([[float(x) if x != "" else np.nan for x in line.rstrip("\n").split(",")]], dtype=np.float32) for line in f]
    predictions = [float(booster.inplace_predict(row)[0]) for row in rows]
    print(json.dumps({"ready": True, "xgboost": xgb.__version__, "predictions": predictions}), flush=True)
    for command in sys.stdin:
        if command.strip() != "round":
            break
        samples = []
        for row in rows:
            start = time.perf_counter_ns()
            booster.inplace_predict(row)
            samples.append(time.perf_counter_ns() - start)
        print(json.dumps({"samplesNs": samples}), flush=True)


if __name__ == "__main__":
    main()
