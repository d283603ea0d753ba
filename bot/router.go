package bot

import (
	"context"
	"fmt"
)

// Router maps a request to its handler: commands by name, buttons by the
// prefix of their custom ID, and every autocomplete to one handler.
type Router struct {
	commands     map[string]Handler
	components   map[string]Handler
	forms        map[string]Handler
	autocomplete Handler
	middleware   []Middleware
}

// NewRouter returns an empty router.
func NewRouter() *Router {
	return &Router{commands: map[string]Handler{}, components: map[string]Handler{}, forms: map[string]Handler{}}
}

// Command routes a command name (also used for mentions). Middleware given
// here wraps this command only, inside the router's own; the first is the
// outermost.
func (rt *Router) Command(name string, h Handler, mw ...Middleware) {
	rt.commands[name] = chain(h, mw)
}

// Component routes buttons whose custom ID starts with prefix + ":".
func (rt *Router) Component(prefix string, h Handler) { rt.components[prefix] = h }

// Form routes submitted forms whose custom ID starts with prefix + ":".
func (rt *Router) Form(prefix string, h Handler) { rt.forms[prefix] = h }

// Autocomplete routes every autocomplete request.
func (rt *Router) Autocomplete(h Handler) { rt.autocomplete = h }

// Use adds middleware; the first added is the outermost.
func (rt *Router) Use(mw ...Middleware) { rt.middleware = append(rt.middleware, mw...) }

// Handler is the router with its middleware applied once.
func (rt *Router) Handler() Handler { return chain(rt.route, rt.middleware) }

func chain(h Handler, mw []Middleware) Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

func (rt *Router) route(ctx context.Context, r Request) (Response, error) {
	var h Handler
	switch r.Type {
	case Autocomplete:
		h = rt.autocomplete
	case Component:
		h = rt.components[buttonPrefix(r.CustomID)]
	case Modal:
		h = rt.forms[buttonPrefix(r.CustomID)]
	default:
		h = rt.commands[r.Command]
	}
	if h == nil {
		return Response{}, fmt.Errorf("%w: %.100q (type %d, custom ID %.100q)", errUnknown, r.Command, r.Type, r.CustomID)
	}
	return h(ctx, r)
}
