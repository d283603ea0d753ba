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
