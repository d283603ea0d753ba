// Package pgtest gives tests a PostgreSQL database of their own: on the
// server named by STORYBOT_TEST_DATABASE_URL (which .ci/run starts), or
// else on a private server it starts from the installed PostgreSQL. When
// neither works, the test is skipped with the reason.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

var (
	once    sync.Once
	base    string
	baseErr error
	server  *exec.Cmd
	dataDir string
)

// URL is a new, empty database for the test, dropped when it ends.
func URL(t testing.TB) string {
	t.Helper()
	once.Do(func() { base, baseErr = serverURL() })
	if baseErr != nil {
		t.Skipf("PostgreSQL tests skipped: %v", baseErr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Skipf("PostgreSQL tests skipped: connecting to %s: %v", redact(base), err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "storybot_test_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("creating a test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, base); err == nil {
			_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(ctx)
		}
	})
	u, _ := url.Parse(base)
	u.Path = "/" + name
	return u.String()
}

// Main runs a package's tests and then stops a server that this process
// started; a package whose tests use URL calls it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if server != nil {
		_ = server.Process.Signal(os.Interrupt) // a fast shutdown
		done := make(chan struct{})
		go func() { server.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			server.Process.Kill()
		}
		os.RemoveAll(dataDir)
	}
	os.Exit(code)
}

func redact(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "the server"
}

func serverURL() (string, error) {
	if u := os.Getenv("STORYBOT_TEST_DATABASE_URL"); u != "" {
		return u, nil
	}
	return start()
}

// start runs a throwaway server on a free port of 127.0.0.1. initdb
// refuses to run as root, so as root it runs as the postgres user that
// Debian's package creates.
func start() (string, error) {
	bin, err := findBin()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "storybot-pg-")
	if err != nil {
		return "", err
	}
	dataDir = dir
	var runAs []string
	if os.Geteuid() == 0 {
		pg, err := user.Lookup("postgres")
		if err != nil {
			return "", errors.New("running as root, and there is no postgres user to run PostgreSQL as")
		}
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return "", err
		}
		runAs = []string{"runuser", "-u", "postgres", "--"}
	}
	data := filepath.Join(dir, "data")
	args := append(append([]string{}, runAs...), filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
	if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("initdb: %v: %s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return "", err
	}
	args = append(append([]string{}, runAs...), filepath.Join(bin, "postgres"), "-D", data, "-p", strconv.Itoa(port),
		"-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200")
	server = exec.Command(args[0], args[1:]...)
	server.Stdout, server.Stderr = nil, nil
	if err := server.Start(); err != nil {
		server = nil
		return "", fmt.Errorf("starting postgres: %w", err)
	}
	u := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		c, err := pgx.Connect(ctx, u)
		cancel()
		if err == nil {
			c.Close(context.Background())
			return u, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return "", errors.New("the PostgreSQL server started but did not accept connections within 30s")
}

func findBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		return "", errors.New("PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql), and STORYBOT_TEST_DATABASE_URL is not set; .ci/run installs it")
	}
	return filepath.Dir(matches[len(matches)-1]), nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
