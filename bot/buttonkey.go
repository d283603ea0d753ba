package bot

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"sync/atomic"
)

// The state a button carries in its custom ID is signed with a key every
// replica shares, so that a press reaching any of them can be checked and
// a forged one refused. SetButtonKey derives it from the bot's token;
// until then, a process signs with a random key of its own.
var buttonKey atomic.Pointer[[]byte]

func init() {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	buttonKey.Store(&k)
}

// SetButtonKey makes buttons signed with a key derived from secret (the
// bot's token, which every replica has); called before serving.
func SetButtonKey(secret string) {
	sum := sha256.Sum256([]byte("storybot button state\x00" + secret))
	k := sum[:]
	buttonKey.Store(&k)
}

// sigLen is the signature's length in a custom ID: 9 bytes of HMAC-SHA256,
// enough that guessing one takes 2^72 tries, in 12 characters of the 100.
const sigLen = 12

func sign(prefix, state string) string {
	m := hmac.New(sha256.New, *buttonKey.Load())
	m.Write([]byte(prefix))
	m.Write([]byte{0})
	m.Write([]byte(state))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:9])
}
