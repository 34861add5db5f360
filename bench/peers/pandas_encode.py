#!/usr/bin/env python3
"""pandas_encode.py - the pandas peer of `hicard encode` for bench/encode.sh

The work of bench/encode.sh's te-oof and onehot jobs, written the way a
careful pandas user would (factorize once, then numpy bincount sums, no
per-row Python):

  te FILE OUT [--folds K] [--seed N] [--target COL] [--in-sample]
      smoothed target encoding of every column but the target, with
      hicard's default smoothing (scikit-learn's TargetEncoder 'auto':
      lambda = n*var / (n*var + var_v), te = lambda*mean_v +
      (1 - lambda)*prior, the prior when n = 0 or both variances are 0).
      Rows are encoded out of fold (K seeded folds; each fold's rows from
      the sums of the other folds, prior and variance included, as
      scikit-learn does), or in sample with --in-sample.  Writes a CSV:
      the target, then COL_te per column (%.7g, like hicard).
  onehot FILE OUT [--column COL] [--max-categories K]
      sparse one-hot of one column: its K most frequent values (ties by
      value bytes) and one 'other' column, libsvm out (label 0, features
      1-based), as `hicard encode fit-apply --onehot COL --max-categories
      K --format libsvm`.
  compare A.csv B.csv
      per COL_te column of two te outputs: the mean of each, their mean
      absolute difference and the largest one.  Exit status 1 when a file
      lacks a column of the other.

Run by bench/encode.sh with a python that imports pandas (its own code, not
part of hicard's build or tests).
"""
import argparse
import sys

import numpy as np
import pandas as pd


def smoothed(n, s, s2, gn, gs, gs2):
    """Auto-smoothed means of values with n rows, sum s, sum of squares
    s2, given the global n, s, s2 of the same rows (arrays in, array
    out)."""
    prior = gs / gn if gn > 0 else 0.0
    var = max(gs2 / gn - prior * prior, 0.0) if gn > 0 else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n > 0, s / np.maximum(n, 1), prior)
        var_v = np.maximum(np.where(n > 0, s2 / np.maximum(n, 1) - mean * mean, 0.0), 0.0)
        den = n * var + var_v
        lam = np.where(den > 0, n * var / np.where(den > 0, den, 1), 0.0)
    return np.where(n > 0, lam * mean + (1 - lam) * prior, prior)


def target_encode(args):
    df = pd.read_csv(args.file, dtype=str, keep_default_na=False)
    y = pd.to_numeric(df[args.target]).to_numpy(dtype=np.float64)
    cols = [c for c in df.columns if c != args.target]
    nrows = len(df)
    fold = np.random.default_rng(args.seed).integers(0, args.folds, nrows)
    y2 = y * y
    out = {args.target: df[args.target]}
    for col in cols:
        codes, uniq = pd.factorize(df[col], sort=False)
        nv = len(uniq)
        if args.in_sample:
            n = np.bincount(codes, minlength=nv).astype(np.float64)
            s = np.bincount(codes, weights=y, minlength=nv)
            s2 = np.bincount(codes, weights=y2, minlength=nv)
            te = smoothed(n, s, s2, nrows, y.sum(), y2.sum())[codes]
        else:
            # per fold sums in one pass: index code * K + fold
            key = codes.astype(np.int64) * args.folds + fold
            size = nv * args.folds
            fn = np.bincount(key, minlength=size).astype(np.float64).reshape(nv, args.folds)
            fs = np.bincount(key, weights=y, minlength=size).reshape(nv, args.folds)
            fs2 = np.bincount(key, weights=y2, minlength=size).reshape(nv, args.folds)
            tn, ts, ts2 = fn.sum(1), fs.sum(1), fs2.sum(1)
            te = np.empty(nrows)
            for f in range(args.folds):
                rows = fold == f
                c = codes[rows]
                gn = nrows - rows.sum()
                gs = y.sum() - y[rows].sum()
                gs2 = y2.sum() - y2[rows].sum()
                enc = smoothed(tn - fn[:, f], ts - fs[:, f], ts2 - fs2[:, f], gn, gs, gs2)
                te[rows] = enc[c]
        out[col + "_te"] = te
        del codes, uniq
    pd.DataFrame(out).to_csv(args.out, index=False, float_format="%.7g")


def onehot(args):
    df = pd.read_csv(args.file, usecols=[args.column], dtype=str, keep_default_na=False)
    col = df[args.column]
    counts = col.value_counts(sort=False)
    # descending count, ties by the value's bytes (hicard's code order)
    order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].encode()))
    top = [v for v, _ in order[: args.max_categories]]
    code = pd.Series(np.arange(len(top), dtype=np.int64), index=top)
    ids = col.map(code).fillna(len(top)).to_numpy(dtype=np.int64)
    from scipy import sparse
    from sklearn.datasets import dump_svmlight_file
    x = sparse.csr_matrix((np.ones(len(ids)), (np.arange(len(ids)), ids)),
                          shape=(len(ids), len(top) + 1))
    dump_svmlight_file(x, np.zeros(len(ids)), args.out, zero_based=False)


def compare(args):
    a = pd.read_csv(args.a)
    b = pd.read_csv(args.b)
    cols = [c for c in a.columns if c.endswith("_te")]
    if sorted(cols) != sorted(c for c in b.columns if c.endswith("_te")) or len(a) != len(b):
        print("compare: the files differ in columns or rows", file=sys.stderr)
        return 1
    print("%-16s %10s %10s %12s %12s" % ("column", "mean_a", "mean_b", "mean_absdiff", "max_absdiff"))
    for c in cols:
        d = (a[c] - b[c]).abs()
        print("%-16s %10.6f %10.6f %12.3g %12.3g" % (c, a[c].mean(), b[c].mean(), d.mean(), d.max()))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    te = sub.add_parser("te")
    te.add_argument("file")
    te.add_argument("out")
    te.add_argument("--folds", type=int, default=5)
    te.add_argument("--seed", type=int, default=0)
    te.add_argument("--target", default="click")
    te.add_argument("--in-sample", action="store_true")
    oh = sub.add_parser("onehot")
    oh.add_argument("file")
    oh.add_argument("out")
    oh.add_argument("--column", default="site_id")
    oh.add_argument("--max-categories", type=int, default=999)
    cp = sub.add_parser("compare")
    cp.add_argument("a")
    cp.add_argument("b")
    args = ap.parse_args()
    if args.mode == "te":
        target_encode(args)
    elif args.mode == "onehot":
        onehot(args)
    else:
        return compare(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
