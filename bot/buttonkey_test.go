package bot

// Every bot of the tests connects with testToken; signing with its key
// from the start keeps buttons made before a connection valid after it.
func init() { SetButtonKey(testToken) }
