#!/usr/bin/env bash
# Runs the README's `npm start` twice on a fresh data folder: the first start migrates, seeds
# and serves the console, the portal and the API docs; the second reuses the data.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
log=$(mktemp)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$data" "$log"' EXIT

start() {
  PORT=$port DATA_DIR=$data LOG_LEVEL=warn npm start >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 180); do
    curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "npm start exited early"; exit 1; }
    sleep 1
  done
  cat "$log"; echo "npm start did not become healthy"; exit 1
}

stop() {
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

check() {
  local path=$1 pattern=$2
  curl -fsS -H 'accept: text/html' "http://127.0.0.1:$port$path" | grep -q "$pattern" || { echo "GET $path lacks $pattern"; exit 1; }
  echo "GET $path ok"
}

start
grep -q "Seeded the demo lender" "$log" || { cat "$log"; echo "first start did not seed"; exit 1; }
grep -q "Demo logins" "$log" || { cat "$log"; echo "no demo logins printed"; exit 1; }
check / '<div id="root">'
check /portal '<div id="root">'
check /docs/ 'swagger'
curl -fsS "http://127.0.0.1:$port/health"; echo
stop
start
grep -q "Seeded the demo lender" "$log" && { cat "$log"; echo "second start seeded again"; exit 1; }
check / '<div id="root">'
stop
echo "smoke: 2 passed, 0 failed"
