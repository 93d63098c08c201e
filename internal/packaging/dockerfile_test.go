package packaging

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// root is the repository root, relative to this package.
const root = "../.."

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd  string // upper case: FROM, RUN, ...
	args string
	line int
}

type stage struct {
	from, name string
	instrs     []instruction
}

func (s stage) all(cmd string) []instruction {
	var out []instruction
	for _, in := range s.instrs {
		if in.cmd == cmd {
			out = append(out, in)
		}
	}
	return out
}

// parseDockerfile splits a Dockerfile into stages. It follows the Dockerfile
// reference as far as this project needs: `\` continues a line, lines whose
// first non-blank character is `#` are comments (also inside a continued
// instruction), parser directives are reported as such.
func parseDockerfile(t *testing.T, text string) (stages []stage, directives []string) {
	t.Helper()
	lines := strings.Split(text, "\n")
	inHeader := true
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if inHeader && regexp.MustCompile(`^#\s*[a-zA-Z]+\s*=`).MatchString(line) {
			directives = append(directives, line)
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			if line != "" {
				inHeader = false
			}
			continue
		}
		inHeader = false
		start := i + 1
		var b strings.Builder
		for {
			if cont, ok := strings.CutSuffix(line, `\`); ok {
				b.WriteString(cont)
				b.WriteString(" ")
				i++
				for i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "#") {
					i++
				}
				if i == len(lines) {
					break
				}
				line = strings.TrimSpace(lines[i])
				continue
			}
			b.WriteString(line)
			break
		}
		cmd, args, _ := strings.Cut(b.String(), " ")
		in := instruction{cmd: strings.ToUpper(cmd), args: strings.Join(strings.Fields(args), " "), line: start}
		if in.cmd == "FROM" {
			f := strings.Fields(in.args)
			s := stage{}
			for _, w := range f {
				if strings.HasPrefix(w, "--") {
					continue
				}
				if s.from == "" {
					s.from = w
				}
			}
			if n := len(f); n >= 3 && strings.EqualFold(f[n-2], "AS") {
				s.name = f[n-1]
			}
			stages = append(stages, s)
		}
		if len(stages) == 0 {
			if in.cmd != "ARG" {
				t.Fatalf("Dockerfile:%d: %s before the first FROM", in.line, in.cmd)
			}
			continue
		}
		stages[len(stages)-1].instrs = append(stages[len(stages)-1].instrs, in)
	}
	return stages, directives
}

func readDockerfile(t *testing.T) []stage {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	stages, directives := parseDockerfile(t, string(b))
	if len(directives) > 0 {
		// GitHub's runner may build with the legacy builder: no BuildKit-only syntax.
		t.Errorf("parser directives %q: the runner's plain `docker build` must not depend on them", directives)
	}
	if len(stages) < 2 {
		t.Fatalf("want a multi-stage Dockerfile, got %d stage(s)", len(stages))
	}
	return stages
}

func modulePath(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^module\s+(\S+)`).FindSubmatch(b)
	if m == nil {
		t.Fatal("go.mod has no module line")
	}
	return string(m[1])
}

func TestParseDockerfile(t *testing.T) {
	stages, dirs := parseDockerfile(t, "# syntax=docker/dockerfile:1\nARG X=1\n# a comment\nFROM --platform=linux/amd64 golang:1.26 AS build\nRUN a \\\n  # inner comment\n  b \\\n  c\nfrom scratch\nENTRYPOINT [\"/x\"]\n")
	if len(dirs) != 1 || len(stages) != 2 {
		t.Fatalf("directives %q, stages %+v", dirs, stages)
	}
	if s := stages[0]; s.from != "golang:1.26" || s.name != "build" || len(s.instrs) != 2 || s.instrs[1].args != "a b c" {
		t.Errorf("stage 0: %+v", s)
	}
	if s := stages[1]; s.from != "scratch" || s.name != "" || s.instrs[1].cmd != "ENTRYPOINT" {
		t.Errorf("stage 1: %+v", s)
	}
}

// TestDockerfileRules checks the rules for a GitHub container action
// (docs.github.com "Dockerfile support for GitHub Actions" and
// ../shared/research/container.md) and the build the project wants.
func TestDockerfileRules(t *testing.T) {
	stages := readDockerfile(t)
	build, final := stages[0], stages[len(stages)-1]

	t.Run("builder", func(t *testing.T) {
		if build.from != "golang:1.26" || build.name != "build" {
			t.Errorf("first stage FROM %s AS %s, want golang:1.26 AS build", build.from, build.name)
		}
		for _, s := range stages {
			// --build-context (buildah, BuildKit) substitutes only a literal FROM.
			if strings.Contains(s.from, "$") {
				t.Errorf("FROM %s: keep image names literal", s.from)
			}
		}
	})

	t.Run("final stage", func(t *testing.T) {
		if final.from != "scratch" {
			t.Errorf("final stage FROM %s, want scratch", final.from)
		}
		for _, s := range stages {
			// GitHub runs container actions as root; the binary drops privileges itself.
			for _, in := range s.all("USER") {
				t.Errorf("Dockerfile:%d: USER %s: GitHub requires container actions to run as root", in.line, in.args)
			}
		}
		for _, in := range final.all("WORKDIR") {
			t.Errorf("Dockerfile:%d: WORKDIR in the final stage: the runner sets --workdir /github/workspace", in.line)
		}
		eps := final.all("ENTRYPOINT")
		if len(eps) != 1 {
			t.Fatalf("final stage has %d ENTRYPOINT instructions, want 1", len(eps))
		}
		var argv []string
		if err := json.Unmarshal([]byte(eps[0].args), &argv); err != nil || len(argv) == 0 {
			t.Fatalf("ENTRYPOINT %s: want the exec form, a JSON array (%v)", eps[0].args, err)
		}
		if !strings.HasPrefix(argv[0], "/") {
			t.Errorf("ENTRYPOINT %q: want an absolute path (no WORKDIR, no PATH lookup in scratch)", argv[0])
		}
		copies := final.all("COPY")
		if len(copies) != 1 || copies[0].args != "--from=build /rootfs/ /" {
			t.Errorf("final stage COPY %+v, want one `COPY --from=build /rootfs/ /`", copies)
		}
		binary := strings.TrimPrefix(argv[0], "/")
		run := buildRun(t, build)
		if !strings.Contains(run, "-o /rootfs/"+binary+" ") {
			t.Errorf("go build does not write /rootfs/%s (the ENTRYPOINT):\n%s", binary, run)
		}
		if !strings.Contains(run, "mkdir -m 1777 /rootfs/tmp") {
			t.Errorf("no empty /tmp (1777) in the image:\n%s", run)
		}
	})

	t.Run("go build", func(t *testing.T) {
		cgoOff := false
		for _, in := range build.all("ENV") {
			if regexp.MustCompile(`(^|\s)CGO_ENABLED[= ]0(\s|$)`).MatchString(in.args) {
				cgoOff = true
			}
		}
		run := buildRun(t, build)
		if strings.Contains(run, "CGO_ENABLED=0 go build") {
			cgoOff = true
		}
		if !cgoOff {
			t.Error("CGO_ENABLED=0 is not set for go build: the binary must be static for FROM scratch")
		}
		want := []string{"-trimpath", "-buildvcs=false", "-tags noapp", "./cmd/contribution-policy",
			`-ldflags "-s -w -X ` + modulePath(t) + `/internal/version.Version=${VERSION}"`}
		for _, w := range want {
			if !strings.Contains(run, w) {
				t.Errorf("go build lacks %s:\n%s", w, run)
			}
		}
		args := build.all("ARG")
		if len(args) == 0 || !containsArg(args, "VERSION=dev") {
			t.Errorf("want `ARG VERSION=dev` in the build stage (the runner passes no --build-arg), got %+v", args)
		}
		v, err := os.ReadFile(filepath.Join(root, "internal/version/version.go"))
		if err != nil || !regexp.MustCompile(`(?m)^var Version = `).Match(v) {
			t.Errorf("internal/version has no `var Version` for -X to set (%v)", err)
		}
	})

	t.Run("layers", func(t *testing.T) {
		// go.mod/go.sum copied and modules downloaded before the source, so
		// the module layer is cached until they change.
		order := []string{"COPY go.mod go.sum ./", "RUN go mod download", "COPY . ."}
		next := 0
		for _, in := range build.instrs {
			if next < len(order) && in.cmd+" "+in.args == order[next] {
				next++
			}
		}
		if next != len(order) {
			t.Errorf("build stage lacks, in this order: %q", order)
		}
		for _, s := range stages {
			for _, in := range s.all("RUN") {
				if strings.Contains(in.args, "--mount") {
					t.Errorf("Dockerfile:%d: RUN --mount is BuildKit-only", in.line)
				}
			}
		}
	})
}

func buildRun(t *testing.T, build stage) string {
	t.Helper()
	for _, in := range build.all("RUN") {
		if strings.Contains(in.args, "go build") {
			return in.args + " "
		}
	}
	t.Fatal("the build stage has no RUN go build")
	return ""
}

func containsArg(args []instruction, want string) bool {
	for _, a := range args {
		if a.args == want {
			return true
		}
	}
	return false
}
