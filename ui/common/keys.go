package common

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// KeyMap is every key binding of the interface, each with its help text, grouped by where
// it acts. One key means one thing wherever it appears: the Nav keys move in every list
// (pgdn/ctrl+d pages everywhere), F cycles the filter and / finds in every section that
// has them, D deletes or dismisses, enter opens, esc goes back.
//
// Fields named …Hint are shorter help texts for other bindings of their group, for the
// one-line help bar; nothing matches them. Contexts lists which groups act together, and
// a test checks that no two bindings of one context share a key.
type KeyMap struct {
	Global    GlobalKeys
	Nav       NavKeys
	Home      HomeKeys
	Dashboard DashboardKeys
	Questions QuestionKeys
	Search    SearchKeys
	Risks     RiskKeys
	Editor    EditorKeys
	Setup     SetupKeys
	Report    ReportKeys
	Finalize  FinalizeKeys
	Incidents IncidentKeys
	Form      FormKeys
	Confirm   ConfirmKeys
	Discard   ConfirmKeys // the answer to DiscardQuestion: no enter, which a reflex would press
	Conflict  ConflictKeys
	Exchange  ExchangeKeys
}

// GlobalKeys work on every screen that is not taking text; the tab keys in an open
// assessment.
type GlobalKeys struct {
	Quit, Help, Back      key.Binding
	NextTab, PrevTab, Tab key.Binding
}

// NavKeys move a cursor or scroll, in every list and pane.
type NavKeys struct {
	Up, Down, Top, Bottom, PageUp, PageDown key.Binding
}

// Delta is how far a list of n rows moves for a Nav key: one row, a page of page rows,
// or to either end; ok is false for any other key.
func (k NavKeys) Delta(msg tea.KeyPressMsg, page, n int) (delta int, ok bool) {
	switch {
	case key.Matches(msg, k.Up):
		return -1, true
	case key.Matches(msg, k.Down):
		return 1, true
	case key.Matches(msg, k.PageUp):
		return -page, true
	case key.Matches(msg, k.PageDown):
		return page, true
	case key.Matches(msg, k.Top):
		return -n, true
	case key.Matches(msg, k.Bottom):
		return n, true
	}
	return 0, false
}

// All are the Nav bindings, for a help column.
func (k NavKeys) All() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}
}

// HomeKeys act on the list of assessments.
type HomeKeys struct {
	Open, New, Demo, Rename, Delete, Verify key.Binding
	// Who chooses who is working (the workspace's people).
	Who key.Binding
}

// DashboardKeys: the dashboard only scrolls.
type DashboardKeys struct {
	ScrollHint key.Binding
}

// QuestionKeys answer and move through the questionnaire.
type QuestionKeys struct {
	Implemented, Partial, NotImplemented, NotApplicable, Flag, Clear key.Binding
	Note, Decision, Owner, Evidence                                  key.Binding
	Filter, Find, NextUnanswered, PrevUnanswered                     key.Binding
	Into, Out, Fold, Tree                                            key.Binding
	AnswerHint, DecisionHint, TreeHint                               key.Binding
	// ApplyAll answers every system of a per-system question alike (the answer key
	// follows); NoRisk records why a gap leads to no risk; Who filters by who can answer.
	ApplyAll, NoRisk, Who key.Binding
}

// SearchKeys work while a search box takes the typing.
type SearchKeys struct {
	Submit, Cancel, Prev, Next, PrevPage, NextPage key.Binding
}

// RiskKeys act on the risk register.
type RiskKeys struct {
	Detail, Sort, Filter, Find, Accept, Dismiss, Rate, Treat key.Binding
	// BulkAccept and BulkDismiss confirm or dismiss every proposal the list shows (the
	// filter and search narrow them); dismissing asks one reason for the batch.
	BulkAccept, BulkDismiss key.Binding
}

// EditorKeys move through the risk rating and treatment editor.
type EditorKeys struct {
	Next, Prev, Change, Pick, Save, Cancel, NewLine key.Binding
}

// SetupKeys move through the setup steps and edit their records.
type SetupKeys struct {
	PrevStep, NextStep, Add, Edit, Delete key.Binding
	Review, NoVendors                     key.Binding // vendors step: record a review, state there are none
}

