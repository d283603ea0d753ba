package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/storybot/storybot/corpus/synth"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
)

// scopedQuestion is a question as asked in one server: its scope is that
// server's collection and the shared library.
type scopedQuestion struct {
	synth.Question
	Scope index.Scope `json:"scope"`
}

// collectionsResult is the many-collections case: the shared library
// alone, and small server collections beside it, in one index directory.
type collectionsResult struct {
	Collections     int       `json:"collections"`
	CollectionParas int       `json:"collection_paragraphs"`
	SharedParas     int       `json:"shared_paragraphs"`
	BuildSeconds    float64   `json:"build_collections_s"`
	DiskMB          float64   `json:"disk_mb"`
	OpenMS          float64   `json:"open_ms"`
	RSSAfterOpenMB  float64   `json:"rss_after_open_mb"`
	PeakRSSMB       float64   `json:"serve_peak_rss_mb"`
	Opened          int       `json:"collections_opened"`
	SharedP50       latencies `json:"shared_p50_ms"`
	SharedP99       latencies `json:"shared_p99_ms"`
	// The same questions asked in a server: what a server's scope adds.
	SharedInServerP50 latencies `json:"shared_in_server_p50_ms"`
	SharedInServerP99 latencies `json:"shared_in_server_p99_ms"`
	ServerP50         latencies `json:"server_p50_ms"`
	ServerP99         latencies `json:"server_p99_ms"`
	ServerP99Loaded   latencies `json:"server_p99_ms_8"`
	ServerHit1        latencies `json:"server_hit1"`
}

// collectionGuild names the i-th synthetic server.
func collectionGuild(i int) string { return strconv.Itoa(900000000000000000 + i) }

// benchCollections builds a shared library of o.paragraphs and n server
// collections of per paragraphs each, then, in a fresh process, times
// questions asked in the shared library alone and questions asked in the
// servers, spread over all of them.
func benchCollections(ctx context.Context, env *cliEnv, o benchOptions, n, per int) error {
	shared := o.paragraphs
	if shared == 0 {
		shared = 100_000
	}
	work, err := workDir(o.dir, shared)
	if err != nil {
		return err
	}
	if o.dir == "" {
		defer os.RemoveAll(work)
	}
	var r benchResult
	if err := buildArchive(ctx, env, o, shared, work, &r); err != nil {
		return err
	}
	idxDir := filepath.Join(work, "index")
	ix, err := index.Open(idxDir)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "bench: building %d collections of %d paragraphs…\n", n, per)
	start := time.Now()
	var asked []scopedQuestion
	perCollection := max(1, (o.queries+n-1)/n)
	for i := range n {
		c, err := synth.Generate(per, synth.SharedSeed+1+int64(i))
		if err != nil {
			ix.Close()
			return err
		}
		guild := collectionGuild(i)
		if _, err := ix.Rebuild(ctx, guild, index.Entries(c.Stories), index.Meta{}, nil); err != nil {
			ix.Close()
			return err
		}
		for _, k := range benchKinds {
			for _, q := range c.Sample(k.synth, perCollection, int64(i)) {
				asked = append(asked, scopedQuestion{q, index.Scope{guild, index.Shared}})
			}
		}
	}
	build := time.Since(start)
	if err := ix.Close(); err != nil {
		return err
	}
	qfile := filepath.Join(work, "server-questions.json")
	b, _ := json.Marshal(asked)
	if err := os.WriteFile(qfile, b, 0o644); err != nil {
		return err
	}
	disk, err := dirMB(idxDir)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "bench: timing questions in the shared library alone, and in %d servers…\n", n)
	res, err := serveCollectionsInChild(ctx, env, idxDir, filepath.Join(work, "questions.json"), qfile)
	if err != nil {
		fmt.Fprintf(env.stderr, "bench: measuring in this process instead: %v\n", err)
		if res, err = serveCollections(ctx, idxDir, filepath.Join(work, "questions.json"), qfile); err != nil {
			return err
		}
	}
	res.Collections, res.CollectionParas, res.SharedParas = n, per, shared
	res.BuildSeconds, res.DiskMB = round2(build.Seconds()), disk
	if o.json {
		return json.NewEncoder(env.stdout).Encode(res)
	}
	printCollections(env.stdout, res)
	return nil
}

func serveCollectionsInChild(ctx context.Context, env *cliEnv, idxDir, shared, servers string) (collectionsResult, error) {
	var res collectionsResult
	out, err := childBench(ctx, env, "--open-only", idxDir, "--questions", shared, "--server-questions", servers)
	if err != nil {
		return res, err
	}
	return res, json.Unmarshal(out, &res)
}

