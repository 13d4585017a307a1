# shellcheck shell=bash
# Sourced by .ci/run: a PostgreSQL with pgvector for the pgvector engine's tests. The machine's
# PostgreSQL has no pgvector, so this serves PGlite (PostgreSQL compiled to WebAssembly, with the
# pgvector extension) over the wire protocol with pglite-socket. Installed outside the repository;
# when it cannot be installed or started the pgvector tests skip with a message.
pglite_dir="${ORCHESTRA_PGLITE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/orchestra-pglite}"
pglite_port="${ORCHESTRA_PGLITE_PORT:-55432}"
pglite_packages=(@electric-sql/pglite-socket@0.2.17 @electric-sql/pglite@0.5.14 @electric-sql/pglite-pgvector@0.0.15)
pglite_server="$pglite_dir/node_modules/@electric-sql/pglite-socket/dist/scripts/server.js"
if ! command -v node >/dev/null 2>&1; then
  echo "[ci] no Node.js: the pgvector tests will be skipped"
elif ! { [[ -f "$pglite_server" && -d "$pglite_dir/node_modules/@electric-sql/pglite-pgvector" ]] \
    || { mkdir -p "$pglite_dir" && (cd "$pglite_dir" && [[ -f package.json ]] || echo '{"private":true}' > package.json) \
         && npm install --prefix "$pglite_dir" --no-audit --no-fund --silent "${pglite_packages[@]}" >/dev/null; }; }; then
  echo "[ci] could not install PGlite: the pgvector tests will be skipped"
else
  if ! pg_isready -h 127.0.0.1 -p "$pglite_port" -q 2>/dev/null; then
    echo "[ci] starting PGlite with pgvector on 127.0.0.1:$pglite_port"
    # PGlite has a single session that its connections share: tests use at most two at a time (Flyway needs two).
    nohup node "$pglite_server" --host=127.0.0.1 --port="$pglite_port" --max-connections=4 \
      --extensions=@electric-sql/pglite-pgvector:vector >"$pglite_dir/server.log" 2>&1 &
    for _ in $(seq 1 60); do pg_isready -h 127.0.0.1 -p "$pglite_port" -q 2>/dev/null && break; sleep 0.5; done
  fi
  if pg_isready -h 127.0.0.1 -p "$pglite_port" -q 2>/dev/null; then
    export ORCHESTRA_TEST_PGVECTOR_URL="postgresql://postgres@127.0.0.1:$pglite_port/postgres"
  else
    echo "[ci] PGlite did not start (see $pglite_dir/server.log): the pgvector tests will be skipped"
  fi
fi
