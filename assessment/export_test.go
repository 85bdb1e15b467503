package assessment

// ListItems is the item listing alone (applicability, owners, answers, vendor issues,
// inheritance and evidence, without the summary and the other views), for the benchmark in
// package assessment_test.
func ListItems(s *Snapshot) []ItemView {
	a := newAnalysis(s)
	a.buildItems()
	return a.Items
}
