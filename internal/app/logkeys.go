package app

// Standard log keys (go-githubapp / policy-bot's names), so logs from the
// App can be searched like those of other GitHub Apps.
const (
	LogKeyEventType      = "github_event_type"
	LogKeyDeliveryID     = "github_delivery_id"
	LogKeyInstallationID = "github_installation_id"
	LogKeyRepoOwner      = "github_repository_owner"
	LogKeyRepoName       = "github_repository_name"
	LogKeyPRNum          = "github_pr_num"
	LogKeySHA            = "github_sha"
)
