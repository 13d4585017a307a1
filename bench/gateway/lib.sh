# shellcheck shell=bash
# Shared by run.sh and ab.sh (sourced, not run): Orchestra from a jar in front of the fake upstream, with one route.
# The caller sets WORK and PIDS and cleans up.
KEY=orc_bench-admin-key-0123456789abcdef

start_orchestra() { # jar dir port upstream-port: the route "bench" to the fake upstream; its pid goes on PIDS
  mkdir -p "$2"
  cat >"$2/orchestra.yaml" <<YAML
gateway:
  providers:
    upstream: { kind: openai, base_url: "http://127.0.0.1:$4/v1", api_key: "sk-bench" }
  routes:
    - { alias: bench, targets: [ { provider: upstream, model: gpt-4o-mini } ] }
YAML
  (cd "$2" && ORCHESTRA_ADMIN_KEY=$KEY ORCHESTRA_PORT=$3 ORCHESTRA_HOST=127.0.0.1 ORCHESTRA_DATA_DIR="$2/data" \
    ORCHESTRA_LOG_FORMAT=json exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Djdk.virtualThreadScheduler.parallelism=4 \
    --enable-native-access=ALL-UNNAMED -jar "$1" serve >"$2/log" 2>&1) &
  PIDS+=($!)
}

wait_healthy() { # url log: up to three minutes, else the log's tail and exit
  for _ in $(seq 1 720); do curl -sf "$1" >/dev/null && return 0; sleep 0.25; done
  echo "$1 did not answer:" >&2; tail -5 "$2" >&2; exit 1
}
