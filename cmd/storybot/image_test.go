package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/bot/discordtest"
	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/corpus"
)

// image is what the Dockerfile's final stage sets up, read from it.
type image struct {
	env        map[string]string // ENV
	files      map[string]string // COPY of a repository file: destination -> source
	entrypoint []string
	cmd        []string
	volume     string
	dirs       []string // directories the build stage makes for /data
}

func readDockerfile(t *testing.T) image {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(b), "\\\n", " ")
	img := image{env: map[string]string{}, files: map[string]string{}}
	final := false
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if f[0] == "FROM" {
			final = !strings.Contains(line, " AS ")
			continue
		}
		if !final {
			if f[0] == "RUN" && strings.Contains(line, "mkdir -p") {
				for _, d := range f {
					if rest, ok := strings.CutPrefix(d, "/out/data"); ok {
						img.dirs = append(img.dirs, rest)
					}
				}
			}
			continue
		}
		switch f[0] {
		case "ENV":
			for _, kv := range f[1:] {
				k, v, _ := strings.Cut(kv, "=")
				img.env[k] = v
			}
		case "COPY":
			if !strings.HasPrefix(f[1], "--") {
				img.files[f[2]] = f[1]
			}
		case "ENTRYPOINT":
			json.Unmarshal([]byte(strings.TrimPrefix(line, "ENTRYPOINT ")), &img.entrypoint)
		case "CMD":
			json.Unmarshal([]byte(strings.TrimPrefix(line, "CMD ")), &img.cmd)
		case "VOLUME":
			var v []string
			json.Unmarshal([]byte(strings.TrimPrefix(line, "VOLUME ")), &v)
			img.volume = v[0]
		}
	}
	if len(img.entrypoint) != 1 || img.volume == "" {
		t.Fatalf("could not read the Dockerfile's final stage: %+v", img)
	}
	return img
}

// envFile reads a file as docker's --env-file does: KEY=VALUE lines taken
// literally, comments and blank lines skipped.
func envFile(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	vars := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		vars[k] = v
	}
	return vars
}

// readmeDockerRuns are the arguments after the image name of each
// `docker run` in the README's Docker section, in order.
func readmeDockerRuns(t *testing.T) [][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start := strings.Index(s, "\n### Docker\n")
	end := strings.Index(s[start+1:], "\n### ")
	if start < 0 || end < 0 {
		t.Fatal("README.md has no Docker section")
	}
	valued := map[string]bool{"--name": true, "--env-file": true, "-v": true, "-p": true, "-e": true}
	var runs [][]string
	for _, line := range strings.Split(s[start:start+1+end], "\n") {
		words := shellWords(strings.TrimSpace(line))
		if len(words) < 2 || words[0] != "docker" || words[1] != "run" {
			continue
		}
		i := 2
		for i < len(words) && strings.HasPrefix(words[i], "-") {
			if valued[words[i]] {
				i++
			}
			i++
		}
		if i >= len(words) || words[i] != "storybot" {
			t.Fatalf("README: %q does not run the storybot image", line)
		}
		runs = append(runs, words[i+1:])
	}
	return runs
}

// shellWords splits a command line at spaces, keeping "double-quoted" words
// whole, and stops at a # comment.
func shellWords(line string) []string {
	var words []string
	for _, m := range regexp.MustCompile(`"[^"]*"|#.*|\S+`).FindAllString(line, -1) {
		if strings.HasPrefix(m, "#") {
			break
		}
		words = append(words, strings.Trim(m, `"`))
	}
	return words
}

