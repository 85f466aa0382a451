#!/usr/bin/env bash
# Installs what building and testing need, skipping whatever is already there, so that a fresh
# machine and a warm one run the same command. Usage: ensure-tools.sh [build|test]
#   build: the wasm32 target, wasm-bindgen-cli at the exact version of the wasm-bindgen crate, and
#          the npm packages of the lock file
#   test:  also Debian's chromium + chromium-driver (as root), and DuckDB and PySpark (PyPI, in
#          target/pushdown/venv) with Java 17 for the push-down tests
#   bench: also the peers of the benchmark: DuckDB and pandas from PyPI in target/bench/venv,
#          DuckDB-wasm from npm in target/bench/npm (kept out of the tests' packages)
set -euo pipefail
cd "$(dirname "$0")/.."
need=${1:-build}

say() { printf '[tools] %s\n' "$*"; }

# apt_install WHAT PACKAGES...: Debian packages, as root; otherwise says what to install.
apt_install() {
  local what=$1
  shift
  if [ "$(id -u)" = 0 ]; then
    say "installing Debian's $*"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    say "$what is missing: install it (as root: apt-get install $*)"
    exit 1
  fi
}

# python_venv DIR IMPORTS PACKAGES...: a virtualenv in DIR where IMPORTS (Python, e.g.
# "import duckdb") succeeds, installing PACKAGES from PyPI when it does not.
python_venv() {
  local venv=$1 imports=$2
  shift 2
  if ! "$venv/bin/python" -c "$imports" 2>/dev/null; then
    say "installing $* into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$@"
  fi
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

wanted=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$wanted" ]; then
  # Without --locked: with it, the CLI's dependency resolution fails (see README).
  say "installing wasm-bindgen-cli $wanted (found: ${have:-none}); this takes a few minutes"
  cargo install wasm-bindgen-cli --version "$wanted" --force
fi

if [ "$need" = test ] || [ "$need" = bench ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    apt_install "chromium" chromium chromium-driver
  fi
fi

# esbuild makes the single-file page; playwright-core drives Chromium in the tests.
if ! cmp -s package-lock.json node_modules/.package-lock.json 2>/dev/null; then
  say "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "$need" = test ]; then
  # The warehouse push-down SQL is run for real on DuckDB and on a local Spark (Java 17 from
  # Debian when missing), in a virtualenv of their own.
  python_venv target/pushdown/venv 'import duckdb, pyspark' duckdb==2.0.0 pyspark==4.3.0
  if ! command -v java >/dev/null; then
    apt_install "java (for Spark)" openjdk-17-jre-headless
  fi
fi

if [ "$need" = bench ]; then
  python_venv target/bench/venv 'import duckdb, pandas' duckdb==2.0.0 pandas==3.1.1
  wasm_peer="@duckdb/duckdb-wasm@1.32.0"
  if [ ! -f target/bench/npm/node_modules/@duckdb/duckdb-wasm/package.json ]; then
    say "installing the benchmark's in-browser peer ($wasm_peer) into target/bench/npm"
    mkdir -p target/bench/npm
    npm install --prefix target/bench/npm --no-audit --no-fund --loglevel=error "$wasm_peer"
  fi
fi
