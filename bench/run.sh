#!/usr/bin/env bash
# The one entry point for performance figures. It runs every benchmark behind
# a figure README.md or docs/performance.md states, repeated COUNT times
# (medians are reported, never single timings — the 2-core machines are
# noisy), and rewrites the generated tables:
#   * Go benchmarks: pipeline end to end by PR size (latency, API reads and
#     writes), Action process start to exit, DCO and CLA engines, CLA
#     storage, affiliation index → docs/performance.md ("bench", "peers")
#     and README.md ("perf-summary"); SKIP_GO=1 skips them;
#   * the App's webhook acceptance (bench/app.sh) → docs/performance.md
#     ("app"); SKIP_APP=1 skips it;
#   * the container image's size and start to exit (bench/container.sh,
#     root with buildah/podman from apt) → docs/performance.md ("container");
#     SKIP_CONTAINER=1 skips it.
# Usage: bench/run.sh     COUNT=5 by default.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH
count=${COUNT:-5}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
bench() { # package, pattern, benchtime
  go test -run '^$' -bench "$2" -benchtime "$3" -count "$count" -benchmem "$1" | tee -a "$out"
}
if [ "${SKIP_GO:-0}" != 1 ]; then
  bench ./internal/pipeline '^BenchmarkRun$' 5x
  bench ./internal/pipeline '^BenchmarkRunAffiliation$' 5x
  bench ./internal/action '^BenchmarkProcess$' 20x
  bench ./internal/policy/dco '^BenchmarkEvaluate' 1s
  bench ./internal/policy/cla '^BenchmarkEvaluate100kSignatures1kRules$' 1s
  bench ./internal/clastore '^BenchmarkGitFile' 1s
  bench ./internal/affiliation/index '^Benchmark(Build400k|Open400k|Memory400k)$' 3x
  bench ./internal/affiliation/index '^Benchmark(LookupLogin|Resolve)$' 1s
  go run ./bench/report -in "$out" -doc docs/performance.md -readme README.md
fi

if [ "${SKIP_APP:-0}" != 1 ]; then
  # 10 workers (the default) evaluate against the in-process fake, whose
  # request validation competes with acknowledgements for the 2 cores;
  # 4 workers leave CPU to the acknowledgement path.
  table=$(mktemp)
  WORKERS=10 COUNT=${APP_COUNT:-3} N=${APP_N:-10000} bash bench/app.sh > "$table"
  WORKERS=4 COUNT=${APP_COUNT:-3} N=${APP_N:-10000} bash bench/app.sh | tail -n +3 >> "$table"
  # The default workers against a fake that answers with GitHub-like latency
  # (the 100 ms simulation of research/peers-measured.md §6): the workers
  # then wait, as they do in production, instead of spinning the CPU.
  WORKERS=10 LATENCY=100ms COUNT=${APP_COUNT:-3} N=${APP_N:-10000} bash bench/app.sh | tail -n +3 >> "$table"
  cat "$table"
  go run ./bench/report -block app -doc docs/performance.md < "$table"
  rm -f "$table"
fi
if [ "${SKIP_CONTAINER:-0}" != 1 ]; then
  if [ "$(id -u)" = 0 ]; then bash bench/container.sh; else echo "container figures need root (buildah/podman): skipped" >&2; fi
fi
