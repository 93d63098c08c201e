// Package packaging holds no code: its tests check how the project is
// packaged and shipped, which no other test runs — the Dockerfile's rules
// for a GitHub container action, the build context left by .dockerignore,
// the GitHub workflows (pinned actions, least-privilege permissions, the
// multi-platform release that pins the image by digest), the example
// consumer workflow, and scripts/container-pin-image.sh.
package packaging
