#!/usr/bin/env python3
"""tests/integration/devices-expect.py BASE_OID UUID XMLFILE [UUID XMLFILE ...]

What arasd's device tables must say about each VM, read from the domain XML
as `virsh dumpxml` prints it (Python's own XML parser, not arasd's): one line
per identity column instance, in `snmpwalk -On` form, sorted.  Disks and
interfaces without a target name are not listed (they have no row)."""
import sys
import xml.etree.ElementTree as ET

SRC_TYPES = {"file": 1, "block": 2, "dir": 3, "network": 4, "volume": 5}
MEDIA = {"disk": 1, "cdrom": 2, "floppy": 3, "lun": 4}


def index(uuid, key):
    u = ".".join(str(int(uuid.replace("-", "")[i:i + 2], 16)) for i in range(0, 32, 2))
    if isinstance(key, int):
        return "%s.%d" % (u, key)
    return "%s.%d.%s" % (u, len(key), ".".join(str(ord(c)) for c in key))


def s(v):
    return 'STRING: "%s"' % v if v else '""'  # snmpwalk prints an empty string without its type


def main():
    base = sys.argv[1]
    out = []
    args = sys.argv[2:]
    for uuid, path in zip(args[0::2], args[1::2]):
        dom = ET.parse(path).getroot()
        for d in dom.findall("./devices/disk"):
            t = d.find("target")
            if t is None or not t.get("dev"):
                continue
            i = index(uuid, t.get("dev"))
            src = d.find("source")
            path_ = ""
            if src is not None:
                path_ = src.get("file") or src.get("dev") or src.get("dir") or ""
            ent = base + ".1.8.1."
            out.append("%s2.%s = %s" % (ent, i, s(t.get("dev"))))
            out.append("%s3.%s = %s" % (ent, i, s(path_)))
            out.append("%s4.%s = %s" % (ent, i, s(t.get("bus", ""))))
            out.append("%s5.%s = INTEGER: %d" % (ent, i, SRC_TYPES.get(d.get("type", ""), 6 if d.get("type") else 0)))
            out.append("%s6.%s = INTEGER: %d" % (ent, i, MEDIA.get(d.get("device", "disk"), 0)))
            out.append("%s7.%s = INTEGER: %d" % (ent, i, 1 if d.find("readonly") is not None else 2))
            out.append("%s25.%s = INTEGER: 2" % (ent, i))  # no figures on the test driver
            out.append("%s26.%s = %s" % (ent, i, s(dom.find("name").text)))
        for n in dom.findall("./devices/interface"):
            t = n.find("target")
            if t is None or not t.get("dev"):
                continue
            i = index(uuid, t.get("dev"))
            ent = base + ".1.9.1."
            mac = n.find("mac").get("address")
            src = n.find("source")
            net = ""
            if src is not None:
                net = src.get("network") or src.get("bridge") or src.get("dev") or ""
            model = n.find("model")
            out.append("%s2.%s = %s" % (ent, i, s(t.get("dev"))))
            out.append("%s3.%s = Hex-STRING: %s" % (ent, i, " ".join(x.upper() for x in mac.split(":"))))
            out.append("%s4.%s = %s" % (ent, i, s(n.get("type"))))
            out.append("%s5.%s = %s" % (ent, i, s(net)))
            out.append("%s6.%s = %s" % (ent, i, s(model.get("type") if model is not None else "")))
            out.append("%s19.%s = INTEGER: 2" % (ent, i))
            out.append("%s20.%s = %s" % (ent, i, s(dom.find("name").text)))
        vcpu = dom.find("vcpu")
        n = int(vcpu.get("current", vcpu.text))
        pins = {int(p.get("vcpu")): p.get("cpuset") for p in dom.findall("./cputune/vcpupin")}
        for k in range(n):
            ent = base + ".1.10.1."
            out.append("%s7.%s = %s" % (ent, index(uuid, k), s(pins.get(k, vcpu.get("cpuset", "")))))
            out.append("%s8.%s = INTEGER: 2" % (ent, index(uuid, k)))
    for line in sorted(out):
        print(line)


main()
