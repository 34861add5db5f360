# rss.sh - sourced by command-line tests: rss_under KIB CMD... runs CMD
# (stdin passed on; send its output to a file with -o) under tests/tools/maxrss
# (built next to $GENDATA) and prints "ok" if its peak resident memory
# stayed at or under KIB KiB, else "peak N KiB over the bound of KIB KiB".
# The exit status is CMD's.  For `profile`, `hash`, `encode apply`, ...:
#
#   $GENDATA mixed --rows N | rss_under BOUND hicard SUB --memory M ...
#
# rss_peak CMD... prints CMD's peak in KiB (its stdout is discarded): the
# baseline of a build on a tiny input, since compilers and libcs differ by
# megabytes (gcc 2.5 MiB, clang 7.5 MiB for the same profile run), so a
# bound is best stated as baseline + budget + a fixed allowance.
#
# Sanitizer and valgrind runs measure the tool, not hicard (ASan keeps up
# to 256 MiB of freed memory in quarantine; valgrind its own), so there
# the command runs and its status counts, but the bound is not checked:
# "ok" is printed.  Recognised by $HICARD_WRAP being set, or by the
# binary under test containing the ASan runtime's entry point.
rss_under() {
	rss_bound=$1
	shift
	rss_file=$(mktemp "${TMPDIR:-/tmp}/hicard-rss.XXXXXX") || return 1
	"$(dirname "$GENDATA")/maxrss" -o "$rss_file" "$@"
	rss_status=$?
	rss_peak=$(cat "$rss_file")
	rm -f "$rss_file"
	if [ -n "${HICARD_WRAP:-}" ] || grep -q __asan_init "$HICARD" 2>/dev/null; then
		echo ok
	elif [ "$rss_peak" -le "$rss_bound" ]; then
		echo ok
	else
		echo "peak $rss_peak KiB over the bound of $rss_bound KiB"
	fi
	return $rss_status
}

rss_peak() {
	rss_file=$(mktemp "${TMPDIR:-/tmp}/hicard-rss.XXXXXX") || return 1
	"$(dirname "$GENDATA")/maxrss" -o "$rss_file" "$@" > /dev/null
	rss_status=$?
	cat "$rss_file"
	rm -f "$rss_file"
	return $rss_status
}
