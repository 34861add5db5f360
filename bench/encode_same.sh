#!/bin/sh
# bench/encode_same.sh - byte-identity of `hicard encode` outputs between
# two binaries (a speed change must not change a byte).
#
#   sh bench/encode_same.sh OLD_HICARD NEW_HICARD [ROWS]
#
# Generates a ctr file (ROWS, default 200000) and numeric-target and
# multiclass variants of it, runs every command below with both binaries
# (each invoked as ./hicard from its own folder, so that the argv a frame
# records is the same) and compares outputs and state files with cmp.
# Prints one line per command; exit status 1 if any differ.  Needs
# build/gendata (`make tools`).
set -eu
OLD=$1 NEW=$2 ROWS=${3:-200000}
GENDATA=${GENDATA:-build/gendata}
here=$(pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/hicard-same.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/old" "$dir/new"
cp "$OLD" "$dir/old/hicard"
cp "$NEW" "$dir/new/hicard"
"$GENDATA" ctr --rows "$ROWS" --seed 3 -o "$dir/ctr.csv"
# numeric target (0/1 up to half the rows, then 0 .. 3.4), and a 3-class label with some empty targets
awk -F, -v OFS=, -v h=$((ROWS / 2)) 'NR > h { $1 = $1 + (NR % 7) / 2.5 } 1' "$dir/ctr.csv" >"$dir/num.csv"
awk -F, -v OFS=, 'NR == 1 { $1 = "label" } NR > 1 { $1 = NR % 97 == 0 ? "" : substr("abc", 1 + (NR * 7 + $1) % 3, 1) } 1' "$dir/ctr.csv" >"$dir/mc.csv"
head -50001 "$dir/ctr.csv" >"$dir/a.csv"
(head -1 "$dir/ctr.csv"; tail -n +50002 "$dir/ctr.csv") >"$dir/b.csv"
TD=$here/testdata/encode
C=user_id,item_id,ad_id,site_id,app_id,device_model,banner_pos
T="--target click --target-encode $C"
bad=0 n=0
# same NAME CMD: runs CMD (a shell string; $D is the run's folder, $W the
# scratch file folder) with each binary, compares stdout and every file
# CMD left in $W (w, relative: a frame records the paths in its argv).
same() {
	name=$1 cmd=$2
	for side in old new; do
		mkdir -p "$dir/$side/w"
		rm -f "$dir/$side/w"/*
		(cd "$dir/$side" && D=$dir W=w sh -c "$cmd" >"$dir/$side/out" 2>"$dir/$side/err") || echo "exit $?" >>"$dir/$side/err"
	done
	n=$((n + 1))
	ok=1
	cmp -s "$dir/old/out" "$dir/new/out" || ok=0
	cmp -s "$dir/old/err" "$dir/new/err" || ok=0
	for f in "$dir/old/w"/*; do
		[ -e "$f" ] || continue
		cmp -s "$f" "$dir/new/w/${f##*/}" || ok=0
	done
	if [ "$ok" = 1 ]; then
		echo "same     $name ($(wc -c <"$dir/new/out" | tr -d ' ') bytes)"
	else
		echo "DIFFER   $name: $cmd"
		bad=1
	fi
}
same oof-csv "./hicard encode fit-apply -q $T --folds 5 \$D/ctr.csv"
same oof-csv-2pass "./hicard encode fit-apply -q --memory 1 $T --folds 5 \$D/ctr.csv"
same oof-keep-reread "./hicard encode fit-apply -q $T --keep app_id,click \$D/ctr.csv"
same oof-csv-stdin "./hicard encode fit-apply -q $T --folds 5 < \$D/ctr.csv"
same oof-hcb "./hicard encode fit-apply -q $T --folds 5 --format hcb \$D/ctr.csv"
same oof-libsvm "./hicard encode fit-apply -q $T --folds 3 --format libsvm \$D/ctr.csv"
same oof-smooth2-woe "./hicard encode fit-apply -q $T --woe user_id,site_id --smooth 2 --folds 5 \$D/ctr.csv"
same oof-smooth-auto-2pass "./hicard encode fit-apply -q --memory 1 $T --smooth auto --woe ad_id --save-state \$W/s \$D/ctr.csv"
same ordered "./hicard encode fit-apply -q $T --ordered \$D/ctr.csv"
same ordered-2pass "./hicard encode fit-apply -q --memory 1 $T --woe site_id --ordered \$D/ctr.csv"
same num-oof "./hicard encode fit-apply -q $T --folds 5 \$D/num.csv"
same num-oof-2pass "./hicard encode fit-apply -q --memory 1 $T --smooth 3 --folds 4 \$D/num.csv"
same num-ordered "./hicard encode fit-apply -q $T --ordered \$D/num.csv"
same num-fit-apply "./hicard encode fit -q $T -o \$W/s \$D/num.csv && ./hicard encode apply -q --state \$W/s \$D/num.csv"
same mc-oof "./hicard encode fit-apply -q --classes a,b,c --target label --target-encode $C --folds 5 \$D/mc.csv"
same mc-oof-2pass "./hicard encode fit-apply -q --memory 1 --classes auto --target label --target-encode $C --count site_id \$D/mc.csv"
same mc-oof-hcb "./hicard encode fit-apply -q --classes a,b,c --target label --target-encode user_id,site_id --format hcb \$D/mc.csv"
same mc-ordered "./hicard encode fit-apply -q --classes a,b,c --target label --target-encode user_id,site_id --ordered \$D/mc.csv"
same mc-fit-apply "./hicard encode fit -q --classes a,b,c --target label --target-encode $C -o \$W/s \$D/mc.csv && ./hicard encode apply -q --state \$W/s --format libsvm \$D/mc.csv"
same fit-state "./hicard encode fit -q $T --count site_id --onehot banner_pos -o \$W/s \$D/ctr.csv"
same apply-csv "./hicard encode fit -q $T -o \$W/s \$D/ctr.csv && ./hicard encode apply -q --state \$W/s \$D/ctr.csv"
same apply-hcb "./hicard encode fit -q $T -o \$W/s \$D/ctr.csv && ./hicard encode apply -q --state \$W/s --format hcb \$D/ctr.csv"
same merge "./hicard encode fit -q $T -o \$W/a \$D/a.csv && ./hicard encode fit -q $T -o \$W/b \$D/b.csv && ./hicard encode merge -o \$W/m \$W/a \$W/b && ./hicard encode apply -q --state \$W/m --keep app_id \$D/ctr.csv"
same onehot-svm "./hicard encode fit-apply -q --onehot site_id --max-categories 999 --format libsvm \$D/ctr.csv"
same onehot-hcb "./hicard encode fit-apply -q --onehot site_id --max-categories 999 --format hcb \$D/ctr.csv"
same mixed "./hicard encode fit-apply -q --target click --onehot banner_pos --ordinal site_id --count app_id --freq app_id --binary ad_id --resbit device_model --hash user_id --buckets 1024 --keep item_id \$D/ctr.csv"
same td-train "./hicard encode fit-apply --target click --target-encode device,city --woe city --count device --standardize price --keep id $TD/train.csv"
same td-train-2pass "./hicard encode fit-apply --memory 1 --target click --target-encode device,city --log1p price --folds 3 $TD/train.csv"
same td-fit-apply "./hicard encode fit --target click --target-encode device,city --onehot device -o \$W/s $TD/train.csv && ./hicard encode apply --state \$W/s $TD/test.csv"
same td-classes "./hicard encode fit-apply --classes cat,dog,bird --target label --target-encode color,shape --smooth 1 $TD/classes.csv"
same td-classes-ordered "./hicard encode fit-apply --ordered --classes auto --target label --target-encode color,shape $TD/classes.csv"
same td-nums "./hicard encode fit-apply --target click --target-encode price --bins score $TD/nums.csv"
echo "$n commands compared"
exit $bad
