#!/bin/sh
# run.sh - command-line test runner: cases as data, in the style of jq's
# tests/jq.test and git's t/.
#
# Usage: HICARD=path/to/hicard [JOBS=N] sh tests/cli/run.sh tests/cli/*.test
#
# A .test file holds cases separated by blank lines:
#
#   ### what the case checks            (starts a case; the name)
#   $ hicard show --head 1 testdata/frames/small.hcb
#   < a line of standard input          (any number; none: stdin is empty)
#   > a line of expected standard output
#   ! a line of expected standard error
#   ? 1                                 (expected exit status; default 0)
#
# Lines starting with "#" (but not "###") are comments.  The "$" line is run
# by sh from the repository root, so pipes and redirections work; "hicard"
# is the binary under test (through $HICARD_WRAP, e.g. valgrind, if set),
# $TMP is an empty scratch folder of the case's own and $GENDATA the data
# generator.  Standard output and standard error are always compared in
# full (no "!" lines: stderr must be empty), so a sanitizer or valgrind
# report fails the case.  An exit status of 128 or more (death by a signal)
# fails unless the case expects exactly it.  Prints "N passed, N failed"
# and exits 1 if any case failed.
set -u

: "${HICARD:?set HICARD to the binary under test}"
root=$(cd "$(dirname "$0")/../.." && pwd)
case $HICARD in /*) ;; *) HICARD=$root/$HICARD ;; esac
GENDATA=${GENDATA:-$root/build/gendata}
case $GENDATA in /*) ;; *) GENDATA=$root/$GENDATA ;; esac
work=$(mktemp -d "${TMPDIR:-/tmp}/hicard-cli.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM

mkdir -p "$work/bin"
{
	echo '#!/bin/sh'
	echo "exec ${HICARD_WRAP:-} \"$HICARD\" \"\$@\""
} > "$work/bin/hicard"
chmod +x "$work/bin/hicard"
PATH=$work/bin:$PATH
# Sanitizers exit with a status no case expects.
ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=86:detect_leaks=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:exitcode=86:print_stacktrace=1}
export PATH GENDATA ASAN_OPTIONS UBSAN_OPTIONS

passed=0
failed=0

# Splits one .test file into case folders: name, line, cmd, stdin,
# stdout, stderr, status.
split_cases() {
	awk -v dir="$2" '
	function close_case() {
		if (n > 0) { close(d "/stdin"); close(d "/stdout"); close(d "/stderr") }
	}
	function start(name) {
		close_case(); n++; d = sprintf("%s/%04d", dir, n)
		system("mkdir -p \"" d "\"")
		printf "%s\n", name > (d "/name"); close(d "/name")
		printf "%d\n", NR > (d "/line"); close(d "/line")
		printf "" > (d "/stdin"); printf "" > (d "/stdout"); printf "" > (d "/stderr")
		printf "0\n" > (d "/status"); close(d "/status")
		has_cmd = 0
	}
	/^###/ { start(substr($0, 5)); next }
	/^#/ { next }
	/^\$ / { if (n == 0) start("line " NR); printf "%s\n", substr($0, 3) > (d "/cmd"); close(d "/cmd"); next }
	/^< ?/ { printf "%s\n", substr($0, 3) > (d "/stdin"); next }
	/^<$/ { printf "\n" > (d "/stdin"); next }
	/^> / || /^>$/ { printf "%s\n", substr($0, 3) > (d "/stdout"); next }
	/^! / || /^!$/ { printf "%s\n", substr($0, 3) > (d "/stderr"); next }
	/^\? / { printf "%s\n", substr($0, 3) > (d "/status"); close(d "/status"); next }
	/^[ \t]*$/ { next }
	{ printf "%s:%d: unrecognised line: %s\n", FILENAME, NR, $0 > "/dev/stderr"; bad = 1 }
	END { close_case(); exit bad }
	' "$1"
}

run_case() { # $1 = case folder, $2 = test file
	c=$1
	name=$(cat "$c/name")
	line=$(cat "$c/line")
	want=$(cat "$c/status")
	if [ ! -f "$c/cmd" ]; then
		echo "FAIL $2:$line: $name: no \$ line"
		failed=$((failed + 1))
		return
	fi
	mkdir -p "$c/tmp"
	(cd "$root" && TMP="$c/tmp" sh "$c/cmd" < "$c/stdin" > "$c/out" 2> "$c/err")
	got=$?
	why=""
	if [ "$got" -ge 128 ] && [ "$got" != "$want" ]; then
		why="died by signal $((got - 128))"
	elif [ "$got" != "$want" ]; then
		why="exit status $got, expected $want"
	fi
	if ! cmp -s "$c/out" "$c/stdout"; then
		why="${why:+$why; }stdout differs"
	fi
	if ! cmp -s "$c/err" "$c/stderr"; then
		why="${why:+$why; }stderr differs"
	fi
	if [ -z "$why" ]; then
		passed=$((passed + 1))
		return
	fi
	failed=$((failed + 1))
	echo "FAIL $2:$line: $name: $why"
	printf '  $ %s\n' "$(cat "$c/cmd")"
	if ! cmp -s "$c/out" "$c/stdout"; then
		echo "  --- stdout: expected / +++ got"
		diff "$c/stdout" "$c/out" | head -20 | sed 's/^/  /'
	fi
	if ! cmp -s "$c/err" "$c/stderr"; then
		echo "  --- stderr: expected / +++ got"
		diff "$c/stderr" "$c/err" | head -20 | sed 's/^/  /'
	fi
}

# Every case of every file, then JOBS workers (default: the number of
# processors) taking every JOBS-th case each: cases are independent (each
# has its own $TMP), and the failure-injection walks make a few of them long.
: > "$work/cases.list"
for t in "$@"; do
	d="$work/cases/$(basename "$t" .test)"
	mkdir -p "$d"
	if ! split_cases "$t" "$d"; then
		failed=$((failed + 1))
		continue
	fi
	for c in "$d"/*/; do
		[ -d "$c" ] && printf '%s %s\n' "${c%/}" "$t" >> "$work/cases.list"
	done
done

jobs=${JOBS:-$(nproc 2>/dev/null || echo 1)}
case $jobs in ''|*[!0-9]*|0) jobs=1 ;; esac
k=0
while [ "$k" -lt "$jobs" ]; do
	(
		passed=0 failed=0
		awk -v k="$k" -v n="$jobs" '(NR - 1) % n == k' "$work/cases.list" > "$work/share.$k"
		while read -r c t; do
			run_case "$c" "$t"
		done < "$work/share.$k" > "$work/log.$k"
		echo "$passed $failed" > "$work/count.$k"
	) &
	k=$((k + 1))
done
wait
k=0
while [ "$k" -lt "$jobs" ]; do
	cat "$work/log.$k"
	read -r p f < "$work/count.$k" || { p=0; f=1; echo "worker $k died"; }
	passed=$((passed + p))
	failed=$((failed + f))
	k=$((k + 1))
done

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
