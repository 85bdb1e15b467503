package assessment

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"safeguard/controls"
)

// Questionnaire packets: a workbook of items for someone without safeguard (the office
// manager, the IT provider, a vendor) to answer and send back. The workbook itself is
// reports/packet's; this file is what a packet is, how its items are chosen, and how a
// returned one is judged against the workspace: which answers are new or changed, which
// conflict with work done since the export, which are invalid or no longer asked.

// PacketLockedColumns are the locked cells of each item row, in order: the item's ID,
// the question, the help, the asset and the evidence the respondent can send.
var PacketLockedColumns = []string{"Item", "Question", "Help", "Asset", "Evidence you can send"}

// PacketItem is one item of a packet: the question and asset, the version its answer had
// when the packet was made (0: unanswered), the workbook row, and the locked text of the
// row as written (PacketLockedColumns).
type PacketItem struct {
	QuestionID string   `json:"q"`
	AssetID    string   `json:"a,omitempty"`
	Version    int64    `json:"v"`
	Row        int      `json:"row"`
	Locked     []string `json:"locked"`
}

// Key is the item's ItemKey.
func (p PacketItem) Key() ItemKey { return ItemKey{p.QuestionID, p.AssetID} }

// Packet is a questionnaire packet as made: what the workbook shows and what the workspace
// records of it.
type Packet struct {
	ID           string
	AssessmentID string
	Workspace    string // identity of the workspace that made it
	Respondent   string // "Name, role"
	Who          controls.Answerer
	Deadline     string // YYYY-MM-DD
	Organization string
	Title        string
	From         string // the assessor who sent it
	Items        []PacketItem
	// Prefill is each item's current answer, shown in its answer cells: the status label
	// ("" unanswered) and the note.
	Prefill []PacketAnswer
}

// PacketAnswer is what a row's answer cells hold.
type PacketAnswer struct {
	Status string // a label of ResponseStatuses as the dropdown shows it, or ""
	Note   string
}

