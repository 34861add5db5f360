#!/bin/sh
# bench/train.sh - speed of `hicard train` and `hicard predict` (issue 7)
#
# Called from the repository root after `make` and `make tools` (bench/run.sh
# calls it; it also runs alone).  Jobs and their targets:
#   logreg   8 cat columns (gendata ctr-frame), AdaGrad:
#            >= 5M examples/s per thread
#   fm       the same frame, k = 8: >= 1M examples/s per thread
#   mf       BPR, dim 64, one epoch over Gowalla's 810k positives (the real
#            split when $GOWALLA has train.csv and test.csv, ids made exact
#            by `hash --scheme modulo`; else a generated frame of the same
#            shape: 29,858 users x 40,981 items): < 1 s on 2 threads
#   recall   full Recall@20 of that model over every user x every item:
#            < 5 s on 2 threads
#   quality  issue 7's comparison with peers: a 1M-row `gendata ctr` file
#            with --signal 1.2, whose generating model scores AUC about
#            0.78 on its own rows (the issue's oracle: 0.782); rows 1-800k
#            train, the last 200k are held out.  `hash --scheme mod` (2^20
#            ids a column) -> `train` (one thread; defaults, and the
#            defaults before 2026-11-24) -> `predict --metrics auc` on the
#            held-out rows, for logreg and fm; the oracle's AUC from
#            gendata --truth on the same rows; scikit-learn on the same
#            CSV and split (bench/peers/sklearn_ctr.py) when installed.
#            Then the same with --pairs 1 (clicks that also depend on
#            field pairs: what fm is for).  Targets (issue 7): logreg at
#            least liblinear's AUC in < 2 s (hash + train), fm above.
#            Measured (2026-11-24, 1M rows, machine shared, load 4-8):
#                                  additive          --pairs 1
#              oracle              0.784             0.846
#              sklearn liblinear   0.743 (69 cpu s)  0.725 (64 cpu s)
#              sklearn sgd         0.737 (7 cpu s)   0.723 (4 cpu s)
#              sklearn saga        0.743 (141 cpu s)
#              logreg defaults     0.752 (1.7 cpu s) 0.736
#              logreg before       0.739 (3.2)       0.724
#              fm defaults         0.750             0.788
#              fm before           0.661             0.741
#            The gap to the oracle is the data's, not the learner's: the
#            same logreg trained on 4.8M rows scores 0.766 on the same
#            held-out rows, and liblinear (the exact L2 optimum) is below
#            hicard's on these 800k rows.
# Examples/s per thread are examples per CPU second of the training epochs
# (the report's rows_per_cpu_second, best epoch after the first, whose
# page faults on fresh tables are not the loop's speed), so they hold on a
# loaded machine too; wall seconds are also printed.  Each job runs
# BENCH_REPEAT times (default 3); the best run is kept.
#
# Environment: BENCH_SCALE (small: 1/10 of the CTR rows), BENCH_DIR,
# BENCH_REPEAT, HICARD, GENDATA, GOWALLA (default ../shared/data/gowalla).
set -eu

HICARD=${HICARD:-./hicard}
GENDATA=${GENDATA:-build/gendata}
REPEAT=${BENCH_REPEAT:-3}
GOWALLA=${GOWALLA:-../shared/data/gowalla}
case ${BENCH_SCALE:-full} in
small) ROWS=200000 QROWS=100000 ;;
*) ROWS=2000000 QROWS=1000000 ;;
esac

for prog in "$HICARD" "$GENDATA"; do
	if [ ! -x "$prog" ]; then
		echo "bench/train.sh: $prog is missing: run 'make' and 'make tools'" >&2
		exit 2
	fi
done
dir=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/hicard-train-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM

