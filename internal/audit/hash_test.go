package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"candour/internal/store"
)

// formatHash is the chain's hash as first written, with fmt: every field
// as its length, a colon, the field and a bar. Entries already stored were
// hashed this way, so computeHash must agree with it byte for byte.
func formatHash(e Entry) string {
	h := sha256.New()
	for _, f := range []string{
		strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(store.TimeLayout),
		strconv.FormatInt(e.Actor.UserID, 10), e.Actor.Label,
		e.Action, e.Entity, e.EntityID, e.Detail, e.PrevHash,
	} {
		fmt.Fprintf(h, "%d:%s|", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestHashAgreesWithEntriesAlreadyStored(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 30, 0, 123456789, time.FixedZone("BST", 3600))
	entries := []Entry{
		{},
		{Seq: 1, At: at, Actor: System, Action: "user.create", Entity: "user", EntityID: "1", Detail: "", PrevHash: genesis},
		{Seq: 987654321, At: at, Actor: Actor{UserID: 42, Label: "zoë.o'brien@trust.example"}, Action: "report.reveal_identity",
			Entity: "report", EntityID: "17", Detail: "reason: “safeguarding” | 3:4|", PrevHash: strings.Repeat("ab", 32)},
		{Seq: -5, At: at, Actor: Actor{UserID: -1, Label: "reporter (anonymous)"}, Detail: strings.Repeat("long detail ", 100)},
	}
	for i, e := range entries {
		if got, want := e.computeHash(), formatHash(e); got != want {
			t.Errorf("entry %d: hash %s, want %s as stored before", i, got, want)
		}
	}
}

func BenchmarkHash(b *testing.B) {
	e := Entry{Seq: 123456, At: time.Now(), Actor: Actor{Label: "reporter (anonymous)"}, Action: "report.submit",
		Entity: "report", EntityID: "123456", Detail: "Patient safety event raised Anonymously", PrevHash: genesis}
	b.Run("now", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			e.computeHash()
		}
	})
	b.Run("with fmt, as before", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			formatHash(e)
		}
	})
}
