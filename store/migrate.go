package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrations are the embedded SQL scripts in order; migration N brings the schema to
// version N (PRAGMA user_version). Released scripts never change: add a new one instead.
var migrations = mustMigrations()

func mustMigrations() []string {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		panic(err)
	}
	sort.Strings(names)
	out := make([]string, 0, len(names))
	for _, n := range names {
		b, err := migrationFS.ReadFile(n)
		if err != nil {
			panic(err)
		}
		out = append(out, string(b))
	}
	return out
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int { return len(migrations) }

func (s *Store) schemaVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, friendly(s.path, err)
	}
	return v, nil
}

// checkVersion is the read-only variant of migrate: it refuses what it cannot read.
func (s *Store) checkVersion(ctx context.Context) error {
	v, err := s.schemaVersion(ctx, s.db)
	if err != nil {
		return err
	}
	if v > len(migrations) {
		return newerSchemaError(s.path, v)
	}
	if v < len(migrations) {
		return fmt.Errorf("the workspace %s needs an upgrade that a read-only open cannot do; open it once without read-only access", s.path)
	}
	return nil
}

// migrate applies the pending migrations in one transaction, so a workspace is either at
// the old version or the new one, never in between. A current workspace is only read:
// opening it takes no write lock, so opening while another process writes does not wait.
func (s *Store) migrate(ctx context.Context) error {
	v, err := s.schemaVersion(ctx, s.db)
	if err != nil {
		return err
	}
	if v > len(migrations) {
		return newerSchemaError(s.path, v)
	}
	if v == len(migrations) {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return friendly(s.path, err)
	}
	defer tx.Rollback()
	if v, err = s.schemaVersion(ctx, tx); err != nil {
		return err
	}
	if v > len(migrations) {
		return newerSchemaError(s.path, v)
	}
	if v == len(migrations) {
		return nil // another process migrated it meanwhile
	}
	if v == 0 {
		if err := s.refuseForeign(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
			return friendly(s.path, err)
		}
	}
	for i := v; i < len(migrations); i++ {
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			return fmt.Errorf("upgrading the workspace to schema %d failed (%v); the workspace was left as it was", i+1, friendly(s.path, err))
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(migrations))); err != nil {
		return friendly(s.path, err)
	}
	return friendly(s.path, tx.Commit())
}

// refuseForeign stops us from adding our tables to someone else's SQLite database.
func (s *Store) refuseForeign(ctx context.Context, tx *sql.Tx) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
		return friendly(s.path, err)
	}
	if n > 0 {
		return fmt.Errorf("%s is an SQLite database of another program, not a safeguard workspace; check the --db path", s.path)
	}
	return nil
}
