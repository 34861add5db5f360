#!/bin/sh
# run.sh - the test runner: command-line cases as data, in the style of
# jq's tests/jq.test and git's t/, and (with UNIT=) the Check unit suites,
# all on JOBS parallel jobs.
#
# Usage: HICARD=path/to/hicard [UNIT=build/unit-tests] [JOBS=N] [TIMES=FILE]
#        sh tests/cli/run.sh [tests/cli/NAME.test ...]
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
# fails unless the case expects exactly it.
#
# Jobs: every case and every unit suite (UNIT --count of them, each run
# alone as `$UNIT_WRAP UNIT I`, so a suite added to tests/unit/main.c is
# never skipped) is one item; JOBS (default: the online processors) items
# run at a time, taken from a queue, longest first by the times TIMES
# recorded on the last run (items it does not know go first; without it
# the queue is in file order, unit suites first).  Cases are independent:
# each has its own $TMP.  A file's report (an "ok" line, or "FAIL" and
# every failed case with its diffs) and a suite's are printed whole when
# their last item ends, never interleaved; then the totals and the name
# of everything that failed.  Exits 1 if anything failed, a suite printed
# no Check totals, or an item never finished.
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -eq 0 ] || : "${HICARD:?set HICARD to the binary under test}"
HICARD=${HICARD:-hicard}
case $HICARD in /*) ;; *) HICARD=$root/$HICARD ;; esac
UNIT=${UNIT:-}
case $UNIT in /*|'') ;; *) UNIT=$root/$UNIT ;; esac
GENDATA=${GENDATA:-$root/build/gendata}
case $GENDATA in /*) ;; *) GENDATA=$root/$GENDATA ;; esac
work=$(mktemp -d "${TMPDIR:-/tmp}/hicard-cli.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# "hicard" on the PATH: a link to the binary, or a script running it
# through $HICARD_WRAP (a process start costs ~10 ms of CPU on a busy
# machine, and the failure walks start hicard thousands of times).
mkdir -p "$work/bin"
if [ -z "${HICARD_WRAP:-}" ]; then
	ln -s "$HICARD" "$work/bin/hicard"
else
	{
		echo '#!/bin/sh'
		echo "exec ${HICARD_WRAP:-} \"$HICARD\" \"\$@\""
	} > "$work/bin/hicard"
	chmod +x "$work/bin/hicard"
fi
PATH=$work/bin:$PATH
# Sanitizers exit with a status no case expects.
ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=86:detect_leaks=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:exitcode=86:print_stacktrace=1}
export PATH GENDATA ASAN_OPTIONS UBSAN_OPTIONS


# $1 = the second line of `times` (the CPU time of the shell's ended
# children, e.g. "0m1.250000s 0m0.310000s"): prints user + system in ms.
cpu_ms() {
	cm_t=0
	for cm_x in $1 $2; do
		cm_m=${cm_x%%m*}
		cm_x=${cm_x#*m}
		cm_x=${cm_x%s}
		cm_f=${cm_x#*.}000
		cm_f=${cm_f%"${cm_f#???}"}
		cm_t=$((cm_t + (cm_m * 60 + ${cm_x%.*}) * 1000 + 1$cm_f - 1000))
	done
	echo "$cm_t"
}

# Splits one .test file into case folders (each with its empty tmp/):
# name, line, cmd, stdin, stdout, stderr, status; one mkdir for them all.
split_cases() {
	awk -v dir="$2" '
	function start(name) {
		n++; nm[n] = name; ln[n] = NR; st[n] = "0\n"
		cmd[n] = in_[n] = out[n] = err[n] = ""; has[n] = 0
	}
	/^###/ { start(substr($0, 5)); next }
	/^#/ { next }
	/^\$ / { if (n == 0) start("line " NR); cmd[n] = cmd[n] substr($0, 3) "\n"; has[n] = 1; next }
	/^< ?/ { in_[n] = in_[n] substr($0, 3) "\n"; next }
	/^<$/ { in_[n] = in_[n] "\n"; next }
	/^> / || /^>$/ { out[n] = out[n] substr($0, 3) "\n"; next }
	/^! / || /^!$/ { err[n] = err[n] substr($0, 3) "\n"; next }
	/^\? / { st[n] = substr($0, 3) "\n"; next }
	/^[ \t]*$/ { next }
	{ printf "%s:%d: unrecognised line: %s\n", FILENAME, NR, $0 > "/dev/stderr"; bad = 1 }
	function put(file, text) { printf "%s", text > file; close(file) }
	END {
		if (bad) exit 1
		dirs = ""
		for (i = 1; i <= n; i++)
			dirs = dirs sprintf(" \"%s/%04d/tmp\"", dir, i)
		if (n > 0 && system("mkdir -p" dirs) != 0) exit 1
		for (i = 1; i <= n; i++) {
			d = sprintf("%s/%04d", dir, i)
			put(d "/name", nm[i] "\n"); put(d "/line", ln[i] "\n")
			put(d "/status", st[i]); put(d "/stdin", in_[i])
			put(d "/stdout", out[i]); put(d "/stderr", err[i])
			if (has[i]) put(d "/cmd", cmd[i])
		}
	}
	' "$1"
}

# Runs the case in folder $1 of test file $2: its report (nothing if it
# passed) goes to $1/log, "pass" or "fail" to $1/result.
run_case() {
	c=$1
	IFS= read -r name < "$c/name"
	read -r line < "$c/line"
	read -r want < "$c/status"
	if [ ! -f "$c/cmd" ]; then
		echo "FAIL $2:$line: $name: no \$ line" > "$c/log"
		echo fail > "$c/result"
		return
	fi
	(cd "$root" && TMP="$c/tmp" sh "$c/cmd" < "$c/stdin" > "$c/out" 2> "$c/err" 3>&-)
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
		echo pass > "$c/result"
		return
	fi
	{
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
	} > "$c/log"
	echo fail > "$c/result"
}

# Runs unit suite $2 into folder $1: Check's output to $1/log, its exit
# status to $1/result.
run_suite() {
	mkdir -p "$1"
	(cd "$root" && ${UNIT_WRAP:-} "$UNIT" "$2" > "$1/log" 2>&1 3>&-)
	echo $? > "$1/result"
}

# The queue: one line per item, "KEY GROUP DIR".  A group is a .test file
# (its cases) or a unit suite; $work/groups lists each with its number of
# items, kind and label, in the order given.
: > "$work/items"
: > "$work/groups"
bad_files=""
nsuites=0
if [ -n "$UNIT" ]; then
	nsuites=$("$UNIT" --count) || nsuites=""
	case $nsuites in
	''|*[!0-9]*)
		echo "$UNIT --count did not give the number of suites"
		exit 1 ;;
	esac
	i=0
	while [ "$i" -lt "$nsuites" ]; do
		printf 'unit:%s u%s %s\n' "$i" "$i" "$work/units/$i" >> "$work/items"
		printf 'u%s 1 unit %s\n' "$i" "$i" >> "$work/groups"
		i=$((i + 1))
	done
fi
g=0
printf '%s\n' "$@" > "$work/given"
for t in "$@"; do
	g=$((g + 1))
	d="$work/cases/$g"
	mkdir -p "$d"
	if ! split_cases "$t" "$d" 2> "$d.err"; then
		bad_files="$bad_files $t"
		continue
	fi
	n=0
	for c in "$d"/*/; do
		[ -d "$c" ] || continue
		read -r line < "$c/line"
		printf '%s:%s c%s %s\n' "$t" "$line" "$g" "${c%/}" >> "$work/items"
		n=$((n + 1))
	done
	printf 'c%s %s cli %s\n' "$g" "$n" "$t" >> "$work/groups"
