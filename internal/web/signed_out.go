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

// machineFields are the fields forms fill in themselves, never worth
// showing back to a person.
var machineFields = map[string]bool{"token": true, "send_key": true, "submission_key": true, "closing": true, "next": true}

// textLabels names the free-text fields people write in most.
var textLabels = map[string]string{
	"message": "Your message", "note": "Internal note", "outcome": "What you found and what changed",
	"description": "What you wrote", "reason": "Your reason",
}

// renderSignedOut answers a form sent after its sender's session ended
// (it timed out, or they were signed out elsewhere): nothing is saved, so
// the sign-in page shows back what they wrote, for them to copy, and
// returns them to the page the form was on. Before, they were sent to the
// sign-in page with their words gone.
func (s *Server) renderSignedOut(w http.ResponseWriter, r *http.Request) {
	v := signedOutView{Kept: keptTexts(w, r)}
	next := "/"
	if dir := path.Dir(r.URL.Path); dir != "/" && dir != "." {
		next = dir // POST /reports/42/messages comes from /reports/42
	}
	f := &Form{Values: url.Values{"next": {safeNext(next)}}}
	s.render(w, r, http.StatusUnauthorized, "sign_in", &Page{Title: "Sign in", Form: f, Data: v})
}

// keptTexts reads the free text of a form: fields people typed in (text
// with a space in it, or long; a choice's value has neither), in the order
// sent (by name for a form that is not multipart), without files (reading
// stops at the first) or the fields forms fill in themselves.
func keptTexts(w http.ResponseWriter, r *http.Request) []keptText {
	r.Body = http.MaxBytesReader(w, r.Body, keptTextLimit)
	var out []keptText
	add := func(name, value string) {
		value = strings.TrimSpace(value)
		if machineFields[name] || value == "" || !strings.ContainsAny(value, " \n\t") && len(value) < 25 {
			return
		}
		label := textLabels[name]
		if label == "" {
			label = textLabels[name[strings.LastIndex(name, "_")+1:]]
		}
		if label == "" {
			label = "What you wrote"
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
