package report

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/org"
	"candour/internal/store"
)

// Quarter is a quarter of the NHS financial year, which runs from April:
// quarter 1 is April to June, quarter 4 January to March of the next
// calendar year. The guardians' national returns are made by these.
type Quarter struct {
	// Year is the calendar year the financial year starts in (2026 for
	// 2026/27).
	Year int
	// N is 1 to 4.
	N int
}

// QuarterOf is the financial quarter holding day.
func QuarterOf(day time.Time) Quarter {
	m := int(day.Month())
	if m < 4 {
		return Quarter{Year: day.Year() - 1, N: 4}
	}
	return Quarter{Year: day.Year(), N: (m-4)/3 + 1}
}

// ParseQuarter reads a quarter written as by String, like "2026-q2".
func ParseQuarter(s string) (Quarter, error) {
	y, n, ok := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "-q")
	year, yerr := strconv.Atoi(y)
	q, qerr := strconv.Atoi(n)
	if !ok || yerr != nil || qerr != nil || q < 1 || q > 4 || year < 1948 || year > 9998 {
		return Quarter{}, fmt.Errorf("%q is not a quarter like 2026-q2", s)
	}
	return Quarter{Year: year, N: q}, nil
}

// String writes q as ParseQuarter reads it.
func (q Quarter) String() string { return fmt.Sprintf("%d-q%d", q.Year, q.N) }

// Start is the first day of q.
func (q Quarter) Start() time.Time {
	return time.Date(q.Year, time.Month(4+3*(q.N-1)), 1, 0, 0, 0, 0, time.UTC)
}

// End is the first day after q.
func (q Quarter) End() time.Time { return q.Start().AddDate(0, 3, 0) }

// Previous is the quarter before q.
func (q Quarter) Previous() Quarter {
	if q.N == 1 {
		return Quarter{Year: q.Year - 1, N: 4}
	}
	return Quarter{Year: q.Year, N: q.N - 1}
}

// Next is the quarter after q.
func (q Quarter) Next() Quarter {
	if q.N == 4 {
		return Quarter{Year: q.Year + 1, N: 1}
	}
	return Quarter{Year: q.Year, N: q.N + 1}
}

// Label names q for people, like "Quarter 2 of 2026/27 (July to September 2026)".
func (q Quarter) Label() string {
	last := q.End().AddDate(0, 0, -1)
	return fmt.Sprintf("Quarter %d of %d/%02d (%s to %s)", q.N, q.Year, (q.Year+1)%100,
		q.Start().Format("January"), last.Format("January 2006"))
}

// Count is how many cases have one value of a measure.
type Count struct {
	Value, Label string
	N            int
}

// GuardianReturn holds the figures the Freedom to Speak Up guardians return
// each quarter (National Guardian's Office guidance): how many cases were
// raised, how many anonymously, what they were about, by which staff
// groups, whether detriment was indicated, and what the people who gave
// feedback said about speaking up again. It holds counts only.
type GuardianReturn struct {
	Quarter Quarter
	// Cases is every speak-up concern received in the quarter; Anonymous
	// those raised anonymously.
	Cases, Anonymous int
	// Elements counts the cases holding each element; a case may hold
	// several, so these can add up to more than Cases.
	Elements []Count
	// StaffGroups counts cases by the staff group the reporter gave, with
	// "Not given" last.
	StaffGroups []Count
	// Detriment counts the quarter's cases whose reporter has said, in
	// any of their feedback so far, that they were treated worse for
	// speaking up.
	Detriment int
	// Feedback counts the answers to "Would you speak up again?" given
	// during the quarter, whenever the case was raised, one a case (the
	// latest, when a reopened case was answered twice); FeedbackTotal is
	// their sum.
	Feedback      []Count
	FeedbackTotal int
}

