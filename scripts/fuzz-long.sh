#!/usr/bin/env bash
# The long fuzzing campaign: every fuzz target for FUZZTIME (default 10m),
# FUZZJOBS at a time (default 2; one worker each, so the two cores are both busy), then
# docs/fuzzing.md's results table is rewritten. Findings fail the script and
# leave their reproducer under the package's testdata/fuzz/ (commit it with
# the fix, as a regression seed).
# Usage: scripts/fuzz-long.sh [FUZZTIME]
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-10m}
logdir=$(mktemp -d)
targets=()
while read -r pkg; do
  dir=${pkg#github.com/contribution-policy/contribution-policy/}
  for t in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    targets+=("$dir $t")
  done
done < <(go list ./...)
run() { # dir target
  # -timeout=0: go test's default 10m timeout would otherwise kill a 10m fuzz run at its end.
  local log="$logdir/${1//\//_}.$2.log"
  if go test -run='^$' -fuzz="^$2\$" -fuzztime="$fuzztime" -timeout=0 -parallel=1 "./$1" >"$log" 2>&1; then echo ok >>"$log.status"; else echo FAIL >>"$log.status"; fi
}
jobs_max=${FUZZJOBS:-2}
for entry in "${targets[@]}"; do
  # A pool rather than batches: a slow compile never idles a slot.
  while (( $(jobs -rp | wc -l) >= jobs_max )); do wait -n || true; done
  # shellcheck disable=SC2086
  run $entry &
done
wait
status=0
{
  echo "Run $(date -u +%F) by \`scripts/fuzz-long.sh $fuzztime\` on $(nproc) cores (Go $(go env GOVERSION)), one worker per target, $jobs_max targets at a time."
  echo
  echo "| Package | Target | Duration | Executions | New interesting inputs | Corpus | Result |"
  echo "|---|---|---|---|---|---|---|"
  for entry in "${targets[@]}"; do
    set -- $entry
    log="$logdir/${1//\//_}.$2.log"
    last=$(grep -E 'fuzz: elapsed' "$log" | tail -1)
    execs=$(sed -nE 's/.*execs: ([0-9]+).*/\1/p' <<<"$last")
    newi=$(sed -nE 's/.*new interesting: ([0-9]+).*/\1/p' <<<"$last")
    total=$(sed -nE 's/.*\(total: ([0-9]+)\).*/\1/p' <<<"$last")
    res=$(cat "$log.status")
    [ "$res" = ok ] || status=1
    elapsed=$(sed -nE 's/.*elapsed: ([0-9hms]+),.*/\1/p' <<<"$last")
    echo "| \`$1\` | \`$2\` | ${elapsed:-$fuzztime} | ${execs:-?} | ${newi:-?} | ${total:-?} | $res |"
  done
} > "$logdir/table.md"
cat "$logdir/table.md"
go run ./bench/report -block fuzz-long -doc docs/fuzzing.md < "$logdir/table.md"
for f in "$logdir"/*.log; do
  if grep -q "^FAIL$" "$f.status" 2>/dev/null; then echo "== $f"; tail -30 "$f"; fi
done
exit $status
