package pii

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// kindWords gives, for each kind, the phrase for one finding and for
// several, in the order Describe lists them.
var kindWords = []struct{ kind, one, many string }{
	{KindNHSNumber, "an NHS number", "NHS numbers"},
	{KindName, "a person's name", "people's names"},
	{KindPhone, "a phone number", "phone numbers"},
	{KindEmail, "an email address", "email addresses"},
	{KindDateOfBirth, "a date of birth", "dates of birth"},
}

// maxExamples is how many passages of each kind Describe quotes.
const maxExamples = 3

// Describe returns a short, kind sentence or two for the page, saying what
// the findings look like and what to do instead, for example: "This looks
// like it contains an NHS number (943 476 5919) and a person's name (Dr
// Patel). Describe people by their role instead, for example 'the patient'
// or 'the nurse in charge'." It returns "" when there are no findings.
func Describe(findings []Finding) string {
	examples := map[string][]string{}
	seen := map[string]bool{}
	for _, f := range findings {
		text := strings.Join(strings.Fields(f.Text), " ")
		if utf8.RuneCountInString(text) > 40 {
			text = string([]rune(text)[:39]) + "…"
		}
		if key := f.Kind + "\x00" + text; !seen[key] {
			seen[key] = true
			examples[f.Kind] = append(examples[f.Kind], text)
		}
	}
	var parts []string
	for _, kw := range kindWords {
		ex := examples[kw.kind]
		switch {
		case len(ex) == 0:
			continue
		case len(ex) == 1:
			parts = append(parts, kw.one+" ("+ex[0]+")")
		case len(ex) <= maxExamples:
			parts = append(parts, kw.many+" ("+and(ex)+")")
		default:
			shown := append(ex[:maxExamples:maxExamples], fmt.Sprintf("%d more", len(ex)-maxExamples))
			parts = append(parts, kw.many+" ("+and(shown)+")")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	s := "This looks like it contains " + and(parts) + "."
	if len(examples[KindName]) > 0 {
		s += " Describe people by their role instead, for example 'the patient' or 'the nurse in charge'."
	}
	if len(examples) > 1 || len(examples[KindName]) == 0 {
		s += " Leave out numbers and contact details that could identify someone."
	}
	return s
}

// and joins items as "a", "a and b" or "a, b and c".
func and(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
