#!/usr/bin/env python3
"""Pushes genlogs.py JSON lines to a running sluice for bench/run_logql_bench.sh.

Unlike bench/server_loadgen (which stamps line i at base + i us, so 1 M lines span one second),
each entry keeps the time of its own "timestamp" field, so the data spans the hours genlogs
was asked for and range queries have real windows to fill. One stream per service:
{job="bench", service_name="<service_name field>"}.

  logql_push.py --port P --file lines.jsonl --tenant json
  logql_push.py --port P --file lines.jsonl --tenant logfmt --logfmt-out lines.logfmt

With --logfmt-out each line is pushed as its logfmt rendering (nested objects flattened with
'_', as `| json` names them: http.method -> http_method), and the rendered lines are written
to that file (for byte counts and baselines).
"""
import argparse, http.client, json, sys
from datetime import datetime


def to_ns(ts):
    # "2026-01-01T00:00:00.123Z"; fromisoformat in python < 3.11 wants "+00:00".
    d = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    return int(d.timestamp()) * 1_000_000_000 + d.microsecond * 1000


def flatten(obj, prefix, out):
    for k, v in obj.items():
        name = prefix + "_" + k if prefix else k
        if isinstance(v, dict):
            flatten(v, name, out)
        else:
            out.append((name, v))


def logfmt_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    s = str(v)
    if s == "" or any(c in s for c in ' ="\\'):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return s


def to_logfmt(rec):
    pairs = []
    flatten(rec, "", pairs)
    return " ".join(k + "=" + logfmt_value(v) for k, v in pairs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--tenant", default="fake")
    ap.add_argument("--logfmt-out")
    ap.add_argument("--batch-bytes", type=int, default=1 << 20)
    a = ap.parse_args()

    conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=120)
    headers = {"Content-Type": "application/json", "X-Scope-OrgID": a.tenant}
    lf = open(a.logfmt_out, "w") if a.logfmt_out else None
    batch, size, pushed = {}, 0, 0

    def flush():
        nonlocal batch, size
        if not batch:
            return
        body = json.dumps({"streams": [
            {"stream": {"job": "bench", "service_name": svc}, "values": vals}
            for svc, vals in batch.items()]})
        conn.request("POST", "/loki/api/v1/push", body, headers)
        r = conn.getresponse()
        data = r.read()
        if r.status != 204:
            sys.exit("push answered %d: %s" % (r.status, data[:300]))
        batch, size = {}, 0

    with open(a.file) as f:
        for raw in f:
            raw = raw.rstrip("\n")
            rec = json.loads(raw)
            line = raw
            if lf is not None:
                line = to_logfmt(rec)
                lf.write(line + "\n")
            batch.setdefault(rec.get("service_name", "unknown_service"), []).append(
                [str(to_ns(rec["timestamp"])), line])
            size += len(line)
            pushed += 1
            if size >= a.batch_bytes:
                flush()
    flush()
    if lf is not None:
        lf.close()
    print("pushed %d lines (tenant %s)" % (pushed, a.tenant))


if __name__ == "__main__":
    main()
