package web

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"candour/internal/learning"
	"candour/internal/validate"
)

// This file holds what the learning response pages share.

// learningStatusTag is the NHS tag colour of a response's status.
func learningStatusTag(s learning.Status) string {
	switch s {
	case learning.Open:
		return "blue"
	case learning.InProgress:
		return "purple"
	case learning.AwaitingSignOff:
		return "yellow"
	}
	return "grey"
}

// learningHref is a response's page.
func learningHref(id int64) string { return "/learning/" + idString(id) }

// learningDateInputs are the date fields of the learning forms, entered
// as day, month and year.
var learningDateInputs = map[string]bool{"held_at": true, "target_date": true, "contacted_on": true, "notified_on": true, "written_follow_up": true}

// learningInputID is the input a domain field's problem points at: the day
// box of a date.
func learningInputID(field string) string {
	if learningDateInputs[field] {
		return field + "-day"
	}
	return field
}

// learningErrors points domain field problems at the page's inputs.
func learningErrors(errs validate.Errors) validate.Errors {
	out := make(validate.Errors, len(errs))
	for i, e := range errs {
		out[i] = validate.FieldError{Field: learningInputID(e.Field), Message: e.Message}
	}
	return out
}

// learningDate joins a date input's three boxes into "2006-01-02": empty
// when all are empty, and something the domain refuses as not a real date
// when they are not numbers.
func learningDate(f *Form, name string) string {
	d, m, y := strings.TrimSpace(f.Get(name+"-day")), strings.TrimSpace(f.Get(name+"-month")), strings.TrimSpace(f.Get(name+"-year"))
	if d == "" && m == "" && y == "" {
		return ""
	}
	dn, e1 := strconv.Atoi(d)
	mn, e2 := strconv.Atoi(m)
	yn, e3 := strconv.Atoi(y)
	if e1 != nil || e2 != nil || e3 != nil || yn < 1000 || yn > 9999 {
		return "not-a-date"
	}
	return fmt.Sprintf("%04d-%02d-%02d", yn, mn, dn)
}

// setLearningDate fills a date input's boxes from "2006-01-02".
func setLearningDate(v url.Values, name, date string) {
	y, rest, ok := strings.Cut(date, "-")
	if !ok {
		return
	}
	m, d, _ := strings.Cut(rest, "-")
	v.Set(name+"-day", strings.TrimLeft(d, "0"))
	v.Set(name+"-month", strings.TrimLeft(m, "0"))
	v.Set(name+"-year", y)
}

var learningTime = regexp.MustCompile(`^(\d{1,2})[:.]?(\d{2})$`)

// learningHeldAt joins a SWARM huddle's date and time as "2006-01-02T15:04".
func learningHeldAt(f *Form) string {
	date, tm := learningDate(f, "held_at"), strings.TrimSpace(f.Get("held_at_time"))
	if date == "" && tm == "" {
		return ""
	}
	m := learningTime.FindStringSubmatch(tm)
	if date == "" || m == nil {
		return "not-a-time"
	}
	h, _ := strconv.Atoi(m[1])
	return fmt.Sprintf("%sT%02d:%s", date, h, m[2])
}

// learningParticipants reads the participants box: one person a line, as
// "Name, role" with an optional email address of a candour user anywhere on
// the line. The list is never nil, so that an empty box removes everyone.
func learningParticipants(s string) []learning.Participant {
	out := []learning.Participant{}
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		var p learning.Participant
		var rest []string
		for _, part := range strings.Split(line, ",") {
			part = strings.TrimSpace(part)
			switch {
			case part == "":
			case strings.Contains(part, "@") && !strings.Contains(part, " ") && p.Email == "":
				p.Email = part
			case p.Name == "":
				p.Name = part
			default:
				rest = append(rest, part)
			}
		}
		p.Role = strings.Join(rest, ", ")
		if p.Name != "" || p.Email != "" {
			out = append(out, p)
		}
	}
	return out
}

// learningParticipantsText writes participants back into the box.
func learningParticipantsText(ps []learning.Participant) string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		parts := []string{p.Name}
		if p.Role != "" {
			parts = append(parts, p.Role)
		}
		if p.Email != "" {
			parts = append(parts, p.Email)
		}
		lines[i] = strings.Join(parts, ", ")
	}
	return strings.Join(lines, "\n")
}

// learningLines splits a box into its non-empty lines.
func learningLines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// learningRefs splits the events box into references: separated by lines,
// commas, semicolons or spaces.
func learningRefs(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == ';' || r == ' ' || r == '\t'
	})
}

// learningPromptView is a blame prompt as the page shows it.
type learningPromptView struct {
	Label, Phrase, Suggestion string
}

// learningFieldLabels names the fields prompts can be about.
func learningFieldLabels() map[string]string {
	m := map[string]string{
		"title": "Title", "expected": "What was expected to happen", "actual": "What actually happened",
		"difference": "Why there was a difference", "learning": "What we can learn", "findings": "Findings",
		"terms_of_reference": "Terms of reference", "timescale_agreed": "Timescale agreed", "report": "Report",
		"themes": "Themes", "analysis": "Analysis", "told": "What they were told", "note": "Sign-off note",
	}
	for _, f := range learning.SEIPSFactors() {
		m[f.Field] = f.Label
	}
	return m
}

// learningPrompts turns the domain's prompts into what the page shows.
func learningPrompts(ps []learning.Prompt) []learningPromptView {
	labels := learningFieldLabels()
	out := make([]learningPromptView, len(ps))
	for i, p := range ps {
		label := labels[p.Field]
		if label == "" {
			label = p.Field
		}
		out[i] = learningPromptView{Label: label, Phrase: p.Phrase, Suggestion: p.Suggestion}
	}
	return out
}

// learningOptions turns domain options into choices for the partials.
func learningOptions(opts []learning.Option, hints bool) []orgChoice {
	out := make([]orgChoice, len(opts))
	for i, o := range opts {
		out[i] = orgChoice{Value: o.Value, Label: o.Label}
		if hints {
			out[i].Hint = o.Hint
		}
	}
	return out
}
