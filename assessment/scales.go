package assessment

// The likelihood and impact scales of the risk method, with a definition per level
// tailored to a health care practice. They follow the structure of NIST SP 800-30 Rev. 1,
// Appendix G (likelihood of a threat event occurring and succeeding) and Appendix H (impact
// of the event), written in our own words and tied to what a practice can judge: how often
// such events reach practices like it, how many patients' records an event would expose or
// corrupt, how long care systems would be down, whether a patient could be harmed, and
// whether 42 CFR Part 2 substance-use records are involved (their disclosure can cost a
// patient a job, custody or liberty, so they weigh more than their number).
//
// The figures are yardsticks, not thresholds in law, except where noted: 500 affected
// individuals is where the breach rule requires notice to the media and immediate notice to
// HHS (45 CFR §164.406 and §164.408(b)).

// ScaleLevel is one step of a likelihood or impact scale.
type ScaleLevel struct {
	Value      int              `json:"value"` // 1 (lowest) to the matrix scale
	Label      string           `json:"label"`
	Definition string           `json:"definition"`
	Criteria   []ScaleCriterion `json:"criteria"`
}

// ScaleCriterion is one yardstick of a level: what it means for one aspect.
type ScaleCriterion struct {
	Aspect string `json:"aspect"`
	Text   string `json:"text"`
}

// Scales are the likelihood and impact scales of one matrix.
type Scales struct {
	Likelihood []ScaleLevel `json:"likelihood"`
	Impact     []ScaleLevel `json:"impact"`
	// Basis says where the structure comes from, for the method section.
	Basis string `json:"basis"`
}

// Aspects of the impact scale.
const (
	AspectRecords  = "Records affected"
	AspectDowntime = "Downtime of care systems"
	AspectSafety   = "Patient safety"
	AspectPart2    = "Part 2 records"
	AspectFreq     = "How often"
	AspectControls = "What stands in the way"
)

const scalesBasis = "Levels follow the structure of NIST SP 800-30 Rev. 1, Appendix G (likelihood) and Appendix H (impact), with definitions written for a health care practice."

var likelihood5 = []ScaleLevel{
	{1, "Very low", "Not expected to happen here in the next ten years.", []ScaleCriterion{
		{AspectFreq, "Rarely or never seen at comparable practices."},
		{AspectControls, "Several strong controls would all have to fail, or a rare natural event would have to strike."},
	}},
	{2, "Low", "Unlikely in the next three years.", []ScaleCriterion{
		{AspectFreq, "Seen at comparable practices, but seldom."},
		{AspectControls, "Needs an unusual combination of circumstances, or a skilled and determined attacker, and working controls are in the way."},
	}},
	{3, "Moderate", "Could well happen in the next one to three years.", []ScaleCriterion{
		{AspectFreq, "Has happened at comparable practices in recent years."},
		{AspectControls, "Existing controls would stop it only part of the time."},
	}},
	{4, "High", "Likely to happen within a year.", []ScaleCriterion{
		{AspectFreq, "Common at practices of this size; attempts reach most of them every year."},
		{AspectControls, "The gap means a single attempt or mistake would probably succeed."},
	}},
	{5, "Very high", "Expected to happen, perhaps several times, within a year, or already happening.", []ScaleCriterion{
		{AspectFreq, "Attempts reach the practice routinely (phishing, password spraying, scanning)."},
		{AspectControls, "Little or nothing stands in the way."},
	}},
}

