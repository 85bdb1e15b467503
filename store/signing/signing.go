// Package signing is safeguard's optional signing key: an Ed25519 key pair kept in the
// user config folder, its private half sealed with a passphrase (Argon2id and
// AES-256-GCM, as an encrypted workspace's evidence), and the messages it signs.
//
// A signature binds what someone with the workspace file could otherwise rewrite: a seal
// (a sign-off or a report) says "workspace W's audit chain had head H", and a report's
// detached signature adds "and this file, with SHA-256 S, was made from it". Without the
// private key nobody can make a matching signature for a rewritten history. Who a key
// belongs to is not something a signature shows: its fingerprint, printed on reports and
// by `safeguard key show`, is what a reader compares.
package signing

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"safeguard/store/passphrase"
)

// FileName is the key file in the user config folder.
const FileName = "signing-key.json"

// keyFormat identifies key files.
const keyFormat = "safeguard-signing-key/v1"

// Argon2id cost of the key passphrase: the same as an encrypted workspace's (32 MiB, 3
// passes, 2 lanes; about 0.1–0.2 s on a laptop). Stored in the file.
const (
	kdfMemoryKiB   = 32 * 1024
	kdfIterations  = 3
	kdfParallelism = 2
)

// ErrNoKey is returned when there is no key file.
var ErrNoKey = errors.New("there is no signing key; create one with `safeguard key create`")

// ErrWrongPassphrase is returned when a passphrase does not open the key.
var ErrWrongPassphrase = errors.New("the passphrase does not open the signing key; check it and try again")

// File is a key file: the public key, readable by anyone, and the sealed private key.
type File struct {
	Format      string    `json:"format"`
	PublicKey   string    `json:"public_key"` // base64
	Fingerprint string    `json:"fingerprint"`
	CreatedAt   time.Time `json:"created_at"`
	KDF         string    `json:"kdf"`
	MemoryKiB   uint32    `json:"memory_kib"`
	Iterations  uint32    `json:"iterations"`
	Parallelism uint8     `json:"parallelism"`
	Salt        []byte    `json:"salt"`
	Sealed      []byte    `json:"sealed_private_key"` // nonce || AES-256-GCM(seed) || tag
}

// Key is an unlocked signing key.
type Key struct {
	priv ed25519.PrivateKey
}

// Fingerprint names a public key: "SHA256:" and the unpadded base64 of its SHA-256, as
// SSH prints key fingerprints.
func Fingerprint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}

// Path is the key file in the config folder dir.
func Path(dir string) string { return filepath.Join(dir, FileName) }

// Create makes a new key pair and writes it to path (owner-only), sealed with the
// passphrase. It refuses to replace an existing key: signatures made with it could no
// longer be told apart from a stranger's.
func Create(path string, pass []byte, now time.Time) (*File, error) {
	if err := passphrase.Check(pass); err != nil {
		return nil, err
	}
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("a signing key already exists at %s; safeguard keeps one key, so move that file away first if you really want a new one", path)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("the system's random number generator failed (%v); try again", err)
	}
	f := &File{Format: keyFormat, PublicKey: base64.StdEncoding.EncodeToString(pub), Fingerprint: Fingerprint(pub),
		CreatedAt: now.UTC().Truncate(time.Second), KDF: "argon2id", MemoryKiB: kdfMemoryKiB, Iterations: kdfIterations,
		Parallelism: kdfParallelism, Salt: make([]byte, 16)}
	if _, err := rand.Read(f.Salt); err != nil {
		return nil, fmt.Errorf("the system's random number generator failed (%v); try again", err)
	}
	aead, err := f.aead(pass)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("the system's random number generator failed (%v); try again", err)
	}
	f.Sealed = aead.Seal(nonce, nonce, priv.Seed(), f.aad())
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the folder %s (%v); check its permissions", filepath.Dir(path), err)
	}
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot write the signing key to %s (%v); check the folder's permissions", path, unwrap(err))
	}
	if _, err := out.Write(append(b, '\n')); err != nil {
		out.Close()
		os.Remove(path)
		return nil, fmt.Errorf("writing the signing key to %s failed (%v); check the disk", path, unwrap(err))
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(path)
		return nil, fmt.Errorf("writing the signing key to %s failed (%v); check the disk", path, unwrap(err))
	}
	return f, out.Close()
}

