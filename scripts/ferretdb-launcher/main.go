// Command ferretdb-launcher serves a MongoDB-compatible endpoint backed by SQLite.
//
// It embeds FerretDB as a library because installing FerretDB's own cmd/ferretdb
// with `go install` panics on a missing version file. The Node side starts it,
// reads the first stdout line (JSON with the connection URI) and stops it with
// SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	_ "net/http/pprof" // served only when -pprof is given
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	dataDir := flag.String("data", ".data/ferretdb", "directory holding the SQLite files")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	pprofAddr := flag.String("pprof", os.Getenv("FERRETDB_LAUNCHER_PPROF"), "address for Go's /debug/pprof (profiling the database in benchmarks); off when empty")
	idLookup := flag.Bool("id-lookup-index", os.Getenv("FERRETDB_LAUNCHER_NO_ID_LOOKUP") == "", "index the expression FerretDB filters {_id} with, on every collection (see id_lookup.go); FERRETDB_LAUNCHER_NO_ID_LOOKUP=1 turns it off for comparisons")
	flag.Parse()

	if *pprofAddr != "" {
		go func() { _ = http.ListenAndServe(*pprofAddr, nil) }()
	}

	abs, err := filepath.Abs(*dataDir)
	if err != nil {
		fail("resolve data directory: %v", err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		fail("create data directory: %v", err)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail("bad -log-level: %v", err)
	}
	// Logs go to stderr so stdout carries only the one machine-readable line; attributes are
	// formatted only for records that are written (see lazy_attrs.go).
	logger := slog.New(newLazyAttrsHandler(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Logger:   logger,
		Handler:  "sqlite",
		// WAL with synchronous=NORMAL: commits stay atomic and the files consistent after a
		// crash, but the log is synced at checkpoints rather than on every commit (SQLite's
		// recommended setting for WAL). This is a development and test database; fsync per
		// commit made small writes (job locks, progress) the largest cost of a run.
		SQLiteURL: "file:" + abs + "/?_pragma=synchronous(normal)",
	})
	if err != nil {
		fail("start FerretDB: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()

	if *idLookup {
		go keepIDLookupIndexes(ctx, abs, 200*time.Millisecond, logger)
	}

	line, _ := json.Marshal(map[string]string{"uri": f.MongoDBURI(), "data": abs})
	fmt.Println(string(line))

	<-done
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ferretdb-launcher: "+format+"\n", args...)
	os.Exit(1)
}
