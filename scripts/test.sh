#!/usr/bin/env bash
# Every test layer of slacalc, after installing whatever is missing. Each layer must pass and
# must run at least one test; the last line counts them all: "slacalc: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."

log_dir=$(mktemp -d)
declare -a summary=()
passed_total=0
failed_total=0
broken=0

# run_layer NAME COUNTER COMMAND...: runs the command, echoing its output, and counts its tests
# with COUNTER (cargo | node | none). A layer that fails or counts no test breaks the run.
run_layer() {
  local name=$1 counter=$2
  shift 2
  printf '\n=== %s: %s\n' "$name" "$*"
  local log="$log_dir/${name//[^a-z0-9]/_}.log"
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local passed=0 failed=0
  case $counter in
    cargo)
      passed=$(grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')
      failed=$(grep -Eo '[0-9]+ failed' "$log" | awk '{s+=$1} END {print s+0}') ;;
    node)
      passed=$(grep -E '^# pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')
      failed=$(grep -E '^# fail [0-9]+' "$log" | awk '{s+=$3} END {print s+0}') ;;
  esac
  passed_total=$((passed_total + passed))
  failed_total=$((failed_total + failed))
  if [ "$status" -ne 0 ]; then
    broken=1
    summary+=("$name: FAILED (exit $status)")
    [ "$failed" -eq 0 ] && failed_total=$((failed_total + 1))
  elif [ "$counter" != none ] && [ "$passed" -eq 0 ]; then
    broken=1
    summary+=("$name: ran no test")
    failed_total=$((failed_total + 1))
  elif [ "$counter" = none ]; then
    summary+=("$name: ok")
  else
    summary+=("$name: $passed passed")
  fi
}

run_layer "tools" none scripts/ensure-tools.sh test
run_layer "sample data is reproducible" none \
  bash -c 'cargo run --quiet --example generate_sample | cmp - www/sample/contacts.csv'
run_layer "rustfmt" none cargo fmt --check
run_layer "clippy native" none cargo clippy --all-targets --features cli --quiet -- -D warnings
run_layer "clippy wasm" none \
  cargo clippy --target wasm32-unknown-unknown --lib --tests --quiet -- -D warnings
# The command line (`--features cli`) is tested with the core: one build for both.
run_layer "cargo test (native core and CLI)" cargo cargo test --features cli
# The real public files beside the project: a layer of its own, which a clone without them
# skips — loudly, in the summary, never silently.
if [ -d ../shared/data ]; then
  run_layer "shared data (../shared/data)" cargo cargo test --features cli --test shared_data -- --ignored
else
  printf '\n=== shared data: ../shared/data is MISSING — its layer did not run\n'
  summary+=("shared data (../shared/data): NOT RUN — the folder is missing")
fi
run_layer "warehouse push-down (DuckDB, Spark)" cargo \
  env SLACALC_PUSHDOWN_PYTHON=target/pushdown/venv/bin/python \
  cargo test --features cli --test intervals push_down -- --ignored
run_layer "wasm build" none scripts/build-wasm.sh
run_layer "single-file page build" none node scripts/build-single.mjs
run_layer "wasm-bindgen-test (headless Chromium)" cargo \
  env CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web
run_layer "node + browser end-to-end" node \
  node --test --test-reporter=tap --test-concurrency=1 tests/node/ tests/e2e/

printf '\n=== summary\n'
printf '%s\n' "${summary[@]}"
printf 'slacalc: %d passed, %d failed\n' "$passed_total" "$failed_total"
rm -rf "$log_dir"
exit "$broken"
