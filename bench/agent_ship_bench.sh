#!/usr/bin/env bash
# End-to-end agent benchmark: sluice-agent tails FILES files (genlogs, 1 % invalid) with the
# schema stage on and ships them to a local `sluice serve`. Reports lines shipped per second of
# agent CPU, wall time, the agent's peak RSS, and the `cat files | wc -l` I/O floor; then the
# agent's CPU over IDLE_SECONDS with IDLE_FILES idle files tailed.
#   bench/agent_ship_bench.sh [BIN_DIR]     (default build/release/bin)
# Env: LINES (default 200000), FILES (100), IDLE_FILES (1000), IDLE_SECONDS (10).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-build/release/bin}"
LINES="${LINES:-200000}" FILES="${FILES:-100}" IDLE_FILES="${IDLE_FILES:-1000}" IDLE_SECONDS="${IDLE_SECONDS:-10}"
WORK="$(mktemp -d /tmp/sluice-agent-bench.XXXXXX)"
SERVER_PID="" AGENT_PID=""
cleanup() {
  [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null || true
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_seconds() {  # utime + stime of a pid, in seconds
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}
metric() { curl -s "http://127.0.0.1:$1/metrics" | awk -v m="$2" '$1 ~ "^"m {s += $2} END {print s + 0}'; }

mkdir -p "$WORK/logs" "$WORK/data" "$WORK/idle"
python3 ../shared/tools/genlogs.py --lines "$LINES" --invalid-rate 0.01 --seed 11 > "$WORK/all.jsonl"
(cd "$WORK/logs" && split -n "l/$FILES" -d -a 3 --additional-suffix=.log "$WORK/all.jsonl" f)
BYTES=$(cat "$WORK"/logs/*.log | wc -c)

start=$(date +%s.%N)
cat "$WORK"/logs/*.log | wc -l >/dev/null
floor=$(echo "$(date +%s.%N) - $start" | bc -l)

SPORT=$(free_port)
"$BIN/sluice" serve --listen "127.0.0.1:$SPORT" --data-dir "$WORK/data" --log-level warn \
  2>"$WORK/server.log" & SERVER_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$SPORT/ready" >/dev/null && break; sleep 0.1; done

APORT=$(free_port)
cat > "$WORK/agent.yaml" <<YAML
server: {http_listen_port: $APORT, http_listen_address: 127.0.0.1, log_level: warn}
positions: {filename: $WORK/positions.yaml}
clients:
  - url: http://127.0.0.1:$SPORT/loki/api/v1/push
    tenant_id: bench
scrape_configs:
  - job_name: bench
    static_configs:
      - labels: {job: bench, __path__: "$WORK/logs/*.log"}
    pipeline_stages:
      - json: {expressions: {level: level, trace_id: trace_id}}
      - labels: {level: }
      - structured_metadata: {trace_id: }
      - schema: {path: $PWD/../shared/schemas/service-log.schema.json, action: quarantine}
  - job_name: idle
    static_configs:
      - labels: {job: idle, __path__: "$WORK/idle/*.log"}
YAML
start=$(date +%s.%N)
"$BIN/sluice-agent" --config "$WORK/agent.yaml" 2>"$WORK/agent.log" & AGENT_PID=$!
for _ in $(seq 6000); do
  sent=$(metric "$APORT" sluice_agent_sent_entries_total 2>/dev/null || echo 0)
  [ "${sent%.*}" -ge "$LINES" ] 2>/dev/null && break
  sleep 0.05
done
wall=$(echo "$(date +%s.%N) - $start" | bc -l)
cpu=$(cpu_seconds "$AGENT_PID")
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$AGENT_PID/status")
invalid=$(metric "$APORT" sluice_agent_schema_invalid_lines_total)
pwrites=$(metric "$APORT" sluice_agent_positions_writes_total)
printf 'shipped %d lines (%d bytes, %s invalid) from %d files\n' "$LINES" "$BYTES" "$invalid" "$FILES"
printf 'agent: wall %.2f s, cpu %.2f s, %.0f lines/s per core of agent CPU, peak RSS %.1f MiB\n' \
  "$wall" "$cpu" "$(echo "$LINES / $cpu" | bc -l)" "$(echo "$rss_kb / 1024" | bc -l)"
printf 'positions file writes (sluice_agent_positions_writes_total): %d\n' "$pwrites"
printf 'floor: cat files | wc -l: %.3f s (%.0f lines/s)\n' "$floor" "$(echo "$LINES / $floor" | bc -l)"

for i in $(seq -w 1 "$IDLE_FILES"); do echo "idle line $i" > "$WORK/idle/i$i.log"; done
for _ in $(seq 600); do
  sent=$(metric "$APORT" sluice_agent_sent_entries_total)
  [ "${sent%.*}" -ge $((LINES + IDLE_FILES)) ] && break
  sleep 0.1
done
sleep 2
c0=$(cpu_seconds "$AGENT_PID")
sleep "$IDLE_SECONDS"
c1=$(cpu_seconds "$AGENT_PID")
files=$(metric "$APORT" sluice_agent_files_active)
printf 'idle: %d files tailed, agent CPU %.3f s over %d s (%.2f %% of a core)\n' \
  "$files" "$(echo "$c1 - $c0" | bc -l)" "$IDLE_SECONDS" "$(echo "($c1 - $c0) * 100 / $IDLE_SECONDS" | bc -l)"
