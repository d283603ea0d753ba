package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/storybot/storybot/corpus/synth"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
)

// benchSizes are measured when --paragraphs is not given: enough points to
// see how each cost grows with the archive.
var benchSizes = []int{1_000, 10_000, 100_000}

// benchKinds are the question kinds measured, with their names in the report.
var benchKinds = []struct {
	kind  answer.Kind
	name  string
	synth string
}{{answer.Ask, "ask", "ask"}, {answer.Who, "who-said", "who"}, {answer.When, "when", "when"}}

// askers is the number of concurrent askers of the loaded measurement: a
// busy server answering several channels at once.
const askers = 8

// latencies are per-command figures in milliseconds. A struct, not a map,
// so that the JSON keys come in the documented order.
type latencies struct {
	Ask     float64 `json:"ask"`
	WhoSaid float64 `json:"who-said"`
	When    float64 `json:"when"`
}

// of returns the field for one kind of question.
func (l *latencies) of(k answer.Kind) *float64 {
	switch k {
	case answer.Who:
		return &l.WhoSaid
	case answer.When:
		return &l.When
	}
	return &l.Ask
}

// benchResult is one archive size's measurements. The JSON keys are fixed
// by issue 6 so that scripts can compare runs; the rest is for the table.
type benchResult struct {
	Paragraphs     int       `json:"paragraphs"`
	BuildPerS      float64   `json:"build_per_s"`
	DiskMB         float64   `json:"disk_mb"`
	OpenMS         float64   `json:"open_ms"`
	RSSAfterOpenMB float64   `json:"rss_after_open_mb"`
	PeakRSSMB      float64   `json:"peak_rss_mb"`
	P50            latencies `json:"p50_ms"`
	P99            latencies `json:"p99_ms"`
	P99Loaded      latencies `json:"p99_ms_8"`

	stories     int
	generate    time.Duration
	build       time.Duration
	servePeakMB float64
	hit1        latencies // share of questions whose own paragraph came first
	inProcess   bool      // the serving side could not run in a child process
}

// serveResult is what the serving side measures, in a child process or not.
type serveResult struct {
	OpenMS         float64   `json:"open_ms"`
	RSSAfterOpenMB float64   `json:"rss_after_open_mb"`
	PeakRSSMB      float64   `json:"peak_rss_mb"`
	P50            latencies `json:"p50_ms"`
	P99            latencies `json:"p99_ms"`
	P99Loaded      latencies `json:"p99_ms_8"`
	Hit1           latencies `json:"hit1"`
}

type benchOptions struct {
	paragraphs int
	// collections, when set, measures that many server collections of
	// collectionParas paragraphs beside the shared library.
	collections     int
	collectionParas int
	serverQuestions string
	json            bool
	dir             string
	openOnly        string
	questions       string
	queries         int
}

