package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	_ "modernc.org/sqlite" // the driver FerretDB itself uses (registered as "sqlite")
)

// FerretDB 1.24 turns a `{_id: <string or ObjectId>}` filter into
//
//	WHERE _ferretdb_sjson->'$._id' = ?
//
// but builds its unique `_id_` index on `_ferretdb_sjson->"_id"`. SQLite matches an expression
// index only on the same expression, so every lookup, replace and delete by key was a scan
// that extracted `_id` from the JSON text of every row of the collection: its cost grew with
// the collection's size and its documents' size (measured: a replace of a 93 KiB mailbox state
// cost 28–72 ms at 100–300 documents, against 6.5 ms for an insert, which does use the index).
//
// idLookupIndexes gives every collection table an index on the expression FerretDB's queries
// use, so those become index searches. It is an index FerretDB does not know about (it is not in
// its metadata, and listIndexes does not show it); SQLite maintains it on every write and drops
// it with its table. The launcher watches the database files for new tables (FerretDB creates a
// collection's table on its first write) through SQLite's schema version, which any DDL bumps.
const idLookupSuffix = "__launcher_id_lookup"

type watchedDB struct {
	db            *sql.DB
	stamp         string
	schemaVersion int64
}

// fileStamp tells one file from another one created later under the same name: the inode alone
// does not (a dropped database's inode is reused at once), its change time does. Writes that
// reach the file (WAL checkpoints) change it too; that only costs a reopen and a schema check.
func fileStamp(info os.FileInfo) string {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return fmt.Sprintf("%d:%d:%d.%d", st.Dev, st.Ino, st.Ctim.Sec, st.Ctim.Nsec)
	}
	return info.ModTime().String()
}

func keepIDLookupIndexes(ctx context.Context, dir string, every time.Duration, logger *slog.Logger) {
	watched := map[string]*watchedDB{}
	defer func() {
		for _, w := range watched {
			_ = w.db.Close()
		}
	}()

	ticker := time.NewTicker(every)
	defer ticker.Stop()

	for {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		present := map[string]bool{}
		for _, f := range files {
			present[f] = true
			if err := ensureIDLookup(ctx, f, watched); err != nil && ctx.Err() == nil {
				logger.Debug("id lookup index", slog.String("file", filepath.Base(f)), slog.String("error", err.Error()))
			}
		}
		// A dropped database's file is gone: let its handle go too.
		for f, w := range watched {
			if !present[f] {
				_ = w.db.Close()
				delete(watched, f)
			}
		}

		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func ensureIDLookup(ctx context.Context, file string, watched map[string]*watchedDB) error {
	info, err := os.Stat(file)
	if err != nil {
		return err
	}
	w := watched[file]
	// A database dropped and created again under the same name is a new file: the handle on
	// the old one would never see the new tables.
	if w != nil && w.stamp != fileStamp(info) {
		_ = w.db.Close()
		delete(watched, file)
		w = nil
	}
	if w == nil {
		// mode=rw: never create a file FerretDB has just removed.
		db, err := sql.Open("sqlite", "file:"+file+"?mode=rw&_pragma=busy_timeout(10000)")
		if err != nil {
			return err
		}
		db.SetMaxOpenConns(1)
		w = &watchedDB{db: db, stamp: fileStamp(info), schemaVersion: -1}
		watched[file] = w
	}

	var version int64
	if err := w.db.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&version); err != nil {
		return err
	}
	if version == w.schemaVersion {
		return nil
	}

	tables, err := collectionTablesWithoutLookup(ctx, w.db)
	if err != nil {
		return err
	}
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+idLookupSuffix, t)
		if _, err := w.db.ExecContext(ctx, q); err != nil && !strings.Contains(err.Error(), "no such table") {
			return err
		}
	}

	// Read again: the indexes just created bumped it.
	if err := w.db.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&version); err != nil {
		return err
	}
	w.schemaVersion = version
	return nil
}

// collectionTablesWithoutLookup lists FerretDB's collection tables (one `_ferretdb_sjson` column)
// that have no lookup index yet.
func collectionTablesWithoutLookup(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT t.name FROM sqlite_master t
		WHERE t.type = 'table' AND t.sql LIKE '%_ferretdb_sjson TEXT%'
		AND NOT EXISTS (SELECT 1 FROM sqlite_master i WHERE i.type = 'index' AND i.name = t.name || ?)`, idLookupSuffix)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		tables = append(tables, name)
	}
	return tables, rows.Err()
}