// ReportKeys write one output each.
type ReportKeys struct {
	PDF, FindingsCSV, RisksCSV, JSON, OSCAL key.Binding
}

// For is the key that writes the output reports.Formats names name.
func (k ReportKeys) For(name string) (key.Binding, bool) {
	switch name {
	case "pdf":
		return k.PDF, true
	case "findings-csv":
		return k.FindingsCSV, true
	case "risks-csv":
		return k.RisksCSV, true
	case "json":
		return k.JSON, true
	case "oscal":
		return k.OSCAL, true
	}
	return key.Binding{}, false
}

// ExchangeKeys work with files and people outside safeguard (issue 17): a backup from the
// home list; a questionnaire packet, a returned one and an assessor bundle from the Report
// tab; an inventory list from Setup; and the review screens of returned answers and of a
// merge.
type ExchangeKeys struct {
	Backup, Packet, Returned, Merge, ImportList key.Binding
	Accept, Reject, Edit, Toggle, Apply         key.Binding
}

// FinalizeKeys act on the readiness list and the assessment's status.
type FinalizeKeys struct {
	Go, Review, Sign, Revision key.Binding
}

// IncidentKeys act on the incident register (Open, Add, Memo, Delete), on an incident's
// page, whose steps walk the breach decision (PrevStep, NextStep, Edit, and Add in the
// steps that keep lists), and in the incident forms (Toggle, on a field with several
// choices). Delete is there to say why incidents are never deleted.
type IncidentKeys struct {
	Open, Add, Memo, Delete  key.Binding
	PrevStep, NextStep, Edit key.Binding
	Toggle                   key.Binding
}

// FormKeys are the dialog keys (huh handles them; these are their help).
type FormKeys struct {
	Next, Cancel key.Binding
}

// ConfirmKeys answer a yes/no question.
type ConfirmKeys struct {
	Yes, No key.Binding
}

// ConflictKeys settle a save refused because someone else changed the record.
type ConflictKeys struct {
	Mine, Theirs key.Binding
}

