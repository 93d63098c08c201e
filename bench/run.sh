#!/usr/bin/env bash
# The one entry point for performance figures: runs the benchmarks behind
# every figure README.md and docs/performance.md state, repeated COUNT times
# (medians are reported, never single timings), and rewrites the generated
# tables in both files. Usage: bench/run.sh   (COUNT=5 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${COUNT:-5}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
bench() { # package, pattern, benchtime
  go test -run '^$' -bench "$2" -benchtime "$3" -count "$count" -benchmem "$1" | tee -a "$out"
}
bench ./internal/pipeline 'BenchmarkRun' 5x
bench ./internal/action 'BenchmarkProcess' 20x
bench ./internal/policy/dco 'BenchmarkEvaluate' 1s
go run ./bench/report -in "$out" -doc docs/performance.md -readme README.md
