#!/usr/bin/env bash
# Two builds of snyk-mock under the same wrk load at the same time, for a before/after ratio on a
# noisy, shared machine: both servers pinned to CPU 0, both wrk clients to CPU 1, so load from
# elsewhere hits both alike; rounds alternate which client starts first. PAIRS fresh pairs of
# processes, ROUNDS rounds each: one process differs from the next by a few percent (an A/A pair
# can read 0.92 in every round), so the figure is taken over several. Prints each round's
# branch/main req/s ratio and the median of all rounds. MAIN=BR gives the noise floor (A/A).
#
#   PAIRS=6 ROUNDS=2 DUR=4 MAIN=/tmp/main-checkout BR=. bench/compare/pair.sh   # GET one account
#   MODE=create BOTH=--in-memory MAIN=… BR=. bench/compare/pair.sh       # create (memory store)
#   MODE=list BOTH="--fixtures F" …: a page of 100 (F: fixtures with 100+ accounts in the demo org)
#   CONN=50: wrk's connections (default 10; the bench uses 50)
#   extra arguments go to the branch's server only, e.g. --journal-size 0
#
# Needs wrk and taskset, and `npm run build` done in both directories.
set -u
DUR=${DUR:-10}; ROUNDS=${ROUNDS:-10}; PAIRS=${PAIRS:-1}; CONN=${CONN:-10}; MODE=${MODE:-get}
MAIN=${MAIN:?MAIN: the directory of the build to compare against}; BR=${BR:-.}
HERE=$(cd "$(dirname "$0")" && pwd); TMP=$(mktemp -d)
ORG=48dab934-c18e-4abf-b2b9-067e0fb2f0bf; SA=5a000000-0000-4000-8000-000000000001
TOKEN=11111111-1111-4111-8111-111111111111
start() { local dir=$1 port=$2; shift 2; mkdir -p "$TMP/$port"
  (cd "$dir" && exec taskset -c 0 node dist/cli.js --port "$port" --host 127.0.0.1 --db "$TMP/$port/db.json" --log-format json "$@" > "$TMP/$port/server.log" 2>&1) & echo $!; }
PM=; PB=
trap 'kill $PM $PB 2>/dev/null; rm -rf "$TMP"' EXIT
run() { # port prefix
  if [ "$MODE" = get ]; then taskset -c 1 wrk -t1 -c"$CONN" -d"${DUR}s" -H "authorization: token $TOKEN" "http://127.0.0.1:$1/rest/orgs/$ORG/service_accounts/$SA?version=2024-10-15"
  elif [ "$MODE" = list ]; then taskset -c 1 wrk -t1 -c"$CONN" -d"${DUR}s" -H "authorization: token $TOKEN" "http://127.0.0.1:$1/rest/orgs/$ORG/service_accounts?version=2024-10-15&limit=100"
  else PREFIX=$2 taskset -c 1 wrk -t1 -c"$CONN" -d"${DUR}s" -s "$HERE/create.lua" "http://127.0.0.1:$1/rest/orgs/$ORG/service_accounts?version=2024-10-15"; fi |
    awk '/Requests\/sec/ {rps=$2} /Non-2xx|non2xx=[1-9]/ {bad=" NON-2XX"} END {print rps bad}'; }
r=0
for p in $(seq 1 "$PAIRS"); do
  # a fresh pair on fresh ports and data files; which one starts first alternates too
  A=$((18400 + 2 * p)); B=$((A + 1))
  if [ $((p % 2)) -eq 1 ]; then PM=$(start "$MAIN" $A ${BOTH:-}); PB=$(start "$BR" $B ${BOTH:-} "$@")
  else PB=$(start "$BR" $B ${BOTH:-} "$@"); PM=$(start "$MAIN" $A ${BOTH:-}); fi
  # until both answer (a start takes seconds on a busy machine)
  for port in $A $B; do for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/__admin/health" >/dev/null && break; sleep 0.1; done; done
  DUR_SAVE=$DUR; DUR=3; run $A w >/dev/null & run $B w >/dev/null; wait; DUR=$DUR_SAVE
  for _ in $(seq 1 "$ROUNDS"); do
    r=$((r + 1))
    if [ $((r % 2)) -eq 1 ]; then run $A "m$r" > "$TMP/a" & sleep 0.05; run $B "b$r" > "$TMP/b"; wait
    else run $B "b$r" > "$TMP/b" & sleep 0.05; run $A "m$r" > "$TMP/a"; wait; fi
    echo "round $r $MODE main $(cat "$TMP/a") branch $(cat "$TMP/b") pair $p" | tee -a "$TMP/out"
  done
  # the servers are not this shell's children (started in $(…)): wait until both are gone
  kill $PM $PB 2>/dev/null; while kill -0 $PM 2>/dev/null || kill -0 $PB 2>/dev/null; do sleep 0.1; done
done
python3 - "$TMP/out" <<'PY'
import statistics as st, sys
rows = [l.replace(' NON-2XX', '').split() for l in open(sys.argv[1])]
m = [float(r[4]) for r in rows]; b = [float(r[6]) for r in rows]
rs = [y / x for x, y in zip(m, b)]
pairs = {}
for r, ratio in zip(rows, rs): pairs.setdefault(r[-1], []).append(ratio)
print("%s: median ratio branch/main %.3f (rounds: %s; by pair: %s); mean req/s main %.0f, branch %.0f" % (rows[0][2], st.median(rs), ' '.join('%.3f' % r for r in rs), ' '.join('%.3f' % st.median(v) for v in pairs.values()), st.mean(m), st.mean(b)))
PY
