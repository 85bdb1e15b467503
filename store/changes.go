package store

import "context"

// Changed reports whether another process has committed a change to the workspace since
// the previous call; the first call sets the starting point and reports false. A screen
// polls it about once a second and reloads what it shows when it reports true.
//
// It is one PRAGMA data_version on the Store's own connection: SQLite answers from the
// shared-memory index, without reading the file, and counts only other connections'
// commits, so this process's own saves do not count as changes (BenchmarkChanged: well
// under 1% of one core at one call a second).
func (s *Store) Changed(ctx context.Context) (bool, error) {
	var v int64
	if err := s.db.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		return false, friendly(s.path, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	changed := s.dataVersion != 0 && v != s.dataVersion
	s.dataVersion = v
	return changed, nil
}
