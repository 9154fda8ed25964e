package web

import (
	"errors"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
)

// signedOutView is the sign-in page shown to someone whose session ended
// while they were writing: what they wrote, to copy before signing in.
type signedOutView struct {
	Kept []keptText
}

// keptText is one box of what someone wrote.
type keptText struct {
	ID, Label, Value string
}

// keptTextLimit bounds how much of a form sent without a session is read
// back to its writer.
const keptTextLimit = 256 << 10

// textLabels names the fields whose words are shown back: the free text
// people write at length (a field named *_reason, *_note or *_description
// counts as its last word). Only these, never anything else a form sends:
// a password with spaces in it must not come back on the screen.
var textLabels = map[string]string{
	"message": "Your message", "note": "Your note", "notes": "Your notes", "body": "What you wrote",
	"outcome": "What you found and what changed", "detail": "What you wrote", "description": "What you wrote",
	"reason": "Your reason", "summary": "What you wrote", "comments": "Your comments", "allegations": "The allegations",
	"evidence": "What you wrote", "view": "What you wrote", "considered": "What you wrote", "gathered": "What you wrote",
	"response": "Your response", "told": "What you wrote", "needs": "What you wrote", "questions": "What you wrote",
	"passage": "The words to redact",
}

// keptLabel is the label a field's words are shown back under, or "" for a
// field that is not shown back.
func keptLabel(name string) string {
	if l := textLabels[name]; l != "" {
		return l
	}
	return textLabels[name[strings.LastIndex(name, "_")+1:]]
}

// renderSignedOut answers a form sent after its sender's session ended
// (it timed out, or they were signed out elsewhere): nothing is saved, so
// the sign-in page shows back what they wrote, for them to copy, and
// returns them to the page the form was on. Before, they were sent to the
// sign-in page with their words gone.
func (s *Server) renderSignedOut(w http.ResponseWriter, r *http.Request) {
	v := signedOutView{Kept: keptTexts(w, r)}
	if len(v.Kept) == 0 {
		// Nothing written to lose (signing out, marking notices read, a
		// choice): sign in and start again, as for a page.
		http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
		return
	}
	next := "/"
	if dir := path.Dir(r.URL.Path); dir != "/" && dir != "." {
		next = dir // POST /reports/42/messages comes from /reports/42
	}
	f := &Form{Values: url.Values{"next": {safeNext(next)}}}
	s.render(w, r, http.StatusUnauthorized, "sign_in", &Page{Title: "Sign in", Form: f, Data: v})
}

// keptTexts reads the free text of a form (the fields textLabels names),
// in the order sent (by name for a form that is not multipart), without
// files: reading stops at the first.
func keptTexts(w http.ResponseWriter, r *http.Request) []keptText {
	r.Body = http.MaxBytesReader(w, r.Body, keptTextLimit)
	var out []keptText
	add := func(name, value string) {
		value = strings.TrimSpace(value)
		label := keptLabel(name)
		if label == "" || value == "" || strings.Contains(name, "password") {
			return
		}
		out = append(out, keptText{ID: strconv.Itoa(len(out) + 1), Label: label, Value: value})
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			return nil
		}
		for {
			part, err := mr.NextPart()
			if err != nil || part.FileName() != "" {
				return out
			}
			b, err := io.ReadAll(io.LimitReader(part, keptTextLimit))
			if err != nil && !errors.Is(err, io.EOF) {
				return out
			}
			add(part.FormName(), string(b))
		}
	}
	if err := r.ParseForm(); err != nil {
		return out
	}
	for _, name := range slices.Sorted(maps.Keys(r.PostForm)) {
		for _, v := range r.PostForm[name] {
			add(name, v)
		}
	}
	return out
}
