# shellcheck shell=bash
# Sourced by .ci/run: the UI browser tests drive the system Chromium (Playwright never downloads browsers).
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
