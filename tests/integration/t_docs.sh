#!/bin/bash
# The README stays a newcomer's ten minutes and docs/ stays navigable:
# README.md has at most 300 lines, every docs/*.md starts with a '# ' title
# and is linked from the README, and every relative link in README.md and
# docs/*.md points to a file that exists (and, with #anchor, to a heading of
# that file, GitHub's slug).  No daemon: text only.
T_NAME=docs
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1

n=$(wc -l <README.md)
check "README.md has at most 300 lines ($n)" test "$n" -le 300
check "the two commands are in the README" grep -qx 'apt-get update && apt-get install -y --no-install-recommends make && make check' README.md

docs=$(ls docs/*.md 2>/dev/null)
[ -n "$docs" ] || not_ok "docs/*.md exist"
for f in $docs; do
	check "$f starts with a '# ' title" sh -c "head -1 '$f' | grep -q '^# [^ ]'"
	check "$f is linked from README.md" grep -qF "]($f" README.md
done

# anchors FILE: GitHub's anchor of each heading outside fenced code blocks
# (lower case, punctuation dropped, spaces to '-'; ASCII headings)
anchors() {
	LC_ALL=C awk '/^ *```/ { code = !code; next }
		!code && /^#+ / { sub(/^#+ /, ""); h = tolower($0); gsub(/[^a-z0-9 _-]/, "", h); gsub(/ /, "-", h); print h }' "$1"
}
# links FILE: the targets of [text](target), outside fenced code blocks
links() { awk '/^ *```/ { code = !code; next } !code' "$1" | grep -o '\]([^) ]*)' | sed 's/^](//; s/)$//'; }
bad=
count=0
for f in README.md $docs; do
	dir=$(dirname "$f")
	for l in $(links "$f"); do
		case $l in http://* | https://* | mailto:*) continue ;; esac
		count=$((count + 1))
		path=${l%%#*}
		target=$f
		[ -n "$path" ] && target=$dir/$path
		if [ ! -e "$target" ]; then
			bad="$bad $f:$l"
		elif [ "$path" != "$l" ] && ! anchors "$target" | grep -qxF -- "${l#*#}"; then
			bad="$bad $f:$l"
		fi
	done
done
is "every relative link in README.md and docs/*.md resolves ($count links)" "${bad# }" ""
[ "$count" -gt 10 ] || not_ok "found only $count relative links (the extraction broke)"
exit 0
