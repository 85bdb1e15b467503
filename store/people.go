package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"safeguard/assessment"
)

// The people of a workspace: who works in it (assessors, the office manager, the IT
// provider's technician). When the list is not empty, the person working is one of them:
// every answer, evidence item, sign-off and audit entry names that person, not the
// computer's login. Each computer remembers, per user and per workspace, who was working
// last (outside the workspace, in the user state folder), so the TUI asks only once.

// Person is one person who works in the workspace.
type Person struct {
	ID    string    `json:"id"`
	Name  string    `json:"name"`
	Role  string    `json:"role"`
	Added time.Time `json:"added"`
}

// People lists the workspace's people by name.
func (s *Store) People(ctx context.Context) ([]Person, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, name, role, added_at FROM people")
	if err != nil {
		return nil, friendly(s.path, err)
	}
	var out []Person
	err = eachRow(rows, func(sc scanner) error {
		var p Person
		var at string
		if err := sc.Scan(&p.ID, &p.Name, &p.Role, &at); err != nil {
			return err
		}
		p.Added, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, friendly(s.path, err)
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out, nil
}

// AddPerson adds someone to the workspace's people. Names are unique, ignoring case.
func (s *Store) AddPerson(ctx context.Context, name, role string) (Person, error) {
	name, err := assessment.CleanName("person's name", name)
	if err != nil {
		return Person{}, err
	}
	role = strings.TrimSpace(role)
	if role != "" {
		if role, err = assessment.CleanName("role", role); err != nil {
			return Person{}, err
		}
	}
	p := Person{ID: uuid.NewString(), Name: name, Role: role, Added: s.now().UTC()}
	err = s.mutate(ctx, func(t *Tx) error {
		var n int
		if err := t.queryRow("SELECT count(*) FROM people WHERE name = ? COLLATE NOCASE", name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%s is already one of the workspace's people; give another name", name)
		}
		if _, err := t.exec("INSERT INTO people (id, name, role, added_at) VALUES (?, ?, ?, ?)",
			p.ID, p.Name, p.Role, p.Added.Format(time.RFC3339Nano)); err != nil {
			return err
		}
		return t.record(ActionCreate, "person", p.ID, "")
	})
	if err != nil {
		return Person{}, err
	}
	return p, nil
}

// RemovePerson removes someone, named by name (any case) or ID, from the workspace's
// people. What they did keeps their name.
func (s *Store) RemovePerson(ctx context.Context, ref string) (Person, error) {
	var p Person
	err := s.mutate(ctx, func(t *Tx) error {
		people, err := s.peopleIn(t)
		if err != nil {
			return err
		}
		found, ok := findPerson(people, ref)
		if !ok {
			return unknownPerson(ref, people)
		}
		p = found
		return t.deleteRecord("people", "person", p.ID, "")
	})
	return p, err
}

func (s *Store) peopleIn(t *Tx) ([]Person, error) {
	rows, err := t.tx.QueryContext(t.ctx, "SELECT id, name, role FROM people ORDER BY name COLLATE NOCASE")
	if err != nil {
		return nil, err
	}
	var out []Person
	err = eachRow(rows, func(sc scanner) error {
		var p Person
		if err := sc.Scan(&p.ID, &p.Name, &p.Role); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// findPerson finds a person by ID or by name, ignoring case and surrounding space.
func findPerson(people []Person, ref string) (Person, bool) {
	ref = strings.TrimSpace(ref)
	for _, p := range people {
		if p.ID == ref || strings.EqualFold(p.Name, ref) {
			return p, true
		}
	}
	return Person{}, false
}

// unknownPerson says that ref is nobody in the list and names who is.
func unknownPerson(ref string, people []Person) error {
	if len(people) == 0 {
		return fmt.Errorf("%q is not one of the workspace's people (it has none yet); add them with `safeguard people add NAME --role ROLE`", ref)
	}
	names := make([]string, len(people))
	for i, p := range people {
		names[i] = p.Name
	}
	return fmt.Errorf("%q is not one of the workspace's people (%s); give one of them, or add the person with `safeguard people add NAME --role ROLE`", ref, strings.Join(names, ", "))
}

// ErrNoPerson means the workspace names its people and nobody said which of them is
// working.
var ErrNoPerson = errors.New("no person chosen")

// SetActor makes name the person working: every later change names them. When the
// workspace has people, name must be one of them (ignoring case) and the person is
// returned as recorded; when it has none, any clean name is taken as it is.
func (s *Store) SetActor(ctx context.Context, name string) (Person, error) {
	people, err := s.People(ctx)
	if err != nil {
		return Person{}, err
	}
	var p Person
	if len(people) == 0 {
		clean, err := assessment.CleanName("actor name", name)
		if err != nil {
			return Person{}, err
		}
		p = Person{Name: clean}
	} else {
		found, ok := findPerson(people, name)
		if !ok {
			return Person{}, unknownPerson(name, people)
		}
		p = found
	}
	s.mu.Lock()
	s.actor = p.Name
	s.mu.Unlock()
	return p, nil
}

// OSUser is the login name of the current OS user: who the audit trail names when the
// workspace has no people and nobody gave a name.
func OSUser() string { return osUser() }

// rememberedFile is the record, per workspace identity, of who was last working on this
// computer, in the user state folder.
type rememberedFile struct {
	Format string                     `json:"format"`
	People map[string]rememberedEntry `json:"people"` // by workspace identity
}

type rememberedEntry struct {
	Name string `json:"name"`
	Path string `json:"path"` // where the workspace was, for people reading the file
	At   string `json:"at"`
}

const rememberedFormat = "safeguard-person/v1"

func (s *Store) rememberedPath() string {
	if s.stateDir == "" {
		return ""
	}
	return filepath.Join(s.stateDir, "person.json")
}

func readRemembered(path string) rememberedFile {
	f := rememberedFile{Format: rememberedFormat, People: map[string]rememberedEntry{}}
	b, err := os.ReadFile(path)
	if err != nil {
		return f
	}
	var got rememberedFile
	if json.Unmarshal(b, &got) != nil || got.Format != rememberedFormat || got.People == nil {
		return f
	}
	return got
}

// RememberedActor is who was last working in this workspace on this computer ("" when
// nobody was remembered, or the workspace has no identity yet).
func (s *Store) RememberedActor(ctx context.Context) string {
	path := s.rememberedPath()
	if path == "" {
		return ""
	}
	id, err := s.Identity(ctx)
	if err != nil || id == "" {
		return ""
	}
	return readRemembered(path).People[id].Name
}

// RememberActor records, outside the workspace, that name is working in it on this
// computer, so the next session starts as them. Without a state folder it does nothing.
func (s *Store) RememberActor(ctx context.Context, name string) error {
	path := s.rememberedPath()
	if path == "" {
		return nil
	}
	id, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	if id == "" {
		return nil // an empty workspace: nothing to key the record by yet
	}
	f := readRemembered(path)
	f.People[id] = rememberedEntry{Name: name, Path: s.path, At: s.now().UTC().Format(time.RFC3339)}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(s.stateDir, 0o700); err != nil {
		return fmt.Errorf("cannot remember who is working (%v); choose again next time", err)
	}
	tmp, err := os.CreateTemp(s.stateDir, ".person-*.json")
	if err != nil {
		return fmt.Errorf("cannot remember who is working (%v); choose again next time", err)
	}
	_, werr := tmp.Write(append(b, '\n'))
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cannot remember who is working (%v); choose again next time", errors.Join(werr, cerr))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cannot remember who is working (%v); choose again next time", err)
	}
	return nil
}
