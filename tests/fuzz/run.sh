#!/bin/sh
# run.sh - runs libFuzzer targets one after the other (the machine is
# shared: one fuzzing process at a time), each for $FUZZ_SECONDS.
#
# Usage: FUZZ_SECONDS=60 sh tests/fuzz/run.sh build/fuzz/csv build/fuzz/frame ...
#        sh tests/fuzz/run.sh --probe CC   (exit 0 if CC builds libFuzzer targets)
#
# Target NAME uses tests/fuzz/NAME.dict if there is one, keeps its corpus
# in build/fuzz/corpus/NAME (grown from the seeds in build/fuzz/seeds/NAME,
# see seeds.sh) and its log in build/fuzz/logs/NAME.log; a crashing input is saved as
# build/fuzz/crashes/NAME-crash-SHA1.  Prints one line per target with its
# executions; exits 1 if any target found a crash.
set -u

if [ "${1:-}" = "--probe" ]; then
	dir=$(mktemp -d "${TMPDIR:-/tmp}/hicard-fuzz-probe.XXXXXX") || exit 1
	printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' > "$dir/p.c"
	"$2" -fsanitize=fuzzer,address,undefined -o "$dir/p" "$dir/p.c" > /dev/null 2>&1 &&
		"$dir/p" -runs=1 > /dev/null 2>&1
	rc=$?
	rm -rf "$dir"
	exit $rc
fi

seconds=${FUZZ_SECONDS:-60}
base=build/fuzz
failed=0
mkdir -p "$base/logs" "$base/crashes"
for bin in "$@"; do
	name=$(basename "$bin")
	mkdir -p "$base/corpus/$name"
	dict=
	[ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
	# -rss_limit_mb: a reader that allocates what a corrupted length says
	# is a finding, not a reason to take the shared machine's memory.
	"$bin" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$base/crashes/$name-" $dict \
		"$base/corpus/$name" "$base/seeds/$name" > "$base/logs/$name.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$base/logs/$name.log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$base/logs/$name.log" | tail -1)
	corpus=$(ls "$base/corpus/$name" | wc -l)
	if [ "$rc" -eq 0 ]; then
		echo "fuzz $name: ${execs:-?} executions in ${seconds}s, $cov, corpus $corpus: ok"
	else
		failed=$((failed + 1))
		echo "fuzz $name: FAILED (status $rc) after ${execs:-?} executions; see $base/logs/$name.log"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz: invariant|.*runtime error)' "$base/logs/$name.log" | head -5 | sed 's/^/  /'
		ls "$base/crashes/$name-"* 2>/dev/null | sed 's/^/  input: /'
	fi
done
[ "$failed" -eq 0 ]
