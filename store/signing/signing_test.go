package signing

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestKeyFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cfg", FileName)
	if _, err := Load(path); !errors.Is(err, ErrNoKey) {
		t.Fatalf("Load without a key: %v", err)
	}
	if _, err := Create(path, []byte("too short"), time.Now()); err == nil {
		t.Fatal("a short passphrase was accepted")
	}
	f, err := Create(path, []byte("a good signing passphrase"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", st, err)
	}
	if _, err := Create(path, []byte("a good signing passphrase"), time.Now()); err == nil {
		t.Fatal("an existing key was replaced")
	}
	raw, _ := os.ReadFile(path)
	if strings.Contains(string(raw), "PRIVATE") || len(raw) > 2000 {
		t.Fatalf("unexpected key file: %s", raw)
	}
	g, err := Load(path)
	if err != nil || g.Fingerprint != f.Fingerprint || !strings.HasPrefix(g.Fingerprint, "SHA256:") {
		t.Fatalf("Load: %+v %v", g, err)
	}
	if _, err := g.Unlock([]byte("not the passphrase!")); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	// NFD typing of an NFC passphrase opens it.
	h, err := Create(filepath.Join(t.TempDir(), FileName), []byte("Caf\u00e9 passphrase"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Unlock([]byte("Cafe\u0301 passphrase")); err != nil {
		t.Fatalf("NFD form: %v", err)
	}
	k, err := g.Unlock([]byte("a good signing passphrase"))
	if err != nil || k.Fingerprint() != f.Fingerprint {
		t.Fatalf("Unlock: %v", err)
	}
	msg := SealMessage("ws", 12, strings.Repeat("a", 64), "")
	sig := k.Sign(msg)
	if err := sig.Verify(msg); err != nil {
		t.Fatalf("own signature: %v", err)
	}
	for name, m := range map[string][]byte{
		"other entry": SealMessage("ws", 13, strings.Repeat("a", 64), ""),
		"other head":  SealMessage("ws", 12, strings.Repeat("b", 64), ""),
		"other file":  SealMessage("ws", 12, strings.Repeat("a", 64), strings.Repeat("c", 64)),
		"other place": SealMessage("other", 12, strings.Repeat("a", 64), ""),
	} {
		if err := sig.Verify(m); err == nil {
			t.Errorf("the signature verifies for %s", name)
		}
	}
	// A signature with another key's fingerprint pasted in is refused.
	forged := sig
	forged.Fingerprint = h.Fingerprint
	if err := forged.Verify(msg); err == nil {
		t.Error("a fingerprint that is not the key's was accepted")
	}
	// A damaged key file is a sentence, not a crash.
	os.WriteFile(path, []byte(`{"format":"safeguard-signing-key/v1","kdf":"argon2id","public_key":"AAAA"}`), 0o600)
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("damaged key: %v", err)
	}
}
