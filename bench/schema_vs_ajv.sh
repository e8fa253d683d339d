#!/usr/bin/env bash
# sluice-agent validate --strict-format (one thread) vs ajv 8 + ajv-formats (compiled once, a
# Node loop of JSON.parse + validate per line) vs `jsonschema validate` of @sourcemeta/jsonschema,
# on genlogs lines against the reference schema. Prints each time, the ratio to ajv, and
# whether the same set of invalid lines is reported.
#   bench/schema_vs_ajv.sh [BUILD_DIR] [LINES]     (defaults: build/release, 200000)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build/release}"
LINES="${2:-200000}"
SHARED="$ROOT/../shared"
SCHEMA="$SHARED/schemas/service-log.schema.json"
AGENT="$BUILD/bin/sluice-agent"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 "$SHARED/tools/genlogs.py" --lines "$LINES" --invalid-rate 0.01 > "$WORK/logs.jsonl"
echo "input: $LINES lines, $(du -h "$WORK/logs.jsonl" | cut -f1)"

now() { date +%s.%N; }

# --- sluice ---
t0=$(now)
set +e
"$AGENT" validate --schema "$SCHEMA" --strict-format --threads 1 --output json "$WORK/logs.jsonl" \
  > "$WORK/sluice.json" 2> "$WORK/sluice.err"
set -e
t1=$(now)
sluice_s=$(echo "$t1 - $t0" | bc -l)
grep -o '"line":[0-9]*' "$WORK/sluice.json" | cut -d: -f2 | sort -un > "$WORK/sluice.lines"
echo "sluice: $(printf %.3f "$sluice_s") s, $(wc -l < "$WORK/sluice.lines") invalid lines ($(tail -1 "$WORK/sluice.err"))"

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
const bad = [];
for (let i = 0; i < lines.length; i++) {
  const l = lines[i];
  if (l.trim() === '') continue;
  let doc;
  try { doc = JSON.parse(l); } catch (e) { bad.push(i + 1); continue; }
  if (!validate(doc)) bad.push(i + 1);
}
const t1 = process.hrtime.bigint();
fs.writeFileSync(inputPath + '.ajv.lines', bad.join('\n') + '\n');
console.log(Number(t1 - t0) / 1e9);
JS
t0=$(now)
ajv_loop_s=$(node "$WORK/ajv_validate.js" "$SCHEMA" "$WORK/logs.jsonl")
t1=$(now)
ajv_s=$(echo "$t1 - $t0" | bc -l)
sort -un "$WORK/logs.jsonl.ajv.lines" | sed '/^$/d' > "$WORK/ajv.lines"
echo "ajv:    $(printf %.3f "$ajv_s") s process ($(printf %.3f "$ajv_loop_s") s parse+validate loop), $(wc -l < "$WORK/ajv.lines") invalid lines"
echo "ratio (ajv process / sluice process): $(printf %.2f "$(echo "$ajv_s / $sluice_s" | bc -l)")x"
echo "ratio (ajv loop only / sluice process): $(printf %.2f "$(echo "$ajv_loop_s / $sluice_s" | bc -l)")x"
if cmp -s "$WORK/sluice.lines" "$WORK/ajv.lines"; then
  echo "same invalid lines as ajv: yes"
else
  echo "same invalid lines as ajv: NO"
  diff "$WORK/sluice.lines" "$WORK/ajv.lines" | head -10
fi

# --- @sourcemeta/jsonschema (optional) ---
if (cd "$WORK" && npm install --silent --no-audit --no-fund @sourcemeta/jsonschema > /dev/null 2>&1) \
   && [ -x "$WORK/node_modules/.bin/jsonschema" ]; then
  t0=$(now)
  set +e
  "$WORK/node_modules/.bin/jsonschema" validate "$SCHEMA" "$WORK/logs.jsonl" > "$WORK/sm.out" 2>&1
  rc=$?
  set -e
  t1=$(now)
  sm_s=$(echo "$t1 - $t0" | bc -l)
  echo "sourcemeta jsonschema: $(printf %.3f "$sm_s") s (exit $rc); ratio to sluice: $(printf %.2f "$(echo "$sm_s / $sluice_s" | bc -l)")x"
else
  echo "sourcemeta jsonschema: not installable here, skipped"
fi
