# The two commands of the README, and the build they share.
.PHONY: serve test build bench

# Builds the wasm (installing the wasm32 target and wasm-bindgen-cli if missing) and serves the
# page with the sample data on http://127.0.0.1:8080.
serve: build
	node scripts/serve.mjs 8080

# Every test layer, installing what is missing first; ends with one summary line.
test:
	scripts/test.sh

# The wasm into www/pkg/, and the single-file page dist/slacalc.html (opens from file://).
build:
	scripts/ensure-tools.sh build
	scripts/build-wasm.sh
	node scripts/build-single.mjs

# The benchmark: slacalc natively and in headless Chromium against DuckDB and pandas on a seeded
# 1,000,000-row file; prints medians and ratios (installs the peers into target/bench/venv).
bench:
	scripts/bench.sh
