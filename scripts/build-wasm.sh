#!/usr/bin/env bash
# Builds the release wasm and its JS bindings (with .d.ts) into www/pkg/, the one build that the
# page, the worker and Node scripts all import.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --target wasm32-unknown-unknown --lib
# The name section (function names for a debugger's stack traces) is 104 KB, 30 KB gzipped, of
# what every visitor downloads; a panic still reports its message and place (src/wasm.rs).
wasm-bindgen --target web --remove-name-section --remove-producers-section \
  --out-dir www/pkg target/wasm32-unknown-unknown/release/slacalc.wasm
printf '[build] www/pkg/slacalc_bg.wasm: %s bytes, %s gzipped\n' \
  "$(wc -c < www/pkg/slacalc_bg.wasm)" "$(gzip -9c www/pkg/slacalc_bg.wasm | wc -c)"