done

# Longest first by the last run's times; unknown items first, then the
# given order (sort -s keeps it among equals).
TIMES=${TIMES:-}
if [ -n "$TIMES" ] && [ -s "$TIMES" ]; then
	awk 'FNR == NR { ms[$1] = $2; next }
	     { print ($1 in ms ? ms[$1] : 999999999), NR, $0 }' "$TIMES" "$work/items"
else
	awk '{ print 0, NR, $0 }' "$work/items"
fi | sort -s -k1,1nr -k2,2n | cut -d' ' -f3- > "$work/queue"

# A group's report, whole: a .test file as one "ok" line, or a "FAIL"
# line and the report of every failed case; a suite as Check's totals, or
# all its output if it failed.  $1 = group, $2 = kind, $3 = label, $4 = CPU
# ms of its items.
passed=0 failed=0 checks=0 suites_ok=0 failures=""
print_group() {
	secs=$(($4 / 1000)).$(($4 % 1000 / 100))
	if [ "$2" = unit ]; then
		d="$work/units/$3"
		tot=$(grep -E '^[0-9]+%: Checks: [0-9]+' "$d/log" 2>/dev/null | tail -1)
		sname=$(sed -n 's/^Running suite(s): //p' "$d/log" 2>/dev/null | head -1)
		sname=${sname:-number $3}
		st=$(cat "$d/result" 2>/dev/null) || st="none (never finished)"
		if [ "$st" = 0 ] && [ -n "$tot" ]; then
			suites_ok=$((suites_ok + 1))
			checks=$((checks + $(echo "$tot" | sed 's/.*Checks: \([0-9]*\).*/\1/')))
			echo "ok   unit suite $sname: $tot (${secs} s CPU)"
			return
		fi
		failures="$failures
  unit suite $sname"
		if [ "$st" = 0 ]; then
			echo "FAIL unit suite $sname: no Check totals printed"
		else
			echo "FAIL unit suite $sname: exit status $st${tot:+; $tot}"
		fi
		sed 's/^/  /' "$d/log" 2>/dev/null
		return
	fi
	d="$work/cases/${1#c}"
	gp=0 gf=0
	for c in "$d"/*/; do
		[ -d "$c" ] || continue
		r=""
		[ -f "$c/result" ] && read -r r < "$c/result"
		if [ "$r" = pass ]; then
			gp=$((gp + 1))
			continue
		fi
		gf=$((gf + 1))
		read -r line < "$c/line"
		IFS= read -r name < "$c/name"
		failures="$failures
  $3:$line: $name"
		[ -f "$c/log" ] || echo "FAIL $3:$line: $name: never finished" > "$c/log"
	done
	passed=$((passed + gp))
	failed=$((failed + gf))
	if [ "$gf" -eq 0 ]; then
		echo "ok   $3: $gp cases (${secs} s CPU)"
		return
	fi
	echo "FAIL $3: $gf of $((gp + gf)) cases failed (${secs} s CPU)"
	for c in "$d"/*/; do
		r=""
		[ -f "$c/result" ] && read -r r < "$c/result"
		[ "$r" = pass ] || cat "$c/log"
	done
}