func bind(keys []string, help, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

func k(keys ...string) []string { return keys }

// NewKeyMap is the interface's one key map.
func NewKeyMap() KeyMap {
	return KeyMap{
		Global: GlobalKeys{
			Quit:    bind(k("q", "ctrl+c"), "q", "quit"),
			Help:    bind(k("?"), "?", "more help"),
			Back:    bind(k("esc"), "esc", "back"),
			NextTab: bind(k("tab"), "tab", "next section"),
			PrevTab: bind(k("shift+tab"), "shift+tab", "previous section"),
			Tab:     bind(k("1", "2", "3", "4", "5", "6", "7", "8", "9"), "1-9", "go to a section"),
		},
		Nav: NavKeys{
			Up:       bind(k("up", "k"), "↑/k", "up"),
			Down:     bind(k("down", "j"), "↓/j", "down"),
			Top:      bind(k("home", "g"), "g", "first"),
			Bottom:   bind(k("end", "G"), "G", "last"),
			PageUp:   bind(k("pgup", "ctrl+u"), "pgup", "page up"),
			PageDown: bind(k("pgdown", "ctrl+d"), "pgdn", "page down"),
		},
		Home: HomeKeys{
			Open:   bind(k("enter"), "enter", "open"),
			New:    bind(k("n"), "n", "new assessment"),
			Demo:   bind(k("o"), "o", "open the demo"),
			Rename: bind(k("r"), "r", "rename"),
			Delete: bind(k("D", "delete"), "D", "delete"),
			Verify: bind(k("V"), "V", "verify the whole workspace"),
			Who:    bind(k("w"), "w", "who is working"),
		},
		Dashboard: DashboardKeys{
			ScrollHint: bind(k("j", "k", "up", "down"), "j/k", "scroll"),
		},
		Questions: QuestionKeys{
			Implemented:    bind(k("i"), "i", "implemented"),
			Partial:        bind(k("p"), "p", "partially implemented"),
			NotImplemented: bind(k("x"), "x", "not implemented"),
			NotApplicable:  bind(k("n"), "n", "not applicable (asks why)"),
			Flag:           bind(k("f"), "f", "flag for follow-up"),
			Clear:          bind(k("backspace"), "⌫", "clear the answer"),
			Note:           bind(k("e"), "e", "note"),
			Decision:       bind(k("d"), "d", "addressable decision"),
			Owner:          bind(k("o"), "o", "change owner"),
			Evidence:       bind(k("a"), "a", "attach evidence"),
			Filter:         bind(k("F"), "F", "filter"),
			Find:           bind(k("/"), "/", "find"),
			NextUnanswered: bind(k("]"), "]", "next unanswered"),
			PrevUnanswered: bind(k("["), "[", "previous unanswered"),
			Into:           bind(k("right", "l", "enter"), "→/enter", "open · answer rows"),
			Out:            bind(k("left", "h"), "←", "back to the tree"),
			Fold:           bind(k("space"), "space", "fold or unfold"),
			Tree:           bind(k("t"), "t", "show the tree"),
			AnswerHint:     bind(k("i", "p", "x", "n", "f"), "i/p/x/n/f", "answer"),
			DecisionHint:   bind(k("d"), "d", "decision"),
			TreeHint:       bind(k("t"), "t", "tree"),
			ApplyAll:       bind(k("A"), "A", "answer every system alike"),
			NoRisk:         bind(k("r"), "r", "no risk follows (why)"),
			Who:            bind(k("w"), "w", "who can answer"),
		},
		Search: SearchKeys{
			Submit:   bind(k("enter"), "enter", "go to the question"),
			Cancel:   bind(k("esc"), "esc", "close"),
			Prev:     bind(k("up", "ctrl+p"), "↑", "previous result"),
			Next:     bind(k("down", "ctrl+n"), "↓", "next result"),
			PrevPage: bind(k("pgup"), "pgup", "page up"),
			NextPage: bind(k("pgdown"), "pgdn", "page down"),
		},
		Risks: RiskKeys{
			Detail:  bind(k("enter"), "enter", "details"),
			Sort:    bind(k("s"), "s", "sort"),
			Filter:  bind(k("F"), "F", "filter"),
			Find:    bind(k("/"), "/", "find"),
			Accept:  bind(k("a"), "a", "accept"),
			Dismiss: bind(k("D"), "D", "dismiss"),
			Rate:    bind(k("r"), "r", "re-rate"),
			Treat:   bind(k("t"), "t", "treat"),

			BulkAccept:  bind(k("C"), "C", "confirm every proposal shown"),
			BulkDismiss: bind(k("X"), "X", "dismiss every proposal shown"),
		},
		Editor: EditorKeys{
			Next:    bind(k("tab", "enter"), "tab/↓", "next field"),
			Prev:    bind(k("shift+tab"), "shift+tab/↑", "previous field"),
			Change:  bind(k("left", "right", "h", "l"), "←/→", "change choice"),
			Pick:    bind(k("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), "1-5", "pick a choice"),
			Save:    bind(k("ctrl+s"), "ctrl+s", "save"),
			Cancel:  bind(k("esc"), "esc", "cancel"),
			NewLine: bind(k("ctrl+j", "alt+enter"), "ctrl+j", "new line"),
		},
		Setup: SetupKeys{
			PrevStep:  bind(k("left", "h"), "←/h", "previous step"),
			NextStep:  bind(k("right", "l"), "→/l", "next step"),
			Add:       bind(k("a"), "a", "add"),
			Edit:      bind(k("e", "enter"), "e/enter", "edit"),
			Delete:    bind(k("D", "delete"), "D", "delete"),
			Review:    bind(k("r"), "r", "record review"),
			NoVendors: bind(k("n"), "n", "no vendors"),
		},
		Report: ReportKeys{
			PDF:         bind(k("g"), "g", "PDF report"),
			FindingsCSV: bind(k("c"), "c", "findings CSV"),
			RisksCSV:    bind(k("r"), "r", "risks CSV"),
			JSON:        bind(k("j"), "j", "JSON"),
			OSCAL:       bind(k("o"), "o", "OSCAL"),
		},
		Finalize: FinalizeKeys{
			Go:       bind(k("enter"), "enter", "go to the item"),
			Review:   bind(k("r"), "r", "draft ⇄ in review"),
			Sign:     bind(k("s"), "s", "sign off and lock"),
			Revision: bind(k("n"), "n", "new revision"),
		},
		Incidents: IncidentKeys{
			Open:     bind(k("enter"), "enter", "open the incident"),
			Add:      bind(k("a"), "a", "add"),
			Memo:     bind(k("m"), "m", "decision memo PDF"),
			Delete:   bind(k("D", "delete"), "D", "delete (refused: kept six years)"),
			PrevStep: bind(k("left", "h"), "←/h", "previous step"),
			NextStep: bind(k("right", "l"), "→/l", "next step"),
			Edit:     bind(k("e", "enter"), "e/enter", "record this step"),
			Toggle:   bind(k("space", "x"), "space/x", "tick or untick"),
		},
		Form: FormKeys{
			Next:   bind(k("enter", "tab"), "enter/tab", "next field"),
			Cancel: bind(k("esc"), "esc", "cancel"),
		},
		Confirm: ConfirmKeys{
			Yes: bind(k("y", "enter"), "y", "yes"),
			No:  bind(k("n", "esc"), "n/esc", "no"),
		},
		Discard: ConfirmKeys{
			Yes: bind(k("y", "Y"), "y", "discard the changes"),
			No:  bind(k("n", "N", "esc"), "n/esc", "keep editing"),
		},
		Conflict: ConflictKeys{
			Mine:   bind(k("m"), "m", "keep mine (save it over theirs)"),
			Theirs: bind(k("t", "esc"), "t/esc", "take theirs"),
		},
		Exchange: ExchangeKeys{
			Backup:     bind(k("b"), "b", "back up the workspace"),
			Packet:     bind(k("x"), "x", "questionnaire for someone else (.xlsx)"),
			Returned:   bind(k("i"), "i", "import a returned questionnaire"),
			Merge:      bind(k("m"), "m", "merge another assessor's bundle"),
			ImportList: bind(k("I"), "I", "import assets or vendors from a list"),
			Accept:     bind(k("a"), "a", "accept"),
			Reject:     bind(k("r"), "r", "reject"),
			Edit:       bind(k("e"), "e", "edit"),
			Toggle:     bind(k("space"), "space", "mine ⇄ theirs"),
			Apply:      bind(k("ctrl+s"), "ctrl+s", "apply"),
		},
	}
}

// Contexts are the groups that act together, by where: on the home list, in each
// section of an open assessment (with the shell's tab keys), and in the typing and
// dialog modes. No key may appear twice in one context.
func (km KeyMap) Contexts() map[string][]any {
	shell := []any{km.Global, km.Nav}
	ctx := map[string][]any{
		"home":      {km.Global.Quit, km.Global.Help, km.Global.Back, km.Nav, km.Home, km.Exchange.Backup},
		"dashboard": append(shell, km.Dashboard),
		"questions": append(shell, km.Questions),
		"risks":     append(shell, km.Risks),
		"setup":     append(shell, km.Setup, km.Exchange.ImportList),
		"report":    {km.Global, km.Report, km.Exchange.Packet, km.Exchange.Returned, km.Exchange.Merge},
		"review": {km.Global.Quit, km.Global.Help, km.Global.Back, km.Nav, km.Exchange.Accept, km.Exchange.Reject,
			km.Exchange.Edit, km.Exchange.Toggle, km.Exchange.Apply},
		"finalize": append(shell, km.Finalize),
		"search":   {km.Search},
		"editor":   {km.Editor, km.Nav.Up, km.Nav.Down, km.Nav.Top, km.Nav.Bottom},
		"form":     {km.Form},
		"confirm":  {km.Confirm},
		"conflict": {km.Global.Quit, km.Conflict},
	}
	// The incident register, an incident's page, and its forms.
	ik := km.Incidents
	ctx["incidents"] = append(shell, ik.Open, ik.Add, ik.Memo, ik.Delete)
	ctx["incident"] = append(shell, ik.PrevStep, ik.NextStep, ik.Edit, ik.Add, ik.Memo, ik.Delete)
	ctx["incident-form"] = []any{km.Editor, km.Nav.Up, km.Nav.Down, km.Nav.Top, km.Nav.Bottom, ik.Toggle}
	return ctx
}

// Relabel is b with another help text, for a mode where the key's effect is worded
// differently (enter "keep the search" rather than "go to the question").
func Relabel(b key.Binding, help, desc string) key.Binding {
	b.SetHelp(help, desc)
	return b
}
