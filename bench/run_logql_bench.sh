#!/usr/bin/env bash
# End-to-end LogQL benchmark (issue 4, "Performance"), through the real server over HTTP.
# Generates genlogs data spread over ~23.5 h of log time (each entry keeps its own timestamp),
# pushes it as JSON (tenant "json") and as its logfmt rendering (tenant "logfmt"), restarts the
# server on the same data dir (so queries read flushed chunks, as after a deploy), then runs,
# RUNS times each, and prints medians:
#   q1  sum by (level) (count_over_time({service_name=~".+"} | json | level="error" [25h]))
#       instant, beside `jq -c 'select(.level=="error")' FILE | wc -l`: wall and CPU ratios
#   q2  {service_name="payment-service"} | json | duration_ms > 500      (log query, limit 5000)
#   q3  {service_name="payment-service"} | logfmt | duration_ms > 500    (logfmt tenant)
#       line bytes scanned (stats.totalBytesProcessed) per second of server CPU
#   q4  count_over_time({service_name=~".+"} |= "timeout" [5m]), range query, 1440 steps of 60 s:
#       latency, server CPU, peak RSS (VmHWM reset through /proc/PID/clear_refs before the query)
#   q5  {service_name=~".+"} |= "needle" (log scan over everything, limit 5000): MB/s wall
# Each result is checked against a count computed independently from the file (jq / python).
#
# Usage: bench/run_logql_bench.sh [LINES]     (default 1000000; 50000 for a smoke run)
# Env: BUILD_DIR (default build/logql-rel), RUNS (3), SKIP_BUILD=1, KEEP_WORK=1, WORK=dir with
#      lines.jsonl + data/ from a KEEP_WORK run (skips generation and pushing).
set -euo pipefail
cd "$(dirname "$0")/.."
LINES="${1:-${LINES:-1000000}}"
BUILD_DIR="${BUILD_DIR:-build/logql-rel}"
RUNS="${RUNS:-3}"
GENLOGS="$(pwd)/../shared/tools/genlogs.py"
PUSH="$(pwd)/bench/logql_push.py"

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  cmake --build "$BUILD_DIR" --target sluice -j2
fi
SLUICE="$BUILD_DIR/bin/sluice"
[ -x "$SLUICE" ] || { echo "missing $SLUICE" >&2; exit 1; }

REUSE=0
if [ -n "${WORK:-}" ]; then REUSE=1; else WORK="$(mktemp -d /tmp/sluice-logql-bench.XXXXXX)"; fi
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -9 "$SERVER_PID" || true; fi
  if [ "${KEEP_WORK:-0}" != "1" ] && [ "$REUSE" = "0" ]; then rm -rf "$WORK"; else echo "work dir kept: $WORK" >&2; fi
}
trap cleanup EXIT

