"""XGBoost hist on the rows bench/train/boosting.ts wrote; prints one JSON line (seconds, test AUC).

Usage: /usr/bin/python3 bench/train/boosting.py DIR   (DIR holds {train,test}-{x,y}.f32 and shape.json)
Timed: DMatrix construction (XGBoost's binning) + 100 rounds, as our timing covers binning + boosting.
"""
import json
import sys
import time

import numpy as np
import xgboost as xgb
from sklearn.metrics import roc_auc_score

directory = sys.argv[1]
shape = json.load(open(f"{directory}/shape.json"))
cols = shape["cols"]
train_x = np.fromfile(f"{directory}/train-x.f32", dtype=np.float32).reshape(-1, cols)
train_y = np.fromfile(f"{directory}/train-y.f32", dtype=np.float32)
test_x = np.fromfile(f"{directory}/test-x.f32", dtype=np.float32).reshape(-1, cols)
test_y = np.fromfile(f"{directory}/test-y.f32", dtype=np.float32)

params = {
    "objective": "binary:logistic",
    "tree_method": "hist",
    "max_depth": 6,
    "eta": 0.1,
    "nthread": 2,
    "max_bin": 256,
}
start = time.perf_counter()
train = xgb.DMatrix(train_x, label=train_y, nthread=2)
booster = xgb.train(params, train, num_boost_round=100)
seconds = time.perf_counter() - start
auc = roc_auc_score(test_y, booster.predict(xgb.DMatrix(test_x, nthread=2)))
print(json.dumps({"seconds": seconds, "auc": auc, "xgboost": xgb.__version__}))
