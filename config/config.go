// Package config loads StoryBot's settings from the environment and an
// optional .env file, and rejects invalid values at start, naming the
// setting, rather than failing later in the middle of a conversation.
package config

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/joho/godotenv"
)

// Config holds every setting; .env.example documents the environment
// variable of each, and a test keeps it complete.
type Config struct {
	CorpusDir    string
	IndexDir     string
	QueryTimeout time.Duration
	LogFormat    string
	MetricsAddr  string
	// SeedBuiltin writes the built-in story into an empty corpus on first
	// start, so that a fresh deployment (the Docker image) answers at once.
	SeedBuiltin bool

	DiscordToken     string
	DiscordAppID     string
	DiscordGuildID   string
	DiscordPublicKey []byte
	DiscordAPIBase   string
	ShardID          int
	ShardCount       int

	// DatabaseURL, when set, makes PostgreSQL the store of every
	// collection, shared by every process.
	DatabaseURL string
	// QuotaStories and QuotaBytes bound each server's collection.
	QuotaStories int
	QuotaBytes   int64
	// RestoreWindow is how long removed stories can be restored.
	RestoreWindow time.Duration

	ModeratorRoles   []string
	AllowPrivateURLs bool
	RateLimitPerUser float64
	RateLimitPerChan float64
	// MessageContent asks Discord for the privileged Message Content
	// intent; off unless the operator turns it on.
	MessageContent bool
	// Notes are things the operator should know about the settings, such
	// as a variable kept only for old .env files; serve logs them.
	Notes []string

	// Feeds: how often each is polled, how many a server may follow, how
	// many new items one poll takes, and how old an item may be.
	FeedInterval     time.Duration
	FeedsPerServer   int
	FeedItemsPerPoll int
	FeedMaxAge       time.Duration
}

// Defaults are what an empty environment gives.
func Defaults() Config {
	return Config{
		QueryTimeout:     2 * time.Second,
		LogFormat:        "text",
		DiscordAPIBase:   "https://discord.com",
		ShardCount:       1,
		RateLimitPerUser: 0.5,
		RateLimitPerChan: 2,
		QuotaStories:     500,
		QuotaBytes:       50 << 20,
		RestoreWindow:    7 * 24 * time.Hour,
		FeedInterval:     15 * time.Minute,
		FeedsPerServer:   10,
		FeedItemsPerPoll: 20,
		FeedMaxAge:       7 * 24 * time.Hour,
	}
}

// Load reads the settings from the environment, then envFile (a missing
// file is fine: .env is optional), then the file of defaults that
// STORYBOT_DEFAULTS names, if any: the first of them that gives a variable a
// value wins. An empty variable counts as unset in each of them, so an empty
// line in .env, or in a file passed with docker's --env-file, leaves the
// setting to the next source and, at the end, to its default. The Docker
// image keeps its own defaults (the /data paths, JSON logs, metrics) in such
// a file, because docker --env-file replaces the image's ENV values, empty
// ones included.
func Load(envFile string) (Config, error) {
	sources := []func(string) (string, bool){os.LookupEnv}
	lookup := func(name string) (string, bool) {
		for _, l := range sources {
			if v, ok := l(name); ok && strings.TrimSpace(v) != "" {
				return v, true
			}
		}
		return "", false
	}
	read := func(path, what string) error {
		if path == "" {
			return nil
		}
		vars, err := readEnvFile(path)
		if err != nil && !(what == "" && errors.Is(err, fs.ErrNotExist)) {
			return fmt.Errorf("reading %s%s: %w", what, path, err)
		}
		sources = append(sources, func(k string) (string, bool) { v, ok := vars[k]; return v, ok })
		return nil
	}
	if err := read(envFile, ""); err != nil {
		return Config{}, err
	}
	// Looked up after .env is read, so that .env may name it too.
	defaults, _ := lookup(DefaultsVar)
	if err := read(strings.TrimSpace(defaults), DefaultsVar+"="); err != nil {
		return Config{}, err
	}
	return FromEnv(lookup)
}

// readEnvFile reads a file of KEY=value lines. godotenv's parse errors
// quote the file from the bad line on, and the lines after it may hold
// the Discord token: a typo must not print it, so the error names only
// the line.
func readEnvFile(path string) (map[string]string, error) {
	vars, err := godotenv.Read(path)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return vars, err
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return nil, pe
	}
	if n := badEnvLine(path); n > 0 {
		return nil, fmt.Errorf("line %d is not a KEY=value setting", n)
	}
	return nil, errors.New("not a file of KEY=value lines (an unclosed quote?)")
}

