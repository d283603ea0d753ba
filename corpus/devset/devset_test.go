package devset

import "testing"

func TestF1MatchesScorer(t *testing.T) {
	tests := []struct {
		pred, gold string
		want       float64
	}{
		{"Pat Caddell", "longtime Democratic pollster Pat Caddell", 2 * 1 * 0.4 / 1.4},
		{"Caddell", "Pat Caddell", 2 * 1 * 0.5 / 1.5},
		{"the Ukrainian Ministry of Defense", "Ukrainian Ministry of Defense", 1},
		{"Sen. Warren", "Elizabeth Warren", 2 * 1 * 0.5 / 1.5},
		{"“Trump”", "trump", 1},
		{"", "", 1},
		{"", "x", 0},
		{"Obama", "Clinton", 0},
	}
	for _, tt := range tests {
		if got := F1(tt.pred, tt.gold); got < tt.want-1e-9 || got > tt.want+1e-9 {
			t.Errorf("F1(%q, %q) = %v, want %v", tt.pred, tt.gold, got, tt.want)
		}
	}
}

func TestDateCorrect(t *testing.T) {
	it := Item{Answers: []string{"1998-08"}, Granularity: "month"}
	for pred, want := range map[string]bool{"1998-08-07": true, "1998-08": true, "1998": false, "1998-09-01": false, "": false} {
		if got := DateCorrect(it, pred); got != want {
			t.Errorf("DateCorrect(%q) = %v", pred, got)
		}
	}
	if Cut("2022-02-25T06:35", "day") != "2022-02-25" || Cut("2022", "day") != "2022" {
		t.Error("Cut")
	}
}
