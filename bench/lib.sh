# shellcheck shell=bash
# Shared by the benchmark scripts (sourced, not run). The caller sets JAVA_HOME, WORK and PIDS and cleans up.
KEY=orc_bench-admin-key-0123456789abcdef

now_ms() { date +%s%3N; }

bench_config() { # file upstream-port: an orchestra.yaml with the route "bench" to the fake upstream
  cat >"$1" <<YAML
gateway:
  providers:
    upstream: { kind: openai, base_url: "http://127.0.0.1:$2/v1", api_key: "sk-bench" }
  routes:
    - { alias: bench, targets: [ { provider: upstream, model: gpt-4o-mini } ] }
YAML
}

serve_jar() { # jar dir port upstream-port [java options...]: Orchestra from a jar in dir; its pid goes on PIDS
  local jar=$1 dir=$2 port=$3 upstream=$4
  shift 4
  mkdir -p "$dir"
  bench_config "$dir/orchestra.yaml" "$upstream"
  (cd "$dir" && ORCHESTRA_ADMIN_KEY=$KEY ORCHESTRA_PORT=$port ORCHESTRA_HOST=127.0.0.1 ORCHESTRA_DATA_DIR="$dir/data" \
    ORCHESTRA_LOG_FORMAT=json exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC "$@" \
    -Djdk.virtualThreadScheduler.parallelism=4 --enable-native-access=ALL-UNNAMED -jar "$jar" serve >"$dir/log" 2>&1) &
  PIDS+=($!)
}

wait_for() { # url pid [log]: until the url answers 200; fails when the process dies or after three minutes
  local deadline=$((SECONDS + 180))
  until curl -sf -o /dev/null "$1"; do
    if ! kill -0 "$2" 2>/dev/null || ((SECONDS > deadline)); then
      echo "$1 did not answer" >&2
      [[ -n "${3:-}" ]] && tail -5 "$3" >&2
      return 1
    fi
    sleep 0.005
  done
}

stop() { # pid: SIGTERM, then wait until it is gone (it need not be this shell's child)
  kill -TERM "$1" 2>/dev/null || true
  while kill -0 "$1" 2>/dev/null; do sleep 0.05; done
}
