package assessment

import (
	"strings"
	"testing"
)

func TestValidateResponse(t *testing.T) {
	t.Parallel()
	cat := fixtureCatalog(t)
	long := strings.Repeat("é", MaxTextLen+1) // characters, not bytes, are counted
	okLong := strings.Repeat("é", MaxTextLen)
	// 308a1-ra-01: required spec, organization. 308a5-mal-01: addressable, organization.
	// 312d-auth-01: standard without specification, per asset.
	cases := []struct {
		name string
		r    Response
		want string // "" = valid
	}{
		{"implemented", Response{QuestionID: "308a1-ra-01", Status: Implemented}, ""},
		{"flagged", Response{QuestionID: "308a1-ra-01", Status: Flagged}, ""},
		{"asset item", Response{QuestionID: "312d-auth-01", AssetID: "ehr", Status: Partial}, ""},
		{"unknown question", Response{QuestionID: "999x-no-01", Status: Implemented}, `unknown question "999x-no-01"`},
		{"asset question without asset", Response{QuestionID: "312d-auth-01", Status: Implemented}, "name the asset"},
		{"org question with asset", Response{QuestionID: "308a1-ra-01", AssetID: "ehr", Status: Implemented}, "remove the asset"},
		{"bad status", Response{QuestionID: "308a1-ra-01", Status: "done"}, "implemented, partial, not-implemented, not-applicable, flagged"},
		{"empty status", Response{QuestionID: "308a1-ra-01"}, `status ""`},
		{"N/A without reason", Response{QuestionID: "308a1-ra-01", Status: NotApplicable, Reason: "  "}, "needs a reason"},
		{"N/A with reason", Response{QuestionID: "308a1-ra-01", Status: NotApplicable, Reason: "No servers"}, ""},
		{"decision on required", Response{QuestionID: "308a1-ra-01", Status: Implemented, Decision: DecisionAsSpecified},
			"164.308(a)(1)(ii)(A) is a required specification; decisions apply only to addressable ones"},
		{"decision on a standard", Response{QuestionID: "312d-auth-01", AssetID: "ehr", Status: Implemented, Decision: DecisionAsSpecified},
			"decisions apply only to addressable ones"},
		{"as specified", Response{QuestionID: "308a5-mal-01", Status: Implemented, Decision: DecisionAsSpecified}, ""},
		{"unknown decision", Response{QuestionID: "308a5-mal-01", Status: Implemented, Decision: "maybe"}, "as-specified, alternative, not-reasonable"},
		{"alternative without text", Response{QuestionID: "308a5-mal-01", Status: Implemented, Decision: DecisionAlternative}, "describe the equivalent alternative measure"},
		{"alternative with text", Response{QuestionID: "308a5-mal-01", Status: Implemented, Decision: DecisionAlternative, DecisionText: "Application allow-listing"}, ""},
		{"not reasonable without rationale", Response{QuestionID: "308a5-mal-01", Status: NotImplemented, Decision: DecisionNotReasonable, DecisionText: "\n"}, "rationale"},
		{"not reasonable with rationale", Response{QuestionID: "308a5-mal-01", Status: NotImplemented, Decision: DecisionNotReasonable, DecisionText: "No endpoints"}, ""},
		{"note at the limit", Response{QuestionID: "308a1-ra-01", Status: Implemented, Note: okLong}, ""},
		{"note too long", Response{QuestionID: "308a1-ra-01", Status: Implemented, Note: long}, "note is 10001 characters long; shorten it to 10000"},
		{"reason too long", Response{QuestionID: "308a1-ra-01", Status: NotApplicable, Reason: long}, "reason is 10001"},
		{"decision text too long", Response{QuestionID: "308a5-mal-01", Status: Implemented, Decision: DecisionAlternative, DecisionText: long}, "decision text is 10001"},
		{"invalid UTF-8", Response{QuestionID: "308a1-ra-01", Status: Implemented, Note: "a\xffb"}, "not valid UTF-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assertErr(t, c.name, ValidateResponse(cat, c.r), c.want)
		})
	}
}

func TestIsGap(t *testing.T) {
	t.Parallel()
	want := map[ResponseStatus]bool{Implemented: false, Partial: true, NotImplemented: true, NotApplicable: false, Flagged: false, "": false, "bogus": false}
	for st, w := range want {
		if IsGap(st) != w {
			t.Errorf("IsGap(%q) = %v, want %v", st, !w, w)
		}
	}
}

// TestEveryStatusChoiceValidates keeps ResponseStatuses and the validator in step: every
// status offered to users is accepted.
func TestEveryStatusChoiceValidates(t *testing.T) {
	t.Parallel()
	cat := fixtureCatalog(t)
	for _, c := range ResponseStatuses {
		r := Response{QuestionID: "308a1-ra-01", Status: ResponseStatus(c.Value), Reason: "because"}
		if err := ValidateResponse(cat, r); err != nil {
			t.Errorf("status %s offered but refused: %v", c.Value, err)
		}
	}
	for _, c := range Decisions {
		r := Response{QuestionID: "308a5-mal-01", Status: Implemented, Decision: Decision(c.Value), DecisionText: "text"}
		if err := ValidateResponse(cat, r); err != nil {
			t.Errorf("decision %s offered but refused: %v", c.Value, err)
		}
	}
}
