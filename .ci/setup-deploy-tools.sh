# shellcheck shell=bash
# Sourced by .ci/run: the linters DeployToolingTest runs on deploy/ (each of its checks is skipped
# when its tool is missing). Installed from Debian when absent; an install failure is not fatal.
missing=()
for tool in docker-compose:docker-compose shellcheck:shellcheck promtool:prometheus amtool:prometheus-alertmanager; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if ((${#missing[@]})); then
  echo "[ci] installing ${missing[*]} for the deploy checks"
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } \
    || echo "[ci] could not install ${missing[*]}; those deploy checks will be skipped"
fi
command -v kubectl >/dev/null || echo "[ci] no kubectl: the real-kustomize comparison will be skipped"
