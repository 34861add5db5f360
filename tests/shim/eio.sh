# eio.sh - sourced by command-line tests: eio PATH AFTER CMD... runs CMD
# with reads of PATH ("-": stdin) failing with EIO after AFTER bytes, via
# the LD_PRELOAD shim tests/shim/eio.c (built next to $GENDATA as eio.so).
#
# AddressSanitizer insists that its runtime come first among the loaded
# libraries, and a preloaded library comes before it.  So when the binary
# under test ($HICARD) links libasan (gcc's SANITIZE=1 build), its runtime
# is preloaded first and the shim after it: ASan's read() interceptor
# then calls on into the shim, which calls libc, and the sanitizer keeps
# checking everything.  (Setting verify_asan_link_order=0 instead would
# work too, but silences a check that guards real mistakes.)  clang's
# -fsanitize=address links the runtime statically into the binary, which
# therefore comes first anyway.
eio() {
	eio_path=$1
	eio_after=$2
	shift 2
	eio_pre="$(dirname "$GENDATA")/eio.so"
	eio_asan=$(ldd "$HICARD" 2>/dev/null | awk '/libasan/ { print $3; exit }')
	[ -n "$eio_asan" ] && eio_pre="$eio_asan $eio_pre"
	HICARD_EIO_PATH=$eio_path HICARD_EIO_AFTER=$eio_after LD_PRELOAD=$eio_pre "$@"
}
