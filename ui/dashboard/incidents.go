package dashboard

import (
	"fmt"

	"safeguard/assessment"
	"safeguard/ui/common"
)

// maxIncidents is how many open incidents the dashboard lists; the Incidents tab has all.
const maxIncidents = 4

// incidentClocks is the breach notification clocks while any incident is open (not
// closed): one line per open incident with its most urgent duty, the due date and the
// days left, overdue in the error style. The clocks are the domain's
// (assessment.ViewIncident, in common.Data.Incidents, most urgent first); nothing is shown
// while no incident is open.
func (d *Model) incidentClocks(w int) []string {
	s := d.styles
	var open []*assessment.IncidentView
	for i := range d.data.Incidents {
		if v := &d.data.Incidents[i]; v.Status != assessment.IncidentClosed {
			open = append(open, v)
		}
	}
	if len(open) == 0 {
		return nil
	}
	out := []string{common.Truncate(s.Header.Render("Open incidents")+
		s.Subtle.Render(fmt.Sprintf(" · %d · notification clocks as of %s", len(open), assessment.DocDate(d.data.Today))), w)}
	type line struct{ mark, title, rest string }
	var lines []line
	restW := 0
	for i, v := range open {
		if i == maxIncidents {
			break
		}
		duty, ok := v.Next()
		mark, st := "· ", s.Subtle
		var rest string
		if ok {
			left := assessment.DaysLeft(duty.DaysLeft)
			mark, st = "■ ", s.Warn
			switch {
			case duty.DaysLeft < 0:
				mark, st = "! ", s.Error
			case duty.DaysLeft > 7:
				st = s.Subtle
			}
			rest = duty.Title + " due " + assessment.DocDate(duty.Due) + " · " + st.Render(left)
		} else {
			rest = s.Subtle.Render("every notice owed is recorded; close it when the work is done")
			if v.Notify == assessment.NotifyNotRequired {
				rest = s.Subtle.Render("not a breach, no notice due; close it when the work is done")
			}
		}
		lines = append(lines, line{st.Render(mark), assessment.SafeLine(v.Title), rest})
		restW = max(restW, common.Width(rest))
	}
	// The duty and its days are what matter: the titles share the room they leave.
	titleW := max(min(32, w-4-restW), 10)
	for _, l := range lines {
		out = append(out, common.Truncate(" "+l.mark+common.Fit(l.title, titleW)+" "+l.rest, w))
	}
	if len(open) > maxIncidents {
		out = append(out, s.Subtle.Render(fmt.Sprintf(" … and %s more in the Incidents tab", assessment.FormatInt(len(open)-maxIncidents))))
	}
	return append(out, "")
}
