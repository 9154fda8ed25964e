package equality

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/org"
	"candour/internal/store"
)

// CaseTypes lists the case types in the order the oversight view shows them.
func CaseTypes() []Option { return fromCasework(casework.Types()) }

// Outcomes lists the outcomes of a case in the order the view shows them,
// labelled as casework labels them.
func Outcomes() []Option { return fromCasework(casework.Outcomes()) }

func fromCasework(opts []casework.Option) []Option {
	out := make([]Option, len(opts))
	for i, o := range opts {
		out[i] = Option{Key: o.Value, Label: o.Label}
	}
	return out
}

// Stage keys for an open case that has no stage running.
const (
	StageEarlyConcern = "early_concern"
	StageBetween      = "between_stages"
)

// OversightRow is one labelled count in the oversight view, under a case
// type: Type is its key and Group its label.
type OversightRow struct {
	Type, Group string
	Row
}

// StageTiming is how long one stage of one case type took, for stages that
// finished in the period.
type StageTiming struct {
	Type, TypeLabel   string
	Stage, StageLabel string
	// TargetDays is the stage's target now; a stage is within target when it
	// finished by the target date set when it began.
	TargetDays int
	Finished   Count
	// MedianDays and WithinTarget (a fraction) are nil when withheld.
	MedianDays   *float64
	WithinTarget *float64
}

// SuspensionFigures sums up suspensions and exclusions that were agreed.
type SuspensionFigures struct {
	// Started is the number that began in the period; TotalDays the days
	// they ran, up to their end or the end of the period.
	Started   Count
	TotalDays *int
	// Active is the number still running on the period's end date;
	// LongestOpenDays the longest of them, in days, on that date.
	Active          Count
	LongestOpenDays *int
}

// Oversight is the board's view of casework for a period.
type Oversight struct {
	Period
	Threshold int
	// Open cases on the period's end date, by type and by the stage they
	// were at.
	OpenTotal   Count
	OpenByType  []Row
	OpenByStage []OversightRow
	Stages      []StageTiming
	Suspensions SuspensionFigures
	// Cases closed in the period, by outcome.
	ClosedTotal         Count
	Outcomes            []Row
	NoCaseToAnswerShare *float64
	// Cases that entered the formal process in the period.
	FormalTotal        Count
	FormalByType       []Row
	FormalByStaffGroup []Row
	FormalByEthnicity  []Row
	FormalByDisability []Row
	Suppressed         []Suppression
}

// Oversight computes the board's view for HR and executives, small numbers
// suppressed.
func (s *Service) Oversight(ctx context.Context, p *authz.Principal, per Period) (Oversight, error) {
	if !mayMeasure(p) {
		return Oversight{}, ErrNotAllowed
	}
	return s.oversight(ctx, p, per, "oversight.view")
}

// Partnership computes the same anonymised figures for the staff-side lead
// and HR. Anyone else gets ErrNotAllowed.
func (s *Service) Partnership(ctx context.Context, p *authz.Principal, per Period) (Oversight, error) {
	ok, err := s.MaySeePartnership(ctx, p)
	if err != nil {
		return Oversight{}, err
	}
	if !ok {
		return Oversight{}, ErrNotAllowed
	}
	return s.oversight(ctx, p, per, "partnership.view")
}

func (s *Service) oversight(ctx context.Context, p *authz.Principal, per Period, action string) (Oversight, error) {
	t, err := s.threshold(ctx)
	if err != nil {
		return Oversight{}, err
	}
	o, err := s.computeOversight(ctx, per, t)
	if err != nil {
		return Oversight{}, err
	}
	if err := s.record(ctx, p, action, "casework", per); err != nil {
		return Oversight{}, err
	}
	return o, nil
}

// stageDef is a stage's name, place and target.
type stageDef struct {
	name       string
	position   int
	targetDays int
}

