package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/store"
	"safeguard/store/signing"
)

func newVerifyCmd(g *globals) *cobra.Command {
	var anchors []string
	var report string
	var accept bool
	cmd := &cobra.Command{
		Use:   "verify [--anchor SEQ:HASH|FILE]",
		Short: "Check the audit chain, every record and the evidence; exit 1 if anything fails",
		Long: "Check the workspace without changing it: its schema, the audit chain (every entry's hash and link), " +
			"every record against its last audited state, the seals of sign-offs and reports and their signatures, " +
			"the evidence (re-hashed), and the last chain head this computer saw. Exit 1 names what failed.\n\n" +
			"What a plain verify proves: nothing was damaged by accident or edited naively. It cannot tell a history " +
			"that someone with the file rewrote, recomputing every hash. An anchor can: --anchor SEQ:HASH (as a " +
			"report's cover, a sign-off or an export prints it), or --anchor FILE to read it from a safeguard PDF or " +
			"JSON/OSCAL export, checks that the chain still holds that entry unchanged, so nothing before it was " +
			"rewritten. A signature (with a signing key, see `safeguard key`) binds the same, and this computer's " +
			"last-seen record catches a chain that became shorter or different since it was last opened here.\n\n" +
			"--report FILE.pdf says whether that PDF was produced from this workspace at the chain head it names, " +
			"and is unaltered (its SHA-256 is recorded in the audit trail; a FILE.pdf.sig beside it is checked too).\n\n" +
			"An encrypted workspace verified without its passphrase is checked in full except the encrypted evidence " +
			"content, and verify says so.",
		Example: "  safeguard verify\n" +
			"  safeguard verify --anchor 1842:9c1f…(64 hex digits)\n" +
			"  safeguard verify --anchor riverbend-2026-risk-analysis.pdf\n" +
			"  safeguard verify --report riverbend-2026-risk-analysis.pdf",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g.quietHistory = true
			return g.withReadStore(func(s *store.Store) error {
				return runVerify(cmd, s, anchors, report, accept)
			})
		},
	}
	cmd.Flags().StringArrayVar(&anchors, "anchor", nil, "an anchor SEQ:HASH, or a safeguard PDF or JSON export to read it from (repeatable)")
	cmd.Flags().StringVar(&report, "report", "", "a safeguard PDF report: was it produced from this workspace, and is it unaltered?")
	cmd.Flags().BoolVar(&accept, "accept-current", false, "after a warning that the chain is shorter or differs from the one last seen here (a backup restored on purpose), record the current chain as seen; only when everything else verifies")
	return cmd
}

func runVerify(cmd *cobra.Command, s *store.Store, anchorArgs []string, report string, accept bool) error {
	ctx := cmd.Context()
	out, errw := cmd.OutOrStdout(), cmd.ErrOrStderr()
	start := time.Now()
	res, err := s.Verify(ctx)
	if err != nil {
		return err
	}
	id, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	var notes []string
	for _, a := range anchorArgs {
		seal, from, err := readAnchorArg(a)
		if err != nil {
			return err
		}
		if p, note, err := checkAnchor(cmd, s, id, seal, from); err != nil {
			return err
		} else if p != "" {
			res.Problems = append(res.Problems, p)
		} else {
			notes = append(notes, note)
		}
	}
	if report != "" {
		p, note, err := checkReport(cmd, s, id, report)
		if err != nil {
			return err
		}
		if p != "" {
			res.Problems = append(res.Problems, p)
		} else {
			notes = append(notes, note)
		}
	}
	historyOnly := len(res.Problems) == 1 && s.History() != nil && res.Problems[0] == s.History().Error()
	if accept && historyOnly {
		if err := s.AcceptHistory(ctx); err != nil {
			return err
		}
		res.Problems = nil
		notes = append(notes, fmt.Sprintf("Recorded entry %d as the last chain head this computer has seen of this workspace.", res.Anchor.Seq))
	}
	if !res.OK() {
		fmt.Fprintf(errw, "FAILED: %s\n", res.Problems[0])
		for _, p := range res.Problems[1:] {
			fmt.Fprintf(errw, "  also: %s\n", p)
		}
		if accept && !historyOnly && s.History() != nil {
			fmt.Fprintln(errw, "  The current chain was not recorded as seen: fix the other problems first.")
		}
		return errCheckFailed
	}
	head := "none (empty workspace)"
	if !res.Anchor.IsZero() {
		head = res.Anchor.String()
	}
	fmt.Fprintf(out, "OK: %s, %s, %s and %s match; chain head %s (%s)\n",
		assessment.Plural(int(res.Entries), "audit entry", "audit entries"), assessment.Plural(res.Records, "record", "records"),
		assessment.Plural(res.Seals, "seal", "seals"), assessment.Plural(res.Blobs, "evidence blob", "evidence blobs"),
		head, time.Since(start).Round(time.Millisecond))
	if res.Signatures > 0 {
		verb := "verify"
		if res.Signatures == 1 {
			verb = "verifies"
		}
		fmt.Fprintf(out, "%s %s, by key %s.\n", assessment.Plural(res.Signatures, "seal signature", "seal signatures"), verb, strings.Join(res.Signers, ", "))
	}
	if res.SealedSkipped > 0 {
		fmt.Fprintf(out, "Not checked: the content of %s (give the passphrase in %s, or run verify in a terminal, to re-hash it); everything else was checked.\n",
			assessment.Plural(res.SealedSkipped, "encrypted evidence blob", "encrypted evidence blobs"), passphraseEnv)
	}
	if id != "" {
		fmt.Fprintf(out, "Workspace %s.\n", id)
	}
	if _, err := store.DefaultStateDir(); err != nil {
		fmt.Fprintln(out, "No last-seen record is kept on this computer (no home folder), so a lost or rewritten history is only found with an anchor.")
	}
	for _, n := range notes {
		fmt.Fprintln(out, n)
	}
	return nil
}

