package controls

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// ngramLen is the longest run of words a question may share with a NIST sample question.
// Our questions are written in our own words; a shared run of this length means copying.
const ngramLen = 7

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

func ngrams(ws []string, n int) []string {
	var out []string
	for i := 0; i+n <= len(ws); i++ {
		out = append(out, strings.Join(ws[i:i+n], " "))
	}
	return out
}

func TestQuestionsAreNotCopiedFromNIST(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/nist-sample-questions.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	nist := map[string]string{}
	for _, r := range rows[1:] {
		for _, g := range ngrams(words(r[1]), ngramLen) {
			nist[g] = r[1]
		}
	}
	for _, q := range rawQuestions(t) {
		for _, field := range []string{q.Text, q.Help} {
			for _, g := range ngrams(words(field), ngramLen) {
				if src, ok := nist[g]; ok {
					t.Errorf("question %s shares %q with NIST's sample question %q; write it in our own words", q.ID, g, src)
					break
				}
			}
		}
	}
}

// rawQuestions decodes the question files without cross-file validation, so wording checks
// report on every file even while the catalog as a whole is incomplete.
func rawQuestions(t *testing.T) []Question {
	t.Helper()
	files, err := filepath.Glob("data/questions/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no question files found: %v", err)
	}
	var out []Question
	for _, f := range files {
		var qd questionsDoc
		if err := decodeFile(os.DirFS("data"), strings.TrimPrefix(filepath.ToSlash(f), "data/"), &qd); err != nil {
			t.Fatal(err)
		}
		out = append(out, qd.Questions...)
	}
	return out
}
