package accessible

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"safeguard/assessment"
	"safeguard/reports"
	"safeguard/ui/common"
)

// Reports and exports in plain prompts, through reports.Formats and
// store.LoadOutputSource like every other front end.

func (se *session) report(d *common.Data) error {
	labels := make([]string, 0, len(reports.Formats)+1)
	for _, f := range reports.Formats {
		labels = append(labels, f.Label)
	}
	labels = append(labels, "Back")
	i, err := se.choose("What do you want to write?", labels)
	if err != nil || i == len(reports.Formats) {
		return err
	}
	f := reports.Formats[i]
	return se.within("writing "+f.Label, func() error {
		name := fileName(d.Snap.Assessment.Title, se.now()) + f.Ext
		path, err := se.text("Save as (a path; relative to "+se.dir+")", name, false, nil)
		if err != nil {
			return err
		}
		if !filepath.IsAbs(path) {
			path = filepath.Join(se.dir, common.ExpandHome(path))
		}
		force := false
		if _, err := os.Stat(path); err == nil {
			if force, err = se.yes(path+" exists. Replace it?", nil); err != nil || !force {
				return err
			}
		}
		if !d.Final() && f.Name == "pdf" {
			se.say("The assessment is not final: the PDF carries a DRAFT watermark.")
		}
		se.say("Writing %s…", f.Label)
		sha, size, err := se.write(d.ID(), f, path, force)
		if err != nil {
			se.say("Not written: %s.", err)
			return nil
		}
		se.say("Wrote %s (%s) to %s. SHA-256 %s.", f.Label, assessment.FormatSize(size), path, sha)
		return nil
	})
}

// write loads what the format needs and writes it atomically, hashing it as it goes.
func (se *session) write(id string, f reports.Format, path string, force bool) (string, int64, error) {
	src, err := se.s.LoadOutputSource(se.ctx, id, f.Verify, f.Document)
	if err != nil {
		return "", 0, err
	}
	in := reports.Input{Snapshot: src.Snapshot, Document: src.Document}
	h := sha256.New()
	var size int64
	err = reports.WriteFileAtomic(path, force, func(w io.Writer) error {
		return f.Write(&counter{w: io.MultiWriter(w, h), n: &size}, in)
	})
	return hex.EncodeToString(h.Sum(nil)), size, err
}

type counter struct {
	w io.Writer
	n *int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	*c.n += int64(n)
	return n, err
}

// fileName proposes a file name from the title and the day: "2026-risk-analysis-2026-12-06".
func fileName(title string, now time.Time) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-") + "-" + assessment.ISODate(now)
}

// finalize reads the readiness list, moves the assessment into review and back, and signs
// it off once nothing blocks.
func (se *session) finalize(d *common.Data) error {
	a := d.Snap.Assessment
	if so := d.Snap.SignOff; d.Final() && so != nil {
		se.say("Final and locked. Signed by %s (%s) on %s. Audit chain head at sign-off: %s.", so.Name, so.Role, assessment.DocDay(so.Date), so.ChainHead)
		return nil
	}
	items := d.Summary.Readiness
	if len(items) == 0 {
		se.say("Ready to finalize: nothing blocks sign-off.")
	} else {
		se.say("%s finalizing:", assessment.Plural(len(items), "item blocks", "items block"))
		for i, it := range items {
			if i == 40 {
				se.say("… and %d more; resolve these first.", len(items)-40)
				break
			}
			se.say("  %s", it.Text)
		}
	}
	review := "Move it into review"
	if a.Status == assessment.StatusInReview {
		review = "Move it back to draft"
	}
	opts := []string{review, "Sign it off and lock it", "Back"}
	i, err := se.choose("What do you want to do?", opts)
	if err != nil {
		return err
	}
	switch i {
	case 0:
		next := assessment.StatusInReview
		if a.Status == assessment.StatusInReview {
			next = assessment.StatusDraft
		}
		if err := se.s.SetStatus(se.ctx, a.ID, next); err != nil {
			se.say("Not changed: %s.", err)
			return nil
		}
		se.say("The status is now %s.", strings.ToLower(next.Label()))
	case 1:
		if len(items) > 0 {
			se.say("%s finalizing; resolve the list first.", assessment.Plural(len(items), "item still blocks", "items still block"))
			return nil
		}
		return se.within("the sign-off", func() error { return se.signOff(d) })
	}
	return nil
}

const defaultStatement = "I have reviewed this risk analysis. It reflects the organization's safeguards, gaps and risks as assessed during the period stated, and the risk management plan has been accepted by management."

// signOff records the sign-off of the person working (their name and role to start from)
// and locks the assessment.
func (se *session) signOff(d *common.Data) error {
	so := assessment.SignOff{Date: assessment.ISODate(se.now()), Statement: defaultStatement}
	name, role := se.s.Actor(), ""
	if people, err := se.s.People(se.ctx); err == nil {
		for _, p := range people {
			if strings.EqualFold(p.Name, name) {
				role = p.Role
			}
		}
	}
	var err error
	if so.Name, err = se.text("Name of the person signing", name, false, common.Name("signer's name")); err != nil {
		return err
	}
	if so.Role, err = se.text("Their role, for example Security official", role, false, common.Name("signer's role")); err != nil {
		return err
	}
	if so.Date, err = se.text("Date, YYYY-MM-DD", so.Date, false, common.Date("sign-off date", true)); err != nil {
		return err
	}
	se.para("Statement: " + so.Statement)
	if so.Statement, err = se.text("Statement", so.Statement, false, common.Name("sign-off statement")); err != nil {
		return err
	}
	ok, err := se.yes("Sign and lock? Every answer is locked; later changes need a new revision.", nil)
	if err != nil {
		return err
	}
	if !ok {
		se.say("Not finalized.")
		return nil
	}
	if err := se.s.Finalise(se.ctx, d.ID(), so, se.now()); err != nil {
		se.say("Not finalized: %s.", err)
		return nil
	}
	se.say("Signed off and locked.")
	return nil
}
