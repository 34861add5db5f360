#!/bin/sh
# bench/run.sh - `make bench`: throughput of hicard's hot paths on generated
# data, printed as one table (job, input, seconds, MB/s, rows/s, peak RSS).
#
# Called from the repository root after `make` built ./hicard, build/gendata
# and build/benchread.  What it measures (issues 2, 3, 4 and 8):
#   - gendata itself (how long the inputs take to make);
#   - CSV reading through lib/csv_read (row by row and by batches) on a
#     `gendata mixed` file of at least 500 MB, beside libcsv alone with the
#     same options: the floor under the reader (targets: reader >= 300 MB/s,
#     libcsv alone about 350 MB/s, on one core);
#   - binary frames: writing and reading (target: reading >= 1 GB/s);
#   - the string map: interning and looking up keys;
#   - subcommands, once they exist: `hicard profile` exact and --approx on
#     the mixed file (issue 3), `hicard hash` of the 7 columns of a `gendata
#     ctr` file to a frame (issue 4), `hicard cluster` of interactions, and
#     at the end bench/cluster.sh, bench/encode.sh and bench/train.sh.
# Files are read just after being written, so from the page cache: the
# figures are CPU cost, not disk speed.  Throughput jobs run BENCH_REPEAT
# times (default 3) and report the fastest run, the one least disturbed by
# whatever else the machine is doing.
#
# Environment:
#   BENCH_SCALE    full (default: mixed 6.5M rows, about 545 MB), small
#                  (1/20 of every size, a quick check) or large (issue 3's
#                  10M-row mixed file and a 10M-row ctr file)
#   BENCH_DIR      scratch folder (default $TMPDIR, else /tmp); a fresh
#                  subfolder is made in it and removed at the end
#   BENCH_REPEAT   runs per throughput job (default 3)
#   BENCH_RESULTS  also save the raw key=value lines to this file
#   BENCH_TIMEOUT  seconds allowed to each timed command (default 600)
#   HICARD GENDATA BENCHREAD   the programs (default ./hicard,
#                  build/gendata, build/benchread)
#
# Peak memory comes from GNU time (/usr/bin/time -f) when installed, and
# from benchread's own getrusage otherwise; nothing is installed.
set -eu

HICARD=${HICARD:-./hicard}
GENDATA=${GENDATA:-build/gendata}
BENCHREAD=${BENCHREAD:-build/benchread}
SCALE=${BENCH_SCALE:-full}
REPEAT=${BENCH_REPEAT:-3}
SEED=1

case $SCALE in
small)	MIXED_ROWS=325000 CTR_ROWS=50000 FRAME_ROWS=750000 \
	STRMAP_KEYS=500000 USERS=5000 ITEMS=2500 EDGES=100000 COMMS=25 ;;
full)	MIXED_ROWS=6500000 CTR_ROWS=1000000 FRAME_ROWS=15000000 \
	STRMAP_KEYS=10000000 USERS=100000 ITEMS=50000 EDGES=2000000 COMMS=500 ;;
large)	MIXED_ROWS=10000000 CTR_ROWS=10000000 FRAME_ROWS=25000000 \
	STRMAP_KEYS=10000000 USERS=100000 ITEMS=50000 EDGES=2000000 COMMS=500 ;;
*)	echo "bench/run.sh: BENCH_SCALE must be small, full or large" >&2
	exit 2 ;;
esac

for prog in "$GENDATA" "$BENCHREAD"; do
	if [ ! -x "$prog" ]; then
		echo "bench/run.sh: $prog is missing: run 'make tools' first" >&2
		exit 2
	fi
done

base=${BENCH_DIR:-${TMPDIR:-/tmp}}
dir=$(mktemp -d "$base/hicard-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM
results=$dir/results   # one key=value line per job
: >"$results"

# ---- timing external commands ------------------------------------------

# GNU time gives wall seconds and peak RSS; without it, date gives the time
# (to the nanosecond where date knows %N) and the RSS is unknown.
if /usr/bin/time -f '%e %U %S %M' -o "$dir/probe" true 2>/dev/null; then
	have_time=1
else
	have_time=0
fi

now() {
	t=$(date +%s.%N 2>/dev/null || date +%s)
	case $t in *N*|'') date +%s ;; *) echo "$t" ;; esac
}

