#!/usr/bin/env bash
# Looks at a generated Allure report as a person would: opens it in headless Chromium (Debian
# package chromium, installed if missing and run as root) and saves screenshots of the overview,
# the categories (failed steps grouped by bottleneck), a failed step and a chart.
# Usage: reports/screenshots/take.sh [REPORT_DIR] [OUT_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
report=$(cd "${1:-kdensity-out/allure-report}" && pwd)
out=$(mkdir -p "${2:-kdensity-out/screenshots}" && cd "${2:-kdensity-out/screenshots}" && pwd)
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq chromium >/dev/null; else echo "install chromium (apt-get install chromium)" >&2; exit 3; fi
fi
port=$((20000 + RANDOM % 20000))
java "$here/Serve.java" "$report" "$port" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for i in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/index.html" >/dev/null 2>&1 && break; sleep 0.2; done
shot() {
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$(mktemp -d)" --hide-scrollbars \
    --virtual-time-budget=8000 --window-size=1400,1000 --screenshot="$out/$1" "$2" >/dev/null 2>&1
  echo "$out/$1"
}
shot overview.png "http://127.0.0.1:$port/index.html"
shot categories.png "http://127.0.0.1:$port/index.html#categories"
# failed test cases carry a statusMessage; take the last one (its charts show the whole ramp)
failed=$(grep -l '"statusMessage"' "$report"/data/test-cases/*.json 2>/dev/null | tail -1 || true)
if [ -n "$failed" ]; then
  uid=$(basename "$failed" .json)
  shot failed-step.png "http://127.0.0.1:$port/index.html#testresult/$uid"
fi
chart=${failed:-$(grep -l 'neighbours.png' "$report"/data/test-cases/*.json 2>/dev/null | tail -1 || true)}
if [ -n "$chart" ]; then
  src=$(tr ',{}' '\n\n\n' < "$chart" | grep -A3 '"name" *: *"neighbours.png"' | grep -o '"source" *: *"[^"]*"' | head -1 | sed 's/.*: *"\([^"]*\)"/\1/')
  [ -n "$src" ] && shot chart.png "http://127.0.0.1:$port/data/attachments/$src"
fi
