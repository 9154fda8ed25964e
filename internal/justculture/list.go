package justculture

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"candour/internal/authz"
	"candour/internal/org"
	"candour/internal/store"
)

// Summary is an assessment in a list.
type Summary struct {
	ID          int64
	GuideTitle  string
	Version     int
	PersonName  string
	Action      string
	Status      Status
	Outcome     string
	CreatedAt   time.Time
	CompletedAt time.Time
	Latest      bool
}

// List returns the assessments p may read, newest first: those they took
// part in, every one for the patient safety team, and those shared with them
// as the staff member concerned.
func (s *Service) List(ctx context.Context, p *authz.Principal) ([]Summary, error) {
	where := `EXISTS (SELECT 1 FROM assessment_participants ap WHERE ap.assessment_id = a.id AND ap.user_id = ?)
		OR (a.shared_with_person = TRUE AND a.person_id = (SELECT person_id FROM users WHERE id = ?))`
	args := []any{p.UserID, p.UserID}
	if p.Has(authz.Safety) {
		where = "1 = 1"
		args = nil
	} else if p.Has(authz.HR) {
		where += " OR a.case_id IS NOT NULL"
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT a.id, g.title, a.version, pe.name, a.action, a.status, COALESCE(a.outcome, ''), a.created_at, a.completed_at,
		NOT EXISTS (SELECT 1 FROM assessments n WHERE n.previous_id = a.id)
		FROM assessments a JOIN guide_definitions g ON g.id = a.definition_id JOIN people pe ON pe.id = a.person_id
		WHERE `+where+` ORDER BY a.id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("list assessments: %w", err)
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		var sm Summary
		var created, completed store.Time
		if err := rows.Scan(&sm.ID, &sm.GuideTitle, &sm.Version, &sm.PersonName, &sm.Action, &sm.Status, &sm.Outcome, &created, &completed, &sm.Latest); err != nil {
			return nil, fmt.Errorf("list assessments: %w", err)
		}
		sm.CreatedAt, sm.CompletedAt = created.Time, completed.Time
		out = append(out, sm)
	}
	return out, rows.Err()
}

// FormalActionCheck answers the question casework asks before a formal case
// about a person can proceed: is there a completed assessment of this person,
// in its latest version, whose end point supports individual action? It
// returns the latest completed assessment found (if any) and whether it
// supports formal action.
func (s *Service) FormalActionCheck(ctx context.Context, personID, assessmentID int64) (Assessment, bool, error) {
	a, err := s.load(ctx, assessmentID)
	if err != nil {
		return Assessment{}, false, err
	}
	if a.PersonID != personID {
		return a, false, fmt.Errorf("assessment %d is about someone else", assessmentID)
	}
	var newer int
	s.DB.QueryRowContext(ctx, `SELECT count(*) FROM assessments WHERE previous_id = ?`, assessmentID).Scan(&newer)
	if newer > 0 {
		return a, false, fmt.Errorf("assessment %d has been revisited; use its latest version", assessmentID)
	}
	return a, a.SupportsFormalAction(), nil
}

// Count is one cell of the aggregate view; Suppressed hides small numbers.
type Count struct {
	Key, Label string
	N          int
	Suppressed bool
}

// Aggregate is assessments by end point over time, and by the staff group
// and ethnic category of the people assessed, for the safety lead and HR.
type Aggregate struct {
	From, To   string
	Threshold  int
	EndPoints  []Count            // end point id → count in the period
	ByMonth    map[string][]Count // YYYY-MM → counts by end point
	Months     []string
	StaffGroup map[string][]Count // end point → counts by staff group
	Ethnicity  map[string][]Count // end point → counts by ethnic category
	Total      int
}

