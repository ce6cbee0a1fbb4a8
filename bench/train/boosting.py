"""XGBoost hist on the rows bench/train/boosting.ts wrote; prints one JSON line per thread count.

Usage: /usr/bin/python3 bench/train/boosting.py DIR [REPEAT]   (DIR holds {train,test}-{x,y}.f32 and shape.json)
Timed: DMatrix construction (XGBoost's binning) + 100 rounds, as our timing covers binning + boosting;
the fastest of REPEAT runs (default 1) counts, as for ours. nthread=2 is the reference; nthread=1
is printed too, because on a machine whose second core is busy the 2-thread time swings widely.
"""
import json
import sys
import time

import numpy as np
import xgboost as xgb
from sklearn.metrics import roc_auc_score

directory = sys.argv[1]
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 1
shape = json.load(open(f"{directory}/shape.json"))
cols = shape["cols"]
train_x = np.fromfile(f"{directory}/train-x.f32", dtype=np.float32).reshape(-1, cols)
train_y = np.fromfile(f"{directory}/train-y.f32", dtype=np.float32)
test_x = np.fromfile(f"{directory}/test-x.f32", dtype=np.float32).reshape(-1, cols)
test_y = np.fromfile(f"{directory}/test-y.f32", dtype=np.float32)

for threads in (2, 1):
    params = {
        "objective": "binary:logistic",
        "tree_method": "hist",
        "max_depth": 6,
        "eta": 0.1,
        "nthread": threads,
        "max_bin": 256,
    }
    seconds = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        train = xgb.DMatrix(train_x, label=train_y, nthread=threads)
        booster = xgb.train(params, train, num_boost_round=100)
        seconds = min(seconds, time.perf_counter() - start)
    auc = roc_auc_score(test_y, booster.predict(xgb.DMatrix(test_x, nthread=threads)))
    print(json.dumps({"threads": threads, "seconds": seconds, "auc": auc, "xgboost": xgb.__version__}))