# best_of KEY CMD...: runs CMD REPEAT times under GNU time; prints the run
# with the highest KEY value of the JSON report $dir/r.json (KEY empty: the
# lowest wall time) as "wall cpu rss value".
best_of() {
	key=$1
	shift
	best=""
	i=0
	while [ "$i" -lt "$REPEAT" ]; do
		i=$((i + 1))
		/usr/bin/time -f '%e %U %S %M' -o "$dir/time" "$@" > "$dir/out" 2> "$dir/err" || {
			cat "$dir/err" >&2
			exit 1
		}
		val=0
		if [ -n "$key" ]; then
			# The best epoch after the first.
			val=$(grep "\"$key\"" "$dir/r.json" | sed 1d | tr -d ' \t,' |
			      cut -d: -f2 | sort -g | tail -1)
			[ -n "$val" ] || val=$(grep "\"$key\"" "$dir/r.json" | tr -d ' \t,' | cut -d: -f2 | tail -1)
		fi
		line=$(awk -v v="$val" '{ printf "%s %.2f %d %s\n", $1, $2 + $3, $4, v }' "$dir/time")
		if [ -z "$best" ]; then
			best=$line
		elif [ -n "$key" ]; then
			best=$(printf '%s\n%s\n' "$best" "$line" | sort -g -k4 | tail -1)
		else
			best=$(printf '%s\n%s\n' "$best" "$line" | sort -g -k1 | head -1)
		fi
	done
	echo "$best"
}

row() { # job input wall cpu rss rate
	printf '%-22s %-28s %8s %8s %10s %14s\n' "$1" "$2" "$3" "$4" "$5" "$6"
}

"$GENDATA" ctr-frame --rows "$ROWS" -o "$dir/ctr.hcb"
if [ -f "$GOWALLA/train.csv" ] && [ -f "$GOWALLA/test.csv" ]; then
	what="gowalla"
	for s in train test; do
		"$HICARD" hash --scheme modulo --buckets user_id=29858,item_id=40981 \
			--format hcb -q "$GOWALLA/$s.csv" -o "$dir/$s.hcb"
	done
else
	what="generated-gowalla-shape"
	"$GENDATA" interactions --users 29858 --items 40981 --edges 1027370 \
		--communities 300 -o "$dir/all.csv"
	head -810129 "$dir/all.csv" > "$dir/train.csv"
	{ head -1 "$dir/all.csv"; tail -n +810130 "$dir/all.csv"; } > "$dir/test.csv"
	for s in train test; do
		"$HICARD" hash --scheme vocab --fit "$dir/all.csv" --format hcb -q \
			"$dir/$s.csv" -o "$dir/$s.hcb"
	done
fi

echo "== hicard train / predict ($(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg))"
row job input wall_s cpu_s peak_kB "rows/cpu_s"
set -- $(best_of rows_per_cpu_second "$HICARD" train --model logreg --epochs 3 --threads 1 -q \
	--report "$dir/r.json" "$dir/ctr.hcb" -o "$dir/m")
row "logreg 8 fields, 1 thr" "ctr-frame $ROWS rows" "$1" "$2" "$3" "$4"
set -- $(best_of rows_per_cpu_second "$HICARD" train --model logreg --epochs 3 --threads 2 -q \
	--report "$dir/r.json" "$dir/ctr.hcb" -o "$dir/m")
row "logreg 8 fields, 2 thr" "ctr-frame $ROWS rows" "$1" "$2" "$3" "$4"
set -- $(best_of rows_per_cpu_second "$HICARD" train --model fm --dim 8 --epochs 3 --threads 1 -q \
	--report "$dir/r.json" "$dir/ctr.hcb" -o "$dir/m")
row "fm k=8, 1 thr" "ctr-frame $ROWS rows" "$1" "$2" "$3" "$4"
set -- $(best_of rows_per_cpu_second "$HICARD" train --model mf --dim 64 --lr 0.01 --epochs 2 \
	--threads 2 -q --report "$dir/r.json" "$dir/train.hcb" -o "$dir/mf")
row "mf-bpr dim 64, 2 thr" "$what train" "$1" "$2" "$3" "$4"
grep '"seconds"' "$dir/r.json" | tr -d ' \t,' | cut -d: -f2 |
	awk '{ printf "  mf epoch %d: %.2f s wall\n", NR, $1 }'
set -- $(best_of "" "$HICARD" predict --model "$dir/mf" --metrics recall@20 --threads 2 \
	"$dir/test.hcb")
row "recall@20 full, 2 thr" "$what test" "$1" "$2" "$3" "-"

