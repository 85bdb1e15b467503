package controls

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"sync"

	"github.com/goccy/go-yaml"
)

//go:embed data
var embedded embed.FS

// File names inside a catalog folder.
const (
	structureFile       = "structure.yaml"
	vulnerabilitiesFile = "vulnerabilities.yaml"
	questionsDir        = "questions"
)

// maxFileSize bounds one catalog file so a hostile file cannot exhaust memory.
const maxFileSize = 4 << 20

var loadDefault = sync.OnceValues(func() (*Catalog, error) {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		return nil, err
	}
	return Load(sub)
})

// Default returns the catalog embedded in the binary. It is loaded and validated once.
func Default() (*Catalog, error) { return loadDefault() }

// MustDefault is Default for callers that cannot continue without a catalog; the embedded
// catalog is validated by the tests, so a failure here is a build defect.
func MustDefault() *Catalog {
	c, err := Default()
	if err != nil {
		panic(err)
	}
	return c
}

// structureDoc is the shape of structure.yaml.
type structureDoc struct {
	Version    string      `yaml:"version"`
	Safeguards []Safeguard `yaml:"safeguards"`
	Standards  []Standard  `yaml:"standards"`
	AssetKinds []AssetKind `yaml:"asset_kinds"`
	Lenses     []Lens      `yaml:"lenses"`
}

type vulnerabilitiesDoc struct {
	Vulnerabilities []Vulnerability `yaml:"vulnerabilities"`
}

type questionsDoc struct {
	Questions []Question `yaml:"questions"`
}

// Load reads and validates a catalog folder: structure.yaml, vulnerabilities.yaml and every
// questions/*.yaml file in name order. Errors name the file, the entry and the reason.
func Load(fsys fs.FS) (*Catalog, error) {
	var st structureDoc
	if err := decodeFile(fsys, structureFile, &st); err != nil {
		return nil, err
	}
	var vd vulnerabilitiesDoc
	if err := decodeFile(fsys, vulnerabilitiesFile, &vd); err != nil {
		return nil, err
	}
	c := &Catalog{
		Version:         st.Version,
		Safeguards:      st.Safeguards,
		Standards:       st.Standards,
		AssetKinds:      st.AssetKinds,
		Lenses:          st.Lenses,
		Vulnerabilities: vd.Vulnerabilities,
	}
	files, err := fs.Glob(fsys, questionsDir+"/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var origin []string // file of each question, for error messages
	for _, f := range files {
		var qd questionsDoc
		if err := decodeFile(fsys, f, &qd); err != nil {
			return nil, err
		}
		for range qd.Questions {
			origin = append(origin, f)
		}
		c.Questions = append(c.Questions, qd.Questions...)
	}
	if err := c.validate(origin); err != nil {
		return nil, err
	}
	return c, nil
}

func decodeFile(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("catalog file %s: %w", name, err)
	}
	if len(data) > maxFileSize {
		return fmt.Errorf("catalog file %s: larger than %d bytes", name, maxFileSize)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data), yaml.DisallowUnknownField())
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("catalog file %s is empty", name)
		}
		return fmt.Errorf("catalog file %s: %s", path.Clean(name), yaml.FormatError(err, false, true))
	}
	return nil
}