var impact5 = []ScaleLevel{
	{1, "Very low", "A negligible effect on patients and the practice.", []ScaleCriterion{
		{AspectRecords, "No readable ePHI disclosed, altered or lost (encrypted data only)."},
		{AspectDowntime, "Less than an hour, with no effect on appointments."},
		{AspectSafety, "No effect on care."},
		{AspectPart2, "No Part 2 records involved."},
	}},
	{2, "Low", "A limited effect the practice absorbs in its normal work.", []ScaleCriterion{
		{AspectRecords, "Fewer than 10 patients' records."},
		{AspectDowntime, "A few hours, covered by paper workarounds."},
		{AspectSafety, "Care goes on; some visits are slower."},
		{AspectPart2, "No Part 2 records involved."},
	}},
	{3, "Moderate", "A serious effect: patients must be told and care is disrupted.", []ScaleCriterion{
		{AspectRecords, "10 to 49 patients' records."},
		{AspectDowntime, "Up to one working day; some appointments move."},
		{AspectSafety, "Care is delayed, but no patient is expected to be harmed."},
		{AspectPart2, "No Part 2 records involved."},
	}},
	{4, "High", "A severe effect on patients and on the practice's ability to work.", []ScaleCriterion{
		{AspectRecords, "50 to 499 patients' records."},
		{AspectDowntime, "One to seven days; appointments are cancelled or sent elsewhere."},
		{AspectSafety, "Missing or wrong information could lead to a patient being harmed."},
		{AspectPart2, "Part 2 records of a few patients."},
	}},
	{5, "Very high", "A catastrophic effect the practice may not recover from.", []ScaleCriterion{
		{AspectRecords, "500 or more patients' records (the breach rule then requires notice to the media and to HHS at once, §§164.406, 164.408(b))."},
		{AspectDowntime, "More than a week, or records lost for good."},
		{AspectSafety, "A patient could be seriously harmed or die."},
		{AspectPart2, "Part 2 records of many patients, or any disclosure that could expose a patient to prosecution."},
	}},
}

var likelihood3 = []ScaleLevel{
	{1, "Low", "Not expected in the next three years.", []ScaleCriterion{
		{AspectFreq, "Rare at comparable practices."},
		{AspectControls, "Working controls stand in the way; it needs unusual circumstances or a skilled attacker."},
	}},
	{2, "Medium", "Could well happen in the next one to three years.", []ScaleCriterion{
		{AspectFreq, "Has happened at comparable practices in recent years."},
		{AspectControls, "Existing controls would stop it only part of the time."},
	}},
	{3, "High", "Likely within a year, or already happening.", []ScaleCriterion{
		{AspectFreq, "Attempts or mishaps of this kind are routine."},
		{AspectControls, "The gap means an attempt or a mistake would probably succeed."},
	}},
}

var impact3 = []ScaleLevel{
	{1, "Low", "A limited effect the practice absorbs in its normal work.", []ScaleCriterion{
		{AspectRecords, "No readable ePHI, or fewer than 10 patients' records."},
		{AspectDowntime, "Up to a few hours, covered by workarounds."},
		{AspectSafety, "No effect on care."},
		{AspectPart2, "No Part 2 records involved."},
	}},
	{2, "Medium", "A serious effect: patients must be told and care is disrupted.", []ScaleCriterion{
		{AspectRecords, "10 to 499 patients' records."},
		{AspectDowntime, "Up to a few days; appointments move or are cancelled."},
		{AspectSafety, "Care is delayed; harm to a patient is unlikely."},
		{AspectPart2, "Part 2 records of a few patients."},
	}},
	{3, "High", "A severe or catastrophic effect on patients and the practice.", []ScaleCriterion{
		{AspectRecords, "500 or more patients' records (notice to the media and to HHS at once, §§164.406, 164.408(b))."},
		{AspectDowntime, "More than a few days, or records lost for good."},
		{AspectSafety, "A patient could be harmed."},
		{AspectPart2, "Part 2 records of many patients, or a disclosure that could expose a patient to prosecution."},
	}},
}

// ScalesFor returns the likelihood and impact scales of a matrix: five levels for NIST's
// 5×5, three for the 3×3. The slices are shared; callers must not change them.
func ScalesFor(m MatrixKind) Scales {
	if m.Scale() == 3 {
		return Scales{Likelihood: likelihood3, Impact: impact3, Basis: scalesBasis}
	}
	return Scales{Likelihood: likelihood5, Impact: impact5, Basis: scalesBasis}
}

// AxisLabel is the label of a likelihood or impact rating on the matrix's scale: "High"
// for 4 on the 5×5; "Not rated" for 0 or out of range.
func (m MatrixKind) AxisLabel(v int) string {
	sc := ScalesFor(m).Likelihood
	if v < 1 || v > len(sc) {
		return "Not rated"
	}
	return sc[v-1].Label
}
