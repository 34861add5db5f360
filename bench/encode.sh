#!/bin/sh
# bench/encode.sh - `hicard encode` on generated click logs (issue 6), for
# bench/run.sh or by hand from the repository root after `make` and
# `make tools`.
#
# Jobs, on a `gendata ctr` file (click + 7 categorical columns, 78 bytes a
# row; 1M rows by default):
#   te-oof-csv   fit-apply: 5-fold out-of-fold target encoding (auto
#                smoothing) of the 7 columns, dense CSV out
#   te-oof-hcb   the same to a binary frame
#   te-fit       fit alone (the state of the 7 columns)
#   te-apply     apply of that state to the same file (streaming)
#   onehot-svm   fit-apply: sparse one-hot of site_id cut to 1,000 columns
#                (--max-categories 999 and other), libsvm out
#   onehot-hcb   the same to a frame (one cat column of 1,000 ids)
# and, with ENCODE_BIG_ROWS (default 10M; 0 skips), bounded memory on a big
# file: apply (state + buffers), fit, and fit-apply reading the file twice
# (the default for K-fold from a file) next to fit-apply keeping its rows
# in memory (--memory 1G).  With ENCODE_VOCAB
# (default 10M; 0 skips): state-load, the load of a state of one column
# with that many values (target sums too) and an apply of it to 2 rows.
#
# The peer is pandas (issue 6's figures on the same 1M-row shape: 6.4 s and
# 437 MB for the out-of-fold target encoding, 1.9 s for the one-hot, are
# printed beside the results).  When a python that imports pandas, scipy
# and scikit-learn is found (PANDAS_PYTHON, else python3, else
# /usr/bin/python3), bench/peers/pandas_encode.py does the same two jobs on
# the same file (pandas-te-oof: 5-fold out-of-fold auto-smoothed target
# encoding of the 7 columns to CSV; pandas-onehot: the site_id one-hot to
# libsvm), both sides writing their output to a file, and the ratios
# against issue 6's targets are printed (pandas CPU / hicard CPU at least
# 10, hicard RSS / pandas RSS at most 0.25; hicard encode is one thread).
# Then a check: hicard's in-sample encodings (fit, then apply) against
# pandas' (mean absolute difference per column: 0 up to the CSV's 7
# digits), the out-of-fold ones (they differ by fold assignment only: the
# column means agree), and the one-hot libsvm files (cmp).  Without such
# a python the pandas rows are skipped with a note.
#
# Output: one line per job with wall seconds, CPU seconds (user + sys) and
# peak RSS, the best of BENCH_REPEAT runs (default 3) by CPU time, since
# the machine is shared.  Figures need GNU time (/usr/bin/time); without it
# only wall seconds are shown.
#
# Environment: HICARD (./hicard), GENDATA (build/gendata), BENCH_DIR
# (scratch, default $TMPDIR or /tmp), BENCH_REPEAT, ENCODE_ROWS,
# ENCODE_BIG_ROWS, ENCODE_VOCAB, PANDAS_PYTHON, BENCH_RESULTS (also append
# key=value lines there).
set -eu

HICARD=${HICARD:-./hicard}
GENDATA=${GENDATA:-build/gendata}
REPEAT=${BENCH_REPEAT:-3}
ROWS=${ENCODE_ROWS:-1000000}
BIG=${ENCODE_BIG_ROWS:-10000000}
VOCAB=${ENCODE_VOCAB:-10000000}
COLS=user_id,item_id,ad_id,site_id,app_id,device_model,banner_pos

for prog in "$HICARD" "$GENDATA"; do
	if [ ! -x "$prog" ]; then
		echo "bench/encode.sh: $prog is missing: run 'make' and 'make tools'" >&2
		exit 2
	fi
done

base=${BENCH_DIR:-${TMPDIR:-/tmp}}
dir=$(mktemp -d "$base/hicard-bench-encode.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM

if /usr/bin/time -f '%e %U %S %M' -o "$dir/probe" true 2>/dev/null; then
	have_time=1
else
	have_time=0
fi

now() {
	t=$(date +%s.%N 2>/dev/null || date +%s)
	case $t in *N*|'') date +%s ;; *) echo "$t" ;; esac
}

