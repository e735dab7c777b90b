#!/usr/bin/env bash
# Two builds of snyk-mock under the same wrk load at the same time, for a before/after ratio on a
# noisy, shared machine: both servers pinned to CPU 0, both wrk clients to CPU 1, so load from
# elsewhere hits both alike; rounds alternate which client starts first. Prints each round's
# branch/main req/s ratio and the median. Swap MAIN and BR (and invert) to check for a bias of
# position; MAIN=BR gives the noise floor (an A/A run).
#
#   MAIN=/tmp/main-checkout BR=. bench/compare/pair.sh                    # GET one account
#   MODE=create BOTH=--in-memory MAIN=… BR=. bench/compare/pair.sh       # create (memory store)
#   MODE=list BOTH="--fixtures F" …: a page of 100 (F: fixtures with 100+ accounts in the demo org)
#   extra arguments go to the branch's server only, e.g. --journal-size 0
#
# Needs wrk and taskset, and `npm run build` done in both directories.
set -u
DUR=${DUR:-10}; ROUNDS=${ROUNDS:-10}; MODE=${MODE:-get}
MAIN=${MAIN:?MAIN: the directory of the build to compare against}; BR=${BR:-.}
HERE=$(cd "$(dirname "$0")" && pwd); TMP=$(mktemp -d)
ORG=48dab934-c18e-4abf-b2b9-067e0fb2f0bf; SA=5a000000-0000-4000-8000-000000000001
TOKEN=11111111-1111-4111-8111-111111111111
start() { local dir=$1 port=$2; shift 2; mkdir -p "$TMP/$port"
  (cd "$dir" && exec taskset -c 0 node dist/cli.js --port "$port" --host 127.0.0.1 --db "$TMP/$port/db.json" --log-format json "$@" > "$TMP/$port/server.log" 2>&1) & echo $!; }
PM=$(start "$MAIN" 18471 ${BOTH:-}); PB=$(start "$BR" 18472 ${BOTH:-} "$@")
trap 'kill $PM $PB 2>/dev/null; rm -rf "$TMP"' EXIT
# until both answer (a start takes seconds on a busy machine)
for port in 18471 18472; do for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/__admin/health" >/dev/null && break; sleep 0.1; done; done
run() { # port prefix
  if [ "$MODE" = get ]; then taskset -c 1 wrk -t1 -c10 -d"${DUR}s" -H "authorization: token $TOKEN" "http://127.0.0.1:$1/rest/orgs/$ORG/service_accounts/$SA?version=2024-10-15"
  elif [ "$MODE" = list ]; then taskset -c 1 wrk -t1 -c10 -d"${DUR}s" -H "authorization: token $TOKEN" "http://127.0.0.1:$1/rest/orgs/$ORG/service_accounts?version=2024-10-15&limit=100"
  else PREFIX=$2 taskset -c 1 wrk -t1 -c10 -d"${DUR}s" -s "$HERE/create.lua" "http://127.0.0.1:$1/rest/orgs/$ORG/service_accounts?version=2024-10-15"; fi |
    awk '/Requests\/sec/ {rps=$2} /Non-2xx|non2xx=[1-9]/ {bad=" NON-2XX"} END {print rps bad}'; }
DUR_SAVE=$DUR; DUR=3; run 18471 w >/dev/null & run 18472 w >/dev/null; wait; DUR=$DUR_SAVE
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then run 18471 "m$r" > "$TMP/a" & sleep 0.05; run 18472 "b$r" > "$TMP/b"; wait
  else run 18472 "b$r" > "$TMP/b" & sleep 0.05; run 18471 "m$r" > "$TMP/a"; wait; fi
  echo "round $r $MODE main $(cat "$TMP/a") branch $(cat "$TMP/b")" | tee -a "$TMP/out"
done
python3 - "$TMP/out" <<'PY'
import statistics as st, sys
rows = [l.split() for l in open(sys.argv[1])]
m = [float(r[4]) for r in rows]; b = [float(r[6]) for r in rows]
rs = [y / x for x, y in zip(m, b)]
print("%s: median ratio branch/main %.3f (rounds: %s); mean req/s main %.0f, branch %.0f" % (rows[0][2], st.median(rs), ' '.join('%.3f' % r for r in rs), st.mean(m), st.mean(b)))
PY
