#!/usr/bin/env bash
# container-build.sh - build the Action's image from the real Dockerfile without
# a Docker engine or registry access (../shared/research/container.md):
#   * installs buildah, podman, runc and busybox-static from apt when missing;
#   * keeps every container store and setting in a private directory ($WORK);
#   * builds a local stand-in for the Dockerfile's builder image (golang:1.26)
#     from the host's Go toolchain and a static busybox, and substitutes it
#     from the command line only (--build-context), so the Dockerfile is
#     built exactly as GitHub's runner builds it;
#   * builds hermetically: no network in the build, the host's module cache
#     mounted read-only (filled first with `go mod download` on the host);
#   * checks the image (size, no USER, exec-form entrypoint) and writes
#     $WORK/env.sh, which exports what podman and the container test need.
# Usage: bash scripts/container-build.sh      (from anywhere; root on Debian 12)
# Env:   WORK (${TMPDIR:-/tmp}/contribution-policy-container)
#        CP_CONTAINER_IMAGE (localhost/contribution-policy:e2e)
#        VERSION (e2e, passed as --build-arg VERSION)
#        OFFLINE=0 (let the build's `go mod download` use the network, as on GitHub)
#        STANDIN=thin (busybox-only stand-in with the host's Go bind-mounted: faster, less faithful)
#        STORAGE_DRIVER (overlay; falls back to vfs when overlay cannot mount)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH
WORK=${WORK:-${TMPDIR:-/tmp}/contribution-policy-container}
IMAGE=${CP_CONTAINER_IMAGE:-localhost/contribution-policy:e2e}
VERSION=${VERSION:-e2e}
t0=$(date +%s%N)
lap() { local now; now=$(date +%s%N); printf '  %-56s %6.1fs\n' "$1" "$(((now - t0) / 1000000))e-3"; t0=$now; }

# 1. Tools (Debian 12 packages). runc: crun 1.8 cannot run podman containers
#    on hosts with hybrid cgroups. busybox-static: /bin/sh for the stand-in.
# Commands, not packages, are checked: a machine may have runc from another
# package (containerd.io), which Debian's runc package would conflict with.
need=()
for p in buildah podman runc; do command -v "$p" >/dev/null 2>&1 || need+=("$p"); done
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)   # must be the static one
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "container-build: need root to install ${need[*]}" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${need[@]}" >"$WORK.apt.log" 2>&1 ||
    { apt-get update -qq >>"$WORK.apt.log" 2>&1 && apt-get install -y -qq --no-install-recommends "${need[@]}" >>"$WORK.apt.log" 2>&1; } ||
    { tail -20 "$WORK.apt.log" >&2; exit 1; }
fi
lap "apt (${need[*]:-nothing missing})"

# 2. Private storage and engine configuration: nothing under /var/lib/containers
#    or /etc/containers is used or changed.
mkdir -p "$WORK"
driver=${STORAGE_DRIVER:-overlay}
write_storage() {
  printf '[storage]\ndriver = "%s"\ngraphroot = "%s/storage-%s"\nrunroot = "%s/run-%s"\n' \
    "$1" "$WORK" "$1" "$WORK" "$1" >"$WORK/storage.conf"
}
write_storage "$driver"
# Container rlimits within the host's hard limits (sandboxes may lack
# CAP_SYS_RESOURCE; podman's default nofile=1048576 then fails), and runc.
hard_nofile=$(ulimit -Hn); [ "$hard_nofile" = unlimited ] && hard_nofile=1048576
cat >"$WORK/containers.conf" <<EOC
[containers]
default_ulimits = ["nofile=$hard_nofile:$hard_nofile", "nproc=32768:32768"]
[engine]
runtime = "runc"
EOC
export CONTAINERS_STORAGE_CONF=$WORK/storage.conf CONTAINERS_CONF=$WORK/containers.conf BUILDAH_ISOLATION=chroot
if ! c=$(buildah from scratch 2>/dev/null) || ! buildah mount "$c" >/dev/null 2>&1; then
  echo "container-build: storage driver $driver unusable here, using vfs" >&2
  [ -n "${c:-}" ] && buildah rm "$c" >/dev/null 2>&1 || true
  driver=vfs; write_storage vfs
else
  buildah rm "$c" >/dev/null
fi
lap "storage ($driver, $WORK)"

