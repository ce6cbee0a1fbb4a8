#!/usr/bin/env python3
"""Writes tests/fixtures/drift/: small reference/current CSV pairs and scipy's statistics on them.

Run with Debian's python3-scipy (python3 scripts/drift-fixtures.py); the outputs are committed and
tests/validate-data/drift.test.ts checks that mlops computes the same values.
"""
import csv
import json
import os

import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'drift')
rng = np.random.default_rng(20240601)


def write(name, columns):
    path = os.path.join(OUT, name)
    names = list(columns)
    rows = len(columns[names[0]])
    with open(path, 'w', newline='') as handle:
        writer = csv.writer(handle, lineterminator='\n')
        writer.writerow(names)
        for i in range(rows):
            writer.writerow([columns[n][i] for n in names])


def categorical(ref, cur):
    cats = sorted(set(ref) | set(cur))
    table = [[ref.count(c) for c in cats], [cur.count(c) for c in cats]]
    chi2, p, dof, _ = stats.chi2_contingency(table)
    r = np.array(table[0]) / sum(table[0])
    c = np.array(table[1]) / sum(table[1])
    return {'chi_square': float(chi2), 'chi_square_p': float(p), 'dof': int(dof), 'jensen_shannon': float(jensenshannon(r, c))}


def numeric(ref, cur):
    ks = stats.ks_2samp(ref, cur)
    return {
        'ks': float(ks.statistic),
        'ks_p': float(ks.pvalue),
        'wasserstein': float(stats.wasserstein_distance(ref, cur)),
        'wasserstein_normed': float(stats.wasserstein_distance(ref, cur) / np.std(ref)),
    }


cases = {}
# Small samples: exact KS p-values; the current is shifted and has a new category.
for name, (n_ref, n_cur, shift, probs) in {
    'small': (400, 300, 0.25, [0.5, 0.3, 0.2, 0.0]),
    'same': (600, 600, 0.0, [0.4, 0.4, 0.2, 0.0]),
    'large': (3000, 12000, 0.05, [0.45, 0.35, 0.15, 0.05]),
}.items():
    ref_x = np.round(rng.normal(10, 2, n_ref), 2)
    cur_x = np.round(rng.normal(10 + shift * 2, 2, n_cur), 2)
    ref_k = list(rng.integers(0, 50, n_ref))
    cur_k = list(rng.integers(0, 50 + int(shift * 40), n_cur))
    ref_c = list(rng.choice(['a', 'b', 'c'], n_ref, p=[0.5, 0.3, 0.2]))
    cur_c = list(rng.choice(['a', 'b', 'c', 'd'], n_cur, p=probs if sum(probs) == 1 else [0.5, 0.3, 0.2, 0.0]))
    write(f'{name}-reference.csv', {'x': list(ref_x), 'k': ref_k, 'c': ref_c})
    write(f'{name}-current.csv', {'x': list(cur_x), 'k': cur_k, 'c': cur_c})
    cases[name] = {
        'x': numeric(ref_x, cur_x),
        'k': numeric(np.array(ref_k, dtype=float), np.array(cur_k, dtype=float)),
        'c': categorical(ref_c, cur_c),
    }
# Two categories: chi2_contingency applies Yates' correction (one degree of freedom).
ref_b = list(rng.choice(['yes', 'no'], 500, p=[0.3, 0.7]))
cur_b = list(rng.choice(['yes', 'no'], 450, p=[0.38, 0.62]))
write('binary-reference.csv', {'b': ref_b})
write('binary-current.csv', {'b': cur_b})
cases['binary'] = {'b': categorical(ref_b, cur_b)}

with open(os.path.join(OUT, 'expected.json'), 'w') as handle:
    json.dump({'scipy': __import__('scipy').__version__, 'cases': cases}, handle, indent=2)
    handle.write('\n')
print(f'wrote {OUT}')
