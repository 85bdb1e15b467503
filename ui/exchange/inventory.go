package exchange

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/reports/sheets"
	"safeguard/store"
	"safeguard/ui/common"
)

// Inventory imports assets or vendors from a CSV or Excel list: the file and which list
// it is, then what it would add and update, applied all at once on ctrl+s, as `safeguard
// asset import` and `vendor import` do.
type Inventory struct {
	screenBase
	id      string
	step    pathStep
	vendors bool // the list is of vendors (tab switches)
	loading bool
	saving  bool
	lines   []string
	assets  []assessment.Asset
	vends   []assessment.Vendor
	planned bool
	offset  int
}

// NewInventory is the inventory import for the open assessment.
func NewInventory(e *common.Env, d *common.Data) *Inventory {
	return &Inventory{screenBase: screenBase{e: e}, id: d.ID(),
		step: newPathStep("The list to import (.csv or .xlsx), one row per system or vendor with a header row:", "")}
}

type inventoryPlanMsg struct {
	lines  []string
	assets []assessment.Asset
	vends  []assessment.Vendor
	err    error
}

func (v *Inventory) Init() tea.Cmd { return nil }

func (v *Inventory) load() tea.Cmd {
	path, vendors := v.step.path(v.e), v.vendors
	ctx, s, id := v.e.Ctx, v.e.Store, v.id
	v.loading, v.err = true, nil
	return func() tea.Msg {
		if err := readable(path); err != nil {
			return inventoryPlanMsg{err: err}
		}
		if _, err := sheets.KindOf(path); err != nil {
			return inventoryPlanMsg{err: err}
		}
		f, err := store.OpenInput(path, "a .csv or .xlsx file")
		if err != nil {
			return inventoryPlanMsg{err: err}
		}
		defer f.Close()
		data, err := sheets.ReadAll(path, f)
		if err != nil {
			return inventoryPlanMsg{err: err}
		}
		sheet := "Assets"
		if vendors {
			sheet = "Vendors"
		}
		header, rows, err := sheets.Read(filepath.Base(path), data, sheet)
		if err != nil {
			return inventoryPlanMsg{err: err}
		}
		snap, err := s.Snapshot(ctx, id)
		if err != nil {
			return inventoryPlanMsg{err: err}
		}
		var out inventoryPlanMsg
		if vendors {
			p, err := assessment.PlanVendors(snap, header, rows)
			if err != nil {
				return inventoryPlanMsg{err: err}
			}
			out.lines = planLines(p.Changes, p.Unknown, func(x assessment.Vendor) string { return x.Name })
			for _, c := range p.Changes {
				if c.Add || len(c.Changes) > 0 {
					out.vends = append(out.vends, c.Record)
				}
			}
		} else {
			p, err := assessment.PlanAssets(snap, header, rows)
			if err != nil {
				return inventoryPlanMsg{err: err}
			}
			out.lines = planLines(p.Changes, p.Unknown, func(x assessment.Asset) string { return x.Name })
			for _, c := range p.Changes {
				if c.Add || len(c.Changes) > 0 {
					out.assets = append(out.assets, c.Record)
				}
			}
		}
		return out
	}
}

func planLines[T any](changes []assessment.InventoryChange[T], unknown []string, name func(T) string) []string {
	var out []string
	same := 0
	for _, c := range changes {
		switch {
		case c.Add:
			out = append(out, fmt.Sprintf("add     line %d  %s", c.Line, name(c.Record)))
		case len(c.Changes) > 0:
			out = append(out, fmt.Sprintf("update  line %d  %s", c.Line, name(c.Record)))
		default:
			same++
			continue
		}
		for _, ch := range c.Changes {
			out = append(out, "          "+ch)
		}
	}
	if len(unknown) > 0 {
		out = append(out, "Columns kept in the notes: "+strings.Join(unknown, ", ")+".")
	}
	if same > 0 {
		out = append(out, assessment.Plural(same, "row changes nothing.", "rows change nothing."))
	}
	return out
}

