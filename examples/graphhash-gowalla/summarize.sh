#!/bin/sh
# summarize.sh - the experiment's table (Markdown) and plot (SVG), from the
# JSON files hicard wrote under out/; awk only, no plotting stack.
#
#   sh summarize.sh table OUT RES "SCHEMES"        > results.md
#   sh summarize.sh plot OUT "RESOLUTIONS" "SCHEMES" > results.svg
set -eu

# num FILE KEY: the number after "KEY": in hicard's JSON (one key a line).
num() {
	awk -v k="\"$2\":" '$1 == k { v = $2; sub(/,$/, "", v); print v; exit }' "$1"
}

# rows REPORT: table rows of a trained model (the sum of its tables' rows).
rows() {
	awk '$1 == "\"rows\":" { v = $2; sub(/,$/, "", v); n += v } END { print n }' "$1"
}

# seconds REPORT: wall seconds of training, every epoch with its validation.
seconds() {
	awk '$1 == "\"seconds\":" { v = $2; sub(/,$/, "", v); s += v } END { printf "%.1f", s }' "$1"
}

table() {
	out=$1 res=$2 schemes=$3
	first=$(echo "$schemes" | cut -d' ' -f1)
	full=0
	[ -f "$out/r$res/vocab/train.json" ] && full=$(rows "$out/r$res/vocab/train.json")
	echo "# GraphHash on Gowalla: MF-BPR (dim 64) at one table size"
	echo
	echo "Clusters: \`hicard cluster --method $(cat "$out/opts/METHOD") --resolution $res\`" \
	     "on the training split: $(cat "$out/r$res/size" | tr ' ' '+') user+item clusters." \
	     "Every scheme gets that many rows per side (+1: graph's overflow id), except vocab (the full table)."
	echo "Recall@20 is hits / test items; Recall@20 (GH) is GraphHash's hits / min(20, test items)."
	echo "Test split: $(num "$out/r$res/$first/metrics.json" rows) interactions; training items masked."
	echo
	echo "| scheme | table rows | share of full | Recall@20 | Recall@20 (GH) | NDCG@20 | best epoch | train s |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|"
	for s in $schemes; do
		d=$out/r$res/$s
		n=$(rows "$d/train.json")
		awk -v s="$s" -v n="$n" -v f="$full" -v r="$(num "$d/metrics.json" recall@20)" \
		    -v g="$(num "$d/metrics.json" recall_gh@20)" -v d="$(num "$d/metrics.json" ndcg@20)" \
		    -v e="$(num "$d/train.json" best_epoch)" -v t="$(seconds "$d/train.json")" 'BEGIN {
			printf "| %s | %d | %s | %.4f | %.4f | %.4f | %s | %s |\n", s, n,
			       f ? sprintf("%.1f%%", 100 * n / f) : "-", r, g, d, e, t }'
	done
}

plot() {
	out=$1 resolutions=$2 schemes=$3
	for s in $schemes; do
		for r in $resolutions; do
			d=$out/r$r/$s
			echo "$s $r $(rows "$d/train.json") $(num "$d/metrics.json" recall@20)"
		done
	done | awk '
	{ s[NR] = $1; res[NR] = $2; x[NR] = $3; y[NR] = $4
	  if (!($1 in seen)) { seen[$1] = 1; order[++ns] = $1 }
	  if (NR == 1 || $3 > xmax) xmax = $3
	  if (NR == 1 || $4 > ymax) ymax = $4 }
	END {
		W = 640; H = 400; L = 70; R = 150; T = 30; B = 50
		pw = W - L - R; ph = H - T - B; ymax *= 1.1; xmax *= 1.05
		split("#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd #8c564b #e377c2 #7f7f7f", col, " ")
		printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", W, H
		printf "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, H
		printf "<text x=\"%d\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">Gowalla, MF-BPR: Recall@20 against table rows</text>\n", L + pw / 2
		printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", L, T + ph, L + pw, T + ph
		printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", L, T, L, T + ph
		for (i = 0; i <= 5; i++) {
			xv = xmax * i / 5; yv = ymax * i / 5
			printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", L + pw * i / 5, T + ph + 16, xv
			printf "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.3f</text>\n", L - 6, T + ph - ph * i / 5 + 4, yv
		}
		printf "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">table rows (users + items)</text>\n", L + pw / 2, H - 10
		printf "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">Recall@20</text>\n", T + ph / 2, T + ph / 2
		for (k = 1; k <= ns; k++) {
			c = col[(k - 1) % 8 + 1]; pts = ""
			for (i = 1; i <= NR; i++) if (s[i] == order[k]) {
				px = L + pw * x[i] / xmax; py = T + ph - ph * y[i] / ymax
				pts = pts sprintf("%.1f,%.1f ", px, py)
				printf "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s r=%s: %d rows, %.4f</title></circle>\n", px, py, c, s[i], res[i], x[i], y[i]
			}
			printf "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\"/>\n", pts, c
			printf "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>\n", L + pw + 10, T + 14 * k, c, order[k]
		}
		print "</svg>"
	}'
}

case ${1:-} in
table) shift; table "$@" ;;
plot) shift; plot "$@" ;;
*) echo "usage: sh summarize.sh table OUT RES SCHEMES | plot OUT RESOLUTIONS SCHEMES" >&2; exit 2 ;;
esac
