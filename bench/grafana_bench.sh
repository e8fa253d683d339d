#!/usr/bin/env bash
# Issue 5 end-to-end figures on the release server (results: bench/grafana_RESULTS.md):
#   1. HTTP latency of labels, label/<name>/values, index/stats and index/volume on a server
#      holding STREAMS streams and ENTRIES entries (bench/grafana_http_latency; GET /ready on the
#      same connection is the baseline);
#   2. live-tail delivery latency push -> WebSocket frame at RATE lines/s for DURATION
#      (bench/tail_latency; the push round trip is the baseline).
#
#   3. (with STALL_PUSHES > 0, default 300) push round trips alone and while `labels` runs back
#      to back on another connection (grafana_http_latency --stall-pushes).
#
# Usage: bench/grafana_bench.sh            Env: BUILD_DIR (build/grafana-rel), STREAMS (10000),
#        ENTRIES (1000000), RATE (10000), DURATION (10), ITERATIONS (50), STALL_PUSHES (300),
#        SKIP_BUILD=1, SKIP_TAIL=1, SLUICE_BIN (a server binary to measure instead of
#        $BUILD_DIR/bin/sluice, e.g. a copy built before a change, for before/after runs).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build/grafana-rel}"
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  cmake --build "$BUILD_DIR" --target sluice grafana_http_latency tail_latency -j2
fi
WORK="$(mktemp -d /tmp/sluice-grafana-bench.XXXXXX)"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${SLUICE_BIN:-$BUILD_DIR/bin/sluice}" serve --listen "127.0.0.1:$PORT" --data-dir "$WORK/data" \
  --log-level warn 2>"$WORK/server.log" &
SERVER_PID=$!
cleanup() {
  kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 100); do
  curl -sf "127.0.0.1:$PORT/ready" >/dev/null && break
  sleep 0.1
done
curl -sf "127.0.0.1:$PORT/ready" >/dev/null || { cat "$WORK/server.log" >&2; exit 1; }

echo "== HTTP latency, ${STREAMS:-10000} streams / ${ENTRIES:-1000000} entries"
"$BUILD_DIR/bench/grafana_http_latency" --port "$PORT" --load 1 --streams "${STREAMS:-10000}" \
  --entries "${ENTRIES:-1000000}" --iterations "${ITERATIONS:-50}" \
  --stall-pushes "${STALL_PUSHES:-300}"
[ "${SKIP_TAIL:-0}" = "1" ] && exit 0
echo "== live tail, ${RATE:-10000} lines/s for ${DURATION:-10} s"
"$BUILD_DIR/bench/tail_latency" --port "$PORT" --rate "${RATE:-10000}" --seconds "${DURATION:-10}"
