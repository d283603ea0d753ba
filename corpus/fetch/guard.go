package fetch

import (
	"fmt"
	"net/netip"
	"syscall"
)

// blocked are the ranges a public news site is never on. The checks on
// netip.Addr (IsPrivate, IsLoopback…) cover the rest.
var blocked = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and broadcast
	netip.MustParsePrefix("100::/64"),        // discard
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("2001::/32"),       // Teredo, which tunnels to any IPv4 host
	netip.MustParsePrefix("fec0::/10"),       // site-local (deprecated, still routed inside some networks)
}

// embedsIPv4 are IPv6 ranges whose last 32 bits are an IPv4 address that a
// gateway may forward to, so that address is checked as well.
var embedsIPv4 = []netip.Prefix{
	netip.MustParsePrefix("64:ff9b::/96"),   // NAT64
	netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64
	netip.MustParsePrefix("::/96"),          // IPv4-compatible (deprecated)
}

var sixToFour = netip.MustParsePrefix("2002::/16")

// publicAddr reports whether a may be dialled by a fetch that must not
// reach the bot's own host or network.
func publicAddr(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsUnspecified() ||
		a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() ||
		a.IsMulticast() {
		return false
	}
	for _, p := range blocked {
		if p.Contains(a) {
			return false
		}
	}
	if a.Is6() {
		for _, p := range embedsIPv4 {
			if p.Contains(a) {
				b := a.As16()
				return publicAddr(netip.AddrFrom4([4]byte(b[12:16])))
			}
		}
		// 6to4 carries the IPv4 address in bits 16–48.
		if sixToFour.Contains(a) {
			b := a.As16()
			return publicAddr(netip.AddrFrom4([4]byte(b[2:6])))
		}
	}
	return true
}

// guard is the dialer's Control function: it runs once per connection
// attempt, after name resolution and before connect, on the very address
// being dialled.
func guard(opt Options) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		if opt.AllowPrivate || (opt.permit != nil && opt.permit(address)) {
			return nil
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w (%s)", ErrPrivate, address)
		}
		if !publicAddr(ap.Addr()) {
			return fmt.Errorf("%w (%s)", ErrPrivate, ap.Addr())
		}
		return nil
	}
}
