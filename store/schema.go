package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Verify checks the schema as well as the data: a table, index or trigger that is missing,
// changed or added behind safeguard's back is named, since a neutered trigger (the audit
// trail's append-only guard with its body replaced) or a retyped column lets later edits
// slip by. The expected schema is what the embedded migrations make, built once in an
// in-memory database.

type schemaObject struct {
	kind, name, table, sql string
}

type columnDef struct {
	name, decl string
	notNull    bool
	dflt       sql.NullString
	pk         int
}

type schemaInfo struct {
	objects map[string]schemaObject // by name
	columns map[string][]columnDef  // by table
}

var (
	expectedOnce   sync.Once
	expectedSchema *schemaInfo
	expectedErr    error
)

// wantSchema is the schema the migrations make.
func wantSchema() (*schemaInfo, error) {
	expectedOnce.Do(func() {
		db, err := sql.Open("sqlite", "file:expected-schema?mode=memory")
		if err != nil {
			expectedErr = err
			return
		}
		defer db.Close()
		db.SetMaxOpenConns(1)
		ctx := context.Background()
		for _, m := range migrations {
			if _, err := db.ExecContext(ctx, m); err != nil {
				expectedErr = fmt.Errorf("internal error: a migration does not apply to an empty database: %v", err)
				return
			}
		}
		expectedSchema, expectedErr = readSchema(ctx, db)
	})
	return expectedSchema, expectedErr
}

func readSchema(ctx context.Context, q queryer) (*schemaInfo, error) {
	rows, err := q.QueryContext(ctx, "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
	if err != nil {
		return nil, err
	}
	info := &schemaInfo{objects: map[string]schemaObject{}, columns: map[string][]columnDef{}}
	err = eachRow(rows, func(sc scanner) error {
		var o schemaObject
		if err := sc.Scan(&o.kind, &o.name, &o.table, &o.sql); err != nil {
			return err
		}
		info.objects[o.name] = o
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, o := range info.objects {
		if o.kind != "table" {
			continue
		}
		rows, err := q.QueryContext(ctx, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid", o.name)
		if err != nil {
			return nil, err
		}
		err = eachRow(rows, func(sc scanner) error {
			var c columnDef
			if err := sc.Scan(&c.name, &c.decl, &c.notNull, &c.dflt, &c.pk); err != nil {
				return err
			}
			info.columns[o.name] = append(info.columns[o.name], c)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return info, nil
}

// normalizeSQL makes two CREATE statements comparable: SQLite keeps their text as typed.
func normalizeSQL(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

// verifySchema compares the workspace's schema with the expected one. Missing or changed
// tables and columns are reported at once (they decide what else can be checked); other
// objects (indexes, triggers, anything added) go to later, which Verify reports last, so
// that a change made after a trigger was dropped is named first. It returns the
// workspace's schema and the tables that are missing.
func (s *Store) verifySchema(ctx context.Context, q dbReader, res *VerifyResult, later *VerifyResult) (*schemaInfo, map[string]bool, error) {
	want, err := wantSchema()
	if err != nil {
		return nil, nil, err
	}
	got, err := readSchema(ctx, q)
	if err != nil {
		return nil, nil, friendly(s.path, err)
	}
	missing := map[string]bool{}
	names := make([]string, 0, len(want.objects))
	for n := range want.objects {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { // tables first, so their triggers and indexes follow
		a, b := want.objects[names[i]], want.objects[names[j]]
		if (a.kind == "table") != (b.kind == "table") {
			return a.kind == "table"
		}
		return a.name < b.name
	})
	for _, n := range names {
		w := want.objects[n]
		g, ok := got.objects[n]
		switch {
		case !ok && w.kind == "table":
			missing[n] = true
			res.fail("the table %s is missing from the workspace: it was dropped outside safeguard", n)
		case !ok:
			later.fail("the %s %s is missing from the workspace: it was dropped outside safeguard", w.kind, n)
		case g.kind != w.kind:
			res.fail("%s is a %s in the workspace where safeguard has a %s: it was replaced outside safeguard", n, g.kind, w.kind)
		case w.kind == "table":
			compareColumns(res, n, want.columns[n], got.columns[n])
		case normalizeSQL(g.sql) != normalizeSQL(w.sql):
			what := "definition"
			if w.kind == "trigger" {
				what = "body"
			}
			later.fail("the %s %s was changed outside safeguard (its %s differs from safeguard's)", w.kind, n, what)
		}
	}
	var extra []string
	for n, g := range got.objects {
		if _, ok := want.objects[n]; !ok {
			extra = append(extra, g.kind+" "+n)
		}
	}
	sort.Strings(extra)
	for _, e := range extra {
		later.fail("the %s is not part of safeguard's workspace: it was added outside safeguard", e)
	}
	return got, missing, nil
}

func compareColumns(res *VerifyResult, table string, want, got []columnDef) {
	have := map[string]columnDef{}
	for _, c := range got {
		have[c.name] = c
	}
	for _, w := range want {
		g, ok := have[w.name]
		switch {
		case !ok:
			res.fail("the column %s.%s is missing: the table was changed outside safeguard", table, w.name)
		case !strings.EqualFold(g.decl, w.decl):
			res.fail("the column %s.%s is declared %s, safeguard's is %s: the table was changed outside safeguard", table, w.name, orDash(g.decl), w.decl)
		case g.notNull != w.notNull || g.pk != w.pk || g.dflt != w.dflt:
			res.fail("the column %s.%s lost or changed its constraints: the table was changed outside safeguard", table, w.name)
		}
		delete(have, w.name)
	}
	var extra []string
	for n := range have {
		extra = append(extra, n)
	}
	sort.Strings(extra)
	for _, n := range extra {
		res.fail("the column %s.%s is not safeguard's: it was added outside safeguard", table, n)
	}
}

func orDash(s string) string {
	if s == "" {
		return "without a type"
	}
	return s
}

// columnTypes maps each column of a table to the Go type its values must scan as:
// "int" for INTEGER, "text" for TEXT, "blob" for BLOB; nullable reports NULL allowed.
func columnTypes(cols []columnDef) map[string]valueRule {
	out := make(map[string]valueRule, len(cols))
	for _, c := range cols {
		r := valueRule{nullable: !c.notNull && c.pk == 0}
		switch strings.ToUpper(c.decl) {
		case "INTEGER":
			r.kind = "a number"
		case "TEXT":
			r.kind = "text"
		case "BLOB":
			r.kind = "binary data"
		}
		out[c.name] = r
	}
	return out
}

type valueRule struct {
	kind     string
	nullable bool
}

// valueKind names what a scanned value is.
func valueKind(v any) string {
	switch v.(type) {
	case nil:
		return "nothing (NULL)"
	case int64:
		return "a number"
	case float64:
		return "a decimal number"
	case string:
		return "text"
	case []byte:
		return "binary data"
	}
	return fmt.Sprintf("%T", v)
}
