package bot

import (
	"context"
	"sync"
)

// progress carries a long handler's interim responses to the transport.
// Only the newest matters, so a slow edit never makes the handler wait and
// notes that arrive meanwhile collapse into one.
type progress struct {
	mu    sync.Mutex
	last  Response
	ready chan struct{} // holds a token while a note is waiting
}

func newProgress() *progress { return &progress{ready: make(chan struct{}, 1)} }

func (p *progress) show(r Response) {
	p.mu.Lock()
	p.last = r
	p.mu.Unlock()
	select {
	case p.ready <- struct{}{}:
	default:
	}
}

func (p *progress) latest() Response {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last
}

type progressKey struct{}

func withProgress(ctx context.Context, p *progress) context.Context {
	return context.WithValue(ctx, progressKey{}, p)
}

// ShowProgress replaces what the user sees of a long answer with r until
// the next note or the answer. Where nothing can be edited (mentions, the
// console, direct calls) it does nothing.
func ShowProgress(ctx context.Context, r Response) {
	if p, ok := ctx.Value(progressKey{}).(*progress); ok {
		p.show(r)
	}
}
