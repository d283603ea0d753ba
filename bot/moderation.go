package bot

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/index"
)

// Moderation configures /reindex, /add-story and /remove-story.
type Moderation struct {
	// CorpusDir is where the story files are kept: /reindex reads it and
	// /add-story saves into it. Without one the commands say so.
	CorpusDir string
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

// moderation serves the moderator commands. One change to the stories
// runs at a time: a reindex and an upload racing each other could leave
// the index without a story the corpus has.
type moderation struct {
	ix      *index.Index
	cfg     Moderation
	metrics Recorder
	audit   *slog.Logger
	busy    chan struct{} // holds a token while a change runs
	running atomic.Pointer[job]
}

// job is the change being made, for the note a second moderator gets.
type job struct {
	command     string
	user        string
	started     time.Time
	done, total atomic.Int64
}

func newModeration(ix *index.Index, cfg Moderation, rec Recorder, log *slog.Logger) *moderation {
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
	return &moderation{ix: ix, cfg: cfg, metrics: rec, audit: cfg.Audit, busy: make(chan struct{}, 1)}
}

// begin claims the right to change the stories, or explains who has it.
func (m *moderation) begin(r Request) (*job, error) {
	j := &job{command: r.Command, user: displayName(r), started: time.Now()}
	select {
	case m.busy <- struct{}{}:
		m.running.Store(j)
		return j, nil
	default:
		return nil, m.busyError()
	}
}

func (m *moderation) end() {
	m.running.Store(nil)
	<-m.busy
}

func (m *moderation) busyError() error {
	j := m.running.Load()
	if j == nil || j.command != CmdReindex {
		return outcome{"busy", "Another moderator is changing the stories right now. Try again in a moment; nothing was changed.", nil}
	}
	msg := fmt.Sprintf("A reindex started by %s %s ago is still running", Escape(j.user), time.Since(j.started).Round(time.Second))
	if t := j.total.Load(); t > 0 {
		msg += fmt.Sprintf(" (%d/%d stories)", j.done.Load(), t)
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
			if !isModerator(r.Member, roles) {
				return Response{}, outcome{"refused", fmt.Sprintf(
					"Only moderators can use /%s: members with the Manage Server permission or a moderator role.", r.Command), nil}
			}
			return next(ctx, r)
		}
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

func displayName(r Request) string {
	if r.UserName != "" {
		return r.UserName
	}
	return "user " + r.User
}

func (m *moderation) recordReindex(took time.Duration, err error) {
	if m.metrics != nil {
		m.metrics.Reindexed(took, err)
	}
}
