package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/runner-dev/runner/spec/load"
)

// limitKeys are the budgets a config file may lower and only a flag or the
// environment may raise.
var limitKeys = []string{"max-points", "max-elements", "max-derivatives", "max-cost"}

// configOnlyLowers checks the config file at path, which a pull request can
// change as easily as an experiment file: it may lower a limit below its
// built-in default, not raise it, and its out: may not lead out of the
// root of the config file (its git work tree, else its folder).
func configOnlyLowers(cmd *cobra.Command, src []byte, path string) error {
	cv := viper.New()
	cv.SetConfigType("yaml")
	if err := cv.ReadConfig(bytes.NewReader(src)); err != nil {
		return fmt.Errorf("config file %s: invalid YAML", path)
	}
	for _, k := range limitKeys {
		if !cv.IsSet(k) {
			continue
		}
		x, err := castFloat(cv.Get(k))
		def, _ := strconv.ParseFloat(cmd.Flags().Lookup(k).DefValue, 64)
		env := "RUNNER_" + strings.ToUpper(strings.ReplaceAll(k, "-", "_"))
		switch {
		case err != nil || !(x > 0):
			return fmt.Errorf("config file %s: %s: expected a positive number, found %v", path, k, cv.Get(k))
		case x > def:
			return fmt.Errorf("config file %s: %s: %v is above the built-in limit %v; a config file can only lower a limit (raise it with --%s or %s)", path, k, cv.Get(k), cmd.Flags().Lookup(k).DefValue, k, env)
		}
	}
	if cv.IsSet("out") && !cmd.Flags().Changed("out") && os.Getenv("RUNNER_OUT") == "" {
		root := load.DefaultRoot(path)
		if out := cv.GetString("out"); !root.Contains(resolveExisting(out)) {
			return fmt.Errorf("config file %s: out: %s leads out of the root %s; choose the folder with --out DIR or RUNNER_OUT", path, out, root[0])
		}
	}
	return nil
}

// maxConfigBytes is the most of a config file read.
const maxConfigBytes = 1 << 20

// readConfig reads the config file at path as the runner reads experiment
// files: a regular file, or a symlink to one inside its root, at most
// maxConfigBytes; errors quote nothing of it.
func readConfig(path string) ([]byte, error) {
	if st, err := os.Lstat(path); err == nil && st.Mode()&os.ModeSymlink != 0 {
		root := load.DefaultRoot(path)
		if real, err := filepath.EvalSymlinks(path); err != nil || !root.Contains(resolveExisting(real)) {
			return nil, fmt.Errorf("config file %s: is a symlink that leads out of the root %s: not read", path, root[0])
		}
	}
	src, err := load.ReadLimited(path, maxConfigBytes)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("config file %s: cannot read: %v", path, err)
	}
	return src, nil
}

// limitsFrom reads the budgets: flag over environment over config file
// over the built-in defaults.
func limitsFrom(v *viper.Viper) (load.Options, error) {
	o := load.Options{MaxPoints: v.GetInt("max-points"), MaxElements: v.GetInt("max-elements"), MaxDerivatives: v.GetInt("max-derivatives")}
	cost, err := castFloat(v.Get("max-cost"))
	if err != nil || !(cost > 0) {
		return o, fmt.Errorf("max-cost: expected a positive number, found %v", v.Get("max-cost"))
	}
	o.MaxCost = cost
	for k, x := range map[string]int{"max-points": o.MaxPoints, "max-elements": o.MaxElements, "max-derivatives": o.MaxDerivatives} {
		if x < 1 {
			return o, fmt.Errorf("%s: expected a positive whole number, found %v", k, v.Get(k))
		}
	}
	return o, nil
}
