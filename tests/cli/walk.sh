# walk.sh - sourced by failures.test: walk SUB CMD... runs CMD with
# HICARD_FAIL_ALLOC=1, 2, ... until it succeeds, checking each failure.
# WALK_STEP=K tries every Kth allocation only (make valgrind sets it: each
# run there costs a second).
walk() {
	sub=$1
	shift
	n=1
	while :; do
		HICARD_FAIL_ALLOC=$n "$@" > /dev/null 2> "$TMP/err"
		s=$?
		[ "$s" = 0 ] && break
		if [ "$s" != 1 ] || [ "$(cat "$TMP/err")" != "hicard $sub: out of memory" ]; then
			echo "allocation $n: status $s: $(cat "$TMP/err")"
			return 1
		fi
		if [ -e "$TMP/out" ] || ls -A "$TMP" | grep -q '^\.out\.'; then
			echo "allocation $n: output or temporary file left behind"
			return 1
		fi
		n=$((n + ${WALK_STEP:-1}))
	done
	[ "$n" -gt 10 ] && echo ok
}
