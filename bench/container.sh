#!/usr/bin/env bash
# container.sh - the container image's figures: size, and start to exit of
# `podman run` the way GitHub's runner starts the step, as medians of RUNS
# runs. Builds the image first (scripts/container-build.sh: installs buildah
# and podman from apt when missing; root on Debian 12), then rewrites the
# generated block in docs/performance.md's "Container image" section.
# Usage: bench/container.sh   (RUNS=21 by default; WRITE=0 only prints)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH
runs=${RUNS:-21}
WORK=${WORK:-${TMPDIR:-/tmp}/contribution-policy-container}
export WORK

bash scripts/container-build.sh
# shellcheck disable=SC1091
source "$WORK/env.sh"

size=$(podman image inspect --format '{{.Size}}' "$CP_CONTAINER_IMAGE")
layers=$(podman image inspect --format '{{len .RootFS.Layers}}' "$CP_CONTAINER_IMAGE")
gz=$(podman save --quiet "$CP_CONTAINER_IMAGE" | gzip -9 | wc -c)

rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
CP_CONTAINER_E2E=1 CP_CONTAINER_BENCH_RUNS=$runs CP_CONTAINER_BENCH_OUT=$rows \
  go test -count=1 -run '^TestContainerStartToExit$' ./internal/action >/dev/null

mb() { awk -v b="$1" 'BEGIN { printf "%.2f MB", b / 1e6 }'; }
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1 | awk '{print $1, $2, $3}' | sed 's/ *$//')
block=$(
  echo "Measured $(date -u +%F) on $cpu ($(go env GOOS)/$(go env GOARCH), $(nproc) cores), podman $(podman version --format '{{.Client.Version}}') with runc, by \`bench/container.sh\`; medians of $runs runs."
  echo
  echo "| Image | Size |"
  echo "|---|---|"
  echo "| Uncompressed (\`podman image inspect\`) | $(mb "$size") ($size bytes), $layers layer |"
  echo "| \`podman save\` piped through \`gzip -9\` (about what a registry stores) | $(mb "$gz") |"
  echo
  echo "| Start to exit | Median | Min – max | Runs |"
  echo "|---|---|---|---|"
  cat "$rows"
)
echo "$block"

if [ "${WRITE:-1}" = 1 ]; then
  doc=docs/performance.md
  begin='<!-- BEGIN GENERATED: container -->' end='<!-- END GENERATED: container -->'
  grep -qF "$begin" "$doc" || { echo "container.sh: no '$begin' block in $doc" >&2; exit 1; }
  tmp=$(mktemp)
  BLOCK=$block awk -v b="$begin" -v e="$end" '
    $0 == b { print; print ENVIRON["BLOCK"]; skip = 1; next }
    $0 == e { skip = 0 }
    !skip' "$doc" >"$tmp"
  cat "$tmp" >"$doc" && rm -f "$tmp"
  echo "container.sh: wrote $doc"
fi
