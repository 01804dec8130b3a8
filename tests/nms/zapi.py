#!/usr/bin/python3
# tests/nms/zapi.py - a tiny Zabbix JSON-RPC client for tests/nms/t_zabbix.sh.
# zapi.py URL METHOD JSON-PARAMS [PYTHON-EXPR]: logs in as Admin (the token is
# cached in $ZAPI_TOKEN_FILE), calls METHOD, prints the result as JSON or, with
# PYTHON-EXPR, the expression evaluated with `r` = the result (lines for lists).
# Exit 1 with the API's error on stderr.
import json
import os
import sys
import urllib.request


def call(url, method, params, auth=None):
    body = {"jsonrpc": "2.0", "method": method, "params": params, "id": 1}
    if auth:
        body["auth"] = auth
    req = urllib.request.Request(url, json.dumps(body).encode(),
                                 {"Content-Type": "application/json-rpc"})
    with urllib.request.urlopen(req, timeout=60) as f:
        ans = json.load(f)
    if "error" in ans:
        sys.stderr.write("%s: %s\n" % (method, json.dumps(ans["error"])))
        sys.exit(1)
    return ans["result"]


def main():
    url, method, params = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    tokfile = os.environ.get("ZAPI_TOKEN_FILE")
    tok = None
    if method not in ("apiinfo.version", "user.login"):
        if tokfile and os.path.exists(tokfile):
            tok = open(tokfile).read().strip()
        else:
            tok = call(url, "user.login", {"username": "Admin", "password": "zabbix"})
            if tokfile:
                with open(tokfile, "w") as f:
                    f.write(tok)
    r = call(url, method, params, tok)
    if len(sys.argv) > 4:
        v = eval(sys.argv[4], {"r": r})
        if isinstance(v, (list, tuple)):
            print("\n".join(str(x) for x in v))
        else:
            print(v)
    else:
        print(json.dumps(r))


main()