func benchCommand(ctx context.Context, env *cliEnv, args []string) error {
	var o benchOptions
	fs := newFlags("bench", env)
	fs.IntVar(&o.paragraphs, "paragraphs", 0, "archive size in paragraphs (default: 1000, 10000 and 100000 in turn)")
	fs.BoolVar(&o.json, "json", false, "print one JSON object per archive size")
	fs.StringVar(&o.dir, "dir", "", "keep the archives and indexes under DIR/N/ instead of a temporary directory")
	fs.IntVar(&o.queries, "queries", 600, "questions timed per kind, for each of the single and the concurrent runs")
	fs.StringVar(&o.openOnly, "open-only", "", "internal: open the index in `DIR` and measure it, in a fresh process")
	fs.StringVar(&o.questions, "questions", "", "internal: with --open-only, the questions to time")
	fs.IntVar(&o.collections, "collections", 0, "also build `N` server collections beside the shared library of --paragraphs (default 100000), and time questions asked in them")
	fs.IntVar(&o.collectionParas, "collection-paragraphs", 100, "paragraphs in each of the --collections")
	fs.StringVar(&o.serverQuestions, "server-questions", "", "internal: with --open-only, the questions asked in the servers")
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", pos[0])}
	}
	if o.queries < 1 {
		return usageError{"--queries must be at least 1"}
	}
	if o.openOnly != "" && o.serverQuestions != "" {
		res, err := serveCollections(ctx, o.openOnly, o.questions, o.serverQuestions)
		if err != nil {
			return err
		}
		return json.NewEncoder(env.stdout).Encode(res)
	}
	if o.collections < 0 || o.collectionParas < 1 {
		return usageError{"--collections must be at least 0 and --collection-paragraphs at least 1"}
	}
	if o.collections > 0 {
		return benchCollections(ctx, env, o, o.collections, o.collectionParas)
	}
	if o.openOnly != "" {
		res, err := serve(ctx, o.openOnly, o.questions)
		if err != nil {
			return err
		}
		return json.NewEncoder(env.stdout).Encode(res)
	}
	sizes := benchSizes
	if o.paragraphs != 0 {
		if o.paragraphs < 1 {
			return usageError{"--paragraphs must be at least 1"}
		}
		sizes = []int{o.paragraphs}
	}
	var results []benchResult
	for _, n := range sizes {
		r, err := benchOne(ctx, env, o, n)
		if err != nil {
			return fmt.Errorf("%d paragraphs: %w", n, err)
		}
		if o.json {
			if err := json.NewEncoder(env.stdout).Encode(r); err != nil {
				return err
			}
		}
		results = append(results, r)
	}
	if !o.json {
		printBench(env.stdout, results)
	}
	return nil
}

// benchOne generates an archive of n paragraphs, builds its persistent
// index, and measures the index from a fresh process as the bot would use it.
func benchOne(ctx context.Context, env *cliEnv, o benchOptions, n int) (benchResult, error) {
	r := benchResult{Paragraphs: n}
	work, err := workDir(o.dir, n)
	if err != nil {
		return r, err
	}
	if o.dir == "" {
		defer os.RemoveAll(work)
	}
	idxDir, qfile := filepath.Join(work, "index"), filepath.Join(work, "questions.json")
	if err := buildArchive(ctx, env, o, n, work, &r); err != nil {
		return r, err
	}
	if r.DiskMB, err = dirMB(idxDir); err != nil {
		return r, err
	}
	r.PeakRSSMB = procStatusMB("VmHWM")

	fmt.Fprintf(env.stderr, "bench: timing %d questions of each kind, alone and %d at once…\n", o.queries, askers)
	s, err := serveInChild(ctx, env, idxDir, qfile)
	if err != nil {
		fmt.Fprintf(env.stderr, "bench: measuring in this process instead: %v\n", err)
		r.inProcess = true
		s, err = serve(ctx, idxDir, qfile)
		if err != nil {
			return r, err
		}
	}
	r.OpenMS, r.RSSAfterOpenMB, r.servePeakMB = s.OpenMS, s.RSSAfterOpenMB, s.PeakRSSMB
	r.P50, r.P99, r.P99Loaded, r.hit1 = s.P50, s.P99, s.P99Loaded, s.Hit1
	r.PeakRSSMB = max(r.PeakRSSMB, s.PeakRSSMB)
	return r, nil
}

// buildArchive generates the archive, writes the questions to time, and
// builds the persistent index in work/index. The archive is dropped when it
// returns, so that it does not weigh on what is measured next.
func buildArchive(ctx context.Context, env *cliEnv, o benchOptions, n int, work string, r *benchResult) error {
	fmt.Fprintf(env.stderr, "bench: generating %d paragraphs…\n", n)
	start := time.Now()
	c, err := synth.Generate(n, synth.SharedSeed)
	if err != nil {
		return err
	}
	r.generate, r.stories = time.Since(start), len(c.Stories)
	if o.dir != "" {
		if err := c.WriteDir(filepath.Join(work, "corpus")); err != nil {
			return err
		}
	}
	if err := writeQuestions(filepath.Join(work, "questions.json"), c, o.queries); err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "bench: indexing %d stories…\n", len(c.Stories))
	idxDir := filepath.Join(work, "index")
	if _, err := os.Stat(idxDir); err == nil {
		return fmt.Errorf("%s already holds an index", idxDir)
	}
	ix, err := index.Open(idxDir)
	if err != nil {
		return err
	}
	stats, err := ix.Rebuild(ctx, index.Shared, index.Entries(c.Stories), index.Meta{}, nil)
	if err != nil {
		return err
	}
	r.build = stats.Took
	r.BuildPerS = round2(float64(stats.Paragraphs) / stats.Took.Seconds())
	return ix.Close()
}

