#!/usr/bin/env bash
# Smoke test run by container-check.sh while the container is up (env: BASE_URL, CONTAINER).
# Creates a service account, restarts the container, and checks the account survived (the /data volume);
# then a second container on the same volume must be refused (the data file's single-writer lock).
set -euo pipefail

: "${BASE_URL:?BASE_URL is not set}"
: "${CONTAINER:?CONTAINER is not set}"

ORG=48dab934-c18e-4abf-b2b9-067e0fb2f0bf
ROLE=8f35d030-fdca-4335-827b-7c93e6426e7b
VERSION=2024-10-15
AUTH="Authorization: token 11111111-1111-4111-8111-111111111111"
JSONAPI="Content-Type: application/vnd.api+json"
NAME="smoke-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

fail() { echo "smoke: FAIL: $*" >&2; exit 1; }
log() { echo "smoke: $*"; }

# json_get FILE PATH: print the value at a dotted PATH (e.g. data.attributes.name) of the JSON in FILE
json_get() {
  node -e '
    const fs = require("fs");
    let v;
    try { v = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); }
    catch (e) { console.error("not JSON: " + e.message); process.exit(2); }
    for (const k of process.argv[2].split(".")) v = v == null ? undefined : v[k];
    if (v === undefined || v === null) { console.error("no " + process.argv[2]); process.exit(3); }
    process.stdout.write(typeof v === "string" ? v : JSON.stringify(v));
  ' "$1" "$2"
}

# request METHOD URL [curl args...]: body goes to $TMP/body, prints the HTTP status
request() {
  local method=$1 url=$2; shift 2
  curl -sS --max-time 10 -X "$method" -o "$TMP/body" -w '%{http_code}' "$@" "$url" \
    || fail "$method $url: curl failed"
}

expect_status() {  # expect_status WANT GOT WHAT
  [ "$2" = "$1" ] || fail "$3: expected HTTP $1, got $2; body: $(head -c 1000 "$TMP/body")"
}

wait_healthy() {
  local i
  for i in $(seq 60); do
    if curl -fsS --max-time 2 -o "$TMP/health" "$BASE_URL/__admin/health" 2>/dev/null; then
      [ "$(json_get "$TMP/health" status 2>/dev/null || true)" = ok ] \
        || fail "/__admin/health: expected {\"status\":\"ok\"}, got $(head -c 500 "$TMP/health")"
      return 0
    fi
    sleep 0.5
  done
  fail "/__admin/health did not answer 200 within 30 s"
}

# 1. health
wait_healthy
log "health ok"

# 2. create a service account
BASE=$BASE_URL/rest/orgs/$ORG/service_accounts
status=$(request POST "$BASE?version=$VERSION" -H "$AUTH" -H "$JSONAPI" \
  --data "{\"data\":{\"type\":\"service_account\",\"attributes\":{\"name\":\"$NAME\",\"role_id\":\"$ROLE\",\"auth_type\":\"api_key\"}}}")
expect_status 201 "$status" "POST service_accounts"
ID=$(json_get "$TMP/body" data.id) || fail "POST service_accounts: no data.id in $(head -c 1000 "$TMP/body")"
[[ $ID =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]] \
  || fail "POST service_accounts: data.id '$ID' is not a UUID"
log "created service account $ID ($NAME)"

# 3. restart the container: the account must survive (persisted in the /data volume)
# (podman 4.3 without systemd logs harmless "unable to get systemd connection" errors: filter them)
if ! podman restart "$CONTAINER" >/dev/null 2>"$TMP/restart.err"; then
  cat "$TMP/restart.err" >&2; fail "podman restart $CONTAINER failed"
fi
grep -v 'systemd' "$TMP/restart.err" >&2 || true
wait_healthy
log "container restarted and healthy"

# 4. read it back
status=$(request GET "$BASE/$ID?version=$VERSION" -H "$AUTH")
expect_status 200 "$status" "GET service_accounts/$ID after restart"
got=$(json_get "$TMP/body" data.attributes.name) \
  || fail "GET service_accounts/$ID: no data.attributes.name in $(head -c 1000 "$TMP/body")"
[ "$got" = "$NAME" ] || fail "GET service_accounts/$ID: name is '$got', expected '$NAME'"
log "service account $ID survived the restart (name $got)"

# 5. a second container on the same volume must refuse to start (one writer per data file), and the
#    first one keeps serving its data
IMAGE=$(podman inspect --format '{{.ImageName}}' "$CONTAINER")
VOLUME=$(podman inspect --format '{{range .Mounts}}{{if eq .Destination "/data"}}{{.Name}}{{end}}{{end}}' "$CONTAINER")
[ -n "$VOLUME" ] || fail "no volume mounted on /data in $CONTAINER"
set +e
timeout 60 podman run --rm --network host -e SNYK_MOCK_PORT=18087 -v "$VOLUME:/data" "$IMAGE" \
  >"$TMP/second.out" 2>&1
rc=$?
set -e
grep -v 'systemd' "$TMP/second.out" >"$TMP/second.log" || true
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] \
  || fail "a second container on volume $VOLUME: expected a refusal, got exit $rc: $(head -c 1000 "$TMP/second.log")"
grep -q 'The data file /data/db.json is in use by another snyk-mock' "$TMP/second.log" \
  || fail "a second container on volume $VOLUME: no lock message in: $(head -c 1000 "$TMP/second.log")"
log "a second container on the same volume was refused: $(grep -o 'The data file.*' "$TMP/second.log" | head -1)"
status=$(request GET "$BASE/$ID?version=$VERSION" -H "$AUTH")
expect_status 200 "$status" "GET service_accounts/$ID after the refused second container"
log "PASS"
