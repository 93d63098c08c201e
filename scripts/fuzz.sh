#!/usr/bin/env bash
# Runs every fuzz target in the module for a while each (default 10s).
# Usage: scripts/fuzz.sh [FUZZTIME]   e.g. scripts/fuzz.sh 10m
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-10s}
status=0
while read -r pkg; do
  dir=${pkg#github.com/contribution-policy/contribution-policy/}
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    printf '%-40s %-24s ' "$dir" "$target"
    if out=$(go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "./$dir" 2>&1); then
      echo ok
    else
      echo FAIL; echo "$out" | tail -30; status=1
    fi
  done
done < <(go list ./...)
exit $status