# 3. The stand-in for the Dockerfile's builder image. Its name must NOT end in
#    the real short name (golang:1.26): podman/buildah match short names against
#    local images by suffix and would use it silently, without --build-context.
builder_ref=$(sed -nE 's/^FROM[[:space:]]+(golang:[^[:space:]]+).*/\1/p' Dockerfile | head -1)
[ -n "$builder_ref" ] || { echo "container-build: no 'FROM golang:...' in Dockerfile" >&2; exit 1; }
STANDIN=${STANDIN:-full}
standin=localhost/cp-standin/go-builder-$STANDIN:$(go env GOVERSION)
if ! buildah inspect --type image "$standin" >/dev/null 2>&1; then
  c=$(buildah from scratch)
  if [ "$STANDIN" = full ]; then buildah copy --quiet "$c" "$(go env GOROOT)" /usr/local/go; fi
  buildah copy --quiet "$c" "$(dpkg -L busybox-static | grep -m1 '/bin/busybox$')" /bin/busybox
  if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    buildah copy --quiet "$c" /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
  fi
  buildah run "$c" -- /bin/busybox sh -c 'set -e
    /bin/busybox mkdir -p /usr/bin /sbin /usr/sbin /usr/local/bin /usr/local/go /root /tmp /go/src /go/bin
    /bin/busybox --install -s; chmod 1777 /tmp; chmod -R 1777 /go
    echo "root:x:0:0:root:/root:/bin/sh" >/etc/passwd; echo "root:x:0:" >/etc/group'
  # The same ENV and WORKDIR as docker-library/golang's image.
  buildah config --env GOLANG_VERSION="$(go env GOVERSION | sed 's/^go//')" --env GOTOOLCHAIN=local \
    --env GOPATH=/go --env PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --workingdir /go --cmd /bin/sh "$c"
  buildah commit --quiet --rm "$c" "$standin" >/dev/null
  lap "stand-in $standin (new)"
else
  lap "stand-in $standin (cached)"
fi

# 4. Build the unmodified Dockerfile; only the builder image is swapped.
gocache=$(go env GOCACHE); mkdir -p "$gocache"
flags=(--layers --pull=never --build-context "$builder_ref=container-image://$standin"
  --build-arg "VERSION=$VERSION"
  -v "$gocache:/root/.cache/go-build")            # content-addressed: speed only
[ "$STANDIN" = thin ] && flags+=(-v "$(go env GOROOT):/usr/local/go:ro")
if [ "${OFFLINE:-1}" = 1 ]; then
  go mod download                                 # on the host, through its GOPROXY
  flags+=(--network none -v "$(go env GOMODCACHE):/go/pkg/mod:ro")
fi
lap "module download (host)"
if ! buildah bud "${flags[@]}" -t "$IMAGE" -f Dockerfile . >"$WORK/build.log" 2>&1; then
  tail -40 "$WORK/build.log" >&2; echo "container-build: buildah bud failed (log: $WORK/build.log)" >&2; exit 1
fi
lap "buildah bud -> $IMAGE"

# 5. What GitHub requires of a container action's image.
cfg=$(buildah inspect --type image "$IMAGE")
user=$(jq -r '.OCIv1.config.User // ""' <<<"$cfg")
entrypoint=$(jq -c '.OCIv1.config.Entrypoint' <<<"$cfg")
layers=$(jq '.OCIv1.rootfs.diff_ids | length' <<<"$cfg")
bytes=$(podman image inspect --format '{{.Size}}' "$IMAGE")
echo "  image $IMAGE: $bytes bytes, $layers layer(s), user='$user', entrypoint=$entrypoint"
case $user in '' | 0 | root | 0:0) ;; *) echo "container-build: USER $user cannot write /github/file_commands on GitHub" >&2; exit 1 ;; esac
[ "$entrypoint" = '["/contribution-policy"]' ] || { echo "container-build: unexpected entrypoint $entrypoint" >&2; exit 1; }

cat >"$WORK/env.sh" <<EOS
export CONTAINERS_STORAGE_CONF=$WORK/storage.conf
export CONTAINERS_CONF=$WORK/containers.conf
export BUILDAH_ISOLATION=chroot
export CP_CONTAINER_IMAGE=$IMAGE
export CP_CONTAINER_VERSION=$VERSION
EOS
echo "  wrote $WORK/env.sh (source it to use podman on this store)"