// envLine is what a line of a .env file may look like, value aside.
var envLine = regexp.MustCompile(`^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.]*\s*[=:]`)

// badEnvLine is the number of the first line that does not start a
// KEY=value setting, nor is blank or a comment; 0 when every line does
// (an unclosed quote, which only godotenv's parse can find).
func badEnvLine(path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for i, l := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(l)
		if t != "" && !strings.HasPrefix(t, "#") && !envLine.MatchString(l) {
			return i + 1
		}
	}
	return 0
}

// DefaultsVar names a file of defaults beneath the environment and .env.
const DefaultsVar = "STORYBOT_DEFAULTS"

// FromEnv builds a Config from a lookup function, so tests need not touch
// the process environment.
func FromEnv(lookup func(string) (string, bool)) (Config, error) {
	c := Defaults()
	var errs []error
	get := func(name string) (string, bool) {
		v, ok := lookup(name)
		v = strings.TrimSpace(v)
		return v, ok && v != ""
	}
	str := func(name string, dst *string) {
		if v, ok := get(name); ok {
			*dst = v
		}
	}
	bad := func(name, v, want string) {
		errs = append(errs, fmt.Errorf("%s=%q: %s", name, v, want))
	}
	str("STORYBOT_CORPUS", &c.CorpusDir)
	str("STORYBOT_INDEX", &c.IndexDir)
	str("STORYBOT_METRICS_ADDR", &c.MetricsAddr)
	str("DISCORD_TOKEN", &c.DiscordToken)
	str("DISCORD_APP_ID", &c.DiscordAppID)
	str("DISCORD_GUILD_ID", &c.DiscordGuildID)
	str("DISCORD_API_BASE", &c.DiscordAPIBase)
	if v, ok := get("STORYBOT_DATABASE_URL"); ok {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			// The value may hold a password, so it is not repeated.
			errs = append(errs, errors.New("STORYBOT_DATABASE_URL: want a postgres:// URL, such as postgres://storybot@db/storybot"))
		} else {
			c.DatabaseURL = v
		}
	}
	if v, ok := get("STORYBOT_RESTORE_WINDOW"); ok {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Hour || d > 365*24*time.Hour {
			bad("STORYBOT_RESTORE_WINDOW", v, "want a duration between 1h and 8760h, such as 168h")
		} else {
			c.RestoreWindow = d
		}
	}
	if v, ok := get("STORYBOT_QUOTA_BYTES"); ok {
		n, err := ParseBytes(v)
		if err != nil || n < 1<<10 {
			bad("STORYBOT_QUOTA_BYTES", v, "want a size of at least 1KiB, such as 50MiB")
		} else {
			c.QuotaBytes = n
		}
	}
	if v, ok := get("STORYBOT_QUERY_TIMEOUT"); ok {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Millisecond || d > 30*time.Second {
			bad("STORYBOT_QUERY_TIMEOUT", v, "want a duration between 1ms and 30s, such as 2s")
		} else {
			c.QueryTimeout = d
		}
	}
	if v, ok := get("STORYBOT_LOG_FORMAT"); ok {
		if v != "text" && v != "json" {
			bad("STORYBOT_LOG_FORMAT", v, "want text or json")
		} else {
			c.LogFormat = v
		}
	}
	if v, ok := get("DISCORD_PUBLIC_KEY"); ok {
		k, err := hex.DecodeString(v)
		if err != nil || len(k) != 32 {
			bad("DISCORD_PUBLIC_KEY", v, "want the application's 64-hex-digit Ed25519 public key")
		} else {
			c.DiscordPublicKey = k
		}
	}
	for _, id := range []struct {
		name string
		v    string
	}{{"DISCORD_APP_ID", c.DiscordAppID}, {"DISCORD_GUILD_ID", c.DiscordGuildID}} {
		if id.v != "" && !isSnowflake(id.v) {
			bad(id.name, id.v, "want a numeric Discord ID")
		}
	}
	if u, err := url.Parse(c.DiscordAPIBase); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("DISCORD_API_BASE", c.DiscordAPIBase, "want an http or https URL such as https://discord.com")
	} else {
		c.DiscordAPIBase = strings.TrimRight(c.DiscordAPIBase, "/")
	}
	intVar := func(name string, dst *int, lo int) {
		if v, ok := get(name); ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < lo {
				bad(name, v, fmt.Sprintf("want a whole number of at least %d", lo))
				return
			}
			*dst = n
		}
	}
	intVar("STORYBOT_QUOTA_STORIES", &c.QuotaStories, 1)
	intVar("STORYBOT_FEEDS_PER_SERVER", &c.FeedsPerServer, 1)
	intVar("STORYBOT_FEED_ITEMS", &c.FeedItemsPerPoll, 1)
	durVar := func(name string, dst *time.Duration, lo, hi time.Duration, example string) {
		if v, ok := get(name); ok {
			d, err := time.ParseDuration(v)
			if err != nil || d < lo || d > hi {
				bad(name, v, fmt.Sprintf("want a duration between %s and %s, such as %s", lo, hi, example))
				return
			}
			*dst = d
		}
	}
	durVar("STORYBOT_FEED_INTERVAL", &c.FeedInterval, time.Second, 24*time.Hour, "15m")
	durVar("STORYBOT_FEED_MAX_AGE", &c.FeedMaxAge, time.Hour, 365*24*time.Hour, "168h")
	intVar("DISCORD_SHARD_ID", &c.ShardID, 0)
	intVar("DISCORD_SHARD_COUNT", &c.ShardCount, 1)
	if c.ShardID >= c.ShardCount {
		errs = append(errs, fmt.Errorf("DISCORD_SHARD_ID=%d: must be less than DISCORD_SHARD_COUNT=%d", c.ShardID, c.ShardCount))
	}
	floatVar := func(name string, dst *float64) {
		if v, ok := get(name); ok {
			f, err := strconv.ParseFloat(v, 64)
			// NaN fails every comparison, so it must be refused by name.
			if err != nil || math.IsNaN(f) || f <= 0 || f > 1000 {
				bad(name, v, "want a number of requests per second above 0 and at most 1000, such as 0.5")
				return
			}
			*dst = f
		}
	}
	floatVar("STORYBOT_RATE_USER", &c.RateLimitPerUser)
	floatVar("STORYBOT_RATE_CHANNEL", &c.RateLimitPerChan)
	boolVar := func(name string, dst *bool) {
		if v, ok := get(name); ok {
			b, err := strconv.ParseBool(v)
			if err != nil {
				bad(name, v, "want true or false")
				return
			}
			*dst = b
		}
	}
	boolVar("STORYBOT_ALLOW_PRIVATE_URLS", &c.AllowPrivateURLs)
	boolVar("STORYBOT_MESSAGE_CONTENT", &c.MessageContent)
	if _, set := get("STORYBOT_MESSAGE_CONTENT"); !set {
		// Before the intent became opt-in, it was on unless this said
		// true; an old .env that says false keeps it on.
		var off bool
		if _, old := get("STORYBOT_NO_MESSAGE_CONTENT"); old {
			boolVar("STORYBOT_NO_MESSAGE_CONTENT", &off)
			c.MessageContent = !off
			c.Notes = append(c.Notes, fmt.Sprintf("STORYBOT_NO_MESSAGE_CONTENT is replaced by STORYBOT_MESSAGE_CONTENT (off unless set to true); read as STORYBOT_MESSAGE_CONTENT=%t", !off))
		}
	}
	boolVar("STORYBOT_SEED_BUILTIN", &c.SeedBuiltin)
	if v, ok := get("STORYBOT_MODERATOR_ROLES"); ok {
		for _, r := range strings.Split(v, ",") {
			if r = strings.TrimSpace(r); r != "" {
				if !isSnowflake(r) {
					bad("STORYBOT_MODERATOR_ROLES", v, "want a comma-separated list of numeric role IDs")
					break
				}
				c.ModeratorRoles = append(c.ModeratorRoles, r)
			}
		}
	}
	return c, errors.Join(errs...)
}

func isSnowflake(s string) bool {
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil && len(s) >= 1 && len(s) <= 20
}

// ParseBytes reads a size such as "50MiB", "2 GB" or "1048576".
func ParseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := s, ""
	if i >= 0 {
		num, unit = s[:i], strings.ToLower(strings.TrimSpace(s[i:]))
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("%q is not a size", s)
	}
	mult := map[string]float64{"": 1, "b": 1, "k": 1 << 10, "kb": 1e3, "kib": 1 << 10, "m": 1 << 20, "mb": 1e6,
		"mib": 1 << 20, "g": 1 << 30, "gb": 1e9, "gib": 1 << 30}[unit]
	if mult == 0 {
		return 0, fmt.Errorf("%q is not a size", s)
	}
	return int64(f * mult), nil
}

// WithoutDatabase is c with the corpus directory as the store, for reading
// the directory while a database is configured.
func (c Config) WithoutDatabase() Config {
	c.DatabaseURL = ""
	return c
}
