package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A CLI question against an index on a read-only volume is answered: the
// index opens without its lock, and nothing is written.
func TestAskFromAReadOnlyIndex(t *testing.T) {
	corpusDir, indexDir := moderated(t)
	ro := filepath.Join(t.TempDir(), "ro")
	os.Mkdir(ro, 0o755)
	if out, err := exec.Command("mount", "--bind", filepath.Dir(indexDir), ro).CombinedOutput(); err != nil {
		t.Skipf("cannot bind-mount here to make a read-only volume: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", ro).Run() })
	if out, err := exec.Command("mount", "-o", "remount,ro,bind", ro).CombinedOutput(); err != nil {
		t.Skipf("cannot remount read-only here: %v %s", err, out)
	}
	roIndex := filepath.Join(ro, filepath.Base(indexDir))
	for _, args := range [][]string{
		{"ask", "--index", roIndex, "What did Ukraine's defense ministry urge citizens to make?"},
		{"ask", "--index", roIndex, "--corpus", corpusDir, "What did Ukraine's defense ministry urge citizens to make?"},
	} {
		code, out, errs := runCLI(t, "", args...)
		if code != 0 || !strings.Contains(out, "Molotov cocktails") {
			t.Errorf("%v: exit %d: %s %s", args[1:3], code, out, errs)
		}
	}
	if code, out, _ := runCLI(t, "", "stories", "--index", roIndex); code != 0 || !strings.Contains(out, "taliban") {
		t.Errorf("stories: exit %d: %s", code, out)
	}
}
