package bot

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/index/library"
)

// Moderation configures /reindex, /add-story, /remove-story and
// /restore-story.
type Moderation struct {
	// Library holds the stories. Without one (no corpus directory and no
	// database configured) the commands say so.
	Library *library.Library
	// Roles are role IDs whose members may moderate, besides members with
	// Manage Server or Administrator (STORYBOT_MODERATOR_ROLES).
	Roles []string
	// AllowPrivateURLs lets /add-story fetch pages from loopback and
	// private addresses (STORYBOT_ALLOW_PRIVATE_URLS).
	AllowPrivateURLs bool
	// AttachmentHosts are the hosts attachments are downloaded from
	// (default: Discord's CDN). An attachment URL elsewhere is refused, so
	// a forged interaction cannot make the bot fetch from its own network.
	AttachmentHosts []string
	// HTTPClient downloads attachments (default: one with a 30s timeout).
	HTTPClient *http.Client
	// Audit receives one line per moderator action (default: Options.Log).
	Audit *slog.Logger
	// ProgressEvery is the least time between two progress edits of a
	// reindex (default 1.5s, inside Discord's rate limit for edits).
	ProgressEvery time.Duration

	// progressHook, in tests, runs on every story a reindex indexes.
	progressHook func(done, total int)
}

// discordCDN are the hosts Discord serves attachments from.
var discordCDN = []string{"cdn.discordapp.com", "media.discordapp.net"}

// Recorder records what metrics want to know; *metrics.Metrics is one.
type Recorder interface {
	Answered(command string, found bool, took time.Duration)
	Reindexed(took time.Duration, err error)
}

// moderation serves the moderator commands. Each acts on the collection
// of the server it was run in, and nothing else: the collection comes from
// the interaction's guild, which Discord signs, never from an option.
type moderation struct {
	lib     *library.Library
	cfg     Moderation
	metrics Recorder
	audit   *slog.Logger
}

func newModeration(cfg Moderation, rec Recorder, log *slog.Logger) *moderation {
	if len(cfg.AttachmentHosts) == 0 {
		cfg.AttachmentHosts = discordCDN
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Audit == nil {
		cfg.Audit = log
	}
	if cfg.ProgressEvery <= 0 {
		cfg.ProgressEvery = 1500 * time.Millisecond
	}
	return &moderation{lib: cfg.Library, cfg: cfg, metrics: rec, audit: cfg.Audit}
}

// collection is the server's own collection, which is all a moderator
// there may change.
func (m *moderation) collection(r Request) (string, error) {
	if m.lib == nil {
		return "", notConfigured()
	}
	col, err := library.GuildCollection(r.Guild)
	if err != nil {
		return "", outcome{"refused", "Stories can only be changed from inside a server, for that server.", nil}
	}
	return col, nil
}

func actor(r Request) library.Actor { return library.Actor{ID: r.User, Name: r.UserName} }

// busyError explains that another change of the same server's stories
// runs; the job is that collection's, so it never names another server's
// moderator.
func busyError(be *library.BusyError) error {
	j := be.Job
	if j == nil || j.Action != "reindex" {
		return outcome{"busy", "Another moderator is changing this server's stories right now. Try again in a moment; nothing was changed.", nil}
	}
	msg := fmt.Sprintf("A reindex started by %s %s ago is still running", Escape(clip(j.Actor.Name, 80)), time.Since(j.Started).Round(time.Second))
	if t := j.Total.Load(); t > 0 {
		msg += fmt.Sprintf(" (%d/%d stories)", j.Done.Load(), t)
	}
	return outcome{"busy", msg + ". Wait for its summary before starting another change; nothing was changed.", nil}
}

// outcome ends a moderator action that did not succeed: the message for
// the moderator (it unwraps to a UserError, so Errors shows it as is), the
// result for the audit line, and the underlying error if any.
type outcome struct {
	result string
	msg    string
	cause  error
}

func (o outcome) Error() string { return o.msg }
func (o outcome) Unwrap() error { return UserError{o.msg} }

// Moderators lets a request through only from a moderator: a member whose
// permissions in the channel include Manage Server or Administrator, or
// who has one of roles. Discord hides the commands from others by default,
// but a guild may show them to everyone; this check is the bot's own.
func Moderators(roles []string) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			// The member's permissions are those of the interaction's own
			// guild, which is the collection the command changes.
			if r.Guild == "" || !isModerator(r.Member, roles) {
				return Response{}, outcome{"refused", fmt.Sprintf(
					"Only moderators can use /%s: members with the Manage Server permission or a moderator role.", r.Command), nil}
			}
			return next(ctx, r)
		}
	}
}

// moderatorsOnly keeps the autocomplete of moderator commands, which
// lists a server's removed stories and followed feeds, to moderators:
// Discord hides the commands from others only until a server's admins
// show them to everyone.
func moderatorsOnly(roles []string, next Handler) Handler {
	return func(ctx context.Context, r Request) (Response, error) {
		if moderatorCommand[r.Command] && (r.Guild == "" || !isModerator(r.Member, roles)) {
			return Response{}, nil
		}
		return next(ctx, r)
	}
}

func isModerator(m *Member, roles []string) bool {
	if m == nil { // outside a guild nobody moderates
		return false
	}
	if m.Permissions&(manageServer|discordgo.PermissionAdministrator) != 0 {
		return true
	}
	for _, r := range m.Roles {
		if slices.Contains(roles, r) {
			return true
		}
	}
	return false
}

func (m *moderation) recordReindex(took time.Duration, err error) {
	if m.metrics != nil {
		m.metrics.Reindexed(took, err)
	}
}