// Load reads the key file at path; ErrNoKey when there is none.
func Load(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoKey
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the signing key %s (%v); check its permissions", path, unwrap(err))
	}
	var f File
	if err := json.Unmarshal(b, &f); err != nil || f.Format != keyFormat || f.KDF != "argon2id" {
		return nil, fmt.Errorf("%s is not a safeguard signing key (or it is damaged); restore it from a backup", path)
	}
	pub, err := base64.StdEncoding.DecodeString(f.PublicKey)
	if err != nil || len(pub) != ed25519.PublicKeySize || Fingerprint(pub) != f.Fingerprint ||
		len(f.Salt) < 8 || f.MemoryKiB == 0 || f.MemoryKiB > 4<<20 || f.Iterations == 0 || f.Parallelism == 0 {
		return nil, fmt.Errorf("the signing key %s is damaged; restore it from a backup", path)
	}
	return &f, nil
}

// Public is the public key.
func (f *File) Public() ed25519.PublicKey {
	pub, _ := base64.StdEncoding.DecodeString(f.PublicKey)
	return pub
}

// Unlock opens the private key with the passphrase.
func (f *File) Unlock(pass []byte) (*Key, error) {
	aead, err := f.aead(pass)
	if err != nil {
		return nil, err
	}
	if len(f.Sealed) < aead.NonceSize() {
		return nil, errors.New("the signing key is damaged; restore it from a backup")
	}
	seed, err := aead.Open(nil, f.Sealed[:aead.NonceSize()], f.Sealed[aead.NonceSize():], f.aad())
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, ErrWrongPassphrase
	}
	k := &Key{priv: ed25519.NewKeyFromSeed(seed)}
	if !k.Public().Equal(f.Public()) {
		return nil, errors.New("the signing key is damaged (its halves do not match); restore it from a backup")
	}
	return k, nil
}

func (f *File) aead(pass []byte) (cipher.AEAD, error) {
	key := argon2.IDKey(passphrase.Normalize(pass), f.Salt, f.Iterations, f.MemoryKiB, f.Parallelism, 32)
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// aad binds the sealed private key to its public key and format.
func (f *File) aad() []byte { return []byte(keyFormat + "\n" + f.PublicKey) }

// Public is the key's public half.
func (k *Key) Public() ed25519.PublicKey { return k.priv.Public().(ed25519.PublicKey) }

// Fingerprint names the key.
func (k *Key) Fingerprint() string { return Fingerprint(k.Public()) }

// Sign signs a message made by SealMessage.
func (k *Key) Sign(msg []byte) Signature {
	return Signature{PublicKey: base64.StdEncoding.EncodeToString(k.Public()), Fingerprint: k.Fingerprint(),
		Value: base64.StdEncoding.EncodeToString(ed25519.Sign(k.priv, msg))}
}

// Signature is a signature with the public key that makes it, as seals and signature
// files store them.
type Signature struct {
	PublicKey   string `json:"public_key"`  // base64
	Fingerprint string `json:"fingerprint"` // of PublicKey
	Value       string `json:"signature"`   // base64
}

// Verify checks the signature over msg: nil when the public key made it.
func (sig Signature) Verify(msg []byte) error {
	pub, err := base64.StdEncoding.DecodeString(sig.PublicKey)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return errors.New("its public key is damaged")
	}
	if Fingerprint(pub) != sig.Fingerprint {
		return errors.New("its fingerprint does not belong to its public key")
	}
	v, err := base64.StdEncoding.DecodeString(sig.Value)
	if err != nil || len(v) != ed25519.SignatureSize {
		return errors.New("the signature is damaged")
	}
	if !ed25519.Verify(pub, msg, v) {
		return errors.New("the signature does not match what it signs")
	}
	return nil
}

// SealMessage is what a seal signs: the workspace identity and the chain head, and for a
// report or export also the SHA-256 of the file's content ("" for a sign-off).
func SealMessage(workspace string, seq int64, head, sha string) []byte {
	var b strings.Builder
	b.WriteString("safeguard seal v1\n")
	b.WriteString("workspace " + workspace + "\n")
	b.WriteString("entry " + strconv.FormatInt(seq, 10) + "\n")
	b.WriteString("head " + head + "\n")
	if sha != "" {
		b.WriteString("sha256 " + sha + "\n")
	}
	return []byte(b.String())
}

func unwrap(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
