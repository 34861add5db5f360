#!/usr/bin/python3
"""bench/peers/sklearn_ctr.py - issue 7's peers on a `gendata ctr` file

The yardstick for `hicard train`'s quality: scikit-learn's logistic
regression (liblinear, SGD, saga) and, when installed, XGBoost, on the same
CSV, the same split and the same kind of features as hicard's bench
(bench/train.sh, job quality): every categorical column becomes one
"field=value" string, hashed by FeatureHasher into 2^20 features (one
shared space, as `hicard hash` feeds one weight table), the first
--train-rows rows train, the rest are held out.

Prints one line per learner: held-out AUC, hashing seconds, fit seconds
(CPU: user + sys of this process, so threads add up), fit wall seconds,
and the process's peak RSS so far in kB (getrusage is cumulative, so a
later learner's figure includes the earlier ones' high-water mark).

Usage: sklearn_ctr.py FILE.csv --train-rows N [--label click]
       [--models liblinear,sgd,saga,xgboost] [--bits 20]
"""
import argparse
import os
import resource
import sys
import time

import numpy as np
import pandas as pd
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import roc_auc_score


def cpu():
    t = os.times()
    return t.user + t.system


def peak_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def learners(names, seed):
    """name -> a function (Xtr, ytr, Xte) -> held-out scores."""
    def sk(model):
        def run(xtr, ytr, xte):
            model.fit(xtr, ytr)
            return model.decision_function(xte)
        return run

    def xgb(xtr, ytr, xte):
        import xgboost
        m = xgboost.XGBClassifier(n_estimators=100, max_depth=6,
                                  tree_method="hist", n_jobs=1,
                                  random_state=seed)
        m.fit(xtr, ytr)
        return m.predict_proba(xte)[:, 1]

    table = {
        "liblinear": sk(LogisticRegression(solver="liblinear")),
        "sgd": sk(SGDClassifier(loss="log_loss", random_state=seed)),
        "saga": sk(LogisticRegression(solver="saga", max_iter=100,
                                      random_state=seed)),
        "xgboost": xgb,
    }
    out = []
    for n in names:
        if n not in table:
            sys.exit("sklearn_ctr.py: unknown model '%s' (liblinear, sgd, "
                     "saga, xgboost)" % n)
        if n == "xgboost":
            try:
                import xgboost  # noqa: F401
            except ImportError:
                print("%-22s skipped: xgboost is not installed" % n)
                continue
        out.append((n, table[n]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file")
    ap.add_argument("--train-rows", type=int, required=True)
    ap.add_argument("--label", default="click")
    ap.add_argument("--models", default="liblinear,sgd,saga")
    ap.add_argument("--bits", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    df = pd.read_csv(a.file, dtype=str, keep_default_na=False)
    y = df.pop(a.label).astype(np.int8).to_numpy()
    n = a.train_rows
    if not 0 < n < len(y):
        sys.exit("sklearn_ctr.py: --train-rows must be between 1 and %d"
                 % (len(y) - 1))

    c0, w0 = cpu(), time.time()
    cols = list(df.columns)
    rows = [[c + "=" + v for c, v in zip(cols, r)]
            for r in df.itertuples(index=False, name=None)]
    x = FeatureHasher(n_features=1 << a.bits, input_type="string",
                      alternate_sign=False).transform(rows).tocsr()
    x.data[:] = 1.0
    hash_cpu, hash_wall = cpu() - c0, time.time() - w0
    xtr, xte, ytr, yte = x[:n], x[n:], y[:n], y[n:]
    del rows, df

    print("%-22s %7s %8s %8s %8s %10s" % ("model", "auc", "hash_s", "fit_cpu",
                                          "fit_wall", "peak_kB"))
    for name, run in learners(a.models.split(","), a.seed):
        c0, w0 = cpu(), time.time()
        s = run(xtr, ytr, xte)
        fc, fw = cpu() - c0, time.time() - w0
        print("%-22s %7.4f %8.2f %8.2f %8.2f %10d" %
              ("sklearn " + name, roc_auc_score(yte, s), hash_cpu, fc, fw,
               peak_kb()), flush=True)


if __name__ == "__main__":
    main()