func (v *Inventory) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case inventoryPlanMsg:
		v.loading = false
		if msg.err != nil {
			v.err = msg.err
			return v, nil
		}
		v.lines, v.assets, v.vends, v.planned, v.offset = msg.lines, msg.assets, msg.vends, true, 0
		return v, nil
	case common.SavedMsg:
		v.saving = false
		if msg.Err != nil {
			v.err = msg.Err
			return v, nil
		}
		return v, tea.Sequence(common.Pop, common.Emit(msg))
	case tea.KeyPressMsg:
		return v, v.key(msg)
	case tea.PasteMsg:
		var cmd tea.Cmd
		if !v.planned {
			v.step.input, cmd = v.step.input.Update(msg)
		}
		return v, cmd
	}
	return v, nil
}

func (v *Inventory) key(msg tea.KeyPressMsg) tea.Cmd {
	if v.loading || v.saving {
		return nil
	}
	switch {
	case v.back(msg) && v.planned:
		v.planned, v.err = false, nil // back to the file
		return nil
	case v.back(msg):
		return common.Pop
	case !v.planned && msg.String() == "tab":
		v.vendors = !v.vendors
		return nil
	case !v.planned && msg.String() == "enter":
		return v.load()
	case !v.planned:
		var cmd tea.Cmd
		v.step.input, cmd = v.step.input.Update(msg)
		return cmd
	case key.Matches(msg, v.e.Keys.Exchange.Apply):
		n := len(v.assets) + len(v.vends)
		if n == 0 {
			return common.Pop
		}
		ctx, s, id, assets, vends := v.e.Ctx, v.e.Store, v.id, v.assets, v.vends
		what := assessment.Plural(n, "asset", "assets")
		if v.vendors {
			what = assessment.Plural(n, "vendor", "vendors")
		}
		v.saving = true
		return common.Mutate("Imported "+what+".", func() error {
			if len(vends) > 0 {
				return s.ImportVendors(ctx, id, vends)
			}
			return s.ImportAssets(ctx, id, assets)
		})
	}
	if d, ok := v.e.Keys.Nav.Delta(msg, v.height-8, len(v.lines)); ok {
		v.offset = max(0, min(len(v.lines)-1, v.offset+d))
	}
	return nil
}

func (v *Inventory) View() string {
	s := v.styles
	var b strings.Builder
	b.WriteString(s.Title.Render("Import assets or vendors from a list") + "\n\n")
	which := "[assets]  vendors "
	if v.vendors {
		which = " assets  [vendors]"
	}
	switch {
	case v.loading:
		b.WriteString(s.Subtle.Render("Reading the list…"))
	case !v.planned:
		b.WriteString("The list holds: " + which + s.Subtle.Render("   (tab switches)") + "\n\n")
		b.WriteString(v.step.view(s, v.width))
	default:
		n := len(v.assets) + len(v.vends)
		if n == 0 {
			b.WriteString("Nothing to import: every row matches what the assessment holds.\n")
		} else {
			b.WriteString(assessment.Plural(n, "change", "changes") + " to apply:\n\n")
		}
		end := min(len(v.lines), v.offset+max(v.height-8, 1))
		for _, l := range v.lines[v.offset:end] {
			b.WriteString(common.Fit("  "+l, v.width-1) + "\n")
		}
		b.WriteString("\n" + s.Subtle.Render("ctrl+s to apply all · esc to choose another file"))
	}
	return b.String() + v.errView()
}

// errView shows every bad row of a refused list, not just the first line.
func (v *Inventory) errView() string {
	var te assessment.TableErrors
	if v.err == nil || !errors.As(v.err, &te) {
		return v.errLine()
	}
	var b strings.Builder
	b.WriteString("\n\n" + v.styles.Error.Render("Nothing can be imported; correct these rows and try again:"))
	for i, e := range te {
		if i >= max(v.height-10, 3) {
			fmt.Fprintf(&b, "\n  … and %d more", len(te)-i)
			break
		}
		b.WriteString("\n  " + common.Fit(e.Error(), v.width-3))
	}
	return b.String()
}

func (v *Inventory) Typing() bool { return !v.planned }

func (v *Inventory) Keys() common.Help {
	if !v.planned {
		return common.HelpOf(common.Relabel(v.e.Keys.Home.Open, "enter", "read the list"), v.e.Keys.Global.Back)
	}
	return common.HelpOf(common.Relabel(v.e.Keys.Exchange.Apply, "ctrl+s", "import"), v.e.Keys.Nav.Down, v.e.Keys.Global.Back)
}