# once OUT CMD...: one run; prints "wall cpu rss_mb" (cpu, rss "-" without
# GNU time).
once() {
	out=$1
	shift
	if [ "$have_time" = 1 ]; then
		/usr/bin/time -f '%e %U %S %M' -o "$dir/time" "$@" >"$out" \
			2>"$dir/stderr" || { cat "$dir/stderr" >&2; return 1; }
		awk '{ printf "%.2f %.2f %.1f\n", $1, $2 + $3, $4 / 1024 }' "$dir/time"
	else
		t0=$(now)
		"$@" >"$out" 2>"$dir/stderr" || { cat "$dir/stderr" >&2; return 1; }
		t1=$(now)
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f - -\n", b - a }'
	fi
}

# job NAME ROWS PEER OUT CMD...: the best of REPEAT runs, one table line.
job() {
	name=$1 rows=$2 peer=$3 out=$4
	shift 4
	best=
	last_wall= last_cpu= last_rss=
	i=0
	while [ "$i" -lt "$REPEAT" ]; do
		r=$(once "$out" "$@") || { echo "bench/encode.sh: $name failed" >&2; return 0; }
		best=$(printf '%s\n%s\n' "$best" "$r" | awk 'NF { if (!n || ($2 == "-" ? $1 : $2) < k) { k = ($2 == "-" ? $1 : $2); l = $0 }; n++ } END { print l }')
		i=$((i + 1))
	done
	set -- $best
	last_wall=$1 last_cpu=$2 last_rss=$3
	printf '%-12s %9s %8s %8s %9s   %s\n' "$name" "$rows" "$1" "$2" "$3" "$peer"
	if [ -n "${BENCH_RESULTS:-}" ]; then
		echo "job=encode-$name rows=$rows seconds=$1 cpu=$2 maxrss_mb=$3" >>"$BENCH_RESULTS"
	fi
}

# pandas_python: a python that imports pandas, scipy and sklearn, or "".
pandas_python() {
	for py in ${PANDAS_PYTHON:-} python3 /usr/bin/python3; do
		if "$py" -c 'import pandas, scipy, sklearn' >/dev/null 2>&1; then
			echo "$py"
			return 0
		fi
	done
	echo ""
}

# ratio NAME: the last job's figures against those saved as h_* (hicard).
ratio() {
	[ -n "$last_wall" ] || return 0
	awk -v n="$1" -v hc="$h_cpu" -v pc="$last_cpu" -v hr="$h_rss" -v pr="$last_rss" \
		-v hw="$h_wall" -v pw="$last_wall" 'BEGIN {
		if (hc == "-" || pc == "-") {
			printf "  %s: wall pandas/hicard %.1fx (no GNU time: no CPU or RSS)\n", n, pw / (hw > 0 ? hw : 0.01)
			exit
		}
		printf "  %s: CPU pandas/hicard %.1fx (target >= 10x), wall %.1fx, RSS hicard/pandas %.2f (target <= 0.25)\n",
			n, pc / (hc > 0 ? hc : 0.01), pw / (hw > 0 ? hw : 0.01), hr / (pr > 0 ? pr : 1) }'
}

ctr=$dir/ctr.csv
"$GENDATA" ctr --rows "$ROWS" --seed 1 -o "$ctr"
echo "bench/encode.sh: $ROWS rows, $(wc -c <"$ctr" | tr -d ' ') bytes; best of $REPEAT; load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
printf '%-12s %9s %8s %8s %9s   %s\n' job rows seconds cpu_s rss_mb "pandas (issue 6, 1M rows)"
job te-oof-csv "$ROWS" "6.4 s, 437 MB" "$dir/h-oof.csv" \
	"$HICARD" encode fit-apply -q --target click --target-encode "$COLS" --folds 5 "$ctr"
h_te_wall=$last_wall h_te_cpu=$last_cpu h_te_rss=$last_rss
job te-oof-hcb "$ROWS" "6.4 s, 437 MB" /dev/null \
	"$HICARD" encode fit-apply -q --target click --target-encode "$COLS" --folds 5 --format hcb "$ctr"
job te-fit "$ROWS" "" /dev/null \
	"$HICARD" encode fit -q --target click --target-encode "$COLS" -o "$dir/te.state" "$ctr"
job te-apply "$ROWS" "" /dev/null \
	"$HICARD" encode apply -q --state "$dir/te.state" --format hcb "$ctr"
