package controls

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"sync"

	yaml "go.yaml.in/yaml/v3"
)

// compiled is the catalog as one JSON file, generated from the YAML sources in data/ by
// `go generate ./controls`. Parsing JSON is several times faster than YAML, which keeps
// start-up inside its budget; a test fails when it is out of date with the sources.
//
//go:generate go run ./internal/compile
//go:embed catalog.json
var compiled []byte

// File names inside a catalog folder.
const (
	structureFile       = "structure.yaml"
	vulnerabilitiesFile = "vulnerabilities.yaml"
	aliasesFile         = "aliases.yaml"
	questionsDir        = "questions"
)

// maxFileSize bounds one catalog file so a hostile file cannot exhaust memory.
const maxFileSize = 4 << 20

var loadDefault = sync.OnceValues(func() (*Catalog, error) { return Decode(compiled) })

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
	Regions    []Region    `yaml:"regions"`
}

type vulnerabilitiesDoc struct {
	Vulnerabilities []Vulnerability `yaml:"vulnerabilities"`
}

type questionsDoc struct {
	Questions []Question `yaml:"questions"`
}

type aliasesDoc struct {
	Aliases []Alias `yaml:"aliases"`
}

// Load reads and validates a catalog folder: structure.yaml, vulnerabilities.yaml,
// aliases.yaml and every questions/*.yaml file in name order. Errors name the file, the entry and the reason.
func Load(fsys fs.FS) (*Catalog, error) {
	c, _, err := LoadSources(fsys)
	return c, err
}

// LoadSources is Load that also returns the source file of each question, for Compile.
func LoadSources(fsys fs.FS) (*Catalog, []string, error) {
	var st structureDoc
	if err := decodeFile(fsys, structureFile, &st); err != nil {
		return nil, nil, err
	}
	var vd vulnerabilitiesDoc
	if err := decodeFile(fsys, vulnerabilitiesFile, &vd); err != nil {
		return nil, nil, err
	}
	var ad aliasesDoc
	if err := decodeFile(fsys, aliasesFile, &ad); err != nil {
		return nil, nil, err
	}
	c := &Catalog{
		Version:         st.Version,
		Safeguards:      st.Safeguards,
		Standards:       st.Standards,
		AssetKinds:      st.AssetKinds,
		Lenses:          st.Lenses,
		Regions:         st.Regions,
		Vulnerabilities: vd.Vulnerabilities,
		Aliases:         ad.Aliases,
	}
	files, err := fs.Glob(fsys, questionsDir+"/*.yaml")
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(files)
	var origin []string // file of each question, for error messages
	for _, f := range files {
		var qd questionsDoc
		if err := decodeFile(fsys, f, &qd); err != nil {
			return nil, nil, err
		}
		for range qd.Questions {
			origin = append(origin, f)
		}
		c.Questions = append(c.Questions, qd.Questions...)
	}
	if err := c.validate(origin, true); err != nil {
		return nil, nil, err
	}
	return c, origin, nil
}

func decodeFile(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("catalog file %s: %w", name, err)
	}
	if len(data) > maxFileSize {
		return fmt.Errorf("catalog file %s: larger than %d bytes", name, maxFileSize)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true) // a misspelt field is an error, not silently ignored
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("catalog file %s is empty", name)
		}
		return fmt.Errorf("catalog file %s: %v", path.Clean(name), err)
	}
	return nil
}

// compiledDoc is the shape of catalog.json: the catalog plus the source file of each
// question, so errors found when decoding still name the YAML file to fix.
type compiledDoc struct {
	Catalog
	Origins []string `json:"origins"`
}

// Compile renders a loaded catalog as the JSON that Decode reads.
func Compile(c *Catalog, origins []string) ([]byte, error) {
	doc := compiledDoc{Catalog: *c, Origins: origins}
	doc.Vulnerabilities = make([]Vulnerability, len(c.Vulnerabilities))
	for i, v := range c.Vulnerabilities {
		v.MitigatedBy = nil // derived again when decoding
		doc.Vulnerabilities[i] = v
	}
	return json.Marshal(doc)
}

// Decode reads and validates a compiled catalog.
func Decode(data []byte) (*Catalog, error) {
	var doc compiledDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("compiled catalog: %v; run go generate ./controls", err)
	}
	if len(doc.Origins) != len(doc.Questions) {
		return nil, fmt.Errorf("compiled catalog: %d origins for %d questions; run go generate ./controls", len(doc.Origins), len(doc.Questions))
	}
	c := doc.Catalog
	for i := range c.Vulnerabilities {
		c.Vulnerabilities[i].MitigatedBy = nil
	}
	if err := c.validate(doc.Origins, false); err != nil {
		return nil, err
	}
	return &c, nil
}
