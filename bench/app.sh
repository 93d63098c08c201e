#!/usr/bin/env bash
# The App's webhook acceptance figures: accepted deliveries per second and
# p50/p99 acknowledgement latency (signed delivery sent → 2xx, i.e. durably
# stored), on SQLite and on PostgreSQL, with the server's workers evaluating
# the pull requests against the in-process fake GitHub meanwhile (so the
# load generator, the server, its workers and the fake share the machine's
# cores). Prints a Markdown table of medians over COUNT runs (default 3) for
# docs/performance.md (## App). PostgreSQL needs its binaries (apt-get
# install postgresql); a throwaway cluster is started on loopback.
#   bench/app.sh            N=20000 deliveries, C=32 senders, PRS=200
set -euo pipefail
cd "$(dirname "$0")/.."
# LATENCY (e.g. 100ms) holds every fake GitHub answer that long, as GitHub's
# own latency does; without it the workers evaluate as fast as the CPU
# allows and compete with the acknowledgements for it (the worst case).
count=${COUNT:-3} n=${N:-20000} c=${C:-32} prs=${PRS:-200} workers=${WORKERS:-10} latency=${LATENCY:-0s}
go build -o /tmp/appload.$$ ./bench/appload
trap 'rm -f /tmp/appload.$$' EXIT
echo "| Database | Load | Accepted/s | p50 ack | p99 ack | Runs |"
echo "|---|---|---|---|---|---|"
for db in sqlite postgres; do
  for mode in "-c $c" "-rate ${RATE:-1000}"; do
    rows=()
    for _ in $(seq "$count"); do
      rows+=("$(/tmp/appload.$$ -db "$db" -n "$n" -prs "$prs" -workers "$workers" -github-latency "$latency" $mode)")
    done
    printf '%s\n' "${rows[@]}" | CP_BENCH_WORKERS=$workers python3 -c '
import json, os, statistics, sys
rs = [json.loads(l) for l in sys.stdin if l.strip()]
m = lambda k: statistics.median(r[k] for r in rs)
db = rs[0]["db"] + (" (synchronous=%s)" % rs[0]["sqlite_synchronous"] if rs[0].get("sqlite_synchronous") else "")
load = ("open loop, %d/s offered" % rs[0]["offered_per_second"]) if rs[0].get("offered_per_second") else ("closed loop, %d senders" % rs[0]["senders"])
load += ", %s workers" % os.environ["CP_BENCH_WORKERS"]
load += ", GitHub answers in %g ms" % rs[0]["github_latency_ms"] if rs[0].get("github_latency_ms") else ", GitHub answers at once"
print("| %s | %s | %.0f | %.1f ms | %.1f ms | %d × %d deliveries, %d CPUs |" % (db, load, m("per_second"), m("p50_ms"), m("p99_ms"), len(rs), rs[0]["deliveries"], rs[0]["cpus"]))
'
  done
done
