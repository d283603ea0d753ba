package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

func versionCommand(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("version", env)
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{"version takes no arguments"}
	}
	bi, _ := debug.ReadBuildInfo()
	fmt.Fprint(env.stdout, versionText(bi))
	return nil
}

// versionText says what was built: the module version (a tag when built
// with 'go install …@version', "(devel)" from a checkout), the VCS revision
// that the go command stamps into a build from a checkout (unless built with
// -buildvcs=false, or without the .git directory, as in Docker), and the
// Go toolchain and platform.
func versionText(bi *debug.BuildInfo) string {
	if bi == nil {
		return "storybot: no build information (built without module support)\n"
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	version := bi.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "storybot %s\n", version)
	if rev := settings["vcs.revision"]; rev != "" {
		fmt.Fprintf(&b, "revision %s", rev)
		if t := settings["vcs.time"]; t != "" {
			fmt.Fprintf(&b, " (%s)", t)
		}
		if settings["vcs.modified"] == "true" {
			b.WriteString(", with uncommitted changes")
		}
		b.WriteString("\n")
	} else {
		b.WriteString("revision unknown (built without version control information)\n")
	}
	fmt.Fprintf(&b, "%s %s/%s\n", bi.GoVersion, runtime.GOOS, runtime.GOARCH)
	return b.String()
}
