# The container Action. GitHub's runner builds this file with a plain
# `docker build -t X -f Dockerfile <action dir>` on every job (no --build-arg,
# no layer cache), and release tags pin a prebuilt image instead
# (.github/workflows/release.yml). Offline tests substitute only the builder
# image, from the command line (`--build-context golang:1.26=container-image://...`,
# scripts/container-build.sh); nothing in this file is test-only.
FROM golang:1.26 AS build
ARG VERSION=dev
WORKDIR /src
ENV CGO_ENABLED=0
# Module download in its own layer: cached until go.mod/go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# -buildvcs=false: the stamp would differ between a checkout with .git and one
# without (.dockerignore drops .git); the version comes from VERSION instead.
# -tags noapp: the Action never serves webhooks, and the App's server (job
# queue, SQLite, PostgreSQL, metrics) would triple the image's size.
RUN go build -trimpath -buildvcs=false -tags noapp \
      -ldflags "-s -w -X github.com/contribution-policy/contribution-policy/internal/version.Version=${VERSION}" \
      -o /rootfs/contribution-policy ./cmd/contribution-policy \
 && mkdir -m 1777 /rootfs/tmp

# No OS, no shell: the static binary, an empty /tmp, and CA roots compiled in
# (golang.org/x/crypto/x509roots/fallback). No USER: GitHub runs container
# actions as root, and the /github/* bind mounts belong to the runner's user
# (uid 1001 on hosted runners), so a non-root USER could not write
# GITHUB_OUTPUT or GITHUB_STEP_SUMMARY; the binary drops to the workspace
# owner itself (internal/action/privdrop_linux.go). No WORKDIR: the runner
# sets --workdir /github/workspace.
FROM scratch
COPY --from=build /rootfs/ /
ENTRYPOINT ["/contribution-policy"]
