#!/usr/bin/python3
"""prom-compare.py OURS EXPORTER: compare two Prometheus text scrapes (t_metrics.sh).

Prints one line per difference and exits 1 when any: the set of series
(name and labels; snmp_exporter's snmp_scrape_* left out), the HELP and
TYPE lines, and each series' value numerically, except the counters of
polls and time named in SKIP (they move between the two scrapes).
"""
import re
import sys

SKIP = {"arasPolls", "arasLastPollTime", "arasVmCpuTimeUs"}
LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')


def load(path):
    series, meta = {}, set()
    for line in open(path, encoding="utf-8", errors="strict"):
        line = line.rstrip("\n")
        if line.startswith("# HELP snmp_scrape") or line.startswith("# TYPE snmp_scrape"):
            continue
        if line.startswith("#"):
            meta.add(line)
            continue
        m = LINE.match(line)
        if not m:
            raise SystemExit("%s: not a sample line: %r" % (path, line))
        name, labels, value = m.group(1), m.group(3) or "", m.group(4)
        if name.startswith("snmp_scrape_"):
            continue
        pairs = LABEL.findall(labels)
        if "".join('%s="%s"%s' % p for p in pairs) != labels:
            raise SystemExit("%s: labels not parsed: %r" % (path, labels))
        key = name + "{" + ",".join('%s="%s"' % (k, v) for k, v, _ in sorted(pairs)) + "}"
        if key in series:
            raise SystemExit("%s: duplicate series %s" % (path, key))
        series[key] = float(value)
    return series, meta


def main():
    ours, ours_meta = load(sys.argv[1])
    theirs, theirs_meta = load(sys.argv[2])
    bad = 0
    for k in sorted(set(ours) ^ set(theirs)):
        print("only in %s: %s" % ("/metrics" if k in ours else "snmp_exporter", k))
        bad += 1
    for k in sorted(set(ours) & set(theirs)):
        if k.split("{")[0] not in SKIP and ours[k] != theirs[k]:
            print("value of %s: /metrics %r, snmp_exporter %r" % (k, ours[k], theirs[k]))
            bad += 1
    for line in sorted(ours_meta ^ theirs_meta):
        print("only in %s: %s" % ("/metrics" if line in ours_meta else "snmp_exporter", line))
        bad += 1
    print("series: %d, HELP/TYPE lines: %d, differences: %d" % (len(ours), len(ours_meta), bad))
    sys.exit(1 if bad else 0)


main()
