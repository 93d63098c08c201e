package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/contribution-policy/contribution-policy/internal/config"
)

func runValidateConfig(env Env, args []string) (int, error) {
	fs := newFlags("validate-config", env, "validate-config FILE...")
	if err := fs.Parse(args); err != nil {
		return ExitError, err
	}
	if fs.NArg() == 0 {
		return ExitError, usageError("give at least one configuration file")
	}
	code := ExitOK
	for _, path := range fs.Args() {
		data, err := os.ReadFile(path)
		if err != nil {
			return ExitError, fmt.Errorf("read config: %w", err)
		}
		src := config.Source{Path: path}
		// A dcoapp/dco2 file is validated as such.
		if filepath.Base(path) == filepath.Base(config.DCOPath) {
			_, err = config.ParseDCOFile(data, src)
		} else {
			_, err = config.Parse(data, src)
		}
		if err != nil {
			fmt.Fprintln(env.Stderr, err)
			code = ExitError
			continue
		}
		fmt.Fprintf(env.Stdout, "%s: valid\n", path)
	}
	return code, nil
}
