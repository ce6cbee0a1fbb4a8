#!/usr/bin/env python3
"""The anchor for bench/validate: pandas read_csv + describe + quantiles on the same file (Debian python3-pandas)."""
import json
import sys
import time

import pandas as pd

started = time.perf_counter()
frame = pd.read_csv(sys.argv[1])
frame.describe(include='all')
frame.quantile([0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99], numeric_only=True)
print(json.dumps({'seconds': time.perf_counter() - started, 'rows': len(frame)}))
