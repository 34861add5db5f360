#!/bin/sh
# synopsis.sh - each subcommand's usage lines (from --help) must equal the
# SYNOPSIS of its man page, so that help and manual cannot drift apart
# (git's t0450-txt-doc-vs-help.sh).  Prints the differences; exit 1 if any.
set -u
status=0
for page in man/hicard-*.1; do
	sub=${page#man/hicard-}
	sub=${sub%.1}
	man_lines=$(sed -n '/^\.SH SYNOPSIS/,/^\.SH /p' "$page" |
		grep -v '^\.' | sed 's/\\-/-/g; s/\\e/\\/g')
	help_lines=$(hicard "$sub" --help | sed -n '/^usage: /p; /^   or: /p' |
		sed 's/^usage: //; s/^   or: //')
	if [ "$man_lines" != "$help_lines" ]; then
		echo "$page: SYNOPSIS differs from 'hicard $sub --help':"
		echo "man:  $man_lines"
		echo "help: $help_lines"
		status=1
	fi
done
exit $status