calc() { python3 -c "print($1)"; }
now_s() { date +%s.%N; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hwm_kb() { awk '/VmHWM/ { print $2 }' "/proc/$1/status"; }
median() { python3 -c "import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }
TICK=$(getconf CLK_TCK)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
printf 'auth_enabled: true\n' > "$WORK/config.yaml"

start_server() {
  "$SLUICE" serve --config "$WORK/config.yaml" --listen "127.0.0.1:$PORT" \
    --data-dir "$WORK/data" --log-level warn 2>> "$WORK/server.log" &
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    curl -fs "$URL/ready" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  cat "$WORK/server.log" >&2
  exit 1
}
stop_server() {
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" || { echo "server exited non-zero" >&2; cat "$WORK/server.log" >&2; }
  SERVER_PID=""
}

NOW_S=$(date +%s)
if [ "$REUSE" = "0" ]; then
  DATA_START_S=$((NOW_S - 24 * 3600))
  echo "generating $LINES lines over ~23.5 h..." >&2
  python3 "$GENLOGS" --lines "$LINES" --seed 7 \
    --start "$(date -u -d "@$DATA_START_S" +%Y-%m-%dT%H:%M:%SZ)" \
    --rate "$(calc "$LINES / (23.5 * 3600)")" > "$WORK/lines.jsonl"
  echo "$DATA_START_S" > "$WORK/start"
  start_server
  echo "pushing..." >&2
  python3 "$PUSH" --port "$PORT" --file "$WORK/lines.jsonl" --tenant json >&2
  python3 "$PUSH" --port "$PORT" --file "$WORK/lines.jsonl" --tenant logfmt \
    --logfmt-out "$WORK/lines.logfmt" >&2
  stop_server
fi
DATA_START_S=$(cat "$WORK/start")
NLINES=$(wc -l < "$WORK/lines.jsonl")
LINE_BYTES=$(($(stat -c %s "$WORK/lines.jsonl") - NLINES))
start_server
PID=$SERVER_PID

# Expected figures, computed from the file without sluice.
read -r EXP_PAY_JSON EXP_PAY_BYTES EXP_PAY_LF_BYTES EXP_TIMEOUT EXP_NEEDLE < <(python3 -c "
import json, sys
pay = pay_b = lf_b = to = nd = 0
with open('$WORK/lines.jsonl') as fj, open('$WORK/lines.logfmt') as fl:
    for raw, lf in zip(fj, fl):
        r = json.loads(raw)
        if 'timeout' in raw: to += 1
        if 'needle' in raw: nd += 1
        if r['service_name'] == 'payment-service':
            pay_b += len(raw) - 1; lf_b += len(lf) - 1
            if r['duration_ms'] > 500: pay += 1
print(pay, pay_b, lf_b, to, nd)")

END_NS=$(((NOW_S + 60) * 1000000000))
LOG_START_NS=$(((DATA_START_S - 60) * 1000000000))
Q1='sum by (level) (count_over_time({service_name=~".+"} | json | level="error" [25h]))'
Q2='{service_name="payment-service"} | json | duration_ms > 500'
Q3='{service_name="payment-service"} | logfmt | duration_ms > 500'
Q4='count_over_time({service_name=~".+"} |= "timeout" [5m])'
Q5='{service_name=~".+"} |= "needle"'
Q4_START_S=$((DATA_START_S + 600))
Q4_END_S=$((Q4_START_S + 1439 * 60))

# run_query NAME TENANT PATH ARGS... -> appends "wall cpu hwm_before hwm_after" to $WORK/NAME.runs
run_query() {
  local name=$1 tenant=$2 path=$3
  shift 3
  echo 5 > "/proc/$PID/clear_refs" 2>/dev/null || true  # reset VmHWM to the current RSS
  local h0 c0 c1 wall
  h0=$(hwm_kb "$PID")
  c0=$(cpu_ticks "$PID")
  wall=$(curl -fsS -G -H "X-Scope-OrgID: $tenant" "$URL$path" "$@" -o "$WORK/$name.json" \
    -w '%{time_total}')
  c1=$(cpu_ticks "$PID")
  echo "$wall $(calc "($c1 - $c0) / $TICK") $h0 $(hwm_kb "$PID")" >> "$WORK/$name.runs"
}
log_query() {  # NAME TENANT QUERY: over all data, limit 5000
  run_query "$1" "$2" /loki/api/v1/query_range --data-urlencode "query=$3" \
    --data-urlencode "start=$LOG_START_NS" --data-urlencode "end=$END_NS" \
    --data-urlencode "limit=5000"
}
col() { awk -v c="$2" '{ print $c }' "$WORK/$1.runs"; }
med() { median $(col "$1" "$2"); }

rm -f "$WORK"/*.runs
for _ in $(seq 1 "$RUNS"); do
  run_query q1 json /loki/api/v1/query --data-urlencode "query=$Q1" \
    --data-urlencode "time=$END_NS"
  log_query q2 json "$Q2"
  log_query q3 logfmt "$Q3"
  run_query q4 json /loki/api/v1/query_range --data-urlencode "query=$Q4" \
    --data-urlencode "start=$Q4_START_S" --data-urlencode "end=$Q4_END_S" \
    --data-urlencode "step=60"
  log_query q5 json "$Q5"
  # Baseline: jq on the same lines (wall and user+sys of the whole pipeline).
  TIMEFORMAT='%R %U %S'
  { time jq -c 'select(.level=="error")' "$WORK/lines.jsonl" | wc -l > "$WORK/jq.count"; } \
    2> "$WORK/jq.time"
  read -r w u s < "$WORK/jq.time"
  echo "$w $(calc "$u + $s")" >> "$WORK/jq.runs"
done

# Results and their checks.
Q1_ERRORS=$(python3 -c "
import json
d = json.load(open('$WORK/q1.json'))['data']['result']
print(int(sum(float(s['value'][1]) for s in d if s['metric'].get('level') == 'error')))")
JQ_COUNT=$(tr -d ' ' < "$WORK/jq.count")
entries() { python3 -c "
import json
d = json.load(open('$WORK/$1.json'))
print(sum(len(s['values']) for s in d['data']['result']), d['data']['stats']['summary']['totalBytesProcessed'])"; }
read -r Q2_N Q2_B < <(entries q2)
read -r Q3_N Q3_B < <(entries q3)
read -r Q5_N Q5_B < <(entries q5)
read -r Q4_SERIES Q4_POINTS Q4_SUM < <(python3 -c "
import json
d = json.load(open('$WORK/q4.json'))['data']['result']
print(len(d), max((len(s['values']) for s in d), default=0),
      int(sum(float(v[1]) for s in d for v in s['values'])))")
# Independent q4 check: the same windows over the file's timestamps.
Q4_EXP=$(python3 -c "
import json, bisect
from datetime import datetime
ts = []
for raw in open('$WORK/lines.jsonl'):
    if 'timeout' in raw:
        t = json.loads(raw)['timestamp']
        d = datetime.fromisoformat(t.replace('Z', '+00:00'))
        ts.append(int(d.timestamp()) * 10**9 + d.microsecond * 1000)
ts.sort()
tot = 0
for k in range(1440):
    t = ($Q4_START_S + 60 * k) * 10**9
    tot += bisect.bisect_right(ts, t) - bisect.bisect_right(ts, t - 300 * 10**9)
print(tot)")

J_W=$(med jq 1); J_C=$(med jq 2)
W1=$(med q1 1); C1=$(med q1 2)
W2=$(med q2 1); C2=$(med q2 2)
W3=$(med q3 1); C3=$(med q3 2)
W4=$(med q4 1); C4=$(med q4 2)
W5=$(med q5 1); C5=$(med q5 2)
mb() { calc "round($1 / max($2, 0.01) / 1e6, 1)"; }
r2() { calc "round($1, 2)"; }

echo
echo "input: $NLINES lines, $LINE_BYTES line bytes (json), ~23.5 h of log time; medians of $RUNS runs; $(nproc) cores"
printf '%-4s %-10s %-10s %-48s %s\n' query "wall s" "cpu s" figure check
printf '%-4s %-10s %-10s %-48s %s\n' q1 "$(r2 "$W1")" "$(r2 "$C1")" \
  "jq $(r2 "$J_W")s wall / $(r2 "$J_C")s cpu: $(r2 "$J_W / $W1")x wall, $(r2 "$J_C / max($C1, 0.01)")x cpu" \
  "errors $Q1_ERRORS, jq $JQ_COUNT"
printf '%-4s %-10s %-10s %-48s %s\n' q2 "$(r2 "$W2")" "$(r2 "$C2")" \
  "json: $(mb "$Q2_B" "$C2") MB/s per core ($(mb "$Q2_B" "$W2") MB/s wall)" \
  "$Q2_N entries (expected $EXP_PAY_JSON), $Q2_B bytes (expected $EXP_PAY_BYTES)"
printf '%-4s %-10s %-10s %-48s %s\n' q3 "$(r2 "$W3")" "$(r2 "$C3")" \
  "logfmt: $(mb "$Q3_B" "$C3") MB/s per core ($(mb "$Q3_B" "$W3") MB/s wall)" \
  "$Q3_N entries (expected $EXP_PAY_JSON), $Q3_B bytes (expected $EXP_PAY_LF_BYTES)"
printf '%-4s %-10s %-10s %-48s %s\n' q4 "$(r2 "$W4")" "$(r2 "$C4")" \
  "VmHWM $(($(col q4 3 | tail -1) / 1024)) -> $(($(col q4 4 | sort -n | tail -1) / 1024)) MiB (max over runs)" \
  "$Q4_SERIES series x $Q4_POINTS points, sum $Q4_SUM (expected $Q4_EXP)"
printf '%-4s %-10s %-10s %-48s %s\n' q5 "$(r2 "$W5")" "$(r2 "$C5")" \
  "scan: $(mb "$LINE_BYTES" "$W5") MB/s wall, $(mb "$LINE_BYTES" "$C5") MB/s per core" \
  "$Q5_N entries (expected $EXP_NEEDLE)"
echo "peak RSS of the server over the whole query run: $(($(hwm_kb "$PID") / 1024)) MiB (VmHWM, reset before each query)"
stop_server
