package accessible

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"safeguard/assessment"
)

// The prompts: plain lines out, one answer per line in. Nothing is drawn, colored or
// moved: no escape sequence is ever written, so a screen reader, a braille display or a
// log file reads exactly what is said. A bare Enter never picks anything: a menu asks
// again, and a field keeps its value only where the prompt says Enter keeps it.

// errEOF is the end of the input. Where it lands decides how the session ends: at a menu
// it is a normal quit; inside an entry, the entry is not saved and the run fails.
var errEOF = errors.New("the input ended")

// prompter reads answers and writes prompts.
type prompter struct {
	in  *bufio.Reader
	out io.Writer
	// entry names the entry being made ("" at a menu): input ending there leaves it
	// half-done, which the run reports.
	entry string
	// cut is the entry the input ended in.
	cut string
}

func (p *prompter) say(format string, args ...any) { fmt.Fprintf(p.out, format+"\n", args...) }

// para writes text as one paragraph, then a blank line.
func (p *prompter) para(text string) {
	if strings.TrimSpace(text) != "" {
		fmt.Fprintln(p.out, strings.Join(strings.Fields(text), " "))
	}
}

// line asks with prompt and returns the line typed, without its line break. The end of
// the input is errEOF, remembered with the entry it cut.
func (p *prompter) line(prompt string) (string, error) {
	fmt.Fprint(p.out, prompt)
	s, err := p.in.ReadString('\n')
	if err != nil && (err != io.EOF || s == "") {
		fmt.Fprintln(p.out)
		if err == io.EOF {
			p.cut = p.entry
			return "", errEOF
		}
		return "", err
	}
	return strings.TrimRight(s, "\r\n"), nil
}

// within runs an entry: input ending inside it means the entry was not finished.
func (p *prompter) within(entry string, fn func() error) error {
	outer := p.entry
	p.entry = entry
	defer func() { p.entry = outer }()
	return fn()
}

// choose asks for one of options by number and returns its index. A bare Enter or
// anything else asks again.
func (p *prompter) choose(title string, options []string) (int, error) {
	p.say("%s", title)
	for i, o := range options {
		p.say("  %d. %s", i+1, o)
	}
	for {
		s, err := p.line(fmt.Sprintf("Type a number from 1 to %d, then Enter: ", len(options)))
		if err != nil {
			return 0, err
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		switch {
		case strings.TrimSpace(s) == "":
			p.say("Nothing was chosen.")
		case err != nil || n < 1 || n > len(options):
			p.say("%q is not one of the numbers 1 to %d.", strings.TrimSpace(s), len(options))
		default:
			return n - 1, nil
		}
	}
}

// choice asks for one of a list of labelled values; current ("" for none) is kept with a
// bare Enter when it is one of them, as the prompt says.
func (p *prompter) choice(title string, cs []assessment.Choice, current string) (string, error) {
	labels := make([]string, len(cs))
	keep := -1
	for i, c := range cs {
		labels[i] = c.Label
		if c.Value == current && current != "" {
			keep = i
		}
	}
	if keep < 0 {
		i, err := p.choose(title, labels)
		if err != nil {
			return "", err
		}
		return cs[i].Value, nil
	}
	p.say("%s", title)
	for i, l := range labels {
		p.say("  %d. %s", i+1, l)
	}
	for {
		s, err := p.line(fmt.Sprintf("Type a number from 1 to %d, or press Enter to keep %s: ", len(cs), labels[keep]))
		if err != nil {
			return "", err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return current, nil
		}
		if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(cs) {
			return cs[n-1].Value, nil
		}
		p.say("%q is not one of the numbers 1 to %d.", s, len(cs))
	}
}

// text asks for a line of text. With a current value, a bare Enter keeps it (the prompt
// says so) and a single dash empties an optional field; without one, a bare Enter leaves an
// optional field empty. check refuses what the store would refuse, and the question is
// asked again.
func (p *prompter) text(label, current string, optional bool, check func(string) error) (string, error) {
	for {
		prompt := label + ": "
		switch {
		case current != "" && optional:
			prompt = fmt.Sprintf("%s (Enter keeps %q, a dash - empties it): ", label, current)
		case current != "":
			prompt = fmt.Sprintf("%s (Enter keeps %q): ", label, current)
		case optional:
			prompt = label + " (optional, Enter leaves it empty): "
		}
		s, err := p.line(prompt)
		if err != nil {
			return "", err
		}
		s = strings.TrimSpace(s)
		switch {
		case s == "" && current != "":
			s = current
		case s == "-" && optional:
			s = ""
		case s == "" && !optional:
			p.say("This one is needed; type it.")
			continue
		}
		if check != nil {
			if err := check(s); err != nil {
				p.say("That does not work: %s. Try again.", err)
				continue
			}
		}
		return s, nil
	}
}

// yes asks a yes-or-no question; a bare Enter keeps *current when it is given, else asks
// again.
func (p *prompter) yes(question string, current *bool) (bool, error) {
	for {
		prompt := question + " Type y or n: "
		if current != nil {
			now := "no"
			if *current {
				now = "yes"
			}
			prompt = question + " Type y or n, or press Enter to keep " + now + ": "
		}
		s, err := p.line(prompt)
		if err != nil {
			return false, err
		}
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "y", "yes":
			return true, nil
		case "n", "no":
			return false, nil
		case "":
			if current != nil {
				return *current, nil
			}
			p.say("Nothing was chosen.")
		default:
			p.say("Type y for yes or n for no.")
		}
	}
}

// number asks for a whole number from lo to hi, keeping current with Enter.
func (p *prompter) number(label string, current, lo, hi int) (int, error) {
	s, err := p.text(label, strconv.Itoa(current), false, func(s string) error {
		n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("give a whole number from %d to %d", lo, hi)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	n, _ := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	return n, nil
}
