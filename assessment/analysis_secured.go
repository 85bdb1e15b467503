package assessment

import (
	"fmt"
	"slices"
	"strings"
)

// SecuredState is whether an asset's ePHI can count as "secured" for the breach rule: the
// breach notification duties of 45 CFR §§164.404–164.410 apply to unsecured PHI, and HHS's
// guidance under §164.402 treats ePHI as secured when it is encrypted as NIST describes (SP
// 800-111 at rest, SP 800-52 TLS in transit) and the keys were not compromised with it.
type SecuredState string

const (
	SecuredCanQualify SecuredState = "can-qualify"          // encryption recorded and nothing recorded contradicts it
	SecuredNot        SecuredState = "not-secured"          // the records agree it is not encrypted (or not well enough)
	SecuredUnknown    SecuredState = "cannot-be-determined" // the records disagree, or say nothing
	SecuredNoEPHI     SecuredState = "no-ephi"              // the inventory records no ePHI stored on it
)

// Label is the state as a table cell shows it.
func (s SecuredState) Label() string {
	switch s {
	case SecuredCanQualify:
		return "Can qualify as secured"
	case SecuredNot:
		return "Not secured"
	case SecuredNoEPHI:
		return "No ePHI stored"
	}
	return "Cannot be determined"
}

// SecuredConflict is one record that disagrees with another about an asset's encryption:
// an answer (QuestionID with AssetID), a data flow (FlowID) or the inventory (neither).
type SecuredConflict struct {
	QuestionID string `json:"question_id,omitempty"`
	AssetID    string `json:"asset_id,omitempty"`
	FlowID     string `json:"flow_id,omitempty"`
	Text       string `json:"text"`
}

// SecuredView is the secured-ePHI determination of one in-scope asset, at rest and in
// transit, each with one sentence of why and the records that conflict.
type SecuredView struct {
	AssetID      string
	KeyCustody   string // the inventory's encryption-at-rest value (who holds the keys)
	AtRest       SecuredState
	AtRestWhy    string
	InTransit    SecuredState
	InTransitWhy string
	// Confirmed* are true when an answer (not only the inventory) supports a "can qualify".
	AtRestConfirmed    bool
	InTransitConfirmed bool
	Conflicts          []SecuredConflict
}

// The threat-library vulnerabilities whose questions are the encryption answers.
const (
	vulnAtRest  = "unencrypted-data-at-rest"
	vulnKeys    = "key-compromise"
	vulnTransit = "unencrypted-transmission"
)

// buildSecured derives the determination of every in-scope asset. Three kinds of record
// speak to it: the inventory (encryption at rest and the TLS version), the asset's answers
// to the questions that guard against unencrypted storage, key compromise and unencrypted
// transmission, and the data flows recorded to and from it. When some say "encrypted" and
// others "not", the state is "cannot be determined" and the dissenting records are named;
// a key-custody gap undermines an otherwise encrypted store the same way.
func (a *Analysis) buildSecured() {
	answers := map[string]map[string][]int{} // asset ID -> vulnerability -> items
	for i, it := range a.Items {
		if it.Asset == nil {
			continue
		}
		for _, v := range it.Question.Vulnerabilities {
			if v == vulnAtRest || v == vulnKeys || v == vulnTransit {
				if answers[it.Asset.ID] == nil {
					answers[it.Asset.ID] = map[string][]int{}
				}
				answers[it.Asset.ID][v] = append(answers[it.Asset.ID][v], i)
			}
		}
	}
	for i := range a.Snap.Assets {
		as := &a.Snap.Assets[i]
		if !as.InScope {
			continue
		}
		v := SecuredView{AssetID: as.ID, KeyCustody: as.EncAtRest}
		a.atRest(&v, as, answers[as.ID])
		a.inTransit(&v, as, answers[as.ID][vulnTransit])
		a.Secured = append(a.Secured, v)
	}
}

// answerConflict is the conflict entry for an item's answer.
func (a *Analysis) answerConflict(i int) SecuredConflict {
	it := &a.Items[i]
	return SecuredConflict{QuestionID: it.Question.ID, AssetID: assetIDOf(it.Asset),
		Text: fmt.Sprintf("%s is answered %s", it.Question.ID, strings.ToLower(it.Status.Short()))}
}

// split sorts items into current answers saying the safeguard is in place and those saying
// it is not (gaps); unanswered, flagged, not-applicable and carried answers say neither.
func (a *Analysis) split(items []int) (yes, no []int) {
	for _, i := range items {
		switch it := &a.Items[i]; {
		case it.InPlace():
			yes = append(yes, i)
		case it.IsGap():
			no = append(no, i)
		}
	}
	return yes, no
}

