#!/usr/bin/env bash
# The load benchmark (issue 6, docs/benchmarks.md): builds PeerDesk and the bare-stack ceiling
# (../shared/bench/ceiling) in release, seeds a fresh database for each, starts each server, warms
# it up and runs bounded loads with wrk (2 threads, 32 connections, 20 s), then prints one table
# (requests/s, p50, p99, wrong responses, the server's peak RSS) with PeerDesk's question page and
# home as a share of the ceiling's, and writes it as JSON.
#
#   bench/load.sh [sqlite|postgres]
#
# Environment: SCALE (questions, 10000), DURATION (seconds per load, 20), CONNECTIONS (32),
# WORK (/tmp/peerdesk-load-bench), PG (postgres://root@127.0.0.1:5432, for the postgres runs),
# CEILING (../shared/bench/ceiling), OUT (the JSON file, $WORK/<backend>/results.json),
# KEEP (1: keep PeerDesk's database from an earlier run if it holds SCALE questions, instead of
# seeding a fresh one: a million questions take most of an hour to generate).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BACKEND=${1:-sqlite}
case "$BACKEND" in sqlite | postgres) ;; *) echo "usage: bench/load.sh [sqlite|postgres]" >&2; exit 2 ;; esac
SCALE=${SCALE:-10000}
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=2
PG=${PG:-postgres://root@127.0.0.1:5432}
CEILING=${CEILING:-$ROOT/../shared/bench/ceiling}
WORK=${WORK:-/tmp/peerdesk-load-bench}/$BACKEND
OUT=${OUT:-$WORK/results.json}
PD_PORT=18461
CEILING_PORT=18462
PASSWORD='load-test-pass-phrase-42'
MEMBERS=16

say() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# --- tools ----------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  say "installing wrk from Debian's packages"
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null
fi
command -v python3 >/dev/null || die "python3 is needed for the report"

# --- build ----------------------------------------------------------------------------------
say "building PeerDesk and the ceiling (release)"
cargo build --release --quiet
mkdir -p "$WORK"
CEILING="$CEILING" SRC="$WORK/ceiling-src" bench/build_ceiling.sh --release >/dev/null
PEERDESK="$ROOT/target/release/peerdesk"
CEILING_BIN="$ROOT/target/release/ceiling"

# --- fresh databases ------------------------------------------------------------------------
KEEP=${KEEP:-0}
kept() {
  [ "$KEEP" = 1 ] || return 1
  local n
  if [ "$BACKEND" = postgres ]; then
    n=$(psql "$PG/peerdesk_load" -Atc 'SELECT count(*) FROM questions' 2>/dev/null) || return 1
  else
    n=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM questions").fetchone()[0])' \
      "$WORK/data/peerdesk.db" 2>/dev/null) || return 1
  fi
  [ "$n" = "$SCALE" ]
}
REUSE=0
kept && REUSE=1
[ "$REUSE" = 1 ] || rm -rf "$WORK/data"
rm -rf "$WORK"/ceiling.db*
if [ "$BACKEND" = postgres ]; then
  if [ "$REUSE" = 0 ]; then
    psql "$PG/postgres" -qc 'DROP DATABASE IF EXISTS peerdesk_load' -c 'CREATE DATABASE peerdesk_load' ||
      die "PostgreSQL is not reachable at $PG"
  fi
  psql "$PG/postgres" -qc 'DROP DATABASE IF EXISTS ceiling_load' -c 'CREATE DATABASE ceiling_load' ||
    die "PostgreSQL is not reachable at $PG"
  PD_URL="$PG/peerdesk_load"
  CEILING_URL="$PG/ceiling_load"
  # Without autovacuum, view-count flushes and writes leave dead rows that every later load reads.
  if [ "$(psql "$PG/postgres" -Atc 'SHOW autovacuum')" != on ]; then
    say "warning: this PostgreSQL runs with autovacuum off; dead rows pile up between the loads"
  fi
else
  PD_URL="sqlite://$WORK/data/peerdesk.db"
  CEILING_URL="sqlite://$WORK/ceiling.db"
fi
mkdir -p "$WORK/data"
export DATABASE_URL="$PD_URL" PEERDESK_DATA_DIR="$WORK/data" PEERDESK_LOG=warn
export PEERDESK_BIND="127.0.0.1:$PD_PORT" PEERDESK_BASE_URL="http://127.0.0.1:$PD_PORT"
if [ "$REUSE" = 1 ]; then
  say "keeping PeerDesk's database with $SCALE questions (KEEP=1)"
  "$PEERDESK" migrate >/dev/null
else
  say "seeding PeerDesk: $SCALE questions"
  "$PEERDESK" seed --scale "$SCALE"
fi
say "seeding the ceiling"
DATABASE_URL="$CEILING_URL" "$CEILING_BIN" seed >/dev/null

# SQL against either backend, one value per line.
sql() {
  if [ "$BACKEND" = postgres ]; then
    psql "$1" -At -F $'\t' -c "$2"
  else
    python3 -c 'import sqlite3, sys
for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print(*row, sep="\t")' "${1#sqlite://}" "$2"
  fi
}

# --- what the loads ask for -------------------------------------------------------------------
say "picking pages and members"
# Members with the most reputation (so that they may vote both ways), their passwords set.
sql "$PD_URL" "SELECT username FROM users WHERE role = 'member' ORDER BY reputation DESC, id LIMIT $MEMBERS" >"$WORK/members"
while read -r name; do
  PEERDESK_PASSWORD="$PASSWORD" "$PEERDESK" set-password --username "$name" >/dev/null
done <"$WORK/members"
ids="SELECT id FROM users WHERE username IN ($(sed "s/.*/'&'/" "$WORK/members" | paste -sd,))"
# Question pages with about five answers (4 to 6), ids spread over the whole set (at most 20,000 of
# them, drawn at random: each is resolved to its canonical path below); the same shape for the
# ceiling.
sql "$PD_URL" "SELECT q.id FROM questions q WHERE (SELECT count(*) FROM answers a WHERE a.question_id = q.id) BETWEEN 4 AND 6 ORDER BY random() LIMIT 20000" |
  sed 's|^|/questions/|' >"$WORK/question-ids"
sql "$CEILING_URL" "SELECT q.id FROM questions q WHERE (SELECT count(*) FROM answers a WHERE a.question_id = q.id) BETWEEN 4 AND 6 ORDER BY q.id" |
  sed 's|^|/q/|' >"$WORK/ceiling-paths"
# Posts for the write mix: not by the signed-in members and not voted on by them yet.
sql "$PD_URL" "SELECT id FROM questions WHERE author_id NOT IN ($ids) AND id NOT IN (SELECT post_id FROM votes WHERE post_kind = 'question' AND user_id IN ($ids)) ORDER BY random() LIMIT 100000" >"$WORK/write-questions"
sql "$PD_URL" "SELECT id FROM answers WHERE author_id NOT IN ($ids) AND id NOT IN (SELECT post_id FROM votes WHERE post_kind = 'answer' AND user_id IN ($ids)) ORDER BY random() LIMIT 100000" >"$WORK/write-answers"
sql "$PD_URL" "SELECT name FROM tags ORDER BY question_count DESC LIMIT 20" | sed 's|^|/tags/|' >"$WORK/tag-paths"
printf '/\n' >"$WORK/home-paths"
printf '/\n' >"$WORK/ceiling-home"
printf '/questions?filter=unanswered\n' >"$WORK/unanswered-paths"
python3 - "$WORK/search-paths" <<'PY'
import random, sys
words = ["export", "sync", "login", "webhook", "invoice", "proxy", "timeout", "error", "android", "slack",
         "permissions", "calendar", "token", "upload", "dashboard", "import", "windows", "firefox", "plan", "api"]
random.seed(6)
with open(sys.argv[1], "w") as f:
    for _ in range(500):
        f.write("/search?q=" + "+".join(random.sample(words, random.choice([1, 2, 2, 3]))) + "\n")
PY
# Searches that are never repeated (almost every one misses the page cache): 1 to 3 words of the
# generator's vocabulary, common ones included, in 50,000 distinct queries.
python3 - "$WORK/search-new-paths" <<'PY'
import random, sys
words = """export csv calendar sync sso login webhook delivery contact import mobile app search dashboard
widget invoice pdf api token rotation factor email digest file upload team permissions custom fields
recurring tasks slack notifications time tracking dark mode offline report builder guest access audit
log data retention bulk edit public forms comment mentions zapier trigger graphql endpoint browser
extension fails error times seconds wrong zone missing update entry twice filter proxy slow large
accounts rejects valid input accented names emails stale crashes start language percent windows macos
firefox android ios version users region plan enabled corporate workspaces renaming project safari
linux settings integrations legacy cache clock device limit script integration revoked""".split()
random.seed(7)
seen = set()
with open(sys.argv[1], "w") as f:
    while len(seen) < 50000:
        q = "+".join(random.sample(words, random.choice([1, 2, 2, 3, 3])))
        if q not in seen:
            seen.add(q)
            f.write("/search?q=" + q + "\n")
PY

# --- servers --------------------------------------------------------------------------------
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
wait_up() {
  for _ in $(seq 200); do curl -sf -o /dev/null "$1" && return 0; sleep 0.05; done
  die "the server at $1 did not come up"
}
"$PEERDESK" serve >"$WORK/peerdesk.log" 2>&1 &
PD_PID=$!
pids+=("$PD_PID")
DATABASE_URL="$CEILING_URL" PORT=$CEILING_PORT "$CEILING_BIN" serve >"$WORK/ceiling.log" 2>&1 &
CEILING_PID=$!
pids+=("$CEILING_PID")
wait_up "http://127.0.0.1:$PD_PORT/healthz"
wait_up "http://127.0.0.1:$CEILING_PORT/hello"

# /questions/{id} redirects to the canonical /questions/{id}/{slug}: the loads ask for those.
sed "s|^|$PEERDESK_BASE_URL|" "$WORK/question-ids" | xargs -n 200 curl -s -o /dev/null -w '%{redirect_url}\n' |
  sed "s|^$PEERDESK_BASE_URL||" | grep '^/questions/' >"$WORK/question-paths" || die "no canonical question paths"

# Members log in through the form; each line of sessions is "cookie header<TAB>CSRF token".
: >"$WORK/sessions"
while read -r name; do
  jar=$(mktemp)
  csrf=$(curl -s -c "$jar" -b "$jar" "$PEERDESK_BASE_URL/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
  code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "csrf_token=$csrf" \
    --data-urlencode "login=$name" --data-urlencode "password=$PASSWORD" "$PEERDESK_BASE_URL/login")
  [ "$code" = 303 ] || die "member $name could not log in (HTTP $code)"
  cookie=$(awk '!/^#/ || /^#HttpOnly_/ {sub(/^#HttpOnly_/, ""); if (NF >= 7) printf "%s%s=%s", sep, $6, $7; sep="; "}' "$jar")
  token=$(curl -s -b "$jar" "$PEERDESK_BASE_URL/" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
  [ -n "$token" ] || die "no CSRF token on the home page for $name"
  printf '%s\t%s\n' "$cookie" "$token" >>"$WORK/sessions"
  rm -f "$jar"
done <"$WORK/members"

# The pages are the real ones: a sample of question pages show their own titles.
say "checking that the pages are the real ones"
sql "$PD_URL" "SELECT id, title FROM questions ORDER BY random() LIMIT 20" | while IFS=$'\t' read -r id title; do
  page=$(curl -sL "$PEERDESK_BASE_URL/questions/$id")
  python3 -c 'import html, sys; sys.exit(0 if html.escape(sys.argv[1], quote=False) in sys.argv[2] or sys.argv[1] in sys.argv[2] else 1)' "$title" "$page" ||
    die "/questions/$id does not show its title"
done

peak_rss() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

# run NAME PID URL SCRIPT ARGS...: a warm-up, then the measured load; appends one JSON line.
: >"$WORK/results.jsonl"
run() {
  local name=$1 pid=$2 url=$3 script=$4
  shift 4
  local warmup=()
  # The write mix must not repeat the warm-up's votes (a second vote on a post is refused).
  [ "$script" = bench/wrk/writes.lua ] && warmup=(warmup)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$script" "$url" -- "$@" "${warmup[@]}" >/dev/null
  local line
  line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$script" "$url" -- "$@" | sed -n 's/^RESULT //p')
  [ -n "$line" ] || die "wrk gave no result for $name"
  printf '{"load": "%s", "peak_rss_kb": %s, %s\n' "$name" "$(peak_rss "$pid")" "${line#\{}" >>"$WORK/results.jsonl"
  printf '  %-28s %s\n' "$name" "$line" >&2
}
PAGES=bench/wrk/pages.lua
PD="http://127.0.0.1:$PD_PORT"
CE="http://127.0.0.1:$CEILING_PORT"
say "loads: $THREADS threads, $CONNECTIONS connections, ${DURATION} s each after a 5 s warm-up"
QPATHS="$WORK/question-paths"
run "ceiling question page" "$CEILING_PID" "$CE" "$PAGES" "$WORK/ceiling-paths" "</html>"
run "ceiling home" "$CEILING_PID" "$CE" "$PAGES" "$WORK/ceiling-home" "</html>"
run "question page" "$PD_PID" "$PD" "$PAGES" "$QPATHS" 'id="answers-h"'
run "home" "$PD_PID" "$PD" "$PAGES" "$WORK/home-paths" 'class="q-list"'
run "unanswered" "$PD_PID" "$PD" "$PAGES" "$WORK/unanswered-paths" 'class="q-list"'
run "tag page" "$PD_PID" "$PD" "$PAGES" "$WORK/tag-paths" 'class="q-list"'
run "search" "$PD_PID" "$PD" "$PAGES" "$WORK/search-paths" 'class="q-list"'
run "search, new queries" "$PD_PID" "$PD" "$PAGES" "$WORK/search-new-paths" 'class="q-list"'
run "question page, signed in" "$PD_PID" "$PD" "$PAGES" "$QPATHS" 'id="answers-h"' "$WORK/sessions"
run "writes, signed in" "$PD_PID" "$PD" bench/wrk/writes.lua "$WORK/write-questions" "$WORK/write-answers" "$WORK/sessions" "$PD" "$THREADS"

python3 bench/report.py "$WORK/results.jsonl" "$OUT" "$BACKEND" "$SCALE"