// PacketChecksum is the SHA-256 of a packet's locked content: its identity, the items with
// their versions and rows, and the locked text of every row.
func PacketChecksum(id, assessmentID, workspace string, items []PacketItem) string {
	norm := make([]PacketItem, len(items))
	for i, it := range items {
		it.Locked = append([]string(nil), it.Locked...)
		for j := range it.Locked {
			it.Locked[j] = normalizeCell(it.Locked[j])
		}
		norm[i] = it
	}
	b, _ := json.Marshal([]any{id, assessmentID, workspace, norm})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// PacketFilter chooses a packet's items.
type PacketFilter struct {
	Who      controls.Answerer // "" any
	Sections []string          // citation prefixes ("164.308", "164.312(a)"); none = all
	Assets   []string          // asset IDs, or "" for organization items; none = all
	Open     bool              // only items that still need an answer
}

// PacketItems chooses the applicable items for a packet, in catalog order, with the
// version of each item's answer and the text of its locked cells.
func PacketItems(a *Analysis, f PacketFilter) []PacketItem {
	ba := a.Snap.Profile.BusinessAssociate()
	var out []PacketItem
	for i := range a.Items {
		it := &a.Items[i]
		q := it.Question
		if f.Who != "" && q.AnsweredBy != f.Who {
			continue
		}
		if f.Open && !it.Open() {
			continue
		}
		if len(f.Sections) > 0 && !citesAny(q, f.Sections) {
			continue
		}
		assetID := ""
		if it.Asset != nil {
			assetID = it.Asset.ID
		}
		if len(f.Assets) > 0 && !containsString(f.Assets, assetID) {
			continue
		}
		var version int64
		if it.Response != nil {
			version = it.Response.Version
		}
		asset := "Whole organization"
		if it.Asset != nil {
			asset = it.Asset.Name
		}
		out = append(out, PacketItem{
			QuestionID: q.ID, AssetID: assetID, Version: version, Row: len(out) + 2,
			Locked: []string{q.ID, q.TextFor(ba), q.HelpFor(ba), asset, strings.Join(q.Evidence, "\n")},
		})
	}
	return out
}

func citesAny(q *controls.Question, prefixes []string) bool {
	for _, c := range q.Citations() {
		for _, p := range prefixes {
			if strings.HasPrefix(c, p) || strings.HasPrefix(q.Standard, p) {
				return true
			}
		}
	}
	return false
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// PacketPrefill is the current answer of each item as the workbook shows it.
func PacketPrefill(a *Analysis, items []PacketItem) []PacketAnswer {
	out := make([]PacketAnswer, len(items))
	for i, p := range items {
		if v, ok := a.Item(p.Key()); ok && v.Response != nil {
			r := v.Response
			note := r.Note
			if r.Status == NotApplicable {
				note = r.Reason
			}
			out[i] = PacketAnswer{Status: ChoiceLabel(ResponseStatuses, string(r.Status)), Note: note}
		}
	}
	return out
}

// PacketStatusLabels are the dropdown's values, in order.
func PacketStatusLabels() []string {
	out := make([]string, len(ResponseStatuses))
	for i, c := range ResponseStatuses {
		out[i] = c.Label
	}
	return out
}

// parsePacketStatus reads a status cell: a dropdown label or a stored value, any case.
func parsePacketStatus(s string) (ResponseStatus, bool) {
	n := normHeader(s)
	for _, c := range ResponseStatuses {
		if n == normHeader(c.Label) || n == normHeader(c.Value) {
			return ResponseStatus(c.Value), true
		}
	}
	return "", false
}

// PacketReturn is a returned workbook as read: its record (from the hidden sheet) and
// every item row's cells.
type PacketReturn struct {
	File         string // the file's name, for sentences
	ID           string
	AssessmentID string
	Workspace    string
	Checksum     string
	Items        []PacketItem // as the hidden record lists them
	Rows         []ReturnedRow
}

// ReturnedRow is one row of the returned questionnaire sheet.
type ReturnedRow struct {
	Row    int
	Locked []string // the locked cells as found (PacketLockedColumns)
	Status string   // the status cell
	Note   string   // the note cell
}

// PacketCell names a cell of the questionnaire sheet: column (1-based) and row.
var PacketCell = func(col, row int) string { return fmt.Sprintf("%c%d", 'A'+col-1, row) }

// The columns of the questionnaire sheet: the locked ones, then status and note.
const (
	PacketStatusCol = 5
	PacketNoteCol   = 6
)

// PacketLockedCol is the sheet column of locked cell i (PacketLockedColumns): A–D, then
// the evidence column after the two answer cells.
func PacketLockedCol(i int) int {
	if i < 4 {
		return i + 1
	}
	return PacketNoteCol + 1 + (i - 4)
}

// Change kinds of a returned answer.
const (
	PacketNew       = "new"       // the item had no answer
	PacketChange    = "change"    // the answer differs from the workspace's
	PacketSame      = "unchanged" // the answer is what the workspace holds
	PacketConflict  = "conflict"  // the item changed in the workspace after the export
	PacketInvalid   = "invalid"   // a value that cannot be stored
	PacketNotAsked  = "not asked" // the item is no longer applicable
	PacketBlankLine = "blank"     // no answer given
)

// PacketChangeView is one returned answer judged against the workspace.
type PacketChangeView struct {
	Row     int
	Kind    string
	Item    PacketItem
	Answer  Response  // the answer as it would be stored (for new, change, conflict)
	Current *Response // the workspace's answer now, if any
	Why     string    // for invalid, not asked and conflict: one sentence
	// Seen is the version of the workspace's answer this judgment was made on: applying
	// the answer refuses it when the answer changed since.
	Seen int64
}

// PacketPlan is what importing a returned packet would do.
type PacketPlan struct {
	Packet  *PacketReturn
	Changes []PacketChangeView // in row order, blank rows left out
}

// Count is the number of changes of kind k.
func (p *PacketPlan) Count(k string) int {
	n := 0
	for _, c := range p.Changes {
		if c.Kind == k {
			n++
		}
	}
	return n
}

// CheckPacketReturn compares a returned workbook with the packet the workspace recorded
// (items and checksum) and returns every tampering it finds as a sentence naming the
// cell: a workbook from elsewhere, a changed record, an edited locked cell.
func CheckPacketReturn(rec *PacketRecordView, ret *PacketReturn) error {
	file := ret.File
	if ret.Workspace != rec.Workspace || ret.ID != rec.ID {
		return fmt.Errorf("%s was not exported from this workspace (its packet %s is not recorded here); import it into the workspace that made it", file, ret.ID)
	}
	if ret.AssessmentID != rec.AssessmentID {
		// The workspace made this packet for rec.AssessmentID: the record was edited.
		return fmt.Errorf("%s: the packet record inside the workbook was edited (it names assessment %s, but packet %s was made for %s); export a new packet", file, ret.AssessmentID, ret.ID, rec.AssessmentID)
	}
	rows := map[int]ReturnedRow{}
	for _, r := range ret.Rows {
		rows[r.Row] = r
	}
	var errs []string
	for _, it := range rec.Items {
		r, ok := rows[it.Row]
		if !ok {
			errs = append(errs, fmt.Sprintf("row %d (item %s) is missing: rows must stay as exported", it.Row, it.QuestionID))
			continue
		}
		for i, want := range it.Locked {
			got := ""
			if i < len(r.Locked) {
				got = r.Locked[i]
			}
			if normalizeCell(got) != normalizeCell(want) {
				errs = append(errs, fmt.Sprintf("cell %s (%s) was edited: locked cells must stay as exported", PacketCell(PacketLockedCol(i), it.Row), strings.ToLower(PacketLockedColumns[i])))
			}
		}
		delete(rows, it.Row)
	}
	for _, r := range ret.Rows {
		if _, extra := rows[r.Row]; extra && (strings.TrimSpace(r.Status) != "" || strings.TrimSpace(r.Note) != "" || !allBlank(r.Locked)) {
			errs = append(errs, fmt.Sprintf("row %d is not an item of the packet: rows must not be added", r.Row))
		}
	}
	if len(errs) == 0 {
		if ret.Checksum != rec.Checksum || PacketChecksum(ret.ID, ret.AssessmentID, ret.Workspace, ret.Items) != rec.Checksum {
			return fmt.Errorf("%s: the packet record inside the workbook does not match its checksum (it was edited); export a new packet", file)
		}
		return nil
	}
	if len(errs) > 10 {
		errs = append(errs[:10], fmt.Sprintf("and %d more", len(errs)-10))
	}
	return fmt.Errorf("%s was changed where it is locked: %s; nothing was imported, so send the respondent a new packet or fix the cells", file, strings.Join(errs, "; "))
}

// normalizeCell compares cell text as spreadsheets keep it: line ends and trailing spaces
// may change when a file is saved.
func normalizeCell(s string) string {
	return strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), " \n")
}