func workDir(base string, n int) (string, error) {
	if base == "" {
		return os.MkdirTemp("", "storybot-bench-")
	}
	dir := filepath.Join(base, strconv.Itoa(n))
	if _, err := os.Stat(dir); err == nil {
		return "", fmt.Errorf("%s already exists; remove it or choose another --dir", dir)
	}
	return dir, os.MkdirAll(dir, 0o755)
}

// writeQuestions samples the questions to time, so that the serving
// process neither generates the archive nor holds it in memory.
func writeQuestions(path string, c *synth.Corpus, n int) error {
	qs := map[string][]synth.Question{}
	for _, k := range benchKinds {
		qs[k.synth] = c.Sample(k.synth, n, synth.SharedSeed)
	}
	b, err := json.Marshal(qs)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// serveInChild runs `storybot bench --open-only` in a fresh process, so
// that the open time and the memory are those of a bot starting on an
// existing index, not of a process that has just generated and built one.
func serveInChild(ctx context.Context, env *cliEnv, idxDir, qfile string) (serveResult, error) {
	var s serveResult
	out, err := childBench(ctx, env, "--open-only", idxDir, "--questions", qfile)
	if err != nil {
		return s, err
	}
	return s, json.Unmarshal(out, &s)
}

// childBench runs `storybot bench` with args in a fresh process and returns
// what it prints.
func childBench(ctx context.Context, env *cliEnv, args ...string) ([]byte, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(filepath.Base(exe), "storybot") {
		return nil, fmt.Errorf("%s is not the storybot binary", filepath.Base(exe))
	}
	cmd := exec.CommandContext(ctx, exe, append([]string{"bench"}, args...)...)
	cmd.Stderr = env.stderr
	return cmd.Output()
}

// serve opens the index in dir and, given questions, times answering them.
func serve(ctx context.Context, dir, qfile string) (serveResult, error) {
	var s serveResult
	start := time.Now()
	ix, err := index.Open(dir)
	if err != nil {
		return s, err
	}
	defer ix.Close()
	s.OpenMS = ms(time.Since(start))
	s.RSSAfterOpenMB = procStatusMB("VmRSS")
	if qfile == "" {
		s.PeakRSSMB = procStatusMB("VmHWM")
		return s, nil
	}
	b, err := os.ReadFile(qfile)
	if err != nil {
		return s, err
	}
	var qs map[string][]synth.Question
	if err := json.Unmarshal(b, &qs); err != nil {
		return s, fmt.Errorf("%s: %w", qfile, err)
	}
	eng := answer.New(ix)
	for _, k := range benchKinds {
		list := qs[k.synth]
		if len(list) == 0 {
			return s, fmt.Errorf("%s: no %s questions", qfile, k.synth)
		}
		// A short warm-up, so that the first queries do not time the
		// page cache and lazily built state rather than answering.
		if _, _, err := timeAnswers(ctx, eng, k.kind, list[:min(len(list), 20)], 1); err != nil {
			return s, err
		}
		single, hits, err := timeAnswers(ctx, eng, k.kind, list, 1)
		if err != nil {
			return s, err
		}
		loaded, _, err := timeAnswers(ctx, eng, k.kind, list, askers)
		if err != nil {
			return s, err
		}
		*s.P50.of(k.kind) = ms(synth.Percentile(single, 50))
		*s.P99.of(k.kind) = ms(synth.Percentile(single, 99))
		*s.P99Loaded.of(k.kind) = ms(synth.Percentile(loaded, 99))
		*s.Hit1.of(k.kind) = round2(100 * float64(hits) / float64(len(list)))
	}
	s.PeakRSSMB = procStatusMB("VmHWM")
	return s, nil
}

// timeAnswers answers every question with the given number of concurrent
// askers and returns each answer's latency, and how many answers quoted
// the question's own paragraph first.
func timeAnswers(ctx context.Context, eng *answer.Engine, kind answer.Kind, qs []synth.Question, workers int) ([]time.Duration, int, error) {
	scoped := make([]scopedQuestion, len(qs))
	for i, q := range qs {
		scoped[i] = scopedQuestion{Question: q}
	}
	return timeScoped(ctx, eng, kind, scoped, workers)
}

// timeScoped is timeAnswers for questions asked each in its own scope.
func timeScoped(ctx context.Context, eng *answer.Engine, kind answer.Kind, qs []scopedQuestion, workers int) ([]time.Duration, int, error) {
	took := make([]time.Duration, len(qs))
	hit := make([]bool, len(qs))
	errs := make([]error, workers)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range next {
				q := qs[i]
				start := time.Now()
				a, err := eng.Answer(ctx, answer.Request{Kind: kind, Question: q.Question.Question, Scope: q.Scope})
				took[i] = time.Since(start)
				if err != nil && errs[w] == nil {
					errs[w] = fmt.Errorf("%s %q: %w", kind, q.Question.Question, err)
				}
				own := len(q.Scope) == 0 || (len(a.Passages) > 0 && a.Passages[0].Collection == q.Scope[0])
				hit[i] = own && len(a.Passages) > 0 && a.Passages[0].Story == q.Story && a.Passages[0].Paragraph == q.Paragraph
			}
		})
	}
	for i := range qs {
		next <- i
	}
	close(next)
	wg.Wait()
	n := 0
	for _, h := range hit {
		if h {
			n++
		}
	}
	return took, n, errors.Join(errs...)
}

