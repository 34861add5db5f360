#!/bin/sh
# seeds.sh - builds the fuzz targets' seed corpora from testdata/ and the
# command-line tests.
#
# Usage: sh tests/fuzz/seeds.sh OUTDIR HICARD
# Writes OUTDIR/NAME/ for each target of tests/fuzz/fuzz_NAME.c, in the
# input format that target's comment describes (most start with an option
# byte).  HICARD (a built hicard) makes the profile states.
set -eu
out=$1
case $2 in /*) hicard=$2 ;; *) hicard=$(pwd)/$2 ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
rm -rf "$out"
for t in csv select schema frame state opts tables model encstate; do mkdir -p "$out/$t"; done

# seed DIR NAME OPTBYTE(octal) FILE: the option byte, then the file.
seed() {
	{ printf "\\$3"; cat "$4"; } > "$1/$2"
}

# CSV: option byte 020 = comma, memory file; 000 = stdin in 1-byte pieces;
# 021 = tab; 002 = ';'; 044 = no header, pieces of 10 bytes; 010 batches.
for f in testdata/csv/*.csv testdata/profile/*.csv; do
	b=$(basename "$f" .csv)
	seed "$out/csv" "$b.mem" 020 "$f"
	seed "$out/csv" "$b.pieces" 000 "$f"
	seed "$out/csv" "$b.batch" 070 "$f"
done
seed "$out/csv" small.tsv 021 testdata/csv/small.tsv
seed "$out/csv" semicolon 002 testdata/csv/semicolon.csv
seed "$out/csv" noheader 044 testdata/csv/small.csv
head -c 3000 testdata/demo/clicks.csv > "$out/csv/clicks.tmp"
seed "$out/csv" clicks 030 "$out/csv/clicks.tmp"
rm "$out/csv/clicks.tmp"
for f in testdata/bad/*.csv; do
	[ -f "$f" ] && seed "$out/csv" "bad-$(basename "$f" .csv)" 020 "$f"
done

# Selections: the column names, one a line, then the spec.
names=$(head -1 testdata/csv/small.csv | tr ',' '\n')
n=0
for spec in '' label 'user_id,item_id' 2-4 3- -3 '!label' '!1,!2' 'a-c' \
	    '1,1,1' 'label-price' '0' '99' 'no such' '-' '!'; do
	n=$((n + 1))
	printf '%s\n%s' "$names" "$spec" > "$out/select/$n"
done
printf 'a\nb\nc\n2-' > "$out/select/abc"
printf '%s' 'x' > "$out/select/nocols"

# Frames: with CRCs fixed (option 005) and as they are (004, 000 pieces).
for f in testdata/frames/*.hcb testdata/bad/*.hcb; do
	b=$(basename "$f" .hcb)
	seed "$out/frame" "$b.fix" 005 "$f"
	seed "$out/frame" "$b.raw" 004 "$f"
	seed "$out/frame" "$b.pieces" 010 "$f"
done
"$hicard" show --from-csv --label click --cat user_id,item_id --num price \
	--multi tags --space user_id=300,item_id=1500,tags=100 \
	testdata/csv/small.csv > "$out/frame.tmp" 2>/dev/null ||
	"$hicard" show --from-csv --cat user_id testdata/csv/small.csv > "$out/frame.tmp"
seed "$out/frame" multi.fix 005 "$out/frame.tmp"
rm -f "$out/frame.tmp"

# Frame headers: the stored bytes of each frame's header, and as printed.
for f in testdata/frames/*.hcb; do
	b=$(basename "$f" .hcb)
	len=$(od -An -tu4 -j12 -N4 "$f" | tr -d ' ')
	tail -c +17 "$f" | head -c "$len" > "$out/schema/$b"
	"$hicard" show --header "$f" > "$out/schema/$b.pretty"
done

# Profile states: whole files (option 004) and bare payloads (005).
for f in testdata/profile/small.csv testdata/profile/one_row.csv \
	 testdata/profile/type_change.csv testdata/profile/all_empty.csv; do
	b=$(basename "$f" .csv)
	"$hicard" profile -q --sketch-out "$out/state.tmp" --target label "$f" > /dev/null 2>&1 ||
		"$hicard" profile -q --sketch-out "$out/state.tmp" "$f" > /dev/null
	seed "$out/state" "$b.file" 004 "$out/state.tmp"
	tail -c +21 "$out/state.tmp" | head -c -4 > "$out/state.payload"
	seed "$out/state" "$b.payload" 005 "$out/state.payload"
	seed "$out/state" "$b.small-budget" 015 "$out/state.payload"
done
"$hicard" profile -q --memory 1K --sketch-out "$out/state.tmp" testdata/demo/clicks.csv > /dev/null
tail -c +21 "$out/state.tmp" | head -c -4 > "$out/state.payload"
seed "$out/state" clicks-sketched.payload 005 "$out/state.payload"
rm -f "$out/state.tmp" "$out/state.payload"
# The bad states, found crashes among them, replayed on every run.
for f in testdata/bad/*.st; do
	b=$(basename "$f" .st)
	seed "$out/state" "bad-$b.raw" 004 "$f"
	seed "$out/state" "bad-$b.pipe" 000 "$f"
	seed "$out/state" "bad-$b.fix" 006 "$f"
done

# payload FILE: the payload of a state file (lib/statefile.h: a 20-byte
# head before it, a 4-byte CRC after it).
payload() {
	tail -c +21 "$1" | head -c -4
}

# Hash tables: counts files (option 000: columns user and item; 002: user
# only) and cluster maps (001, 003).
for f in testdata/hash/*.counts; do
	b=$(basename "$f" .counts)
	seed "$out/tables" "$b.counts" 000 "$f"
	seed "$out/tables" "$b.counts-one" 002 "$f"
done
for f in testdata/hash/*.map; do
	b=$(basename "$f" .map)
	seed "$out/tables" "$b.map" 001 "$f"
	seed "$out/tables" "$b.map-one" 003 "$f"
done

# Models: logreg, fm (int8) and mf payloads, mf with keys and with
# double-frequency's padded rows.
t=$out/model.tmp
mkdir -p "$t"
"$hicard" train --model logreg --epochs 1 --threads 1 -q -o "$t/m" testdata/frames/small.hcb
payload "$t/m" > "$out/model/logreg"
"$hicard" train --model fm --dim 4 --epochs 1 --threads 1 --quantize int8 -q -o "$t/m" testdata/frames/small.hcb
payload "$t/m" > "$out/model/fm-int8"
for s in "double --buckets 40" "vocab --fit testdata/graphhash/train.csv" \
	 "double-frequency --buckets 40 --fit testdata/graphhash/train.csv"; do
	"$hicard" hash --scheme $s --keys --format hcb -q -o "$t/f.hcb" \
		testdata/graphhash/test.csv
	"$hicard" train --model mf --dim 4 --epochs 1 --threads 1 -q -o "$t/m" "$t/f.hcb"
	payload "$t/m" > "$out/model/mf-${s%% *}"
done

# Encode states: every encoder, with and without a target.
"$hicard" encode fit --onehot device --ordinal device --count city --freq city \
	--target-encode device,city --woe city --binary city --resbit city \
	--target click -q -o "$t/s" testdata/encode/train.csv
payload "$t/s" > "$out/encstate/all"
"$hicard" encode fit --onehot device --count city -q -o "$t/s" testdata/encode/train.csv
payload "$t/s" > "$out/encstate/no-target"
rm -rf "$t"
# The bad models and states of testdata/bad (crashes the targets found),
# replayed on every run.
for f in testdata/bad/*.model; do
	payload "$f" > "$out/model/bad-$(basename "$f" .model)"
done
for f in testdata/bad/enc_*.state; do
	payload "$f" > "$out/encstate/bad-$(basename "$f" .state)"
done

# Options: every "$ hicard SUB ..." line of the command-line tests without
# shell syntax, as NUL-separated words.
n=0
grep -h '^\$ hicard [a-z]' tests/cli/*.test | sed 's/^\$ hicard //' |
	grep -v '[|;&<>$`"'"'"'(]' | sort -u |
	while IFS= read -r line; do
		n=$((n + 1))
		printf '%s' "$line" | tr ' ' '\000' > "$out/opts/$n"
	done