// PacketRecordView is the workspace's record of a packet, as CheckPacketReturn and
// PlanPacket need it.
type PacketRecordView struct {
	ID           string
	AssessmentID string
	Workspace    string
	Respondent   string
	Checksum     string
	Items        []PacketItem
	ReturnedAt   time.Time
}

// PlanPacket judges each answered row of a checked return against the assessment now:
// new, changed or unchanged; a conflict when the item's answer changed after the packet
// was made (and differs from the returned one); invalid when the status is not one of the
// dropdown's or the answer breaks a rule; not asked when the item no longer applies.
func PlanPacket(a *Analysis, rec *PacketRecordView, ret *PacketReturn) *PacketPlan {
	p := &PacketPlan{Packet: ret}
	rows := map[int]ReturnedRow{}
	for _, r := range ret.Rows {
		rows[r.Row] = r
	}
	cat := a.Catalog
	for _, it := range rec.Items {
		r := rows[it.Row]
		status, note := strings.TrimSpace(r.Status), strings.TrimSpace(r.Note)
		if status == "" && note == "" {
			continue
		}
		c := PacketChangeView{Row: it.Row, Item: it}
		statusCell, noteCell := PacketCell(PacketStatusCol, it.Row), PacketCell(PacketNoteCol, it.Row)
		view, applies := a.Item(it.Key())
		if applies && view.Response != nil {
			cur := *view.Response
			c.Current, c.Seen = &cur, cur.Version
		}
		st, ok := parsePacketStatus(status)
		switch {
		case !applies:
			c.Kind, c.Why = PacketNotAsked, fmt.Sprintf("row %d: %s no longer applies to this assessment (its profile, assets or gate answers changed since the packet was made), so its answer is not used", it.Row, it.QuestionID)
		case status == "":
			c.Answer = Response{QuestionID: it.QuestionID, AssetID: it.AssetID, Note: note}
			c.Kind, c.Why = PacketInvalid, fmt.Sprintf("row %d: the note in %s has no status in %s; choose a status from the list", it.Row, noteCell, statusCell)
		case !ok:
			c.Answer = Response{QuestionID: it.QuestionID, AssetID: it.AssetID, Note: note}
			c.Kind, c.Why = PacketInvalid, fmt.Sprintf("row %d: the status %q in %s is not one of the list's values (%s)", it.Row, status, statusCell, strings.Join(PacketStatusLabels(), ", "))
		default:
			ans := Response{QuestionID: it.QuestionID, AssetID: it.AssetID}
			if c.Current != nil {
				ans = *c.Current
			}
			ans.Status, ans.Revalidate = st, false
			if st == NotApplicable {
				ans.Reason = note
				if c.Current != nil && c.Current.Status != NotApplicable {
					ans.Note = c.Current.Note
				}
			} else {
				ans.Note = note
				if c.Current != nil && c.Current.Status == NotApplicable {
					ans.Reason = "" // the reason was why it did not apply
				}
			}
			if ans.Decision != DecisionNone && !TakesDecision(cat, view.Question) {
				ans.Decision, ans.DecisionText = DecisionNone, ""
			}
			err := checkAnswer(cat, ans)
			if err != nil && ans.Decision != DecisionNone && (c.Current == nil || c.Current.Status != ans.Status) {
				// The assessor's §164.306(d)(3) decision was made for the earlier status; the
				// respondent cannot see it. Without it the answer may stand: the decision is
				// then recorded again once the answer is reviewed.
				cleared := ans
				cleared.Decision, cleared.DecisionText = DecisionNone, ""
				if cleared.Status != NotApplicable {
					cleared.Reason = ""
				}
				if checkAnswer(cat, cleared) == nil {
					ans, err = cleared, nil
				}
			}
			c.Answer = ans
			if err != nil {
				c.Kind, c.Why = PacketInvalid, fmt.Sprintf("row %d (%s): %v", it.Row, statusCell, err)
				break
			}
			switch {
			case c.Current != nil && sameAnswer(*c.Current, ans) && !c.Current.Revalidate:
				c.Kind = PacketSame
			case c.Seen != it.Version:
				c.Kind = PacketConflict
				by := "someone"
				if c.Current != nil {
					by = c.Current.By
				}
				c.Why = fmt.Sprintf("row %d: the workspace's answer to %s was changed by %s after the packet was made", it.Row, it.QuestionID, by)
			case c.Current == nil:
				c.Kind = PacketNew
			default:
				c.Kind = PacketChange
			}
		}
		p.Changes = append(p.Changes, c)
	}
	return p
}

// sameAnswer compares what a packet can change.
func sameAnswer(a, b Response) bool {
	return a.Status == b.Status && a.Note == b.Note && a.Reason == b.Reason
}

func checkAnswer(cat *controls.Catalog, r Response) error {
	if err := ValidateResponse(cat, r); err != nil {
		return err
	}
	return CheckConsistency(cat, r)
}