job onehot-svm "$ROWS" "1.9 s" "$dir/h.svm" \
	"$HICARD" encode fit-apply -q --onehot site_id --max-categories 999 --format libsvm "$ctr"
h_oh_wall=$last_wall h_oh_cpu=$last_cpu h_oh_rss=$last_rss
job onehot-hcb "$ROWS" "1.9 s" /dev/null \
	"$HICARD" encode fit-apply -q --onehot site_id --max-categories 999 --format hcb "$ctr"

py=$(pandas_python)
peerpy=$(dirname "$0")/peers/pandas_encode.py
if [ -z "$py" ]; then
	echo "bench/encode.sh: no python with pandas, scipy and sklearn (set PANDAS_PYTHON): pandas jobs skipped"
elif [ ! -f "$peerpy" ]; then
	echo "bench/encode.sh: $peerpy is missing: pandas jobs skipped"
else
	echo "pandas $("$py" -c 'import pandas; print(pandas.__version__)') ($py), the same work:"
	job pandas-te-oof "$ROWS" "" /dev/null "$py" "$peerpy" te "$ctr" "$dir/p-oof.csv" --folds 5
	h_wall=$h_te_wall h_cpu=$h_te_cpu h_rss=$h_te_rss
	ratio te-oof-csv
	job pandas-onehot "$ROWS" "" /dev/null "$py" "$peerpy" onehot "$ctr" "$dir/p.svm" --max-categories 999
	h_wall=$h_oh_wall h_cpu=$h_oh_cpu h_rss=$h_oh_rss
	ratio onehot-svm
	echo "check: in-sample encodings, hicard (fit, apply) against pandas (te --in-sample):"
	"$HICARD" encode apply -q --state "$dir/te.state" -o "$dir/h-in.csv" "$ctr"
	"$py" "$peerpy" te "$ctr" "$dir/p-in.csv" --in-sample
	"$py" "$peerpy" compare "$dir/h-in.csv" "$dir/p-in.csv"
	echo "check: out-of-fold encodings (other fold assignment: the means agree, rows differ):"
	"$py" "$peerpy" compare "$dir/h-oof.csv" "$dir/p-oof.csv"
	if cmp -s "$dir/h.svm" "$dir/p.svm"; then
		echo "check: one-hot libsvm files equal"
	else
		echo "check: one-hot libsvm files DIFFER"
	fi
	rm -f "$dir/h-in.csv" "$dir/p-in.csv" "$dir/p-oof.csv" "$dir/p.svm"
fi
rm -f "$ctr" "$dir/h-oof.csv" "$dir/h.svm"

if [ "$BIG" -gt 0 ]; then
	REPEAT=1
	big=$dir/big.csv
	"$GENDATA" ctr --rows "$BIG" --seed 2 -o "$big"
	job big-fit "$BIG" "" /dev/null \
		"$HICARD" encode fit -q --target click --target-encode "$COLS" -o "$dir/big.state" "$big"
	echo "             state: $(wc -c <"$dir/big.state" | tr -d ' ') bytes"
	job big-apply "$BIG" "" /dev/null \
		"$HICARD" encode apply -q --state "$dir/big.state" --format hcb "$big"
	job big-oof-2pass "$BIG" "" /dev/null \
		"$HICARD" encode fit-apply -q --target click --target-encode "$COLS" --format hcb "$big"
	job big-oof-mem "$BIG" "" /dev/null \
		"$HICARD" encode fit-apply -q --memory 1G --target click --target-encode "$COLS" --format hcb "$big"
fi

if [ "$VOCAB" -gt 0 ]; then
	REPEAT=${BENCH_REPEAT:-3}
	awk -v n="$VOCAB" 'BEGIN { print "user,click"
		for (i = 0; i < n; i++) printf "u%09d,%d\n", i, i % 3 == 0 }' >"$dir/vocab.csv"
	head -3 "$dir/vocab.csv" >"$dir/two.csv"
	"$HICARD" encode fit -q --target click --target-encode user \
		-o "$dir/vocab.state" "$dir/vocab.csv"
	rm -f "$dir/vocab.csv"
	echo "             state of $VOCAB values: $(wc -c <"$dir/vocab.state" | tr -d ' ') bytes"
	job state-load "$VOCAB" "target < 2 s" /dev/null \
		"$HICARD" encode apply -q --state "$dir/vocab.state" "$dir/two.csv"
fi
