package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storybot/storybot/index/library/pgtest"
)

// With the database, `storybot index` copies a directory over the shared
// library only when --corpus names it. The Docker image sets
// STORYBOT_CORPUS always; copying that directory would remove every story
// added to the database since.
func TestIndexWithDatabaseCopiesOnlyANamedDirectory(t *testing.T) {
	dir := t.TempDir()
	empty, src := filepath.Join(dir, "stories"), filepath.Join(dir, "bridge.txt")
	os.Mkdir(empty, 0o755)
	os.WriteFile(src, []byte("date: 2023-05-02\n---\nBridge opens\n\nThe new bridge opened on Tuesday, the mayor said.\n"), 0o644)
	dotenv := filepath.Join(dir, ".env")
	os.WriteFile(dotenv, []byte("STORYBOT_DATABASE_URL="+pgtest.URL(t)+"\nSTORYBOT_CORPUS="+empty+"\nSTORYBOT_INDEX="+filepath.Join(dir, "index")+"\n"), 0o600)
	for _, k := range []string{"STORYBOT_DATABASE_URL", "STORYBOT_CORPUS", "STORYBOT_INDEX", "STORYBOT_DEFAULTS"} {
		t.Setenv(k, "")
	}
	cli := func(args ...string) string {
		t.Helper()
		var out, errw bytes.Buffer
		if code := run(context.Background(), &cliEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errw, envFile: dotenv}, args); code != 0 {
			t.Fatalf("storybot %s: exit %d: %s", strings.Join(args, " "), code, errw.String())
		}
		return out.String()
	}
	cli("add", src)
	if out := cli("index", "--quiet"); strings.Contains(out, "copied") {
		t.Errorf("index copied STORYBOT_CORPUS into the database: %s", out)
	}
	if out := cli("stories"); !strings.Contains(out, "bridge.txt") {
		t.Fatalf("the added story is gone after index:\n%s", out)
	}
	cli("index", "--quiet", "--corpus", empty)
	if out := cli("stories"); strings.Contains(out, "bridge.txt") {
		t.Errorf("index --corpus did not make the library hold what the directory holds:\n%s", out)
	}
}
