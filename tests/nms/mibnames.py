#!/usr/bin/python3
# tests/nms/mibnames.py [--check] FILE... - print "ARAS-MIB-NAME NUMERIC-OID"
# for every object the shipped NMS files use: plugins/check_arasd (its OIDS
# table) and conf/zabbix/*.yaml (item keys are MIB names; discovery macros map
# to the columns they read).  --check asks snmptranslate (mib/ARAS-MIB.txt +
# erlang-snmp's base MIBs) for each name instead, prints every disagreement
# and exits 1 if there is one or if nothing was checked.
import glob
import importlib.machinery
import os
import subprocess
import importlib.util
import re
import sys

import yaml

LLD_MACROS = {"{#VMNAME}": "arasVmName", "{#VMUUID}": "arasVmUuidString",
              "{#VMHOST}": "arasVmHostName", "{#HOSTNAME}": "arasHostName",
              "{#DISK}": "arasDiskTarget", "{#DISKVM}": "arasDiskVmName", "{#DISKSOURCE}": "arasDiskSource",
              "{#NIC}": "arasNicTarget", "{#NICVM}": "arasNicVmName", "{#NICMAC}": "arasNicMac",
              "{#NICNET}": "arasNicNetwork"}


def plugin(path):
    loader = importlib.machinery.SourceFileLoader("check_arasd", path)
    spec = importlib.util.spec_from_loader("check_arasd", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    for name, oid in mod.OIDS.items():
        yield name, oid


def zabbix(path):
    doc = yaml.safe_load(open(path))["zabbix_export"]

    def items(t):
        for it in t.get("items", []):
            yield it
        for rule in t.get("discovery_rules", []):
            m = re.fullmatch(r"discovery\[(.*)\]", rule["snmp_oid"])
            parts = m.group(1).split(",")
            for macro, oid in zip(parts[::2], parts[1::2]):
                yield {"key": LLD_MACROS[macro], "snmp_oid": oid}
            for it in rule.get("item_prototypes", []):
                yield it
    for t in doc["templates"]:
        for it in items(t):
            if "snmp_oid" not in it:
                continue
            name = re.match(r"[A-Za-z0-9]+", it["key"]).group(0)
            oid = re.sub(r"\.(0|\{#SNMPINDEX\})$", "", it["snmp_oid"])
            yield name, oid


def translate(name):
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    mibs = os.path.join(top, "mib") + ":" + ":".join(sorted(glob.glob("/usr/lib/erlang/lib/snmp-*/mibs")))
    p = subprocess.run(["snmptranslate", "-M", mibs, "-m", "ARAS-MIB", "-On", "ARAS-MIB::" + name],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=dict(os.environ, MIBS="", MIBDIRS=""))
    return p.stdout.decode().strip().lstrip(".")


check = sys.argv[1:2] == ["--check"]
bad = n = 0
for f in sys.argv[1 + check:]:
    gen = zabbix(f) if f.endswith((".yaml", ".yml")) else plugin(f)
    for name, oid in gen:
        oid = oid.lstrip(".")
        if not check:
            print(name, oid)
            continue
        n += 1
        want = translate(name)
        if want != oid:
            bad += 1
            print("%s: %s uses %s, ARAS-MIB says %s" % (f, name, oid, want or "no such name"))
if check:
    print("%d names checked, %d disagree" % (n, bad))
    sys.exit(1 if bad or not n else 0)
