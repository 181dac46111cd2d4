package cli

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/runner-dev/runner/reports"
)

// addIndex gives cmd the index subcommand: rebuild a reports folder's
// README.md from the reports in it, as after merging the reports of CI
// shards into one folder.
func addIndex(cmd *cobra.Command, stdout io.Writer) {
	cmd.AddCommand(&cobra.Command{
		Use:     "index DIR...",
		Short:   "Rebuild the index (README.md) of each reports folder from the reports in it",
		Long:    "Rebuild the index (README.md) of each reports folder from the reports in it: after merging the reports\nthat CI jobs wrote with --shard K/N into one folder, say.",
		Example: "  runner index experiments/reports",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, dirs []string) error {
			for _, dir := range dirs {
				// no results here: each report is described from its text (see reports.Index)
				data, err := reports.Index(dir, nil)
				if err != nil {
					return fmt.Errorf("%s: cannot build the index: %v", dir, err)
				}
				p := filepath.Join(dir, reports.IndexFile)
				if err := reports.WriteAtomic(p, data); err != nil {
					return fmt.Errorf("%s: cannot write the index: %v", p, err)
				}
				fmt.Fprintf(stdout, "%s\n", p)
			}
			return nil
		},
	})
}
