package learning

import (
	"strings"
	"time"

	"candour/internal/store"
	"candour/internal/validate"
)

// PromptsError is returned, with nothing saved, when free text has blame
// prompts and the caller has not confirmed saving anyway. The prompts never
// block: saving again with Confirmed set stores the text as written.
type PromptsError struct {
	Prompts []Prompt
}

// Error summarises the prompts.
func (e *PromptsError) Error() string {
	return "the text has phrasing that may put the cause on a person; review it or confirm saving anyway"
}

// checker collects field problems and blame prompts while an input is read.
type checker struct {
	errs    validate.Errors
	prompts []Prompt
	// ref is the first event's reference, for the just culture link.
	ref string
	// today is the organisation's date, "2006-01-02".
	today string
}

// text checks free text: its length and characters, that it recommends no
// action against an individual, and (when blame is set) phrasing that puts
// the cause on a person.
func (c *checker) text(field, label, v string, required bool, max int, blame bool) string {
	v = c.errs.Text(field, label, v, required, max)
	if c.errs.Has(field) {
		return v
	}
	if ph := disciplinary(v); ph != "" {
		c.errs.Add(field, disciplinaryMessage(label, ph, c.ref))
		return v
	}
	if blame {
		for _, f := range BlameFlags(v) {
			c.prompts = append(c.prompts, Prompt{Field: field, Flag: f})
		}
	}
	return v
}

// date checks an optional "2006-01-02" date that cannot be in the future or
// before notBefore (when given, with its description).
func (c *checker) date(field, label, v string, required bool, notBefore, notBeforeWhat string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		if required {
			c.errs.Add(field, "Enter "+lowerFirst(label))
		}
		return ""
	}
	d, err := time.Parse(store.DateLayout, v)
	if err != nil {
		c.errs.Add(field, label+" must be a real date")
		return v
	}
	v = d.Format(store.DateLayout)
	switch {
	case v > c.today:
		c.errs.Add(field, label+" must be today or in the past")
	case notBefore != "" && v < notBefore:
		c.errs.Add(field, label+" must be on or after "+notBeforeWhat+" ("+longDate(notBefore)+")")
	}
	return v
}

// finish returns the problems, or the prompts as a PromptsError when the
// caller has not confirmed them, or nil.
func (c *checker) finish(confirmed bool) error {
	if len(c.errs) > 0 {
		return c.errs
	}
	if len(c.prompts) > 0 && !confirmed {
		return &PromptsError{Prompts: c.prompts}
	}
	return nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// longDate turns "2026-03-04" into "4 March 2026".
func longDate(s string) string {
	t, err := time.Parse(store.DateLayout, s)
	if err != nil {
		return s
	}
	return t.Format("2 January 2006")
}

// Text limits.
const (
	maxTitle = 200
	maxShort = 200
	maxText  = 10000
	maxLong  = 50000
)

// checkRecord keeps the fields of in that belong to method m, checked. It
// computes a SWARM's hours after the event, and a PSII's target date within
// its alert date. existing is the saved record, for the target date.
func (c *checker) checkRecord(m Method, in Record, events []Event, openedOn, alertDate string, participants func([]Participant) []Participant) Record {
	var out Record
	switch m {
	case AAR:
		out.Expected = c.text("expected", "What was expected to happen", in.Expected, false, maxText, true)
		out.Actual = c.text("actual", "What actually happened", in.Actual, false, maxText, true)
		out.Difference = c.text("difference", "Why there was a difference", in.Difference, false, maxText, true)
		out.Learning = c.text("learning", "What we can learn", in.Learning, false, maxText, true)
	case SWARM:
		out.HeldAt, out.WithinHours = c.heldAt(in.HeldAt, events)
		out.Findings = c.text("findings", "The immediate findings", in.Findings, false, maxText, true)
	case PSII:
		out.TermsOfReference = c.text("terms_of_reference", "The terms of reference", in.TermsOfReference, false, maxText, true)
		out.TimescaleAgreed = c.text("timescale_agreed", "The timescale agreed with those affected", in.TimescaleAgreed, false, 1000, true)
		if t := strings.TrimSpace(in.TargetDate); t != "" {
			d, err := time.Parse(store.DateLayout, t)
			switch {
			case err != nil:
				c.errs.Add("target_date", "The target date must be a real date")
			case d.Format(store.DateLayout) < openedOn:
				c.errs.Add("target_date", "The target date must be on or after the day the investigation opened ("+longDate(openedOn)+")")
			case alertDate != "" && d.Format(store.DateLayout) > alertDate:
				c.errs.Add("target_date", "The target date must be no later than six months after opening ("+longDate(alertDate)+"): an investigation should not take longer")
			default:
				out.TargetDate = d.Format(store.DateLayout)
			}
		}
		for _, f := range SEIPSFactors() {
			out.Factors.Set(f.Field, c.text(f.Field, f.Label+" findings", in.Factors.Get(f.Field), false, maxText, true))
		}
		out.Report = c.text("report", "The report", in.Report, false, maxLong, true)
	case Thematic:
		seen := map[string]bool{}
		for _, th := range in.Themes {
			th = c.text("themes", "Each theme", th, false, maxShort, true)
			if th != "" && !seen[strings.ToLower(th)] {
				seen[strings.ToLower(th)] = true
				out.Themes = append(out.Themes, th)
			}
		}
		if len(out.Themes) > 30 {
			c.errs.Add("themes", "Give at most 30 themes")
		}
		out.Analysis = c.text("analysis", "The analysis across the events", in.Analysis, false, maxLong, true)
	case MDT:
		out.Findings = c.text("findings", "The findings", in.Findings, false, maxText, true)
	}
	if in.Participants != nil {
		out.Participants = participants(in.Participants)
		if out.Participants == nil {
			out.Participants = []Participant{}
		}
	}
	return out
}

// heldAt checks when a SWARM huddle was held ("2006-01-02T15:04", London
// time) and works out how many hours after the earliest event it was.
func (c *checker) heldAt(v string, events []Event) (string, *int) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	at, err := time.ParseInLocation("2006-01-02T15:04", v, london())
	if err != nil {
		c.errs.Add("held_at", "When the huddle was held must be a real date and a time such as 14:30")
		return v, nil
	}
	if at.After(nowIn(c.today)) {
		c.errs.Add("held_at", "When the huddle was held must be in the past")
		return v, nil
	}
	on, tm := earliest(events)
	if on == "" {
		return at.Format("2006-01-02T15:04"), nil
	}
	if tm == "" {
		if at.Format(store.DateLayout) < on {
			c.errs.Add("held_at", "The huddle must be on or after the day of the event ("+longDate(on)+")")
		}
		return at.Format("2006-01-02T15:04"), nil
	}
	ev, err := time.ParseInLocation("2006-01-02T15:04", on+"T"+tm, london())
	if err != nil {
		return at.Format("2006-01-02T15:04"), nil
	}
	if at.Before(ev) {
		c.errs.Add("held_at", "The huddle must be after the event ("+longDate(on)+" at "+tm+")")
		return v, nil
	}
	h := int(at.Sub(ev).Hours())
	return at.Format("2006-01-02T15:04"), &h
}