// anchorToken is how a PDF report carries its seal in its metadata (Keywords), and an
// OSCAL export in a property: "safeguard-anchor:WORKSPACE:SEQ:HASH".
var anchorToken = regexp.MustCompile(`safeguard-anchor:([0-9a-f-]{0,64}):([0-9]{1,18}):([0-9a-f]{64})`)

// readAnchorArg reads an --anchor: SEQ:HASH, or a file carrying a seal.
func readAnchorArg(arg string) (assessment.Seal, string, error) {
	if a, err := store.ParseAnchor(arg); err == nil {
		return assessment.Seal{Seq: a.Seq, Head: a.Hash}, "the anchor " + a.String(), nil
	}
	st, err := os.Stat(arg)
	if err != nil {
		if strings.Contains(arg, ":") && !strings.ContainsAny(arg, `/\`) {
			_, perr := store.ParseAnchor(arg)
			return assessment.Seal{}, "", perr
		}
		return assessment.Seal{}, "", fmt.Errorf("--anchor %s is neither SEQ:HASH nor a file that exists; give the anchor a report prints, or the report or export itself", arg)
	}
	if err := store.CheckRegular(arg, st, "a report or export file"); err != nil {
		return assessment.Seal{}, "", err
	}
	data, err := readSmall(arg, 256<<20)
	if err != nil {
		return assessment.Seal{}, "", err
	}
	seal, ok := anchorIn(data)
	if !ok {
		return assessment.Seal{}, "", fmt.Errorf("%s carries no safeguard anchor (it is not a report or export of this version of safeguard); give the anchor as SEQ:HASH", arg)
	}
	return seal, filepath.Base(arg), nil
}

// anchorIn finds the seal in a PDF report, a JSON export or an OSCAL export.
func anchorIn(data []byte) (assessment.Seal, bool) {
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		var doc struct {
			Integrity *assessment.Seal `json:"integrity"`
		}
		if json.Unmarshal(data, &doc) == nil && doc.Integrity != nil && doc.Integrity.Seq > 0 {
			return *doc.Integrity, true
		}
	}
	m := anchorToken.FindSubmatch(data)
	if m == nil {
		return assessment.Seal{}, false
	}
	a, err := store.ParseAnchor(string(m[2]) + ":" + string(m[3]))
	if err != nil {
		return assessment.Seal{}, false
	}
	return assessment.Seal{Workspace: string(m[1]), Seq: a.Seq, Head: a.Hash}, true
}

// checkAnchor returns the problem with an anchor, or a note saying it holds.
func checkAnchor(cmd *cobra.Command, s *store.Store, id string, seal assessment.Seal, from string) (problem, note string, err error) {
	if seal.Workspace != "" && id != "" && seal.Workspace != id {
		return fmt.Sprintf("%s is from another workspace (%s, this one is %s); check it against that workspace", from, seal.Workspace, id), "", nil
	}
	r, err := s.CheckAnchor(cmd.Context(), store.Anchor{Seq: seal.Seq, Hash: seal.Head})
	if err != nil {
		return "", "", err
	}
	if p := r.Problem(); p != "" {
		return from + ": " + p, "", nil
	}
	note = fmt.Sprintf("Anchor %s (%s) holds: the chain still has entry %d unchanged, so nothing before it was rewritten.", r.Anchor, from, r.Anchor.Seq)
	if seal.Signed() {
		msg := signing.SealMessage(seal.Workspace, seal.Seq, seal.Head, seal.SHA256)
		if err := (signing.Signature{PublicKey: seal.PublicKey, Fingerprint: seal.KeyFingerprint, Value: seal.Signature}).Verify(msg); err != nil {
			return fmt.Sprintf("%s: its signature by key %s does not verify (%v)", from, seal.KeyFingerprint, err), "", nil
		}
		note += fmt.Sprintf(" Its signature by key %s verifies.", seal.KeyFingerprint)
	}
	return "", note, nil
}

// sigFile is a report's detached signature (FILE.pdf.sig).
type sigFile struct {
	Format      string `json:"format"`
	File        string `json:"file"`
	SHA256      string `json:"sha256"`
	Workspace   string `json:"workspace"`
	Seq         int64  `json:"seq"`
	Head        string `json:"head"`
	Fingerprint string `json:"fingerprint"`
	PublicKey   string `json:"public_key"`
	Signature   string `json:"signature"`
}

const sigFormat = "safeguard-signature/v1"

// checkReport says whether a PDF was produced from this workspace and is unaltered.
func checkReport(cmd *cobra.Command, s *store.Store, id, path string) (problem, note string, err error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", "", fmt.Errorf("cannot read the report %s (%v); check the path", path, pathErr(err))
	}
	if err := store.CheckRegular(path, st, "a report file"); err != nil {
		return "", "", err
	}
	data, err := readSmall(path, 4<<30)
	if err != nil {
		return "", "", err
	}
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	name := filepath.Base(path)
	recs, err := s.ReportsBySHA(cmd.Context(), sha)
	if err != nil {
		return "", "", err
	}
	if len(recs) == 0 {
		why := "it was not produced from this workspace, or it was changed after it was written"
		if seal, ok := anchorIn(data); ok && seal.Workspace != "" && id != "" && seal.Workspace != id {
			why = fmt.Sprintf("it names another workspace (%s)", seal.Workspace)
		}
		return fmt.Sprintf("the report %s (SHA-256 %s) is not recorded in this workspace's audit trail: %s", name, sha[:12], why), "", nil
	}
	rec := recs[0]
	// The head the PDF itself states, then the head its record names: a history rewritten
	// since (seals and all) fails the first.
	stated, ok := anchorIn(data)
	if !ok {
		return fmt.Sprintf("the report %s states no chain head; it was not made by safeguard as recorded", name), "", nil
	}
	for _, a := range []assessment.Seal{stated, rec.Seal} {
		r, err := s.CheckAnchor(cmd.Context(), store.Anchor{Seq: a.Seq, Hash: a.Head})
		if err != nil {
			return "", "", err
		}
		if p := r.Problem(); p != "" {
			return fmt.Sprintf("the report %s was produced from this workspace, but the history it states was rewritten since: %s", name, p), "", nil
		}
	}
	if stated.Seq != rec.Seal.Seq || stated.Head != rec.Seal.Head {
		return fmt.Sprintf("the report %s does not state the chain head recorded for it (entry %d); it was not made by safeguard as recorded", name, rec.Seal.Seq), "", nil
	}
	note = fmt.Sprintf("The report %s was produced from this workspace on %s at chain head %d:%s, and is unaltered (SHA-256 %s).",
		name, rec.At.Local().Format("2006-01-02 15:04"), rec.Seal.Seq, rec.Seal.Head, sha)
	sigPath := path + ".sig"
	b, err := os.ReadFile(sigPath)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if rec.Seal.Signed() {
			note += fmt.Sprintf(" It was signed by key %s; its signature file %s is missing.", rec.Seal.KeyFingerprint, filepath.Base(sigPath))
		}
		return "", note, nil
	case err != nil:
		return "", "", fmt.Errorf("cannot read %s (%v); check its permissions", sigPath, pathErr(err))
	}
	var sf sigFile
	if json.Unmarshal(b, &sf) != nil || sf.Format != sigFormat {
		return fmt.Sprintf("%s is not a safeguard signature file", filepath.Base(sigPath)), "", nil
	}
	sig := signing.Signature{PublicKey: sf.PublicKey, Fingerprint: sf.Fingerprint, Value: sf.Signature}
	if sf.SHA256 != sha {
		return fmt.Sprintf("the signature %s is for another file (SHA-256 %s), not this report", filepath.Base(sigPath), shortHex(sf.SHA256)), "", nil
	}
	if err := sig.Verify(signing.SealMessage(sf.Workspace, sf.Seq, sf.Head, sf.SHA256)); err != nil {
		return fmt.Sprintf("the signature %s does not verify (%v)", filepath.Base(sigPath), err), "", nil
	}
	if sf.Workspace != rec.Seal.Workspace || sf.Seq != rec.Seal.Seq || sf.Head != rec.Seal.Head {
		return fmt.Sprintf("the signature %s names another chain head than the one recorded for the report", filepath.Base(sigPath)), "", nil
	}
	note += fmt.Sprintf(" Its signature by key %s verifies.", sf.Fingerprint)
	return "", note, nil
}

func shortHex(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// readSmall reads a regular file of at most limit bytes.
func readSmall(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s (%v); check the path", path, pathErr(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s (%v); check the file", path, pathErr(err))
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is too large to be a safeguard report or export", path)
	}
	return data, nil
}

// writeSignature writes a report's detached signature beside it.
func writeSignature(notice io.Writer, path string, seal assessment.Seal, force bool) error {
	sf := sigFile{Format: sigFormat, File: filepath.Base(path), SHA256: seal.SHA256, Workspace: seal.Workspace, Seq: seal.Seq,
		Head: seal.Head, Fingerprint: seal.KeyFingerprint, PublicKey: seal.PublicKey, Signature: seal.Signature}
	return writeFile(notice, path+".sig", force, func(w io.Writer) error { return writeJSON(w, sf) })
}