# Subcommands under development may be slow or hang: each timed command
# gets BENCH_TIMEOUT seconds (default 600) when timeout(1) is there.
limit=
if command -v timeout >/dev/null 2>&1; then
	limit="timeout ${BENCH_TIMEOUT:-600}"
fi

# run_timed JOB BYTES ROWS OUT CMD...: runs CMD with stdout to OUT and
# records a result line.  BYTES may be "out" (the size of OUT once
# written).  A failing CMD records the job as failed (or timed out) and
# does not stop the run.
run_timed() {
	job=$1 bytes=$2 rows=$3 out=$4
	shift 4
	echo "bench: $job" >&2
	set +e
	if [ "$have_time" = 1 ]; then
		/usr/bin/time -f '%e %U %S %M' -o "$dir/time" $limit "$@" \
			>"$out" \
			2>"$dir/stderr"
		st=$?
	else
		t0=$(now)
		$limit "$@" >"$out" 2>"$dir/stderr"
		st=$?
		t1=$(now)
	fi
	set -e
	if [ "$st" -ne 0 ]; then
		record_failure "$job" "$st"
		return 0
	fi
	if [ "$have_time" = 1 ]; then
		read -r secs usr sys kb <"$dir/time"
		rss=$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')
		cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	else
		secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
		rss=- cpu=-
	fi
	[ "$bytes" = out ] && bytes=$(wc -c <"$out" | tr -d ' ')
	echo "job=$job bytes=$bytes rows=$rows seconds=$secs cpu=$cpu" \
		"maxrss_mb=$rss" >>"$results"
}

# record_failure JOB [STATUS]: 124 is timeout(1)'s "timed out".
record_failure() {
	if [ "${2:-1}" = 124 ]; then
		echo "bench: $1 timed out after ${BENCH_TIMEOUT:-600} s" >&2
		echo "job=$1 failed=timeout" >>"$results"
		return 0
	fi
	echo "bench: $1 failed:" >&2
	sed 's/^/  /' "$dir/stderr" | head -5 >&2
	echo "job=$1 failed=failed" >>"$results"
}

# probe ARGS...: a benchread job (it times itself, best of BENCH_REPEAT).
probe() {
	echo "bench: benchread $1" >&2
	if ! "$BENCHREAD" -r "$REPEAT" "$@" >>"$results" 2>"$dir/stderr"; then
		record_failure "$1"
	fi
}

has_subcommand() {
	[ -x "$HICARD" ] && "$HICARD" help "$1" >/dev/null 2>&1
}

size_of() {
	wc -c <"$1" | tr -d ' '
}

# ---- the jobs ----------------------------------------------------------

mixed=$dir/mixed.csv
run_timed gendata-mixed out "$MIXED_ROWS" "$mixed" \
	"$GENDATA" mixed --rows "$MIXED_ROWS" --seed "$SEED"
mixed_bytes=$(size_of "$mixed")

probe libcsv "$mixed"
probe csv "$mixed"
probe csv-batch "$mixed"

if has_subcommand profile; then
	run_timed profile "$mixed_bytes" "$MIXED_ROWS" "$dir/profile.json" \
		"$HICARD" profile --json -q "$mixed"
	run_timed profile-approx "$mixed_bytes" "$MIXED_ROWS" \
		"$dir/profile-approx.json" \
		"$HICARD" profile --approx --json -q "$mixed"
fi
rm -f "$mixed"

ctr=$dir/ctr.csv
run_timed gendata-ctr out "$CTR_ROWS" "$ctr" \
	"$GENDATA" ctr --rows "$CTR_ROWS" --seed "$SEED"
ctr_bytes=$(size_of "$ctr")
probe csv "$ctr"
if has_subcommand hash; then
	# Issue 4: the seven categorical columns to a frame, 2^20 buckets.
	run_timed hash-mod "$ctr_bytes" "$CTR_ROWS" "$dir/ctr.hcb" \
		"$HICARD" hash --scheme mod --buckets 1048576 --label click \
		-s user_id,item_id,ad_id,site_id,app_id,device_model,banner_pos \
		--format hcb -q "$ctr"
fi
rm -f "$ctr" "$dir/ctr.hcb"