// nowIn is the end of today in London, the latest moment a past time can be.
func nowIn(today string) time.Time {
	d, err := time.ParseInLocation(store.DateLayout, today, london())
	if err != nil {
		return time.Now()
	}
	return d.AddDate(0, 0, 1).Add(-time.Minute)
}

// earliest is the date and time of the earliest event with a date.
func earliest(events []Event) (on, tm string) {
	for _, e := range events {
		if e.OccurredOn != "" && (on == "" || e.OccurredOn < on || (e.OccurredOn == on && e.OccurredTime < tm)) {
			on, tm = e.OccurredOn, e.OccurredTime
		}
	}
	return on, tm
}

// Missing lists what a record still needs before it can go for sign-off,
// by field.
func Missing(m Method, r Record) validate.Errors {
	var errs validate.Errors
	need := func(field, v, msg string) {
		if strings.TrimSpace(v) == "" {
			errs.Add(field, msg)
		}
	}
	people := func(field, msg string, n int) {
		if len(r.Participants) < n {
			errs.Add(field, msg)
		}
	}
	switch m {
	case AAR:
		need("expected", r.Expected, "Record what was expected to happen")
		need("actual", r.Actual, "Record what actually happened")
		need("difference", r.Difference, "Record why there was a difference")
		need("learning", r.Learning, "Record what we can learn")
		people("participants", "Record who took part in the review", 1)
	case SWARM:
		need("held_at", r.HeldAt, "Record when the huddle was held")
		people("participants", "Record who attended the huddle", 1)
		need("findings", r.Findings, "Record the huddle's immediate findings")
	case PSII:
		need("terms_of_reference", r.TermsOfReference, "Record the terms of reference")
		need("timescale_agreed", r.TimescaleAgreed, "Record the timescale agreed with those affected")
		if r.Factors.empty() {
			errs.Add("person", "Record findings for at least one of the SEIPS work-system factors")
		}
		need("report", r.Report, "Write the investigation report")
	case Thematic:
		if len(r.Themes) == 0 {
			errs.Add("themes", "Record at least one theme")
		}
		need("analysis", r.Analysis, "Record the analysis across the events")
	case MDT:
		people("participants", "Record at least two participants from the disciplines involved", 2)
		need("findings", r.Findings, "Record the review's findings")
	}
	return errs
}
