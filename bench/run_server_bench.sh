#!/usr/bin/env bash
# End-to-end server benchmark (issue 3, "Performance"): generates log lines, starts the release
# server, pushes them over several connections with bench/server_loadgen, runs a scan query, and
# prints a table of ratios measured in this one run:
#   ingest   line bytes per second of server CPU time (utime+stime from /proc/<pid>/stat),
#            beside `zstd -3 -T1` compressing the same bytes
#   storage  bytes on disk after a clean shutdown (chunks + index + WAL) over `zstd -3` of the
#            lines as one file
#   scan     `{service_name=~".+"} |= "needle"` over all data, line bytes per second (wall),
#            beside `zstd -dc file.zst | rg -c needle`
#   memory   peak RSS of the server (VmHWM)
#
# The ingest CPU time runs from the first push until the server is idle again (so it includes
# the background flush of the chunks cut while ingesting); scan and `zstd -dc | rg` run RUNS
# times each (interleaved) and the medians are reported. Load averages before and after are
# printed: the machine may be shared.
#
# Usage: bench/run_server_bench.sh [LINES]        (default 1000000; try 100000 for a smoke run)
# Env: BUILD_DIR (default build/release), CONNECTIONS (4), SKIP_BUILD=1, KEEP_WORK=1,
#      NEEDLE (default "needle"), RUNS (3), LINES_FILE (reuse a genlogs file).
set -euo pipefail
cd "$(dirname "$0")/.."
LINES="${1:-${LINES:-1000000}}"
BUILD_DIR="${BUILD_DIR:-build/release}"
CONNECTIONS="${CONNECTIONS:-4}"
NEEDLE="${NEEDLE:-needle}"
GENLOGS="$(pwd)/../shared/tools/genlogs.py"

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  if [ "$BUILD_DIR" = "build/release" ]; then
    cmake --preset release >/dev/null
  fi
  cmake --build "$BUILD_DIR" --target sluice server_loadgen
fi
SLUICE="$BUILD_DIR/bin/sluice"
LOADGEN="$BUILD_DIR/bench/server_loadgen"
[ -x "$SLUICE" ] && [ -x "$LOADGEN" ] || { echo "missing $SLUICE or $LOADGEN" >&2; exit 1; }

WORK="$(mktemp -d /tmp/sluice-bench.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -9 "$SERVER_PID" || true; fi
  if [ "${KEEP_WORK:-0}" != "1" ]; then rm -rf "$WORK"; else echo "work dir kept: $WORK"; fi
}
trap cleanup EXIT

cpu_ticks() {  # utime + stime of a pid, in clock ticks
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}
now_s() { date +%s.%N; }
calc() { python3 -c "print($1)"; }

RUNS="${RUNS:-3}"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${LINES_FILE:-}" ]; then
  cp "$LINES_FILE" "$WORK/lines.txt"
else
  echo "generating $LINES lines..." >&2
  python3 "$GENLOGS" --lines "$LINES" --seed 7 > "$WORK/lines.txt"
fi
TOTAL_BYTES=$(stat -c %s "$WORK/lines.txt")
NLINES=$(wc -l < "$WORK/lines.txt")
LINE_BYTES=$((TOTAL_BYTES - NLINES))  # without newlines

# zstd baselines.
T0=$(now_s)
zstd -q -3 -T1 -f "$WORK/lines.txt" -o "$WORK/lines.zst"
T1=$(now_s)
ZSTD_BYTES=$(stat -c %s "$WORK/lines.zst")
ZSTD_MBPS=$(calc "$LINE_BYTES / ($T1 - $T0) / 1e6")
median() { python3 -c "import statistics,sys; print(statistics.median(map(float, sys.argv[1:])))" "$@"; }
rg_once() {  # wall seconds of the zstd -dc | rg pipeline; sets RG_COUNT
  local t0 t1
  t0=$(now_s)
  RG_COUNT=$(zstd -dc "$WORK/lines.zst" | rg -c "$NEEDLE" || true)
  t1=$(now_s)
  RG_COUNT="${RG_COUNT:-0}"
  RG_TIMES+=("$(calc "$t1 - $t0")")
}
RG_TIMES=()

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$SLUICE" serve --listen "127.0.0.1:$PORT" --data-dir "$WORK/data" --log-level warn \
  2> "$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 1 200); do
  curl -fs "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$PORT/ready" >/dev/null || { cat "$WORK/server.log"; exit 1; }
TICK=$(getconf CLK_TCK)

# Ingest.
BASE_NS=$(python3 -c 'import time; print(int((time.time() - 1800) * 1e9))')
C0=$(cpu_ticks $SERVER_PID)
T0=$(now_s)
"$LOADGEN" --port "$PORT" --file "$WORK/lines.txt" --connections "$CONNECTIONS" \
  --base-ns "$BASE_NS" > "$WORK/loadgen.out"