frame=$dir/frame.hcb
probe frame-write "$frame" "$FRAME_ROWS"
probe frame-read "$frame"
rm -f "$frame"

probe strmap "$STRMAP_KEYS"

inter=$dir/interactions.csv
run_timed gendata-interactions out "$EDGES" "$inter" \
	"$GENDATA" interactions --users "$USERS" --items "$ITEMS" \
	--edges "$EDGES" --communities "$COMMS" --seed "$SEED"
if has_subcommand cluster; then
	run_timed cluster "$(size_of "$inter")" "$EDGES" "$dir/graph.map" \
		"$HICARD" cluster --user user_id --item item_id -q "$inter"
fi
rm -f "$inter" "$dir/graph.map"

[ -n "${BENCH_RESULTS:-}" ] && cp "$results" "$BENCH_RESULTS"

# ---- the table -----------------------------------------------------------

echo
echo "hicard benchmarks ($SCALE scale; best of $REPEAT runs for benchread jobs)"
awk '
function human(b) {
	b += 0
	if (b >= 1e9) return sprintf("%.2f GB", b / 1e9)
	if (b >= 1e6) return sprintf("%.0f MB", b / 1e6)
	if (b >= 1e3) return sprintf("%.0f kB", b / 1e3)
	return b " B"
}
function count(n) {
	n += 0
	if (n >= 1e6) return sprintf("%.1fM", n / 1e6)
	if (n >= 1e3) return sprintf("%.0fk", n / 1e3)
	return n
}
{
	split("", v)
	for (i = 1; i <= NF; i++) {
		eq = index($i, "=")
		if (eq) v[substr($i, 1, eq - 1)] = substr($i, eq + 1)
	}
	job = v["job"]
	# CSV probes run on more than one file: name it ("csv mixed").
	if (job ~ /csv/ && v["file"] != "") {
		f = v["file"]
		sub(/.*\//, "", f)
		sub(/\.csv$/, "", f)
		job = job " " f
	}
	if (v["failed"]) {
		printf "%-22s %-24s %9s %7s %8s %9s %8s\n", job, "-", v["failed"],
			"-", "-", "-", "-"
		next
	}
	s = v["seconds"] + 0
	t = s > 0 ? s : 1e-9
	unit = job ~ /^strmap/ ? " keys" : " rows"
	input = job ~ /^strmap/ ? count(v["rows"]) unit \
	      : human(v["bytes"]) ", " count(v["rows"]) unit
	mbps = job ~ /^strmap/ ? "-" : sprintf("%.1f", v["bytes"] / t / 1e6)
	cpu = v["cpu"] == "" ? "-" : v["cpu"]
	printf "%-22s %-24s %9.3f %7s %8s %9s %8s\n", job, input, s, cpu, mbps,
		count(v["rows"] / t) "/s", v["maxrss_mb"] == "" ? "-" : v["maxrss_mb"]
	rate[job] = v["bytes"] / t / 1e6
	if (cpu + 0 > 0)
		cpurate[job] = v["bytes"] / cpu / 1e6
}
BEGIN {
	printf "%-22s %-24s %9s %7s %8s %9s %8s\n", "job", "input", "seconds",
		"cpu s", "MB/s", "rows/s", "peak MB"
}
END {
	a = rate["csv mixed"]
	b = rate["libcsv mixed"]
	if (a > 0 && b > 0)
		printf "\ncsv reader / libcsv alone (mixed): %.0f / %.0f MB/s = %.2f" \
			" (per cpu second: %.0f / %.0f MB/s)\n", a, b, a / b,
			cpurate["csv mixed"], cpurate["libcsv mixed"]
}' "$results"

# ---- the subcommands' own benchmarks, each printing its table -------------
# bench/cluster.sh (issue 5), bench/encode.sh (issue 6), bench/train.sh
# (issue 7); BENCH_SUBS=0 skips them.
if [ "${BENCH_SUBS:-1}" != 0 ]; then
	for sub in cluster encode train; do
		has_subcommand "$sub" || continue
		echo
		echo "== bench/$sub.sh"
		if [ "$sub" = cluster ]; then
			CLUSTER_TABLE=1 sh bench/cluster.sh | grep -v '^job=' || true
		else
			sh "bench/$sub.sh" || echo "bench: bench/$sub.sh failed" >&2
		fi
	done
fi
