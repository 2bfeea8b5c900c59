#!/usr/bin/env bash
# Copies the canonical Prometheus rules and Grafana dashboards into the Helm
# chart (Helm can only read files inside the chart directory).
# deploy/check.sh fails when the copies are out of date.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
chart="$here/helm/aftersales"

mkdir -p "$chart/files/prometheus" "$chart/files/dashboards"
cp "$here/prometheus/rules.yml" "$chart/files/prometheus/rules.yml"
rm -f "$chart/files/dashboards/"*.json
cp "$here/grafana/dashboards/"*.json "$chart/files/dashboards/"
echo "synced rules.yml and dashboards into $chart/files"
