#!/usr/bin/env bash
# Times the KPI object (`peerdesk kpis`) and the staff dashboard page over a generated community of
# N questions (default 100,000) with about 3 answers each, on SQLite or on the PostgreSQL database
# given as DATABASE_URL. The data is generated once into WORK (default /tmp/peerdesk-kpi-bench) and
# kept for later runs; delete it to start over.
#   bench/kpi_dashboard.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
WORK=${WORK:-/tmp/peerdesk-kpi-bench}
PORT=${PORT:-18431}
cargo build --release --quiet
BIN=$PWD/target/release/peerdesk
mkdir -p "$WORK"
cd "$WORK"
export PEERDESK_BIND=127.0.0.1:$PORT
if [ ! -f seeded-$N ]; then
  "$BIN" seed --scale "$N" --days 90
  PEERDESK_ADMIN_PASSWORD=bench-password-123 "$BIN" create-admin --username benchadmin --email bench@example.com
  touch seeded-$N
fi
from=$(date -u -d '89 days ago' +%F)
to=$(date -u +%F)
echo "== peerdesk kpis --from $from --to $to (3 runs, process start included)"
for _ in 1 2 3; do
  /usr/bin/time -f "%e s, %M KB peak RSS" "$BIN" kpis --from "$from" --to "$to" >/dev/null
done

"$BIN" serve >server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
jar=$(mktemp)
csrf=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$PORT/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$csrf" \
  --data-urlencode login=benchadmin --data-urlencode password=bench-password-123 "http://127.0.0.1:$PORT/login"
for period in 7 30 90; do
  echo "== /staff/kpis?period=$period (3 runs)"
  for _ in 1 2 3; do
    curl -s -o page.html -b "$jar" -w "%{http_code} %{time_total} s\n" "http://127.0.0.1:$PORT/staff/kpis?period=$period"
    grep -q 'Community health' page.html || { echo "not the dashboard page"; exit 1; }
  done
done
