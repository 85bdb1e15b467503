package common

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
)

// groups lists the key map's groups by name.
func groups(km KeyMap) map[string]reflect.Value {
	out := map[string]reflect.Value{}
	v := reflect.ValueOf(km)
	for i := range v.NumField() {
		out[v.Type().Field(i).Name] = v.Field(i)
	}
	return out
}

// bindings lists a group's bindings by field name; hints are kept apart.
func bindings(group reflect.Value) (acting, hints map[string]key.Binding) {
	acting, hints = map[string]key.Binding{}, map[string]key.Binding{}
	for i := range group.NumField() {
		name := group.Type().Field(i).Name
		b, ok := group.Field(i).Interface().(key.Binding)
		if !ok {
			continue
		}
		if strings.HasSuffix(name, "Hint") {
			hints[name] = b
		} else {
			acting[name] = b
		}
	}
	return acting, hints
}

func TestEveryBindingHasKeysAndHelp(t *testing.T) {
	t.Parallel()
	for gname, g := range groups(NewKeyMap()) {
		acting, hints := bindings(g)
		if len(acting) == 0 {
			if len(hints) == 0 {
				t.Errorf("group %s has no bindings", gname)
			}
		}
		for name, b := range acting {
			if len(b.Keys()) == 0 || b.Help().Key == "" || b.Help().Desc == "" {
				t.Errorf("%s.%s has keys %q and help %+v; every binding needs both", gname, name, b.Keys(), b.Help())
			}
		}
		for name, b := range hints {
			if b.Help().Key == "" || b.Help().Desc == "" {
				t.Errorf("%s.%s has no help text", gname, name)
			}
		}
	}
}

// TestHintsSummarizeTheirGroup: a hint only rewords bindings that exist, so the help bar
// never advertises a key that does nothing.
func TestHintsSummarizeTheirGroup(t *testing.T) {
	t.Parallel()
	km := NewKeyMap()
	for gname, g := range groups(km) {
		acting, hints := bindings(g)
		var all []string
		for _, b := range acting {
			all = append(all, b.Keys()...)
		}
		if gname == "Dashboard" { // the dashboard scrolls with the shared Nav keys
			for _, b := range []key.Binding{km.Nav.Up, km.Nav.Down} {
				all = append(all, b.Keys()...)
			}
		}
		for name, h := range hints {
			for _, k := range h.Keys() {
				if !slices.Contains(all, k) {
					t.Errorf("%s.%s lists %q, which no binding of the group handles", gname, name, k)
				}
			}
		}
	}
}

// TestNoKeyCollides: within one context (a section with the shell's keys, a dialog, a
// search box) no key belongs to two bindings.
func TestNoKeyCollides(t *testing.T) {
	t.Parallel()
	km := NewKeyMap()
	for ctx, parts := range km.Contexts() {
		owner := map[string]string{}
		add := func(name string, b key.Binding) {
			for _, k := range b.Keys() {
				if prev, ok := owner[k]; ok {
					t.Errorf("context %s: %q is both %s and %s", ctx, k, prev, name)
				}
				owner[k] = name
			}
		}
		for _, p := range parts {
			v := reflect.ValueOf(p)
			if b, ok := p.(key.Binding); ok {
				add(b.Help().Desc, b)
				continue
			}
			acting, _ := bindings(v)
			for name, b := range acting {
				add(v.Type().Name()+"."+name, b)
			}
		}
	}
}

// TestSharedMeanings: the keys that several sections use mean the same thing everywhere.
func TestSharedMeanings(t *testing.T) {
	t.Parallel()
	km := NewKeyMap()
	same := []struct {
		what string
		a, b key.Binding
	}{
		{"filter", km.Questions.Filter, km.Risks.Filter},
		{"find", km.Questions.Find, km.Risks.Find},
		{"delete", km.Home.Delete, km.Setup.Delete},
		{"open", km.Home.Open, km.Risks.Detail},
		{"open", km.Home.Open, km.Incidents.Open},
		{"delete", km.Home.Delete, km.Incidents.Delete},
		{"add", km.Setup.Add, km.Incidents.Add},
		{"previous step", km.Setup.PrevStep, km.Incidents.PrevStep},
		{"next step", km.Setup.NextStep, km.Incidents.NextStep},
		{"edit", km.Setup.Edit, km.Incidents.Edit},
	}
	for _, s := range same {
		if !slices.Equal(s.a.Keys(), s.b.Keys()) {
			t.Errorf("%s is %q in one section and %q in another", s.what, s.a.Keys(), s.b.Keys())
		}
	}
	// Every context that moves through a list uses the shared Nav keys, so pgdn pages
	// and g goes to the top everywhere.
	for _, ctx := range []string{"home", "dashboard", "questions", "risks", "setup", "finalize", "incidents", "incident"} {
		found := false
		for _, p := range km.Contexts()[ctx] {
			if _, ok := p.(NavKeys); ok {
				found = true
			}
		}
		if !found {
			t.Errorf("context %s does not use the shared Nav keys", ctx)
		}
	}
}
