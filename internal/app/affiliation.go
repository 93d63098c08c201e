package app

import (
	"fmt"
	"os"

	"github.com/contribution-policy/contribution-policy/internal/affiliation/index"
)

// loadAffiliationIndex reads the server-wide prebuilt affiliation index
// once at start-up (loading 400,000 entries takes about 25 ms).
func loadAffiliationIndex(path string) (*index.Index, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("CP_AFFILIATION_INDEX: %w", err)
	}
	defer f.Close()
	ix, err := index.Load(f)
	if err != nil {
		return nil, fmt.Errorf("CP_AFFILIATION_INDEX %s: %w", path, err)
	}
	return ix, nil
}