# ---- quality: AUC against the generating model --------------------------
# auc: "score label" lines -> the AUC, ties at their mean rank.
auc() {
	sort -g -k1 | awk '
	{ s[NR] = $1; y[NR] = $2 }
	END {
		i = 1; rs = 0; pos = 0
		while (i <= NR) {
			j = i
			while (j < NR && s[j + 1] == s[i]) j++
			for (k = i; k <= j; k++) if (y[k] == 1) { rs += (i + j) / 2; pos++ }
			i = j + 1
		}
		printf "%.4f\n", (rs - pos * (pos + 1) / 2) / (pos * (NR - pos))
	}'
}
# secs CMD...: runs CMD, prints "wall cpu" seconds.
secs() {
	/usr/bin/time -f '%e %U %S' -o "$dir/time" "$@" > /dev/null 2> "$dir/err" || {
		cat "$dir/err" >&2
		exit 1
	}
	awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$dir/time"
}
QTRAIN=$((QROWS * 4 / 5))
py=""
for p in ${PYTHON:-} /usr/bin/python3 python3; do
	if "$p" -c 'import sklearn, pandas' 2> /dev/null; then
		py=$p
		break
	fi
done
# quality MODEL NAME [OPTIONS]: trains on qtr.hcb, one table row.
quality() {
	model=$1 name=$2
	shift 2
	set -- $(secs "$HICARD" train --model "$model" --threads 1 -q "$@" "$dir/qtr.hcb" -o "$dir/qm")
	a=$("$HICARD" predict --model "$dir/qm" --metrics auc "$dir/qte.hcb" |
	    tr -d ' \t' | grep '"auc"' | cut -d: -f2 | tr -d ,)
	printf '%-36s %7.4f %8s %8s %8.2f %8.2f\n' "$name" "$a" "$hw" "$1" \
		"$(echo "$hw $1" | awk '{ print $1 + $2 }')" "$(echo "$hc $2" | awk '{ print $1 + $2 }')"
}
# --pairs 0: issue 7's additive click model; 1: clicks that also depend on
# field pairs, which fm can learn and logreg cannot (gendata --help).
for pairs in 0 1; do
	"$GENDATA" ctr --rows "$QROWS" --signal 1.2 --pairs "$pairs" --truth "$dir/truth.csv" \
		-o "$dir/q.csv"
	head -n $((QTRAIN + 1)) "$dir/q.csv" > "$dir/qtr.csv"
	{ head -1 "$dir/q.csv"; tail -n +$((QTRAIN + 2)) "$dir/q.csv"; } > "$dir/qte.csv"
	tail -n +$((QTRAIN + 2)) "$dir/truth.csv" > "$dir/qp.txt"
	tail -n +2 "$dir/qte.csv" | cut -d, -f1 > "$dir/qy.txt"
	oracle=$(paste -d' ' "$dir/qp.txt" "$dir/qy.txt" | auc)
	"$HICARD" hash --scheme mod --buckets 1048576 --label click --format hcb -q \
		"$dir/qte.csv" -o "$dir/qte.hcb"
	echo "== quality: gendata ctr --signal 1.2 --pairs $pairs, $QTRAIN rows train," \
		"$((QROWS - QTRAIN)) held out"
	printf '%-36s %7s %8s %8s %8s %8s\n' job auc hash_s train_s total_s cpu_s
	printf '%-36s %7s\n' "oracle (generating model)" "$oracle"
	set -- $(secs "$HICARD" hash --scheme mod --buckets 1048576 --label click --format hcb -q \
		"$dir/qtr.csv" -o "$dir/qtr.hcb")
	hw=$1 hc=$2
	quality logreg "logreg (defaults, 1 thr)"
	quality logreg "logreg (--beta 1e-6 --epochs 10)" --beta 1e-6 --epochs 10
	quality fm "fm (defaults, 1 thr)"
	quality fm "fm (--beta 1e-6 --epochs 10 --wd 0)" --beta 1e-6 --epochs 10 --weight-decay 0
	# The peers (bench/peers/sklearn_ctr.py) on the same CSV and split,
	# when a python with scikit-learn is found (Debian's python3-sklearn
	# is in /usr/bin/python3, which another python3 on PATH may hide).
	# Their fit seconds are CPU seconds; hashing is FeatureHasher's.
	# BENCH_SKLEARN: the learners (default liblinear,sgd,saga,xgboost;
	# xgboost when installed; saga takes minutes).
	if [ -n "$py" ]; then
		OMP_NUM_THREADS=1 "$py" "$(dirname "$0")/peers/sklearn_ctr.py" "$dir/q.csv" \
			--train-rows "$QTRAIN" --models "${BENCH_SKLEARN:-liblinear,sgd,saga,xgboost}"
	else
		echo "(scikit-learn not found: no peers; apt-get install python3-sklearn python3-pandas)"
	fi
done
