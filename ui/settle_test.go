package ui

import (
	"fmt"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// A flow sends a key and must not send the next one before the program has finished with
// the first: huh moves between fields with its own commands, and a key that arrives before
// they land goes to the field the user already left. A fixed pause per key made the flows
// slow (100 ms a key) and still lost keys when the machine was busy. The tracker instead
// counts the work the program has in hand, so a flow waits exactly until it is done.
type tracker struct {
	sent    atomic.Int64 // keys the flow sent
	seen    atomic.Int64 // keys Update handled
	updates atomic.Int64 // Update calls
	viewed  atomic.Int64 // the Update count at the last View (the runtime draws after each Update)
	quit    atomic.Bool  // the program was told to quit: what is still running will never land
	mu      sync.Mutex
	running map[string]int // commands started whose message has not reached Update, by name
	t       testing.TB
	frame   func() string // the last whole frame drawn, without styles
}

// trackedMsg carries a tracked command's message to Update.
type trackedMsg struct {
	msg  tea.Msg
	name string
}

func newTracker(t testing.TB) *tracker { return &tracker{running: map[string]int{}, t: t} }

func (tr *tracker) start(name string) {
	tr.mu.Lock()
	tr.running[name]++
	tr.mu.Unlock()
}

func (tr *tracker) done(name string) {
	tr.mu.Lock()
	if tr.running[name]--; tr.running[name] <= 0 {
		delete(tr.running, name)
	}
	tr.mu.Unlock()
}

// busy names the commands still running, or says which keys are not handled yet; "" when
// the program is idle and has drawn its last update.
func (tr *tracker) busy() string {
	if tr.quit.Load() {
		return ""
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if len(tr.running) > 0 {
		names := make([]string, 0, len(tr.running))
		for n, c := range tr.running {
			names = append(names, fmt.Sprintf("%s×%d", n, c))
		}
		sort.Strings(names)
		return "commands running: " + strings.Join(names, ", ")
	}
	if sent, seen := tr.sent.Load(), tr.seen.Load(); seen < sent {
		return fmt.Sprintf("%d of %d keys handled", seen, sent)
	}
	if tr.viewed.Load() < tr.updates.Load() {
		return "last update not drawn"
	}
	return ""
}

// wrap tracks cmd until its message reaches Update. Timers (cursor blink, the change poll,
// tea.Tick and tea.Every) are left alone: they fire on their own schedule, and the program
// is idle while it waits for them.
func (tr *tracker) wrap(cmd tea.Cmd) tea.Cmd { return tr.track(cmd, true) }

// track wraps cmd; eager counts it from now, otherwise from when the runtime runs it. The
// parts of a sequence after the first run only when the earlier ones are done, and an
// earlier part may wait on a timer (huh starts a form with a sequence whose first part
// waits for the cursor's first blink): the program is idle meanwhile, as a user sees it.
func (tr *tracker) track(cmd tea.Cmd, eager bool) tea.Cmd {
	if cmd == nil {
		return nil
	}
	name := cmdName(cmd)
	if isTimer(name) {
		return cmd
	}
	if eager {
		tr.start(name)
	}
	return func() tea.Msg {
		if !eager {
			tr.start(name)
		}
		msg := cmd()
		if cmds, ok := cmdSlice(msg); ok {
			// tea.Batch and tea.Sequence: the runtime runs the parts; track each of them.
			sequence := reflect.TypeOf(msg) != reflect.TypeFor[tea.BatchMsg]()
			out := reflect.MakeSlice(reflect.TypeOf(msg), len(cmds), len(cmds))
			for i, c := range cmds {
				if w := tr.track(c, !sequence || i == 0); w != nil {
					out.Index(i).Set(reflect.ValueOf(w))
				}
			}
			tr.done(name)
			return out.Interface()
		}
		if inner, ok := msg.(trackedMsg); ok {
			// A tracked command run inside another (the app handed it on): its own
			// wrapper counts it; this one is done.
			tr.done(name)
			return inner
		}
		if _, ok := msg.(tea.QuitMsg); ok {
			tr.quit.Store(true)
		}
		if msg == nil || isRuntimeMsg(msg) {
			// The runtime acts on these itself; they may never reach Update as they are.
			tr.done(name)
			return msg
		}
		return trackedMsg{msg, name}
	}
}

// update unwraps a tracked message, runs the model's Update and tracks what it returns.
func (tr *tracker) update(msg tea.Msg, next func(tea.Msg) tea.Cmd) tea.Cmd {
	t, tracked := msg.(trackedMsg)
	if tracked {
		msg = t.msg
	}
	cmd := tr.wrap(next(msg))
	if tracked {
		tr.done(t.name)
	}
	if _, ok := msg.(tea.KeyPressMsg); ok {
		tr.seen.Add(1)
	}
	tr.updates.Add(1)
	return cmd
}

// drawn records that the runtime drew the model after the updates so far.
func (tr *tracker) drawn() { tr.viewed.Store(tr.updates.Load()) }

// settle waits until the program is idle, or 3 s: then it logs what the program was still
// doing and goes on (the flow's next check of the screen decides).
func (tr *tracker) settle() {
	t := tr.t
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		b := tr.busy()
		if b == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Logf("the program did not settle within 3s: %s", b)
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// trackers maps each test program to its tracker, for keys.
var trackers sync.Map // *teatest.TestModel → *tracker

func trackerOf(tm *teatest.TestModel) *tracker {
	if tr, ok := trackers.Load(tm); ok {
		return tr.(*tracker)
	}
	return nil
}

func cmdName(cmd tea.Cmd) string {
	if fn := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()); fn != nil {
		return fn.Name()
	}
	return "?"
}

func isTimer(name string) bool {
	return strings.Contains(name, "cursor.(*Model).Blink") || strings.Contains(name, "bubbletea/v2.Tick.") ||
		strings.Contains(name, "bubbletea/v2.Every.")
}

// cmdSlice reports a tea.BatchMsg or the runtime's sequence message: a slice of commands.
func cmdSlice(msg tea.Msg) ([]tea.Cmd, bool) {
	if msg == nil {
		return nil, false
	}
	rv := reflect.ValueOf(msg)
	if rv.Kind() != reflect.Slice || rv.Type().Elem() != reflect.TypeFor[tea.Cmd]() {
		return nil, false
	}
	cmds := make([]tea.Cmd, rv.Len())
	for i := range cmds {
		cmds[i], _ = rv.Index(i).Interface().(tea.Cmd)
	}
	return cmds, true
}

// isRuntimeMsg says whether msg is one of Bubble Tea's own messages, which the runtime
// may act on before (or instead of) passing it to Update.
func isRuntimeMsg(msg tea.Msg) bool {
	t := reflect.TypeOf(msg)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.PkgPath() == reflect.TypeFor[tea.KeyPressMsg]().PkgPath()
}
