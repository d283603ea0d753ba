package corpus

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

// devItem is the part of an evaluation question these tests read.
type devItem struct {
	ID        string   `json:"id"`
	Kind      string   `json:"kind"`
	Story     string   `json:"story"`
	Paragraph int      `json:"paragraph"`
	Quote     string   `json:"quote"`
	Answers   []string `json:"answers"`
}

func readDevItems(t *testing.T, path string) []devItem {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var items []devItem
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var it devItem
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
	return items
}