func (s *Service) stageDefs(ctx context.Context) (map[[2]string]stageDef, map[string][]string, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT case_type, code, name, position, target_days FROM case_stage_definitions ORDER BY case_type, position`)
	if err != nil {
		return nil, nil, fmt.Errorf("equality: stage definitions: %w", err)
	}
	defer rows.Close()
	defs, order := map[[2]string]stageDef{}, map[string][]string{}
	for rows.Next() {
		var typ, code string
		var d stageDef
		if err := rows.Scan(&typ, &code, &d.name, &d.position, &d.targetDays); err != nil {
			return nil, nil, fmt.Errorf("equality: stage definitions: %w", err)
		}
		defs[[2]string{typ, code}] = d
		order[typ] = append(order[typ], code)
	}
	return defs, order, rows.Err()
}

// typeLabel names a case type, falling back to its code.
func typeLabel(t string) string {
	for _, o := range CaseTypes() {
		if o.Key == t {
			return o.Label
		}
	}
	return t
}

// withUnlisted appends, in sorted order, keys that have counts but are not
// in the list (a type or outcome added since), so nothing is dropped.
func withUnlisted(list []Option, counts map[string]int) []Option {
	var extra []string
	for k := range counts {
		if !slices.ContainsFunc(list, func(o Option) bool { return o.Key == k }) {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	for _, k := range extra {
		list = append(list, Option{k, k})
	}
	return list
}

func daysBetween(a, b string) (int, error) {
	ta, err := time.Parse(store.DateLayout, a)
	if err != nil {
		return 0, fmt.Errorf("equality: bad date %q: %w", a, err)
	}
	tb, err := time.Parse(store.DateLayout, b)
	if err != nil {
		return 0, fmt.Errorf("equality: bad date %q: %w", b, err)
	}
	return int(tb.Sub(ta).Hours() / 24), nil
}

func median(xs []int) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return float64(s[n/2])
	}
	return float64(s[n/2-1]+s[n/2]) / 2
}

func (s *Service) computeOversight(ctx context.Context, per Period, threshold int) (Oversight, error) {
	o := Oversight{Period: per, Threshold: threshold}
	sup := &suppressor{threshold: threshold}
	from, to := per.from(), per.to()
	defs, order, err := s.stageDefs(ctx)
	if err != nil {
		return o, err
	}

	// Open on the end date, and the stage each was at then.
	rows, err := s.DB.QueryContext(ctx, `SELECT c.case_type, COALESCE(c.formal_on, ''),
		(SELECT cs.stage_code FROM case_stages cs WHERE cs.case_id = c.id AND cs.started_on <= ? AND (cs.ended_on IS NULL OR cs.ended_on > ?)
		 ORDER BY cs.started_on DESC, cs.id DESC LIMIT 1)
		FROM cases c WHERE c.opened_on <= ? AND (c.closed_on IS NULL OR c.closed_on > ?)`, to, to, to, to)
	if err != nil {
		return o, fmt.Errorf("equality: open cases: %w", err)
	}
	openByType := map[string]int{}
	openByStage := map[string]map[string]int{}
	total := 0
	for rows.Next() {
		var typ, formal string
		var stage sql.NullString
		if err := rows.Scan(&typ, &formal, &stage); err != nil {
			rows.Close()
			return o, fmt.Errorf("equality: open cases: %w", err)
		}
		st := stage.String
		switch {
		case formal == "" || formal > to:
			st = StageEarlyConcern
		case !stage.Valid:
			st = StageBetween
		}
		total++
		openByType[typ]++
		if openByStage[typ] == nil {
			openByStage[typ] = map[string]int{}
		}
		openByStage[typ][st]++
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return o, fmt.Errorf("equality: open cases: %w", err)
	}
	types := withUnlisted(CaseTypes(), openByType)
	openRoot := &node{what: "open.total", label: "Open cases", raw: total, children: leaves("open", types, openByType)}
	stageOpts := map[string][]Option{}
	for i, typ := range types {
		if openByType[typ.Key] == 0 {
			continue
		}
		opts := []Option{{StageEarlyConcern, "Early concern (not formal)"}}
		for _, code := range order[typ.Key] {
			opts = append(opts, Option{code, defs[[2]string{typ.Key, code}].name})
		}
		if openByStage[typ.Key][StageBetween] > 0 {
			opts = append(opts, Option{StageBetween, "Formal, between stages"})
		}
		opts = withUnlisted(opts, openByStage[typ.Key])
		stageOpts[typ.Key] = opts
		n := openRoot.children[i]
		n.children = leaves("open."+typ.Key, opts, openByStage[typ.Key])
		for _, c := range n.children {
			c.label = typ.Label + ", " + strings.ToLower(c.label[:1]) + c.label[1:]
		}
	}
	sup.suppressTree(openRoot)
	o.OpenTotal = openRoot.shown()
	o.OpenByType = toRows(types, openRoot.children)
	for i, typ := range types {
		if opts := stageOpts[typ.Key]; opts != nil {
			for _, r := range toRows(opts, openRoot.children[i].children) {
				o.OpenByStage = append(o.OpenByStage, OversightRow{Type: typ.Key, Group: typ.Label, Row: r})
			}
		}
	}

	// Stages that finished in the period, against their targets.
	rows, err = s.DB.QueryContext(ctx, `SELECT c.case_type, cs.stage_code, cs.started_on, cs.ended_on, cs.target_on
		FROM case_stages cs JOIN cases c ON c.id = cs.case_id WHERE cs.ended_on >= ? AND cs.ended_on <= ?`, from, to)
	if err != nil {
		return o, fmt.Errorf("equality: stage durations: %w", err)
	}
	type timing struct {
		days   []int
		within int
	}
	timings := map[[2]string]*timing{}
	for rows.Next() {
		var typ, code, started, ended, target string
		if err := rows.Scan(&typ, &code, &started, &ended, &target); err != nil {
			rows.Close()
			return o, fmt.Errorf("equality: stage durations: %w", err)
		}
		d, err := daysBetween(started, ended)
		if err != nil {
			rows.Close()
			return o, err
		}
		k := [2]string{typ, code}
		if timings[k] == nil {
			timings[k] = &timing{}
		}
		timings[k].days = append(timings[k].days, d)
		if ended <= target {
			timings[k].within++
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return o, fmt.Errorf("equality: stage durations: %w", err)
	}
	keys := make([][2]string, 0, len(timings))
	for k := range timings {
		keys = append(keys, k)
	}
	typeRank := func(t string) int {
		if i := slices.IndexFunc(CaseTypes(), func(o Option) bool { return o.Key == t }); i >= 0 {
			return i
		}
		return len(CaseTypes())
	}
	slices.SortFunc(keys, func(a, b [2]string) int {
		if r := typeRank(a[0]) - typeRank(b[0]); r != 0 {
			return r
		}
		if a[0] != b[0] {
			return compare(a[0], b[0])
		}
		if r := defs[a].position - defs[b].position; r != 0 {
			return r
		}
		return compare(a[1], b[1])
	})
	for _, k := range keys {
		tm := timings[k]
		def, known := defs[k]
		name := def.name
		if !known {
			name = k[1]
		}
		st := StageTiming{Type: k[0], TypeLabel: typeLabel(k[0]), Stage: k[1], StageLabel: name, TargetDays: def.targetDays}
		what := "stages." + k[0] + "." + k[1]
		label := st.TypeLabel + ", " + name
		st.Finished = sup.count(what+".finished", label+", stages finished", len(tm.days))
		if st.Finished.Suppressed {
			sup.withhold(what+".timing", label+", median days and share within target: "+revealing)
		} else {
			m := median(tm.days)
			w := float64(tm.within) / float64(len(tm.days))
			st.MedianDays, st.WithinTarget = &m, &w
		}
		o.Stages = append(o.Stages, st)
	}

	// Suspensions and exclusions that were agreed (proposed and declined
	// ones never ran).
	rows, err = s.DB.QueryContext(ctx, `SELECT starts_on, COALESCE(ended_on, '') FROM case_suspensions
		WHERE status IN ('active', 'ended') AND starts_on <= ?`, to)
	if err != nil {
		return o, fmt.Errorf("equality: suspensions: %w", err)
	}
	started, totalDays, active, longest := 0, 0, 0, 0
	for rows.Next() {
		var start, end string
		if err := rows.Scan(&start, &end); err != nil {
			rows.Close()
			return o, fmt.Errorf("equality: suspensions: %w", err)
		}
		running := end == "" || end > to
		stop := end
		if running {
			stop = to
		}
		d, err := daysBetween(start, stop)
		if err != nil {
			rows.Close()
			return o, err
		}
		if start >= from {
			started++
			totalDays += d
		}
		if running {
			active++
			longest = max(longest, d)
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return o, fmt.Errorf("equality: suspensions: %w", err)
	}
	sf := &o.Suspensions
	sf.Started = sup.count("suspensions.started", "Suspensions started", started)
	if sf.Started.Suppressed {
		sup.withhold("suspensions.total_days", "Total days suspended: "+revealing)
	} else {
		sf.TotalDays = &totalDays
	}
	sf.Active = sup.count("suspensions.active", "Suspensions running on the end date", active)
	if sf.Active.Suppressed {
		sup.withhold("suspensions.longest_open_days", "Longest running suspension: "+revealing)
	} else if active > 0 {
		sf.LongestOpenDays = &longest
	}

	// Outcomes of cases closed in the period.
	rows, err = s.DB.QueryContext(ctx, `SELECT COALESCE(outcome, 'other') FROM cases WHERE closed_on >= ? AND closed_on <= ?`, from, to)
	if err != nil {
		return o, fmt.Errorf("equality: outcomes: %w", err)
	}
	outcomes := map[string]int{}
	closed := 0
	for rows.Next() {
		var oc string
		if err := rows.Scan(&oc); err != nil {
			rows.Close()
			return o, fmt.Errorf("equality: outcomes: %w", err)
		}
		outcomes[oc]++
		closed++
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return o, fmt.Errorf("equality: outcomes: %w", err)
	}
	outcomeOpts := withUnlisted(Outcomes(), outcomes)
	closedRoot := &node{what: "closed.total", label: "Cases closed", raw: closed, children: leaves("outcomes", outcomeOpts, outcomes)}
	sup.suppressTree(closedRoot)
	o.ClosedTotal = closedRoot.shown()
	o.Outcomes = toRows(outcomeOpts, closedRoot.children)
	if closed > 0 {
		if o.ClosedTotal.Suppressed || o.Outcomes[0].Count.Suppressed {
			sup.withhold("outcomes.no_case_to_answer_share", "Share with no case to answer: "+revealing)
		} else {
			v := float64(outcomes["no_case_to_answer"]) / float64(closed)
			o.NoCaseToAnswerShare = &v
		}
	}

	// Cases that entered the formal process, by who they were about.
	groups, err := s.staffGroups(ctx)
	if err != nil {
		return o, err
	}
	rows, err = s.DB.QueryContext(ctx, `SELECT c.case_type, p.staff_group, COALESCE(p.ethnic_group, ''), COALESCE(p.disability, '')
		FROM cases c JOIN people p ON p.id = c.person_id WHERE c.formal_on >= ? AND c.formal_on <= ?`, from, to)
	if err != nil {
		return o, fmt.Errorf("equality: formal cases: %w", err)
	}
	byType, byGroup, byEth, byDis := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	formal := 0
	for rows.Next() {
		var typ, group, eth, dis string
		if err := rows.Scan(&typ, &group, &eth, &dis); err != nil {
			rows.Close()
			return o, fmt.Errorf("equality: formal cases: %w", err)
		}
		formal++
		byType[typ]++
		byGroup[group]++
		byEth[org.EthnicCategory(eth)]++
		switch dis {
		case org.DisabilityYes:
			byDis[GroupDisabled]++
		case org.DisabilityNo:
			byDis[GroupNonDisabled]++
		default:
			byDis[GroupUnknown]++
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return o, fmt.Errorf("equality: formal cases: %w", err)
	}
	breakdowns := []struct {
		prefix string
		opts   []Option
		counts map[string]int
		out    *[]Row
	}{
		{"formal.type", withUnlisted(CaseTypes(), byType), byType, &o.FormalByType},
		{"formal.staff_group", withUnlisted(groups, byGroup), byGroup, &o.FormalByStaffGroup},
		{"formal.ethnicity", []Option{{org.CategoryWhite, "White"}, {org.CategoryEthnicMinority, "Ethnic minority"}, {org.CategoryUnknown, "Not known or preferred not to say"}}, byEth, &o.FormalByEthnicity},
		{"formal.disability", []Option{{GroupDisabled, "Disabled"}, {GroupNonDisabled, "Not disabled"}, {GroupUnknown, "Not known or preferred not to say"}}, byDis, &o.FormalByDisability},
	}
	for i, b := range breakdowns {
		root := &node{raw: formal, children: leaves(b.prefix, b.opts, b.counts)}
		if i == 0 {
			root.what, root.label = "formal.total", "Cases entering the formal process"
		}
		sup.suppressTree(root)
		o.FormalTotal = root.shown()
		*b.out = toRows(b.opts, root.children)
	}
	o.Suppressed = sup.withheld
	return o, nil
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// staffGroups lists the staff groups in their usual order.
func (s *Service) staffGroups(ctx context.Context) ([]Option, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT code, name FROM staff_groups ORDER BY sort, code`)
	if err != nil {
		return nil, fmt.Errorf("equality: staff groups: %w", err)
	}
	defer rows.Close()
	var out []Option
	for rows.Next() {
		var o Option
		if err := rows.Scan(&o.Key, &o.Label); err != nil {
			return nil, fmt.Errorf("equality: staff groups: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