for t in $bad_files; do
	echo "FAIL $t: lines the runner cannot read"
	sed 's/^/  /' "$work/cases/$(grep -n "^$t\$" "$work/given" | cut -d: -f1).err"
	failures="$failures
  $t: unreadable"
done

# Items left and CPU ms so far per group, in shell variables (left_G,
# ms_G): no process is started to follow them.
while read -r g n kind label; do
	eval "left_$g=\$n ms_$g=0 kind_$g=\$kind label_$g=\$label"
	[ "$n" -gt 0 ] || print_group "$g" "$kind" "$label" 0
done < "$work/groups"

# An item ended: "GROUP MS KEY" (from the FIFO below).  The last item of a
# group prints it; the times go to $work/times.
: > "$work/times"
ended() {
	[ -n "$1" ] || return 0
	echo "$3 $2" >> "$work/times"
	eval "left_$1=\$((left_$1 - 1)) ms_$1=\$((ms_$1 + \$2))"
	eval "[ \"\$left_$1\" -eq 0 ]" || return 0
	eval "print_group \"\$1\" \"\$kind_$1\" \"\$label_$1\" \"\$ms_$1\""
}

# JOBS slots in a FIFO: an empty line per free slot at first; an item
# takes a line before it starts and writes "GROUP MS KEY" when it ends,
# which frees its slot and tells this shell what ended.  An item's own
# standard error is dropped: everything it reports is in its files, and
# the shell would print "Killed" there for a case that kills itself.
jobs=${JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
case $jobs in ''|*[!0-9]*|0) jobs=1 ;; esac
mkfifo "$work/slots" || exit 1
exec 3<> "$work/slots"
k=0
while [ "$k" -lt "$jobs" ]; do
	echo >&3
	k=$((k + 1))
done
start=$(date +%s)
while read -r key group dir; do
	read -r eg ems ekey <&3
	ended "$eg" "$ems" "$ekey"
	{
		case $group in
		u*) run_suite "$dir" "${key#unit:}" ;;
		*) run_case "$dir" "${key%:*}" ;;
		esac
		times > "$dir.times"
		{ read -r _; read -r tu ts; } < "$dir.times"
		echo "$group $(cpu_ms "$tu" "$ts") $key" >&3
	} 2> /dev/null &
done < "$work/queue"
wait
echo END >&3
while read -r eg ems ekey <&3 && [ "$eg" != END ]; do
	ended "$eg" "$ems" "$ekey"
done
exec 3>&-
elapsed=$(($(date +%s) - start))
# Groups with an item that never ended (its shell was killed).
while read -r g n kind label; do
	eval "[ \"\$left_$g\" -eq 0 ]" || eval "print_group \"\$g\" \"\$kind\" \"\$label\" \"\$ms_$g\""
done < "$work/groups"

if [ -n "$TIMES" ] && [ -s "$work/times" ]; then
	cp "$work/times" "$TIMES.tmp.$$" && mv "$TIMES.tmp.$$" "$TIMES"
fi

[ -z "$UNIT" ] || echo "unit: $suites_ok of $nsuites suites passed, $checks checks"
[ $# -eq 0 ] || echo "cli: $passed passed, $failed failed"
echo "($elapsed s on $jobs jobs)"
if [ -n "$failures" ]; then
	echo "failed:$failures"
	exit 1
fi
