#!/usr/bin/env bash
# sluice-agent validate --strict-format (one thread) vs ajv 8 + ajv-formats (compiled once, a
# Node loop of JSON.parse + validate per line) vs `jsonschema validate` of @sourcemeta/jsonschema,
# on genlogs lines against the reference schema. Each tool runs RUNS times (default 3); the
# figures are medians of wall time and of CPU time (user + sys; for the ajv loop, the process's
# CPU during the loop). On a shared, loaded machine wall time includes waiting for a core, so
# the CPU ratios are the steadier ones; both are printed. Also checks that sluice and ajv
# report the same set of invalid lines.
#   bench/schema_vs_ajv.sh [BUILD_DIR] [LINES]     (defaults: build/release, 200000)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build/release}"
LINES="${2:-200000}"
RUNS="${RUNS:-3}"
SHARED="$ROOT/../shared"
SCHEMA="$SHARED/schemas/service-log.schema.json"
AGENT="$BUILD/bin/sluice-agent"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 "$SHARED/tools/genlogs.py" --lines "$LINES" --invalid-rate 0.01 > "$WORK/logs.jsonl"
echo "input: $LINES lines, $(du -h "$WORK/logs.jsonl" | cut -f1); $RUNS runs each, medians"

median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ratio() { printf %.2f "$(echo "$1 / $2" | bc -l)"; }
# Runs "$@" once (its stdout and stderr are the caller's); appends "wall cpu" in seconds
# (CPU = user + sys of the child, microsecond resolution) to $WORK/times.
cat > "$WORK/timed.py" <<'PY'
import os, shutil, sys, time
argv = sys.argv[2:]
t0 = time.monotonic()
pid = os.posix_spawn(shutil.which(argv[0]), argv, os.environ)
_, _, ru = os.wait4(pid, 0)  # the rusage of exactly this child
wall = time.monotonic() - t0
with open(sys.argv[1], "a") as f:
    f.write("%.3f %.3f\n" % (wall, ru.ru_utime + ru.ru_stime))
PY
timed() { python3 "$WORK/timed.py" "$WORK/times" "$@"; }
col() { cut -d' ' -f"$1" "$WORK/times" | median; }

# --- sluice ---
: > "$WORK/times"
for _ in $(seq "$RUNS"); do
  timed "$AGENT" validate --schema "$SCHEMA" --strict-format --threads 1 --output json \
    "$WORK/logs.jsonl" > "$WORK/sluice.json" 2> "$WORK/sluice.err"
done
sluice_wall=$(col 1)
sluice_cpu=$(col 2)
grep -o '"line":[0-9]*' "$WORK/sluice.json" | cut -d: -f2 | sort -un > "$WORK/sluice.lines"
echo "sluice: wall $sluice_wall s, cpu $sluice_cpu s; $(wc -l < "$WORK/sluice.lines") invalid lines ($(tail -1 "$WORK/sluice.err"))"

# --- ajv ---
(cd "$WORK" && npm init -y > /dev/null && npm install --silent --no-audit --no-fund ajv@8 ajv-formats > /dev/null 2>&1) \
  || { echo "ajv: npm install failed"; exit 1; }
cat > "$WORK/ajv_validate.js" <<'JS'
const fs = require('fs');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');
const [schemaPath, inputPath] = process.argv.slice(2);
const ajv = new Ajv2020({allErrors: false, strict: false});
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
const lines = fs.readFileSync(inputPath, 'utf8').split('\n');
const t0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
const bad = [];
for (let i = 0; i < lines.length; i++) {
  const l = lines[i];
  if (l.trim() === '') continue;
  let doc;
  try { doc = JSON.parse(l); } catch (e) { bad.push(i + 1); continue; }
  if (!validate(doc)) bad.push(i + 1);
}
const t1 = process.hrtime.bigint();
const c1 = process.cpuUsage(c0);
fs.writeFileSync(inputPath + '.ajv.lines', bad.join('\n') + '\n');
console.log(Number(t1 - t0) / 1e9, (c1.user + c1.system) / 1e6);
JS
: > "$WORK/times"
: > "$WORK/loop"
for _ in $(seq "$RUNS"); do
  timed node "$WORK/ajv_validate.js" "$SCHEMA" "$WORK/logs.jsonl" >> "$WORK/loop"
done
ajv_wall=$(col 1)
ajv_cpu=$(col 2)
loop_wall=$(cut -d' ' -f1 "$WORK/loop" | median)
loop_cpu=$(cut -d' ' -f2 "$WORK/loop" | median)
sort -un "$WORK/logs.jsonl.ajv.lines" | sed '/^$/d' > "$WORK/ajv.lines"
echo "ajv:    process wall $ajv_wall s, cpu $ajv_cpu s; parse+validate loop wall $(printf %.3f "$loop_wall") s, cpu $(printf %.3f "$loop_cpu") s; $(wc -l < "$WORK/ajv.lines") invalid lines"
echo "ratio vs ajv parse+validate loop: wall $(ratio "$loop_wall" "$sluice_wall")x, cpu $(ratio "$loop_cpu" "$sluice_cpu")x"
echo "ratio vs ajv process:             wall $(ratio "$ajv_wall" "$sluice_wall")x, cpu $(ratio "$ajv_cpu" "$sluice_cpu")x"
if cmp -s "$WORK/sluice.lines" "$WORK/ajv.lines"; then
  echo "same invalid lines as ajv: yes"
else
  echo "same invalid lines as ajv: NO"
  diff "$WORK/sluice.lines" "$WORK/ajv.lines" | head -10
fi

# --- @sourcemeta/jsonschema (optional) ---
# It stops at the first line that is not JSON, so it gets the parseable lines only, with
# --fast (its speed-over-messages mode), -F (format assertion) and -c (go past failures).
if (cd "$WORK" && npm install --silent --no-audit --no-fund @sourcemeta/jsonschema > /dev/null 2>&1) \
   && [ -x "$WORK/node_modules/.bin/jsonschema" ]; then
  node -e 'const fs = require("fs");
    const out = fs.readFileSync(process.argv[1], "utf8").split("\n").filter(l => {
      try { JSON.parse(l); return true; } catch (e) { return false; } });
    fs.writeFileSync(process.argv[2], out.join("\n") + "\n");' "$WORK/logs.jsonl" "$WORK/parsed.jsonl"
  : > "$WORK/times"
  for _ in $(seq "$RUNS"); do
    timed "$WORK/node_modules/.bin/jsonschema" validate --fast -F -c "$SCHEMA" "$WORK/parsed.jsonl" \
      > "$WORK/sm.out" 2>&1
  done
  sm_wall=$(col 1)
  sm_cpu=$(col 2)
  : > "$WORK/times"
  for _ in $(seq "$RUNS"); do
    timed "$AGENT" validate --schema "$SCHEMA" --strict-format --threads 1 --output json \
      "$WORK/parsed.jsonl" > /dev/null 2> "$WORK/sluice_parsed.err"
  done
  echo "sourcemeta jsonschema (parseable lines only): wall $sm_wall s, cpu $sm_cpu s ($(tail -1 "$WORK/sm.out")); sluice on the same file: wall $(col 1) s, cpu $(col 2) s ($(tail -1 "$WORK/sluice_parsed.err")); ratio cpu $(ratio "$sm_cpu" "$(col 2)")x"
else
  echo "sourcemeta jsonschema: not installable here, skipped"
fi
