package fetch

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Validators are what a client kept from its last fetch of a URL, so that
// a server can answer "not modified" instead of sending it all again (a
// conditional GET, as feed readers are expected to make).
type Validators struct {
	ETag         string
	LastModified string
}

// Response is what Get found: a page, or that it has not changed.
type Response struct {
	// Page is nil when NotModified.
	Page        *Page
	NotModified bool
	// Validators are the ones to send next time; a 304 may leave them out,
	// and then the ones sent still hold.
	Validators Validators
}

// StatusError is a fetch the site answered with a status other than 2xx
// (or 304 to a conditional request). It matches ErrStatus.
type StatusError struct {
	Code   int
	Status string
	// RetryAfter is how long the site asked to be left alone (429, 503),
	// zero when it did not say.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s: it answered %s", ErrStatus, e.Status)
}

func (e *StatusError) Is(target error) bool { return target == ErrStatus }

// Get fetches rawURL like Fetch, as a conditional GET when v holds
// validators: a 304 gives NotModified and no page. Everything Fetch
// refuses, Get refuses the same way.
func Get(ctx context.Context, rawURL string, opt Options, v Validators) (*Response, error) {
	opt = opt.withDefaults()
	u, err := checkURL(rawURL)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	client := newClient(opt)
	defer client.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", accept(opt.Types))
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, explain(err, opt)
	}
	defer resp.Body.Close()
	got := Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	if resp.StatusCode == http.StatusNotModified && v != (Validators{}) {
		if got == (Validators{}) {
			got = v
		}
		return &Response{NotModified: true, Validators: got}, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &StatusError{Code: resp.StatusCode, Status: resp.Status, RetryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now())}
	}
	mediaType, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil {
		return nil, fmt.Errorf("%w (it does not say what it is)", ErrContentType)
	}
	if !slices.Contains(opt.Types, mediaType) {
		return nil, fmt.Errorf("%w (it is %s)", ErrContentType, mediaType)
	}
	if resp.ContentLength > opt.MaxBytes {
		return nil, tooLargeError{opt.MaxBytes}
	}
	// Read one byte past the cap: a page that never ends stops here, and
	// no more than the cap is ever held in memory.
	body, err := io.ReadAll(io.LimitReader(resp.Body, opt.MaxBytes+1))
	if err != nil {
		return nil, explain(err, opt)
	}
	if int64(len(body)) > opt.MaxBytes {
		return nil, tooLargeError{opt.MaxBytes}
	}
	body, err = toUTF8(body, mediaType, params["charset"])
	if err != nil {
		return nil, err
	}
	return &Response{Page: &Page{URL: resp.Request.URL.String(), MediaType: mediaType, Body: body}, Validators: got}, nil
}

// accept is the Accept header for the media types wanted, the first
// preferred.
func accept(types []string) string {
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = t
		if i > 0 {
			parts[i] += ";q=0.9"
		}
	}
	return strings.Join(parts, ", ")
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if n, err := strconv.Atoi(h); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