// GuardianReturnFor works out the return for q. Only the guardians may, and
// each time they do it is audited.
func (s *Service) GuardianReturnFor(ctx context.Context, p *authz.Principal, q Quarter) (GuardianReturn, error) {
	ret := GuardianReturn{Quarter: q}
	if p == nil || !Handles(p, Guardians) {
		return ret, ErrNotAllowed
	}
	from, to := q.Start().Format(store.DateLayout), q.End().Format(store.DateLayout)
	elements, groups := map[string]int{}, map[string]int{}
	rows, err := s.DB.QueryContext(ctx, `SELECT r.mode, r.elements, COALESCE(r.staff_group, ''),
			EXISTS (SELECT 1 FROM report_feedback f WHERE f.report_id = r.id AND f.detriment = 'yes')
		FROM reports r WHERE r.kind = ? AND r.received_on >= ? AND r.received_on < ?`, string(Concern), from, to)
	if err != nil {
		return ret, fmt.Errorf("guardian return: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var mode, els, group string
		var detriment bool
		if err := rows.Scan(&mode, &els, &group, &detriment); err != nil {
			return ret, fmt.Errorf("guardian return: %w", err)
		}
		ret.Cases++
		if Mode(mode) == Anonymous {
			ret.Anonymous++
		}
		for _, e := range strings.Split(els, ",") {
			if e != "" {
				elements[e]++
			}
		}
		groups[group]++
		if detriment {
			ret.Detriment++
		}
	}
	if err := rows.Err(); err != nil {
		return ret, fmt.Errorf("guardian return: %w", err)
	}
	for _, o := range Elements() {
		ret.Elements = append(ret.Elements, Count{Value: o.Value, Label: o.Label, N: elements[o.Value]})
	}
	sgs, err := org.New(s.DB).StaffGroups(ctx)
	if err != nil {
		return ret, fmt.Errorf("guardian return: %w", err)
	}
	for _, g := range sgs {
		ret.StaffGroups = append(ret.StaffGroups, Count{Value: g.Code, Label: g.Name, N: groups[g.Code]})
	}
	ret.StaffGroups = append(ret.StaffGroups, Count{Value: "not_given", Label: "Not given", N: groups[""]})

	// Feedback is counted when it was given, one answer a case: a case
	// reopened and closed again within the quarter counts its latest
	// answer. Times are stored in UTC; the quarter's bounds are days in
	// England.
	lo, hi := store.T(localMidnight(q.Start())), store.T(localMidnight(q.End()))
	answers := map[string]int{}
	fb, err := s.DB.QueryContext(ctx, `SELECT f.speak_up_again, count(*) FROM report_feedback f JOIN reports r ON r.id = f.report_id
		WHERE r.kind = ? AND f.given_at >= ? AND f.given_at < ?
			AND NOT EXISTS (SELECT 1 FROM report_feedback l WHERE l.report_id = f.report_id AND l.n > f.n AND l.given_at >= ? AND l.given_at < ?)
		GROUP BY f.speak_up_again`,
		string(Concern), lo, hi, lo, hi)
	if err != nil {
		return ret, fmt.Errorf("guardian return: feedback: %w", err)
	}
	defer fb.Close()
	for fb.Next() {
		var a string
		var n int
		if err := fb.Scan(&a, &n); err != nil {
			return ret, fmt.Errorf("guardian return: feedback: %w", err)
		}
		answers[a] = n
	}
	if err := fb.Err(); err != nil {
		return ret, fmt.Errorf("guardian return: feedback: %w", err)
	}
	for _, o := range SpeakUpAgainAnswers() {
		ret.Feedback = append(ret.Feedback, Count{Value: o.Value, Label: o.Label, N: answers[o.Value]})
		ret.FeedbackTotal += answers[o.Value]
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, s.Now(), handlerActor(p), "report.guardian_return", "guardian_return", q.String(), "counts of speak-up cases for the quarterly return")
	})
	return ret, err
}

// ThisQuarter is the financial quarter today falls in, in England.
func (s *Service) ThisQuarter() Quarter { return QuarterOf(s.today()) }

// ReturnQuarter reads the quarter a return is asked for, written as
// Quarter.String writes it; empty means the last whole quarter, the one a
// return is usually being made for. A quarter not yet begun is refused.
func (s *Service) ReturnQuarter(raw string) (Quarter, error) {
	current := s.ThisQuarter()
	if strings.TrimSpace(raw) == "" {
		return current.Previous(), nil
	}
	q, err := ParseQuarter(raw)
	if err != nil {
		return q, fieldError("quarter", "Choose a quarter from the list")
	}
	if q.Start().After(current.Start()) {
		return q, fieldError("quarter", "That quarter has not begun yet. Choose a quarter from the list")
	}
	return q, nil
}

// localMidnight is the instant day (a date) begins in England.
func localMidnight(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, london())
}