func ms(d time.Duration) float64 { return round2(float64(d) / float64(time.Millisecond)) }

func round2(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

// dirMB is the size of the files under dir, in MiB.
func dirMB(dir string) (float64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			total += info.Size()
		}
		return err
	})
	return round2(float64(total) / (1 << 20)), err
}

// procStatusMB reads a memory figure of this process, such as VmRSS (now)
// or VmHWM (the peak), from /proc/self/status, in MiB. It is 0 where there
// is no /proc.
func procStatusMB(key string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != key {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
		if err != nil {
			return 0
		}
		return round2(kb / 1024)
	}
	return 0
}

// loadAverage is the machine's one-minute load, which says how much other
// work the timings shared the CPUs with.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

func printBench(w io.Writer, results []benchResult) {
	fmt.Fprintf(w, "storybot bench · %s · %d CPUs (GOMAXPROCS %d) · load average %s\n\n",
		runtime.Version(), runtime.NumCPU(), runtime.GOMAXPROCS(0), loadAverage())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "paragraphs\tstories\tgenerate s\tbuild s\tbuild para/s\tdisk MB\topen ms\tRSS open MB\tpeak RSS MB\tserve peak MB\t")
	for _, r := range results {
		fmt.Fprintf(tw, "%d\t%d\t%.1f\t%.1f\t%.0f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t\n", r.Paragraphs, r.stories,
			r.generate.Seconds(), r.build.Seconds(), r.BuildPerS, r.DiskMB, r.OpenMS, r.RSSAfterOpenMB, r.PeakRSSMB, r.servePeakMB)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nanswer latency, ms (p50 and p99 from one asker, p99 from %d at once), and hit@1 %%\n\n", askers)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "paragraphs\tcommand\tp50\tp99\tp99 ×8\thit@1\t")
	for _, r := range results {
		for _, k := range benchKinds {
			fmt.Fprintf(tw, "%d\t%s\t%.2f\t%.2f\t%.2f\t%.0f\t\n", r.Paragraphs, k.name,
				*r.P50.of(k.kind), *r.P99.of(k.kind), *r.P99Loaded.of(k.kind), *r.hit1.of(k.kind))
		}
	}
	tw.Flush()
	for _, r := range results {
		if r.inProcess {
			fmt.Fprintf(w, "\nnote: %d paragraphs were measured in the building process, so its open RSS includes the build.\n", r.Paragraphs)
		}
	}
}
