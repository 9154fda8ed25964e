package library

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"candour/internal/pii"
	"candour/internal/settings"
	"candour/internal/store"
)

// Kinds of Finding.
const (
	// FindingPersonal: names, NHS numbers, phone numbers, email addresses
	// or dates of birth (package pii).
	FindingPersonal = "personal_details"
	// FindingSmallGroup: words or tags that point to a group so small that
	// it identifies people.
	FindingSmallGroup = "small_group"
	// FindingResponse: the linked learning response is not closed.
	FindingResponse = "response_not_closed"
)

// Finding is one reason a lesson cannot be published yet.
type Finding struct {
	// Field is the input to change: title, summary, body, departments or
	// response.
	Field string `json:"field"`
	Kind  string `json:"kind"`
	// Passages are the words found, when the finding is about text.
	Passages []string `json:"passages,omitempty"`
	// Message says what was found and what to do, for people.
	Message string `json:"detail"`
}

// NotPublishableError lists what stops a lesson being published.
type NotPublishableError struct{ Findings []Finding }

func (e *NotPublishableError) Error() string {
	msgs := make([]string, len(e.Findings))
	for i, f := range e.Findings {
		msgs[i] = f.Message
	}
	return "the lesson cannot be published yet: " + strings.Join(msgs, " ")
}

// fieldLabels name the text fields in messages.
var fieldLabels = []struct{ field, label string }{
	{"title", "The title"},
	{"summary", "The summary"},
	{"body", "What happened and what we learned"},
}

// smallGroupPatterns find phrases that single out one person or a handful:
// "the only pharmacist", "the one healthcare assistant on the ward", "the
// sole night porter", "the only male nurse".
var smallGroupPatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\bthe (?:only|sole|lone|single)\s+(?:[\p{L}-]+\s+){0,3}?(?:nurses?|midwi(?:fe|ves)|doctors?|consultants?|registrars?|porters?|pharmacists?|physios?|physiotherapists?|therapists?|assistants?|hcas?|students?|members?|person|people|man|men|woman|women|male|female|one|workers?|clerks?|managers?|sisters?|matrons?|surgeons?|anaesthetists?|paramedics?|technicians?|secretar(?:y|ies)|colleagues?|staff|receptionists?|radiographers?|cleaners?|domestics?)\b`),
	regexp.MustCompile(`(?i)\bthe one\s+(?:[\p{L}-]+\s+){0,3}?(?:on|in|at|from)\s+(?:the|our|this|that)\s+[\p{L}-]+`),
	regexp.MustCompile(`(?i)\bonly (?:male|female|man|woman|black|asian|white|disabled|pregnant)\b`),
}

// CheckPublishable returns what stops l from being published: personal
// details in its text, small identifiable groups (phrases such as "the only
// pharmacist", and departments, tagged or named, with fewer current staff
// than the organisation's small-number threshold) and a linked learning
// response that is not closed. No findings means it may be published.
func (s *Service) CheckPublishable(ctx context.Context, l Lesson) ([]Finding, error) {
	in := Input{Title: l.Title, Summary: l.Summary, Body: l.Body}
	for _, d := range l.Departments {
		in.DepartmentIDs = append(in.DepartmentIDs, d.ID)
	}
	return s.check(ctx, s.DB, in, l.ResponseID)
}

func (s *Service) check(ctx context.Context, q store.Querier, in Input, responseID int64) ([]Finding, error) {
	var out []Finding
	text := map[string]string{"title": in.Title, "summary": in.Summary, "body": in.Body}
	for _, fl := range fieldLabels {
		found := pii.Scan(text[fl.field])
		if len(found) == 0 {
			continue
		}
		f := Finding{Field: fl.field, Kind: FindingPersonal}
		for _, p := range found {
			f.Passages = append(f.Passages, p.Text)
		}
		f.Message = fl.label + ": " + lowerStart(pii.Describe(found))
		out = append(out, f)
	}
	for _, fl := range fieldLabels {
		var passages []string
		for _, re := range smallGroupPatterns {
			passages = append(passages, re.FindAllString(text[fl.field], -1)...)
		}
		if len(passages) == 0 {
			continue
		}
		out = append(out, Finding{Field: fl.field, Kind: FindingSmallGroup, Passages: passages,
			Message: fl.label + ": " + quoteList(passages) + " could identify someone, because a group this small points to one person. Describe the role and the system instead, for example 'a nurse' or 'the pharmacy team'."})
	}
	small, err := s.smallDepartments(ctx, q, in, text)
	if err != nil {
		return nil, err
	}
	out = append(out, small...)
	if responseID != 0 {
		var status, ref string
		var closed store.Time
		err := q.QueryRowContext(ctx, `SELECT status, reference, closed_at FROM learning_responses WHERE id = ?`, responseID).Scan(&status, &ref, &closed)
		switch {
		case err != nil:
			out = append(out, Finding{Field: "response", Kind: FindingResponse,
				Message: "The linked learning response no longer exists: remove the link or choose another response."})
		case closed.IsZero() && status != "closed":
			out = append(out, Finding{Field: "response", Kind: FindingResponse, Passages: []string{ref},
				Message: "The learning response " + ref + " is not closed yet. Publish lessons from a response once it is closed, or remove the link."})
		}
	}
	return out, nil
}

// smallDepartments finds departments tagged on the lesson or named in its
// text whose current headcount is above zero but below the small-number
// threshold. A department with nobody in the directory is not judged: its
// size is unknown.
func (s *Service) smallDepartments(ctx context.Context, q store.Querier, in Input, text map[string]string) ([]Finding, error) {
	st, err := settings.Load(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("check lesson: %w", err)
	}
	today := s.Now().Format(store.DateLayout)
	rows, err := q.QueryContext(ctx, `SELECT d.id, d.name, COUNT(p.id) FROM departments d
		JOIN people p ON p.department_id = d.id AND p.start_date <= ? AND (p.leave_date IS NULL OR p.leave_date > ?)
		GROUP BY d.id, d.name HAVING COUNT(p.id) < ? ORDER BY d.name`, today, today, st.SmallNumberThreshold)
	if err != nil {
		return nil, fmt.Errorf("check lesson departments: %w", err)
	}
	defer rows.Close()
	var out []Finding
	for rows.Next() {
		var id int64
		var name string
		var n int
		if err := rows.Scan(&id, &name, &n); err != nil {
			return nil, fmt.Errorf("check lesson departments: %w", err)
		}
		why := fmt.Sprintf("has fewer than %d staff, so a lesson about it could identify the people involved.", st.SmallNumberThreshold)
		for _, d := range in.DepartmentIDs {
			if d == id {
				out = append(out, Finding{Field: "departments", Kind: FindingSmallGroup, Passages: []string{name},
					Message: name + " " + why + " Tag a wider area instead, or send the lesson to it without tagging it."})
			}
		}
		for _, fl := range fieldLabels {
			if containsFold(text[fl.field], name) {
				out = append(out, Finding{Field: fl.field, Kind: FindingSmallGroup, Passages: []string{name},
					Message: fl.label + " names " + name + ", which " + why + " Describe the kind of area instead, for example 'a small outpatient team'."})
			}
		}
	}
	return out, rows.Err()
}

func containsFold(text, sub string) bool {
	return sub != "" && strings.Contains(strings.ToLower(text), strings.ToLower(sub))
}

func quoteList(ps []string) string {
	q := make([]string, len(ps))
	for i, p := range ps {
		q[i] = "‘" + p + "’"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

func lowerStart(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
