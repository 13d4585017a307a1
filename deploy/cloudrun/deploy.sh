#!/usr/bin/env bash
# Health-gated Cloud Run rollout with automatic rollback.
#   deploy/cloudrun/deploy.sh ENV --image IMAGE [--region R] [--project P] [--dry-run]
# 1. checks the environment's configuration (orchestra config check); 2. deploys a new revision
# with no traffic, tagged "candidate"; 3. waits for its /ready; 4. moves all traffic to it;
# 5. for WATCH_SECONDS watches /ready and the 5xx share of requests in its /metrics, and rolls
#    back to the previous revision when either fails; 6. keeps the last 5 revisions. --dry-run prints the gcloud commands instead of running them.
set -euo pipefail
cd "$(dirname "$0")/../.."
ENV=${1:?usage: deploy.sh dev|staging|prod --image IMAGE [--region R] [--project P] [--dry-run]}
shift
IMAGE=""; REGION=${REGION:-europe-west1}; PROJECT=${PROJECT:-}; DRY=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --image) IMAGE=$2; shift 2 ;;
    --region) REGION=$2; shift 2 ;;
    --project) PROJECT=$2; shift 2 ;;
    --dry-run) DRY=true; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$ENV" in dev|staging|prod) ;; *) echo "ENV must be dev, staging or prod" >&2; exit 2 ;; esac
[[ -n "$IMAGE" ]] || { echo "--image is required" >&2; exit 2; }
SERVICE="orchestra-$ENV"
WATCH_SECONDS=${WATCH_SECONDS:-120}; WATCH_INTERVAL=${WATCH_INTERVAL:-10}; MAX_FAILURES=${MAX_FAILURES:-2}; KEEP=${KEEP:-5}
MAX_ERROR_PERCENT=${MAX_ERROR_PERCENT:-5}; MIN_REQUESTS=${MIN_REQUESTS:-20}   # error rate judged only over enough requests
ORCHESTRA_BIN=${ORCHESTRA_BIN:-bin/orchestra}
G=(gcloud --quiet --region "$REGION")
[[ -n "$PROJECT" ]] && G+=(--project "$PROJECT")
log() { echo "[deploy $ENV] $*" >&2; }
run() { if $DRY; then echo "${G[*]} $*" >&2; else "${G[@]}" "$@"; fi; }

log "checking deploy/config/$ENV.yaml"
"$ORCHESTRA_BIN" config check --env "$ENV" --file "deploy/config/$ENV.yaml" || { log "configuration check failed; nothing deployed"; exit 1; }

PREVIOUS=$(run run services describe "$SERVICE" --format 'value(status.traffic[0].revisionName)' || true)
PREVIOUS=${PREVIOUS:-the current revision}
# The service account's e-mail names the project (infra/ makes the account): gcloud's project unless --project.
[[ -n "$PROJECT" ]] || $DRY || PROJECT=$(gcloud config get-value project 2>/dev/null || true)
sed -e "s|IMAGE|$IMAGE|" -e "s|PROJECT_ID|${PROJECT:-PROJECT_ID}|" "deploy/cloudrun/service-$ENV.yaml" > "${TMPDIR:-/tmp}/service-$ENV.yaml"
run run services replace "${TMPDIR:-/tmp}/service-$ENV.yaml" --no-traffic >/dev/null
run run services update-traffic "$SERVICE" --set-tags "candidate=LATEST" >/dev/null
# dev is public (environments table); staging and prod need an authenticated invoker.
[[ "$ENV" == dev ]] && run run services add-iam-policy-binding "$SERVICE" --member allUsers --role roles/run.invoker >/dev/null
if $DRY; then
  run run services update-traffic "$SERVICE" --to-latest
  log "dry run: would wait for /ready, watch for ${WATCH_SECONDS}s, roll back to $PREVIOUS on failure, keep $KEEP revisions"
  exit 0
fi
CANDIDATE=$(run run revisions list --service "$SERVICE" --limit 1 --sort-by '~metadata.creationTimestamp' --format 'value(metadata.name)')
URL=$(run run services describe "$SERVICE" --format 'value(status.traffic[tag=candidate].url)')
TOKEN=$(gcloud auth print-identity-token 2>/dev/null || true)
ready() { curl -fsS -m 5 ${TOKEN:+-H "Authorization: Bearer $TOKEN"} "$1/ready" >/dev/null 2>&1; }
# "requests 5xx" counted so far by the candidate (Micrometer's http_server_requests_seconds_count).
counts() {
  curl -fsS -m 5 ${TOKEN:+-H "Authorization: Bearer $TOKEN"} "$1/metrics" 2>/dev/null \
    | awk '/^http_server_requests_seconds_count\{/ { n += $NF; if ($0 ~ /status="5/) e += $NF } END { printf "%d %d\n", n, e }'
}
rollback() {
  log "$1; rolling back to $PREVIOUS"
  run run services update-traffic "$SERVICE" --to-revisions "$PREVIOUS=100" >/dev/null
  exit 1
}

log "waiting for $CANDIDATE at $URL/ready"
up=false
for _ in $(seq 1 60); do
  if ready "$URL"; then up=true; break; fi
  sleep 2
done
if ! $up; then
  log "candidate $CANDIDATE never became ready; traffic stays on $PREVIOUS"
  run run services update-traffic "$SERVICE" --remove-tags candidate >/dev/null || true
  exit 1
fi
log "shifting traffic to $CANDIDATE"
run run services update-traffic "$SERVICE" --to-revisions "$CANDIDATE=100" >/dev/null
failures=0
read -r base_requests base_errors < <(counts "$URL")
for ((waited = 0; waited < WATCH_SECONDS; waited += WATCH_INTERVAL)); do
  sleep "$WATCH_INTERVAL"
  if ! ready "$URL"; then
    failures=$((failures + 1))
    log "readiness failure $failures/$MAX_FAILURES"
    ((failures >= MAX_FAILURES)) && rollback "candidate stopped being ready"
  fi
  read -r requests errors < <(counts "$URL")
  requests=$((requests - base_requests)); errors=$((errors - base_errors))
  if ((requests >= MIN_REQUESTS && errors * 100 > MAX_ERROR_PERCENT * requests)); then
    rollback "error rate $errors/$requests above ${MAX_ERROR_PERCENT}%"
  fi
done
log "healthy; pruning revisions beyond the last $KEEP"
run run revisions list --service "$SERVICE" --sort-by '~metadata.creationTimestamp' --format 'value(metadata.name)' \
  | tail -n +"$((KEEP + 1))" | while read -r old; do [[ -n "$old" ]] && run run revisions delete "$old" >/dev/null; done
log "deployed $CANDIDATE"
