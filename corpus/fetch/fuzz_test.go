package fetch

import (
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storybot/storybot/corpus"
)

// FuzzURL checks the URL side of intake: checkURL lets through only
// http(s) URLs with a host and no credentials, and the file name a page
// gets from its URL never leaves the corpus directory.
func FuzzURL(f *testing.F) {
	for _, s := range []string{
		"https://www.example.org/2022/02/story.html", "http://127.0.0.1:8080/", "file:///etc/passwd",
		"https://user:pw@example.org/", "http://[::1]/", "http://example.org/%2e%2e%2f%2e%2e%2fetc",
		"HTTPS://EXAMPLE.ORG/../../x", "http://example.org/.env", "javascript:alert(1)", "//example.org/x",
		"http://example.org/a%00b.html", "http://0x7f.1/", "http://example.org/" + strings.Repeat("é", 200),
	} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, raw string, isHTML bool) {
		u, err := checkURL(raw)
		if err != nil {
			return
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil {
			t.Fatalf("checkURL(%q) accepted %v", raw, u)
		}
		if _, err := url.Parse(u.String()); err != nil {
			t.Fatalf("checkURL(%q) = %q, which does not parse: %v", raw, u, err)
		}
		mt := "text/plain"
		if isHTML {
			mt = "text/html"
		}
		name, err := corpus.SafeName((&Page{URL: u.String(), MediaType: mt}).FileName())
		if err != nil {
			return
		}
		if filepath.Base(name) != name || strings.Contains(name, "..") || strings.HasPrefix(name, ".") {
			t.Fatalf("URL %q gives file name %q", raw, name)
		}
	})
}

// FuzzPublicAddr checks that an IPv4 address is judged the same however
// it is written: plain, IPv4-mapped, NAT64 or 6to4.
func FuzzPublicAddr(f *testing.F) {
	for _, a := range []string{"127.0.0.1", "10.1.2.3", "8.8.8.8", "100.64.0.1", "169.254.169.254", "0.0.0.0"} {
		f.Add(netip.MustParseAddr(a).AsSlice())
	}
	nat64 := netip.MustParseAddr("64:ff9b::")
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) != 4 {
			return
		}
		v4 := netip.AddrFrom4([4]byte(b))
		want := publicAddr(v4)
		mapped := netip.AddrFrom16(v4.As16())
		n := nat64.As16()
		copy(n[12:], b)
		var s [16]byte
		s[0], s[1] = 0x20, 0x02
		copy(s[2:6], b)
		for _, a := range []netip.Addr{mapped, netip.AddrFrom16(n), netip.AddrFrom16(s)} {
			if publicAddr(a) != want {
				t.Fatalf("%s is public=%v but %s is public=%v", v4, want, a, publicAddr(a))
			}
		}
	})
}
