package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestQueryTimeoutBounds(t *testing.T) {
	for v, ok := range map[string]bool{"500us": false, "999us": false, "0": false, "-1s": false, "31s": false,
		"1ms": true, "30s": true, "2s": true} {
		c, err := FromEnv(lookup(map[string]string{"STORYBOT_QUERY_TIMEOUT": v}))
		switch {
		case ok && err != nil:
			t.Errorf("%s refused: %v", v, err)
		case !ok && err == nil:
			t.Errorf("%s accepted as %v; the message promises 1ms to 30s", v, c.QueryTimeout)
		case !ok && !strings.Contains(err.Error(), "between 1ms and 30s"):
			t.Errorf("%s: message %q does not give the bounds", v, err)
		}
	}
}

// An empty variable is unset wherever it is: in the environment it does not
// hide .env's value, and in .env (or a docker --env-file) it does not hide
// the defaults file's, nor blank a default.
func TestEmptyVariablesMeanUnset(t *testing.T) {
	dir := t.TempDir()
	dotenv, defaults := filepath.Join(dir, ".env"), filepath.Join(dir, "defaults.env")
	os.WriteFile(dotenv, []byte("STORYBOT_CORPUS=/from/dotenv\nSTORYBOT_INDEX=\nSTORYBOT_METRICS_ADDR=\nSTORYBOT_QUERY_TIMEOUT=\nSTORYBOT_LOG_FORMAT=\n"), 0o600)
	os.WriteFile(defaults, []byte("STORYBOT_INDEX=/data/index\nSTORYBOT_METRICS_ADDR=:9090\nSTORYBOT_SEED_BUILTIN=true\n"), 0o600)
	t.Setenv("STORYBOT_CORPUS", "")
	t.Setenv("STORYBOT_INDEX", " ")
	t.Setenv("STORYBOT_LOG_FORMAT", "")
	t.Setenv("STORYBOT_SEED_BUILTIN", "")
	t.Setenv(DefaultsVar, defaults)
	c, err := Load(dotenv)
	if err != nil {
		t.Fatal(err)
	}
	if c.CorpusDir != "/from/dotenv" || c.IndexDir != "/data/index" || c.MetricsAddr != ":9090" || !c.SeedBuiltin ||
		c.QueryTimeout != 2*time.Second || c.LogFormat != "text" {
		t.Errorf("corpus %q, index %q, metrics %q, seed %v, timeout %v, log %q",
			c.CorpusDir, c.IndexDir, c.MetricsAddr, c.SeedBuiltin, c.QueryTimeout, c.LogFormat)
	}
	// The environment still wins over both files.
	t.Setenv("STORYBOT_INDEX", "/from/env")
	if c, _ = Load(dotenv); c.IndexDir != "/from/env" {
		t.Errorf("index %q, want the environment's", c.IndexDir)
	}
	// A defaults file that is named but missing is a mistake, not "no defaults".
	t.Setenv(DefaultsVar, filepath.Join(dir, "missing.env"))
	if _, err := Load(dotenv); err == nil || !strings.Contains(err.Error(), DefaultsVar) {
		t.Errorf("missing defaults file: err %v", err)
	}
}

// A typo in .env is reported by its line, and never with the file's
// text: the lines after it may hold the token.
func TestDotEnvSyntaxErrorHidesTheToken(t *testing.T) {
	const token = "MTIzNDU2.SECRET.TOKEN"
	for name, text := range map[string]string{
		"no equals sign": "# settings\nDISCORD_APP_ID 123\nDISCORD_TOKEN=" + token + "\n",
		"unclosed quote": "DISCORD_TOKEN=\"" + token + "\nSTORYBOT_LOG_FORMAT=json\n",
	} {
		env := filepath.Join(t.TempDir(), ".env")
		os.WriteFile(env, []byte(text), 0o600)
		_, err := Load(env)
		if err == nil || strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%s: %v", name, err)
		}
		if name == "no equals sign" && (err == nil || !strings.Contains(err.Error(), "line 2")) {
			t.Errorf("%s: %v, want the line named", name, err)
		}
	}
}

// .env may name the file of defaults, as the environment may.
func TestDotEnvNamesTheDefaults(t *testing.T) {
	dir := t.TempDir()
	dotenv, defaults := filepath.Join(dir, ".env"), filepath.Join(dir, "defaults.env")
	os.WriteFile(dotenv, []byte(DefaultsVar+"="+defaults+"\n"), 0o600)
	os.WriteFile(defaults, []byte("STORYBOT_LOG_FORMAT=json\n"), 0o600)
	t.Setenv(DefaultsVar, "")
	t.Setenv("STORYBOT_LOG_FORMAT", "")
	c, err := Load(dotenv)
	if err != nil || c.LogFormat != "json" {
		t.Errorf("log format %q, %v: the defaults .env names were not read", c.LogFormat, err)
	}
}
