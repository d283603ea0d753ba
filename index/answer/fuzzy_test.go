package answer

import "testing"

func TestSimilarStems(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"ukrain", "ukrainian", true},
		{"beriod", "beroid", true},   // two letters swapped
		{"stadium", "stadiun", true}, // one letter wrong
		{"parliament", "parlaiment", true},
		{"two", "2", true},
		{"second", "2nd", true},
		{"1,000", "1000", true},
		{"twenti", "20", true},
		{"three", "4", false},
		{"cat", "cut", false},       // too short to allow a slip
		{"border", "murder", false}, // the first letter differs
		{"reform", "record", false},
	} {
		if got := similarStems(tc.a, tc.b); got != tc.want {
			t.Errorf("similarStems(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

func TestTermInAcronym(t *testing.T) {
	toks := tokenize("The American Automobile Association reported shortages.")
	if !termIn(tokenize("AAA")[0], toks) {
		t.Error("AAA not found as the initials of American Automobile Association")
	}
	if termIn(tokenize("NATO")[0], toks) {
		t.Error("NATO found where it is not")
	}
	if !termIn(tokenize("Treaty")[0], tokenize("the North Atlantic treaties")) {
		t.Error("a plural not matched")
	}
}
