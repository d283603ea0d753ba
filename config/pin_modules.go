//go:build tools

// This file is never built. The golang.org/x modules it names reach the
// module graph only through dependencies' go.mod files, at versions older
// than their newest; naming them here lets go.mod require the newest, so
// that `go list -m -u all` shows every golang.org/x module current.
package config

import (
	_ "golang.org/x/mod/semver"
	_ "golang.org/x/oauth2"
	_ "golang.org/x/telemetry"
	_ "golang.org/x/xerrors"
)