// TestImageOnAFreshVolume runs the image's entrypoint as the README's
// Docker steps do, on an empty data directory: with the image's settings,
// the README's env file (.env.example, filled in) passed as docker passes
// it, and /data replaced by a temporary directory. No Docker engine is
// needed: the image is only the binary, its ENV, its defaults file and its
// empty /data.
func TestImageOnAFreshVolume(t *testing.T) {
	img := readDockerfile(t)
	if img.entrypoint[0] != "/usr/local/bin/storybot" || strings.Join(img.cmd, " ") != "serve" {
		t.Fatalf("entrypoint %v, cmd %v: this test runs the storybot binary", img.entrypoint, img.cmd)
	}
	root := t.TempDir()
	data := filepath.Join(root, "data")
	for _, d := range img.dirs {
		if err := os.MkdirAll(filepath.Join(data, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	metricsAddr := freeAddr(t)
	moved := strings.NewReplacer(img.volume+"/", data+"/", ":9090", metricsAddr)

	// The environment of the container: first the image's ENV, with the
	// files it names put where this test can reach them...
	env := map[string]string{}
	for k, v := range img.env {
		if src, ok := img.files[v]; ok {
			b, err := os.ReadFile(filepath.Join("..", "..", src))
			if err != nil {
				t.Fatal(err)
			}
			v = filepath.Join(root, filepath.Base(v))
			if err := os.WriteFile(v, []byte(moved.Replace(string(b))), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		env[k] = v
	}
	// ...then --env-file .env, copied from .env.example and filled in as
	// the README says, which replaces the ENV values it names.
	for k, v := range envFile(t, filepath.Join("..", "..", ".env.example")) {
		env[k] = v
	}
	fake := discordtest.New(t)
	env["DISCORD_TOKEN"], env["DISCORD_APP_ID"] = "test-token", discordtest.AppID
	env["DISCORD_API_BASE"] = fake.URL // no real Discord here
	for _, k := range []string{"STORYBOT_CORPUS", "STORYBOT_INDEX", "STORYBOT_QUERY_TIMEOUT", "STORYBOT_SEED_BUILTIN", "STORYBOT_LOG_FORMAT", "STORYBOT_METRICS_ADDR", config.DefaultsVar} {
		t.Setenv(k, "") // nothing of this machine's settings
	}
	for k, v := range env {
		t.Setenv(k, v)
	}

	runs := readmeDockerRuns(t)
	if len(runs) < 2 {
		t.Fatalf("README's Docker section runs %v; want a question, then the bot", runs)
	}
	for _, args := range runs {
		if len(args) == 0 {
			args = img.cmd
		}
		if args[0] == "serve" {
			serveFromImage(t, fake, args, metricsAddr)
			continue
		}
		var out, errs strings.Builder
		code := run(context.Background(), &cliEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errs}, args)
		if code != 0 {
			t.Fatalf("storybot %v: exit %d\n%s", args, code, errs.String())
		}
		if args[0] == "ask" && !strings.Contains(out.String(), "Molotov cocktails") {
			t.Errorf("storybot %v on a fresh volume gave no answer:\n%s", args, out.String())
		}
		if args[0] == "ask" && !strings.Contains(errs.String(), `"msg":"first start: put the built-in story into the empty corpus"`) {
			t.Errorf("the first run does not log (in JSON) that it seeded the corpus:\n%s", errs.String())
		}
	}

	// The volume now holds the story as a file, which reads back as the
	// built-in story, and an index built from it.
	stories, skipped, err := corpus.LoadDir(filepath.Join(data, "stories"))
	want := corpus.Builtin()
	if err != nil || len(skipped) > 0 || len(stories) != len(want) {
		t.Fatalf("the volume's stories: %d, skipped %v, err %v", len(stories), skipped, err)
	}
	got, _ := json.Marshal(stories[0])
	wantJSON, _ := json.Marshal(want[0])
	if string(got) != string(wantJSON) {
		t.Errorf("the seeded story does not read back as the built-in one:\n%s\n%s", got, wantJSON)
	}
	if _, err := os.Stat(filepath.Join(data, "index", "collections", "shared", "CURRENT")); err != nil {
		t.Errorf("no index on the volume: %v", err)
	}
}

// serveFromImage runs the bot as the detached `docker run` does, asks it a
// question over the fake Discord, checks its health, and stops it.
func serveFromImage(t *testing.T, fake *discordtest.Server, args []string, metricsAddr string) {
	t.Helper()
	logs := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, &cliEnv{stdin: strings.NewReader(""), stdout: io.Discard, stderr: logs}, args)
	}()
	defer func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d:\n%s", code, logs.String())
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	}()
	fake.WaitReady()
	fake.Dispatch("INTERACTION_CREATE", map[string]any{
		"id": "500000000000000001", "application_id": discordtest.AppID, "type": 2, "token": "tok1", "version": 1,
		"channel_id": "400000000000000004", "guild_id": "300000000000000003",
		"member": map[string]any{"user": map[string]any{"id": "800000000000000001", "username": "reader"}, "permissions": "0"},
		"data": map[string]any{"id": "1", "name": "who-said", "type": 1, "options": []any{
			map[string]any{"name": "quote", "type": 3, "value": "dialogue and peaceful means"}}},
	})
	fake.WaitFor(func(r discordtest.Request) bool {
		return strings.Contains(r.Path, "/tok1/") && strings.Contains(string(r.Body), "Abdul Qahar Balkhi")
	})
	if code, body := get(t, "http://"+metricsAddr+"/healthz"); code != 200 {
		t.Errorf("/healthz: %d %q", code, body)
	}
}

// compose.yaml runs that image the same way: the .env file, a volume at
// the image's /data, the image's command; and PostgreSQL only in a profile.
func TestComposeRunsTheImageAsTheREADMEDoes(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	compose := string(b)
	img := readDockerfile(t)
	bot, pg, ok := strings.Cut(compose, "\n  postgres:\n")
	if !ok {
		t.Fatal("compose.yaml has no postgres service")
	}
	for _, want := range []string{"\n  storybot:\n", "build: .", "path: .env", ":" + img.volume + "\n", "9090:9090"} {
		if !strings.Contains(bot, want) {
			t.Errorf("the storybot service lacks %q", want)
		}
	}
	if strings.Contains(bot, "command:") || strings.Contains(bot, "environment:") {
		t.Error("the storybot service overrides the image's command or settings; .env is the one place for them")
	}
	if !strings.Contains(pg, "profiles: [postgres]") || !strings.Contains(pg, "pg_isready") {
		t.Error("postgres is not an optional profile with a health check")
	}
	// The database URL that the README tells people to set reaches it.
	readme, _ := os.ReadFile(filepath.Join("..", "..", "README.md"))
	url := regexp.MustCompile(`STORYBOT_DATABASE_URL=postgres://(\w+):(\w+)@(\w+):5432/(\w+)`).FindStringSubmatch(string(readme))
	if url == nil {
		t.Fatal("README gives no STORYBOT_DATABASE_URL for compose")
	}
	for _, want := range []string{"POSTGRES_USER: " + url[1], "POSTGRES_PASSWORD: " + url[2], "POSTGRES_DB: " + url[4]} {
		if !strings.Contains(pg, want) {
			t.Errorf("the postgres service lacks %q, which the README's URL needs", want)
		}
	}
	if url[3] != "postgres" {
		t.Errorf("the README's URL names host %q, not the postgres service", url[3])
	}
}