T1=$(now_s)
# Wait until the server is idle (background flushes done): no CPU tick used for 1 s.
PREV=$(cpu_ticks $SERVER_PID)
for _ in $(seq 1 120); do
  sleep 1
  CUR=$(cpu_ticks $SERVER_PID)
  [ "$CUR" -le "$((PREV + 1))" ] && break
  PREV=$CUR
done
C1=$PREV
INGEST_CPU_S=$(calc "($C1 - $C0) / $TICK")
INGEST_WALL_S=$(calc "$T1 - $T0")
INGEST_MBPS_CORE=$(calc "$LINE_BYTES / max($INGEST_CPU_S, 1e-9) / 1e6")
RSS_INGEST_KB=$(awk '/VmHWM/ { print $2 }' "/proc/$SERVER_PID/status")

# Scan, interleaved with the baseline pipeline.
START_NS=$((BASE_NS - 60000000000))
END_NS=$(python3 -c 'import time; print(int((time.time() + 60) * 1e9))')
SCAN_TIMES=()
SCAN_CPUS=()
for _ in $(seq 1 "$RUNS"); do
  rg_once
  C0=$(cpu_ticks $SERVER_PID)
  T0=$(now_s)
  curl -fsS -G "http://127.0.0.1:$PORT/loki/api/v1/query_range" \
    --data-urlencode "query={service_name=~\".+\"} |= \"$NEEDLE\"" \
    --data-urlencode "start=$START_NS" --data-urlencode "end=$END_NS" \
    --data-urlencode "limit=5000" > "$WORK/scan.json"
  T1=$(now_s)
  C1=$(cpu_ticks $SERVER_PID)
  SCAN_TIMES+=("$(calc "$T1 - $T0")")
  SCAN_CPUS+=("$(calc "($C1 - $C0) / $TICK")")
done
SCAN_S=$(median "${SCAN_TIMES[@]}")
SCAN_CPU_S=$(median "${SCAN_CPUS[@]}")
SCAN_MBPS=$(calc "$LINE_BYTES / $SCAN_S / 1e6")
RG_S=$(median "${RG_TIMES[@]}")
RG_MBPS=$(calc "$LINE_BYTES / $RG_S / 1e6")
SCAN_COUNT=$(python3 -c "
import json,sys
d=json.load(open('$WORK/scan.json'))
print(sum(len(s['values']) for s in d['data']['result']))")
# The same count as rg (capped by the query limit).
RSS_KB=$(awk '/VmHWM/ { print $2 }' "/proc/$SERVER_PID/status")

# Clean shutdown, then bytes on disk.
kill -TERM $SERVER_PID
wait $SERVER_PID || { echo "server exited non-zero" >&2; cat "$WORK/server.log" >&2; }
SERVER_PID=""
DISK_BYTES=$(du -sb "$WORK/data" | awk '{ print $1 }')

printf '\n%-10s %-44s %s\n' "metric" "sluice" "baseline / ratio"
printf '%-10s %-44s %s\n' "input" "$NLINES lines, $LINE_BYTES line bytes" "$(cat "$WORK/loadgen.out")"
printf '%-10s %-44s %s\n' "ingest" \
  "$(calc "round($INGEST_MBPS_CORE, 1)") MB/s per core (cpu $(calc "round($INGEST_CPU_S, 2)") s, wall $(calc "round($INGEST_WALL_S, 2)") s)" \
  "zstd -3 -T1: $(calc "round($ZSTD_MBPS, 1)") MB/s; ratio $(calc "round($INGEST_MBPS_CORE / $ZSTD_MBPS, 2)") (target >= 100 MB/s)"
printf '%-10s %-44s %s\n' "storage" "$DISK_BYTES bytes on disk" \
  "zstd -3: $ZSTD_BYTES bytes; ratio $(calc "round($DISK_BYTES / $ZSTD_BYTES, 3)") (target <= 1.15)"
printf '%-10s %-44s %s\n' "scan" \
  "$(calc "round($SCAN_MBPS, 1)") MB/s ($(calc "round($SCAN_S, 2)") s wall, $(calc "round($SCAN_CPU_S, 2)") s cpu, $SCAN_COUNT hits)" \
  "zstd -dc | rg -c: $(calc "round($RG_MBPS, 1)") MB/s ($RG_COUNT hits); ratio $(calc "round($SCAN_MBPS / $RG_MBPS, 2)") (target >= 1.0)"
printf '%-10s %-44s %s\n' "memory" "peak RSS $((RSS_KB / 1024)) MiB (after ingest $((RSS_INGEST_KB / 1024)) MiB)" ""
printf '%-10s %s\n' "runs" "scan ${SCAN_TIMES[*]} s; rg ${RG_TIMES[*]} s (medians above)"
printf '%-10s %s\n' "load" "before $LOAD_BEFORE; after $(cut -d' ' -f1-3 /proc/loadavg) (2 cores: $(nproc))"
