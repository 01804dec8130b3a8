#!/bin/sh
# man/settings.sh ARASD - the settings part of arasd.conf(5), in mdoc,
# generated from the settings table (`arasd -S`).  tests/integration/t_man.sh
# checks arasd.conf.5 holds exactly this output between its SETTINGS marks.
"${1:-./arasd}" -S | tail -n +3 | awk -F' [|] ' '
{
	tok = $1; sub(/^[|] `/, "", tok); sub(/`$/, "", tok)
	mib = $2; def = $3; range = $4; unit = $5; rw = $6; help = $7
	sub(/ [|]$/, "", help)
	if (unit != "" && unit != " ")
		printf ".It Cm %s Ar %s\n", tok, unit
	else
		printf ".It Cm %s Ar value\n", tok
	printf "%s.\n", help
	printf "Default %s, range %s;\n", def, range
	printf "SNMP %s as\n.Sy %s .\n", rw == "rw" ? "read-write" : "read-only", mib
}'
