"""sklearn LogisticRegression (lbfgs, C=1) on the rows bench/train/logistic.ts wrote; prints one JSON line.

Usage: /usr/bin/python3 bench/train/logistic.py DIR   (DIR holds {train,validation}-{x,y}.f64 and shape.json)
Timed: fit only, on the same standardised, one-hot encoded float64 matrix our estimator fits.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

directory = sys.argv[1]
cols = json.load(open(f"{directory}/shape.json"))["cols"]
train_x = np.fromfile(f"{directory}/train-x.f64").reshape(-1, cols)
train_y = np.fromfile(f"{directory}/train-y.f64")
validation_x = np.fromfile(f"{directory}/validation-x.f64").reshape(-1, cols)
validation_y = np.fromfile(f"{directory}/validation-y.f64")

model = LogisticRegression(C=1.0, solver="lbfgs", max_iter=100, tol=1e-4)
start = time.perf_counter()
model.fit(train_x, train_y)
seconds = time.perf_counter() - start
auc = roc_auc_score(validation_y, model.predict_proba(validation_x)[:, 1])
print(json.dumps({"seconds": seconds, "auc": auc, "iterations": int(model.n_iter_[0]), "sklearn": sklearn.__version__}))
