package store

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"unicode/utf8"
)

// Verify hashes every audit entry and re-encodes every audited row as its canonical
// payload. encoding/json does both through reflection, and on a workspace of many
// clients that (and the garbage it leaves) was most of verify's time. These encoders
// write the same bytes by hand for the only types an entry or a row holds (strings,
// integers, NULL); anything else goes back to encoding/json. canonical_test.go checks
// them byte for byte against encoding/json.

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as encoding/json writes a string: control characters,
// quote and backslash escaped (\b \f \n \r \t by name), invalid UTF-8 as U+FFFD, U+2028
// and U+2029 escaped, and with escapeHTML (json.Marshal) also <, > and &.
func appendJSONString(dst []byte, s string, escapeHTML bool) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && (!escapeHTML || (b != '<' && b != '>' && b != '&')) {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// entryHash is computeHash without reflection: SHA-256 over the JSON array json.Marshal
// writes for the entry's fields (HTML characters escaped, as json.Marshal does).
func (e *AuditEntry) fastHash(buf []byte) (string, []byte) {
	buf = append(buf[:0], '[')
	buf = strconv.AppendInt(buf, e.Seq, 10)
	for _, f := range [...]string{e.At, e.Actor, e.Action, e.Entity, e.EntityID, e.AssessmentID, e.Payload, e.PrevHash} {
		buf = append(buf, ',')
		buf = appendJSONString(buf, f, true)
	}
	buf = append(buf, ']')
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:]), buf
}

// rowEncoder writes the canonical payload of rows of one table: {"state":{…}} with the
// columns in sorted order, as canonicalPayload does for the state map.
type rowEncoder struct {
	order []int // column indexes in the order of their sorted names
	names []string
	buf   []byte
}

func newRowEncoder(names []string) *rowEncoder {
	order := make([]int, len(names))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return names[order[a]] < names[order[b]] })
	return &rowEncoder{order: order, names: names}
}

// payload is the row's canonical payload; ok is false for a value of a type it does not
// write (the caller then uses canonicalPayload). The bytes are valid until the next call.
func (r *rowEncoder) payload(vals []any) (out []byte, ok bool) {
	buf := append(r.buf[:0], `{"state":{`...)
	for n, i := range r.order {
		if n > 0 {
			buf = append(buf, ',')
		}
		buf = appendJSONString(buf, r.names[i], false)
		buf = append(buf, ':')
		switch v := vals[i].(type) {
		case nil:
			buf = append(buf, "null"...)
		case int64:
			buf = strconv.AppendInt(buf, v, 10)
		case string:
			buf = appendJSONString(buf, v, false)
		case []byte:
			buf = appendJSONString(buf, blobText(v), false)
		default:
			r.buf = buf
			return nil, false
		}
	}
	buf = append(buf, "}}"...)
	r.buf = buf
	return buf, true
}