// serveCollections opens the index as the bot does and times both sets.
func serveCollections(ctx context.Context, dir, sharedFile, serverFile string) (collectionsResult, error) {
	var res collectionsResult
	start := time.Now()
	ix, err := index.Open(dir)
	if err != nil {
		return res, err
	}
	defer ix.Close()
	res.OpenMS = ms(time.Since(start))
	res.RSSAfterOpenMB = procStatusMB("VmRSS")
	var byKind map[string][]synth.Question
	if b, err := os.ReadFile(sharedFile); err != nil {
		return res, err
	} else if err := json.Unmarshal(b, &byKind); err != nil {
		return res, err
	}
	var servers []scopedQuestion
	if b, err := os.ReadFile(serverFile); err != nil {
		return res, err
	} else if err := json.Unmarshal(b, &servers); err != nil {
		return res, err
	}
	eng := answer.New(ix)
	for _, k := range benchKinds {
		var mine []scopedQuestion
		for _, q := range servers {
			if q.Kind == k.synth {
				mine = append(mine, q)
			}
		}
		var alone []scopedQuestion
		for _, q := range byKind[k.synth] {
			alone = append(alone, scopedQuestion{q, nil})
		}
		if len(mine) == 0 || len(alone) == 0 {
			return res, fmt.Errorf("no %s questions", k.synth)
		}
		// Warm both up, and open every server's collection once, so the
		// timings are of answering, not of a first open.
		for _, set := range [][]scopedQuestion{alone[:min(20, len(alone))], mine} {
			if _, _, err := timeScoped(ctx, eng, k.kind, set, 1); err != nil {
				return res, err
			}
		}
		single, _, err := timeScoped(ctx, eng, k.kind, alone, 1)
		if err != nil {
			return res, err
		}
		*res.SharedP50.of(k.kind) = ms(synth.Percentile(single, 50))
		*res.SharedP99.of(k.kind) = ms(synth.Percentile(single, 99))
		// The shared library's questions again, each asked in one of the
		// servers, so the difference is the server's scope alone.
		inServer := make([]scopedQuestion, len(alone))
		for i, q := range alone {
			inServer[i] = scopedQuestion{q.Question, mine[i%len(mine)].Scope}
		}
		single, _, err = timeScoped(ctx, eng, k.kind, inServer, 1)
		if err != nil {
			return res, err
		}
		*res.SharedInServerP50.of(k.kind) = ms(synth.Percentile(single, 50))
		*res.SharedInServerP99.of(k.kind) = ms(synth.Percentile(single, 99))
		single, hits, err := timeScoped(ctx, eng, k.kind, mine, 1)
		if err != nil {
			return res, err
		}
		*res.ServerP50.of(k.kind) = ms(synth.Percentile(single, 50))
		*res.ServerP99.of(k.kind) = ms(synth.Percentile(single, 99))
		*res.ServerHit1.of(k.kind) = round2(100 * float64(hits) / float64(len(mine)))
		loaded, _, err := timeScoped(ctx, eng, k.kind, mine, askers)
		if err != nil {
			return res, err
		}
		*res.ServerP99Loaded.of(k.kind) = ms(synth.Percentile(loaded, 99))
	}
	res.Opened = len(ix.Collections())
	res.PeakRSSMB = procStatusMB("VmHWM")
	return res, nil
}

func printCollections(w io.Writer, r collectionsResult) {
	fmt.Fprintf(w, "storybot bench, many collections · load average %s\n\n", loadAverage())
	fmt.Fprintf(w, "%d collections of %d paragraphs beside a shared library of %d: built in %.1f s, %.1f MB on disk\n",
		r.Collections, r.CollectionParas, r.SharedParas, r.BuildSeconds, r.DiskMB)
	fmt.Fprintf(w, "open %.1f ms, RSS after open %.1f MB, peak %.1f MB while answering in %d collections\n\n",
		r.OpenMS, r.RSSAfterOpenMB, r.PeakRSSMB, r.Opened)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "command\tshared alone p50\tp99\tsame, in a server p50\tp99\tservers' own p50\tp99\tp99 ×8\thit@1\t")
	for _, k := range benchKinds {
		fmt.Fprintf(tw, "%s\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.0f\t\n", k.name,
			*r.SharedP50.of(k.kind), *r.SharedP99.of(k.kind), *r.SharedInServerP50.of(k.kind), *r.SharedInServerP99.of(k.kind),
			*r.ServerP50.of(k.kind), *r.ServerP99.of(k.kind), *r.ServerP99Loaded.of(k.kind), *r.ServerHit1.of(k.kind))
	}
	tw.Flush()
	fmt.Fprintln(w, "\nshared alone: the shared library's questions in the shared library; same, in a server: those")
	fmt.Fprintln(w, "questions asked in a server (its collection with the shared library); servers' own: questions")
	fmt.Fprintln(w, "about the servers' stories, asked in their servers (p99 ×8 and hit@1 are theirs).")
}
