# shellcheck shell=bash
# Sourced by .ci/run: a PostgreSQL with pgvector for the pgvector engine's tests. The machine's
# PostgreSQL has no pgvector, so this serves PGlite (PostgreSQL compiled to WebAssembly, with the
# pgvector extension) over the wire protocol with pglite-socket. Installed outside the repository;
# when it cannot be installed or started, the pgvector tests skip with a message.
pglite_dir="${ORCHESTRA_PGLITE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/orchestra-pglite}"
pglite_port="${ORCHESTRA_PGLITE_PORT:-55432}"
pglite_server="$pglite_dir/node_modules/@electric-sql/pglite-socket/dist/scripts/server.js"

pglite_install() {
  [[ -f "$pglite_server" && -d "$pglite_dir/node_modules/@electric-sql/pglite-pgvector" ]] && return 0
  command -v npm >/dev/null 2>&1 || return 1
  mkdir -p "$pglite_dir" || return 1
  [[ -f "$pglite_dir/package.json" ]] || echo '{"private":true}' >"$pglite_dir/package.json"
  npm install --prefix "$pglite_dir" --no-audit --no-fund --silent \
    @electric-sql/pglite-socket@0.2.17 @electric-sql/pglite@0.5.14 @electric-sql/pglite-pgvector@0.0.15 >/dev/null
}

pglite_ready() {
  pg_isready -h 127.0.0.1 -p "$pglite_port" -q 2>/dev/null
}

if ! pglite_install; then
  echo "[ci] could not install PGlite (needs Node.js and npm): the pgvector tests will be skipped"
else
  if ! pglite_ready; then
    echo "[ci] starting PGlite with pgvector on 127.0.0.1:$pglite_port"
    # PGlite has one session that its connections share; the tests use at most two at a time (Flyway needs two).
    nohup node "$pglite_server" --host=127.0.0.1 --port="$pglite_port" --max-connections=4 \
      --extensions=@electric-sql/pglite-pgvector:vector,pg_trgm >"$pglite_dir/server.log" 2>&1 &
    for _ in $(seq 1 60); do
      if pglite_ready; then break; fi
      sleep 0.5
    done
  fi
  if pglite_ready; then
    export ORCHESTRA_TEST_PGVECTOR_URL="postgresql://postgres@127.0.0.1:$pglite_port/postgres"
  else
    echo "[ci] PGlite did not start (see $pglite_dir/server.log): the pgvector tests will be skipped"
  fi
fi