func (a *Analysis) atRest(v *SecuredView, as *Asset, answers map[string][]int) {
	if !as.EPHI {
		v.AtRest, v.AtRestWhy = SecuredNoEPHI, "The inventory records no ePHI stored on it."
		return
	}
	yes, no := a.split(answers[vulnAtRest])
	_, keyGaps := a.split(answers[vulnKeys])
	encrypted := as.EncAtRest != "" && as.EncAtRest != EncNone
	inv := "the inventory records it as " + lowerFirst(ChoiceLabel(EncryptionChoices, as.EncAtRest))
	switch {
	case as.EncAtRest == "" && len(yes) == 0 && len(no) == 0:
		v.AtRest, v.AtRestWhy = SecuredUnknown, "Nothing records whether its stored ePHI is encrypted."
	case (encrypted || len(yes) > 0) && (as.EncAtRest == EncNone || len(no) > 0):
		v.AtRest = SecuredUnknown
		var says []string
		if as.EncAtRest != "" {
			says = append(says, inv)
			v.Conflicts = append(v.Conflicts, SecuredConflict{AssetID: as.ID, Text: inv})
		}
		for _, i := range slices.Concat(yes, no) {
			c := a.answerConflict(i)
			says = append(says, c.Text)
			v.Conflicts = append(v.Conflicts, c)
		}
		v.AtRestWhy = "The records disagree: " + joinAnd(says) + "."
	case !encrypted && (as.EncAtRest == EncNone || len(no) > 0):
		v.AtRest, v.AtRestWhy = SecuredNot, "Its stored ePHI is not encrypted ("+a.cite(as, no)+")."
	case len(keyGaps) > 0:
		v.AtRest = SecuredUnknown
		var says []string
		for _, i := range keyGaps {
			c := a.answerConflict(i)
			says = append(says, c.Text)
			v.Conflicts = append(v.Conflicts, c)
		}
		v.AtRestWhy = "It is encrypted, but key custody is in doubt: " + joinAnd(says) + "."
	default:
		v.AtRest, v.AtRestConfirmed = SecuredCanQualify, len(yes) > 0
		v.AtRestWhy = "Encrypted at rest (" + lowerFirst(ChoiceLabel(EncryptionChoices, as.EncAtRest)) + ")"
		if len(yes) == 0 {
			v.AtRestWhy += "; only the inventory says so, no answer confirms it."
		} else {
			v.AtRestWhy += ", as " + confirms(ids(a, yes)) + "."
		}
	}
}

// confirms is "X confirms" or "X and Y confirm": the answers that bear out the inventory.
func confirms(ids []string) string {
	if len(ids) == 1 {
		return ids[0] + " confirms"
	}
	return joinAnd(ids) + " confirm"
}

// cite names the records behind a "not secured": the inventory and the gap answers.
func (a *Analysis) cite(as *Asset, gaps []int) string {
	var parts []string
	if as.EncAtRest == EncNone {
		parts = append(parts, "the inventory says so")
	}
	for _, i := range gaps {
		parts = append(parts, a.answerConflict(i).Text)
	}
	return joinAnd(parts)
}

func ids(a *Analysis, items []int) []string {
	out := make([]string, len(items))
	for k, i := range items {
		out[k] = a.Items[i].Question.ID
	}
	return out
}

// tlsSecure reports whether a recorded TLS version meets NIST SP 800-52 Rev. 2 (TLS 1.2 or
// later); known is false for an empty value.
func tlsSecure(v string) (secure, known bool) {
	switch v {
	case "":
		return false, false
	case "tls1.2", "tls1.3":
		return true, true
	}
	return false, true
}

func (a *Analysis) inTransit(v *SecuredView, as *Asset, answers []int) {
	yes, no := a.split(answers)
	var plain, sealed []Flow
	for _, f := range a.Snap.Flows {
		if f.From == as.ID || f.To == as.ID {
			if f.Encrypted {
				sealed = append(sealed, f)
			} else {
				plain = append(plain, f)
			}
		}
	}
	tlsOK, tlsKnown := tlsSecure(as.TLS)
	claimsYes := (tlsKnown && tlsOK) || len(yes) > 0 || len(sealed) > 0
	claimsNo := (tlsKnown && !tlsOK) || len(no) > 0 || len(plain) > 0
	var says []string
	var conflicts []SecuredConflict
	if tlsKnown {
		t := "the inventory records " + ChoiceLabel(TLSChoices, as.TLS)
		says = append(says, t)
		if claimsYes && claimsNo {
			conflicts = append(conflicts, SecuredConflict{AssetID: as.ID, Text: t})
		}
	}
	for _, f := range plain {
		t := fmt.Sprintf("the flow %s → %s is recorded as unencrypted", a.AssetName(f.From), a.AssetName(f.To))
		says = append(says, t)
		conflicts = append(conflicts, SecuredConflict{FlowID: f.ID, Text: t})
	}
	for _, i := range no {
		c := a.answerConflict(i)
		says = append(says, c.Text)
		conflicts = append(conflicts, c)
	}
	switch {
	case !claimsYes && !claimsNo:
		v.InTransit, v.InTransitWhy = SecuredUnknown, "Nothing records how its ePHI is protected in transit."
	case claimsYes && claimsNo:
		for _, i := range yes {
			c := a.answerConflict(i)
			says = append(says, c.Text)
			conflicts = append(conflicts, c)
		}
		v.InTransit, v.InTransitWhy = SecuredUnknown, "The records disagree: "+joinAnd(says)+"."
		v.Conflicts = append(v.Conflicts, conflicts...)
	case claimsNo:
		v.InTransit, v.InTransitWhy = SecuredNot, "Not protected in transit as NIST SP 800-52 Rev. 2 expects (TLS 1.2 or later): "+joinAnd(says)+"."
	default:
		v.InTransit, v.InTransitConfirmed = SecuredCanQualify, len(yes) > 0
		switch {
		case tlsKnown:
			v.InTransitWhy = "Encrypted in transit (" + ChoiceLabel(TLSChoices, as.TLS) + ")"
		default:
			v.InTransitWhy = "Encrypted in transit"
		}
		if len(yes) == 0 {
			v.InTransitWhy += "; no answer confirms it."
		} else {
			v.InTransitWhy += ", as " + confirms(ids(a, yes)) + "."
		}
	}
}
