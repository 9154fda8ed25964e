package pii

import (
	"strings"
	"testing"
)

// The pre-checks in Scan skip an expression only when it cannot match: any
// text the expressions match must pass the pre-check, or a date of birth or
// an email address would go unflagged.
func TestPrefiltersNeverHideAMatch(t *testing.T) {
	cues := []string{"DOB", "dob", "D.O.B", "d. o. b.", "D.O.B.", "d o b", "DoB:", "date of birth", "Date  of\tBirth",
		"DATE OF BIRTH is", "born", "Born on", "BORN", "born\non"}
	dates := []string{"12/03/1984", "1.2.84", "1984-03-12", "3rd of March 1984", "12 mar. 1984", "1 December, 1950"}
	var texts []string
	for _, c := range cues {
		for _, d := range dates {
			texts = append(texts, c+" "+d, "Patient, "+c+": "+d+", fell.", strings.ToUpper(c)+" - "+d)
		}
	}
	for _, text := range texts {
		if dobRE.MatchString(text) && !mayHoldDOB(text) {
			t.Errorf("%q matches the date of birth expression but the pre-check skips it", text)
		}
	}
	matched := 0
	for _, text := range texts {
		if dobRE.MatchString(text) {
			matched++
		}
	}
	if matched < len(texts)/2 {
		t.Fatalf("only %d of %d sample texts match the date of birth expression: the samples no longer test the pre-check", matched, len(texts))
	}
	for _, text := range []string{"The patient fell at 10pm on 12/03/2026.", "Obs were done at 0400", "Bob was called"} {
		if mayHoldDOB(text) {
			t.Errorf("%q has no date of birth cue, but the pre-check lets it through", text)
		}
	}
	for _, f := range Scan("Write to ward9.nurses@nhs.net, not to anyone by name.") {
		if f.Kind == KindEmail {
			return
		}
	}
	t.Error("an email address was not found")
}