// Aggregates counts the latest version of every completed assessment
// completed in [from, to], suppressing any count below threshold (but not
// zero) so that nobody can be picked out.
func (s *Service) Aggregates(ctx context.Context, p *authz.Principal, guideID string, from, to time.Time, threshold int) (Aggregate, error) {
	if !p.HasAny(authz.Safety, authz.HR) {
		return Aggregate{}, ErrNotAllowed
	}
	versions, err := s.Versions(ctx, guideID)
	if err != nil {
		return Aggregate{}, err
	}
	if len(versions) == 0 {
		return Aggregate{}, fmt.Errorf("guide %s: %w", guideID, store.ErrNotFound)
	}
	eps := map[string]string{}
	for i := len(versions) - 1; i >= 0; i-- {
		for _, ep := range versions[i].Guide.EndPoints() {
			eps[ep.ID] = ep.Title
		}
	}
	var rows *sql.Rows
	ag := Aggregate{From: from.Format(store.DateLayout), To: to.Format(store.DateLayout), Threshold: threshold,
		ByMonth: map[string][]Count{}, StaffGroup: map[string][]Count{}, Ethnicity: map[string][]Count{}}
	rows, err = s.DB.QueryContext(ctx, `SELECT a.outcome, substr(a.completed_at, 1, 7), pe.staff_group, COALESCE(pe.ethnic_group, '')
		FROM assessments a JOIN people pe ON pe.id = a.person_id JOIN guide_definitions g ON g.id = a.definition_id
		WHERE g.guide_id = ? AND a.status = 'complete' AND a.completed_at >= ? AND a.completed_at < ?
		AND NOT EXISTS (SELECT 1 FROM assessments n WHERE n.previous_id = a.id AND n.status = 'complete')`,
		guideID, store.T(from), store.T(to.AddDate(0, 0, 1)))
	if err != nil {
		return Aggregate{}, fmt.Errorf("aggregate assessments: %w", err)
	}
	defer rows.Close()
	type key struct{ a, b string }
	byEP, byMonth, byGroup, byEth := map[string]int{}, map[key]int{}, map[key]int{}, map[key]int{}
	months := map[string]bool{}
	for rows.Next() {
		var ep, month, group, eth string
		if err := rows.Scan(&ep, &month, &group, &eth); err != nil {
			return Aggregate{}, fmt.Errorf("aggregate assessments: %w", err)
		}
		byEP[ep]++
		byMonth[key{month, ep}]++
		byGroup[key{ep, group}]++
		byEth[key{ep, org.EthnicCategory(eth)}]++
		months[month] = true
		ag.Total++
	}
	if err := rows.Err(); err != nil {
		return Aggregate{}, fmt.Errorf("aggregate assessments: %w", err)
	}
	suppress := func(k, label string, n int) Count {
		c := Count{Key: k, Label: label, N: n}
		if n > 0 && n < threshold {
			c.N, c.Suppressed = 0, true
		}
		return c
	}
	var epIDs []string
	for ep := range byEP {
		epIDs = append(epIDs, ep)
	}
	slices.Sort(epIDs)
	for _, ep := range epIDs {
		ag.EndPoints = append(ag.EndPoints, suppress(ep, eps[ep], byEP[ep]))
	}
	for m := range months {
		ag.Months = append(ag.Months, m)
	}
	slices.Sort(ag.Months)
	for _, m := range ag.Months {
		for _, ep := range epIDs {
			ag.ByMonth[m] = append(ag.ByMonth[m], suppress(ep, eps[ep], byMonth[key{m, ep}]))
		}
	}
	groups := map[string]bool{}
	for k := range byGroup {
		groups[k.b] = true
	}
	var groupList []string
	for g := range groups {
		groupList = append(groupList, g)
	}
	slices.Sort(groupList)
	for _, ep := range epIDs {
		for _, g := range groupList {
			ag.StaffGroup[ep] = append(ag.StaffGroup[ep], suppress(g, g, byGroup[key{ep, g}]))
		}
		for _, c := range []struct{ k, l string }{{org.CategoryWhite, "White"}, {org.CategoryEthnicMinority, "Ethnic minority"}, {org.CategoryUnknown, "Not known or not stated"}} {
			ag.Ethnicity[ep] = append(ag.Ethnicity[ep], suppress(c.k, c.l, byEth[key{ep, c.k}]))
		}
	}
	return ag, nil
}
