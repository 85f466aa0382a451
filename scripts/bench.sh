#!/usr/bin/env bash
# The benchmark of the README: slacalc natively and in headless Chromium, and its peers (DuckDB
# with 2 threads and pandas natively, DuckDB-wasm in the same Chromium), on the same seeded
# 1,000,000-row call file, plus the same file with
# every cell quoted and CRLF line ends. Prints medians (RUNS runs, default 5) and ratios.
#   make bench            (or: RUNS=9 scripts/bench.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
dir=target/bench
mkdir -p "$dir"

scripts/ensure-tools.sh bench
scripts/build-wasm.sh >/dev/null
cargo build --quiet --release --example generate_benchmark --example bench_native

plain=$dir/contacts-1m.csv
quoted=$dir/contacts-1m-quoted-crlf.csv
[ -s "$plain" ] || target/release/examples/generate_benchmark --rows 1000000 > "$plain"
[ -s "$quoted" ] || target/release/examples/generate_benchmark --rows 1000000 --quoted-crlf > "$quoted"

results=$dir/results.jsonl
: > "$results"
# A stalled Chromium run says where it stopped and exits 3 (bench/chromium.mjs): tried once more.
chromium_run() { node bench/chromium.mjs "$@" || node bench/chromium.mjs "$@"; }
for file in "$plain" "$quoted"; do
  echo "{\"run\":\"native\",\"file\":\"$file\",\"figures\":$(target/release/examples/bench_native "$file" bench/terms.json "$runs")}" >> "$results"
  echo "{\"run\":\"chromium\",\"file\":\"$file\",\"figures\":$(chromium_run "$file" bench/terms.json "$runs")}" >> "$results"
done
# What the dropped file costs the page's renderer in memory (bench/memory.mjs).
echo "{\"run\":\"memory\",\"file\":\"$plain\",\"figures\":$(node bench/memory.mjs "$plain" bench/terms.json)}" >> "$results"
# Pinned to one core, native reads and reports on one thread as the browser does: the figures
# that wasm / native compares.
echo "{\"run\":\"native-one-core\",\"file\":\"$plain\",\"figures\":$(taskset -c 0 target/release/examples/bench_native "$plain" bench/terms.json "$runs")}" >> "$results"
{ "$dir/venv/bin/python" bench/peers.py "$plain" "$runs"; node bench/duckdb-wasm.mjs "$plain" "$runs"; } |
  while read -r line; do
    echo "{\"run\":\"peer\",\"file\":\"$plain\",\"figures\":$line}" >> "$results"
  done
node bench/summarize.mjs "$results"
