#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# iris_csv.sh PYTHON FILE: writes the iris data that scikit-learn ships as CSV (four features,
# then the species as 0, 1 or 2), the input of the flagship example pipeline.
set -eu
"$1" - "$2" <<'PY'
import csv
import sys
from sklearn.datasets import load_iris
iris = load_iris()
with open(sys.argv[1], 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(list(iris.feature_names) + ['species'])
    for row, label in zip(iris.data, iris.target):
        w.writerow([float(x) for x in row] + [int(label)])
PY
