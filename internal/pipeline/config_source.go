package pipeline

import (
	"context"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/gh"
)

// ConfigResolver turns what the context query read into the configuration.
// The App's resolver follows _extends and starts from server defaults.
type ConfigResolver interface {
	Resolve(ctx context.Context, pc *gh.PullContext) (*config.Config, config.Sources, error)
}

func (p *Pipeline) resolveConfig(ctx context.Context, pc *gh.PullContext) (*config.Config, config.Sources, error) {
	if p.Config != nil {
		return p.Config.Resolve(ctx, pc)
	}
	return config.Resolve(pc.Files)
}
