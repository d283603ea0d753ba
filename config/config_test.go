package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func lookup(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDefaults(t *testing.T) {
	c, err := FromEnv(lookup(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.QueryTimeout != 2*time.Second || c.DiscordAPIBase != "https://discord.com" || c.ShardCount != 1 || c.CorpusDir != "" {
		t.Errorf("defaults %+v", c)
	}
}

func TestValidValues(t *testing.T) {
	c, err := FromEnv(lookup(map[string]string{
		"STORYBOT_CORPUS": " /data/stories ", "STORYBOT_QUERY_TIMEOUT": "500ms", "STORYBOT_LOG_FORMAT": "json",
		"DISCORD_PUBLIC_KEY": strings.Repeat("ab", 32), "DISCORD_API_BASE": "http://127.0.0.1:8080/",
		"DISCORD_SHARD_ID": "1", "DISCORD_SHARD_COUNT": "4", "STORYBOT_MODERATOR_ROLES": "123, 456",
		"STORYBOT_ALLOW_PRIVATE_URLS": "true", "DISCORD_GUILD_ID": "987654321",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.CorpusDir != "/data/stories" || c.QueryTimeout != 500*time.Millisecond || c.LogFormat != "json" ||
		len(c.DiscordPublicKey) != 32 || c.DiscordAPIBase != "http://127.0.0.1:8080" || c.ShardID != 1 ||
		c.ShardCount != 4 || strings.Join(c.ModeratorRoles, ",") != "123,456" || !c.AllowPrivateURLs {
		t.Errorf("config %+v", c)
	}
}

func TestInvalidValuesNameTheSetting(t *testing.T) {
	for name, val := range map[string]string{
		"STORYBOT_QUERY_TIMEOUT":      "soon",
		"STORYBOT_LOG_FORMAT":         "xml",
		"DISCORD_PUBLIC_KEY":          "zz",
		"DISCORD_API_BASE":            "ftp://x",
		"DISCORD_SHARD_COUNT":         "0",
		"DISCORD_GUILD_ID":            "my-guild",
		"STORYBOT_MODERATOR_ROLES":    "admins",
		"STORYBOT_ALLOW_PRIVATE_URLS": "maybe",
		"STORYBOT_RATE_USER":          "-1",
		"STORYBOT_RATE_CHANNEL":       "NaN",
		"STORYBOT_DATABASE_URL":       "mysql://u:p@h/db",
		"STORYBOT_QUOTA_STORIES":      "0",
		"STORYBOT_QUOTA_BYTES":        "lots",
		"STORYBOT_RESTORE_WINDOW":     "5m",
		"STORYBOT_FEED_INTERVAL":      "often",
		"STORYBOT_FEED_MAX_AGE":       "1m",
		"STORYBOT_FEEDS_PER_SERVER":   "0",
		"STORYBOT_FEED_ITEMS":         "many",
	} {
		_, err := FromEnv(lookup(map[string]string{name: val}))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: err %v, want one naming the setting", name, val, err)
		}
	}
	_, err := FromEnv(lookup(map[string]string{"DISCORD_SHARD_ID": "2", "DISCORD_SHARD_COUNT": "2"}))
	if err == nil || !strings.Contains(err.Error(), "DISCORD_SHARD_ID") {
		t.Errorf("shard id beyond count: %v", err)
	}
}

func TestLoadReadsDotEnvWithoutOverridingEnvironment(t *testing.T) {
	dir := t.TempDir()
	env := filepath.Join(dir, ".env")
	os.WriteFile(env, []byte("STORYBOT_CORPUS=/from/file\nSTORYBOT_INDEX=/from/file/index\n"), 0o600)
	t.Setenv("STORYBOT_INDEX", "/from/env")
	t.Setenv("STORYBOT_CORPUS", "")
	os.Unsetenv("STORYBOT_CORPUS")
	c, err := Load(env)
	if err != nil {
		t.Fatal(err)
	}
	if c.CorpusDir != "/from/file" || c.IndexDir != "/from/env" {
		t.Errorf("corpus %q index %q", c.CorpusDir, c.IndexDir)
	}
	if _, err := Load(filepath.Join(dir, "missing.env")); err != nil {
		t.Errorf("a missing .env is fine: %v", err)
	}
}

// TestEnvExampleDocumentsEverySetting keeps .env.example complete.
func TestEnvExampleDocumentsEverySetting(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", ".env.example"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("config.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(src), "\n") {
		_, rest, ok := strings.Cut(line, `get("`)
		if !ok {
			_, rest, ok = strings.Cut(line, `Var("`)
		}
		if !ok {
			_, rest, ok = strings.Cut(line, `str("`)
		}
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(rest, `"`)
		if !strings.Contains(string(b), "\n"+name+"=") {
			t.Errorf(".env.example does not document %s", name)
		}
	}
}

func TestStoreSettings(t *testing.T) {
	c, err := FromEnv(lookup(map[string]string{
		"STORYBOT_DATABASE_URL": "postgres://bot:secret@db:5432/storybot", "STORYBOT_QUOTA_STORIES": "20",
		"STORYBOT_QUOTA_BYTES": "2MiB", "STORYBOT_RESTORE_WINDOW": "48h",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "postgres://bot:secret@db:5432/storybot" || c.QuotaStories != 20 || c.QuotaBytes != 2<<20 || c.RestoreWindow != 48*time.Hour {
		t.Errorf("config %+v", c)
	}
	_, err = FromEnv(lookup(map[string]string{"STORYBOT_DATABASE_URL": "mysql://bot:secret@db/x"}))
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("a bad database URL: %v (the password must not be repeated)", err)
	}
	for in, want := range map[string]int64{"50MiB": 50 << 20, "1048576": 1 << 20, "2 GB": 2e9, "1.5k": 1536} {
		if got, err := ParseBytes(in); err != nil || got != want {
			t.Errorf("ParseBytes(%q) = %d, %v", in, got, err)
		}
	}
}

// The privileged Message Content intent is asked for only when the
// operator turns it on; the old variable, which said the opposite, still
// works when it is the only one set, and is noted.
func TestMessageContentIsOptIn(t *testing.T) {
	for _, c := range []struct {
		env   map[string]string
		want  bool
		noted bool
	}{
		{nil, false, false},
		{map[string]string{"STORYBOT_MESSAGE_CONTENT": "true"}, true, false},
		{map[string]string{"STORYBOT_MESSAGE_CONTENT": "false"}, false, false},
		{map[string]string{"STORYBOT_NO_MESSAGE_CONTENT": "true"}, false, true},
		{map[string]string{"STORYBOT_NO_MESSAGE_CONTENT": "false"}, true, true},
		{map[string]string{"STORYBOT_MESSAGE_CONTENT": "false", "STORYBOT_NO_MESSAGE_CONTENT": "false"}, false, false},
		{map[string]string{"STORYBOT_MESSAGE_CONTENT": "", "STORYBOT_NO_MESSAGE_CONTENT": ""}, false, false},
	} {
		cfg, err := FromEnv(lookup(c.env))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.MessageContent != c.want || (len(cfg.Notes) > 0) != c.noted {
			t.Errorf("%v: message content %v (notes %q), want %v", c.env, cfg.MessageContent, cfg.Notes, c.want)
		}
	}
	if _, err := FromEnv(lookup(map[string]string{"STORYBOT_MESSAGE_CONTENT": "sometimes"})); err == nil || !strings.Contains(err.Error(), "STORYBOT_MESSAGE_CONTENT") {
		t.Errorf("a bad value: %v", err)
	}
}
