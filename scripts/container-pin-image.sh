#!/usr/bin/env bash
# container-pin-image.sh - point action.yml at a prebuilt image by digest, so
# the runner pulls it instead of building the Dockerfile on every job:
#   runs.image: Dockerfile  ->  runs.image: docker://IMAGE@sha256:DIGEST
# Used by .github/workflows/release.yml on release tags; tested by
# internal/packaging. Nothing else in the file changes.
# Usage: scripts/container-pin-image.sh ghcr.io/OWNER/REPO sha256:HEX [action.yml]
set -euo pipefail
image=${1:?usage: container-pin-image.sh IMAGE DIGEST [action.yml]}
digest=${2:?usage: container-pin-image.sh IMAGE DIGEST [action.yml]}
file=${3:-action.yml}
[[ $image =~ ^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)+$ ]] ||
  { echo "container-pin-image: bad image name '$image' (lower case, no tag)" >&2; exit 2; }
[[ $digest =~ ^sha256:[0-9a-f]{64}$ ]] ||
  { echo "container-pin-image: bad digest '$digest'" >&2; exit 2; }
n=$(grep -cE '^  image:[[:space:]]*["'\'']?Dockerfile["'\'']?[[:space:]]*$' "$file" || true)
[ "$n" = 1 ] || { echo "container-pin-image: $file must have exactly one '  image: Dockerfile' line under runs (found $n)" >&2; exit 1; }
tmp=$(mktemp)
sed -E "s|^  image:[[:space:]]*[\"']?Dockerfile[\"']?[[:space:]]*\$|  image: docker://$image@$digest|" "$file" >"$tmp"
cat "$tmp" >"$file" && rm -f "$tmp"
grep -qx "  image: docker://$image@$digest" "$file"
echo "container-pin-image: $file now runs docker://$image@$digest"
