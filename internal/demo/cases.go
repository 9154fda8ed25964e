package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"candour/internal/account"
	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/guide"
	"candour/internal/justculture"
	"candour/internal/localtime"
	"candour/internal/org"
	"candour/internal/report"
	"candour/internal/store"
)

// The demo trust's employee-relations casework: 37 cases over the
// last two years, made through the casework service with its clock moved
// back, so that every case passed the same checklist, sign-off, stage and
// suspension rules as real use and left the same audit trail. The mix
// follows what domain.md reports of trusts before they adopted a just
// culture: most concerns are disciplinary, about half of formal
// disciplinary cases end with no case to answer, and ethnic minority staff
// are a little more likely to enter a formal investigation, so that the
// equality and oversight pages have figures above the small-number
// threshold to show.

// caseCrew are the people who run the demo's casework.
type caseCrew struct {
	// lead is the demo HR sign-in, the employee relations lead; nadia and
	// callum are HR advisers who handle most cases.
	lead, nadia, callum *authz.Principal
	// imran and helen are the executives who agree suspensions; reviewer is
	// the demo executive sign-in, the non-executive reviewer of every
	// suspension, who therefore never agrees one.
	imran, helen, reviewer *authz.Principal
	manager, rep, safety   *authz.Principal
	// tariq and siobhan are wellbeing contacts.
	tariq, siobhan *authz.Principal
}

// demoPerson is someone in the demo directory, as the picker sees them.
type demoPerson struct {
	number, name, title, dept, group, ethnic, disability, leave string
}

// want describes who a case is about; empty fields match anyone.
type want struct {
	ethnic     string // org.CategoryWhite, org.CategoryEthnicMinority or org.CategoryUnknown
	disability string // org.DisabilityYes or org.DisabilityNo
	dept       string
	groups     []string
	titles     []string // job titles, for a story that names the role
}

// demoEntry is a timeline entry added by hand: by "hr" (the adviser),
// "manager" (the demo manager) or "rep" (the demo union representative).
type demoEntry struct {
	ago                   int
	by, kind, title, body string
	visible               bool
}

// demoWellbeing names a wellbeing contact from day from and logs contacts
// every so often until day last (days ago).
type demoWellbeing struct {
	contact     *authz.Principal
	from, last  int
	every       int
	oh          int  // day of an occupational health referral, 0 for none
	witness     bool // for the first witness rather than the employee
	byManager   bool // the demo manager logs the contacts
	maxContacts int
}

// demoReview is a suspension review.
type demoReview struct {
	held, next int
	end        bool
	notes      string
}

// demoSuspension is a proposed suspension and what became of it.
type demoSuspension struct {
	kind                                    string
	proposed, starts, review                int
	reason, redeploy, modified, supervision string
	approvals                               []int // days the first and second executive agreed
	reviews                                 []demoReview
	oversight                               []demoEntry
}

// demoStage is a move to a later stage on a day.
type demoStage struct {
	code string
	ago  int
}

// demoCase is one case's story, in days before today.
type demoCase struct {
	key     string
	typ     casework.Type
	who     want
	person  string // an employee number, instead of who
	same    string // the key of an earlier case about the same person
	leaver  bool   // the person is the demo's dismissed leaver
	adviser *authz.Principal
	managed bool // the demo manager manages the case
	// byManager: the demo manager opened the concern and the lead then
	// assigned the adviser.
	byManager bool
	opened    int
	summary   string
	report    string // "w7" or "cd": the patient safety event it arose from
	appealOf  string
	repAsked  int // day the employee asked for the demo union rep, 0 for none
	access    int // day the employee was given access to their timeline, 0 for none

	// The pre-formal checklist; checklist is the day it was filled in when
	// the case did not become formal (0 for never).
	facts, allegations, alternatives string
	checklist                        int
	awaitingSignOff                  bool
	witnesses                        int
	decider                          *authz.Principal // a user as decision maker instead of a manager

	formal     int // day it became formal, 0 for never
	stages     []demoStage
	entries    []demoEntry
	wellbeing  []demoWellbeing
	suspension *demoSuspension

	closed  int // day it closed, 0 for still open
	outcome casework.Outcome
	detail  string
	lessons []casework.LearningInput
}

// caseLoader builds the demo's cases.
type caseLoader struct {
	ctx     context.Context
	d       Deps
	crew    caseCrew
	now     time.Time
	today   time.Time // midday UTC on today's date in England
	cases   casework.Service
	culture justculture.Service
	reports report.Service
	lastDay int
	minutes int

	people   []demoPerson
	managers []demoPerson
	used     map[string]bool
	persons  map[string]string // case key → employee number
	refs     map[string]string // case key → reference
	reportOf map[string]string // "w7", "cd" → report reference
	// leaverAgo is how many days ago the dismissed leaver left.
	leaverAgo int
	leaver    string
	w7Ago     int
	serial    int
}

// loadCases adds the casework. It runs once, with the rest of the demo.
func loadCases(ctx context.Context, d Deps, logins map[authz.Role]*authz.Principal, now time.Time) (err error) {
	if d.Cases == nil || d.Culture == nil || d.Reports == nil {
		return nil
	}
	for _, r := range []authz.Role{authz.HR, authz.Exec, authz.Manager, authz.UnionRep, authz.Safety, authz.Admin} {
		if logins[r] == nil {
			return nil
		}
	}
	l := &caseLoader{ctx: ctx, d: d, now: now, cases: *d.Cases, culture: *d.Culture, reports: *d.Reports,
		used: map[string]bool{}, persons: map[string]string{}, refs: map[string]string{}, reportOf: map[string]string{}, lastDay: -1}
	if d.DB.Engine == store.SQLite {
		// Hundreds of small transactions, each synced to disk, would make
		// the demo slow to start. While the made-up casework loads, SQLite
		// syncs at checkpoints only (still consistent after a crash, and a
		// crash part-way leaves a part-loaded demo either way); then the
		// write connection syncs as it did before.
		w := d.DB.SQL()
		var mode int
		if err := w.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&mode); err != nil {
			return fmt.Errorf("demo casework: read the sync mode: %w", err)
		}
		if _, err := w.ExecContext(ctx, `PRAGMA synchronous = NORMAL`); err != nil {
			return fmt.Errorf("demo casework: %w", err)
		}
		defer func() {
			if _, rerr := w.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA synchronous = %d`, mode)); rerr != nil && err == nil {
				err = fmt.Errorf("demo casework: restore the sync mode: %w", rerr)
			}
		}()
	}
	n := now.In(localtime.London())
	l.today = time.Date(n.Year(), n.Month(), n.Day(), 12, 0, 0, 0, time.UTC)
	if err := l.setUp(logins); err != nil {
		return fmt.Errorf("demo casework: %w", err)
	}
	list := l.demoCases()
	// Oldest first, so that references run in order and an appeal follows
	// the case it appeals.
	sort.SliceStable(list, func(i, j int) bool { return list[i].opened > list[j].opened })
	for _, c := range list {
		if err := l.run(c); err != nil {
			return fmt.Errorf("demo case %s: %w", c.key, err)
		}
	}
	return nil
}

// setUp creates the casework sign-ins the demo needs beyond one per role,
// gives the designations, and reads the directory.
func (l *caseLoader) setUp(logins map[authz.Role]*authz.Principal) error {
	c := &l.crew
	c.lead, c.reviewer, c.manager, c.rep, c.safety = logins[authz.HR], logins[authz.Exec], logins[authz.Manager], logins[authz.UnionRep], logins[authz.Safety]
	// People who take part in casework but whose sign-ins are not printed:
	// they have no password until an administrator sets one.
	extra := []struct {
		to          **authz.Principal
		local, name string
		roles       []authz.Role
	}{
		{&c.nadia, "nadia.rahman", "Nadia Rahman", []authz.Role{authz.HR, authz.Staff}},
		{&c.callum, "callum.hughes", "Callum Hughes", []authz.Role{authz.HR, authz.Staff}},
		{&c.imran, "imran.mistry", "Imran Mistry", []authz.Role{authz.Exec, authz.Staff}},
		{&c.helen, "helen.boateng", "Helen Boateng", []authz.Role{authz.Exec, authz.Staff}},
		{&c.tariq, "tariq.nowak", "Tariq Nowak", []authz.Role{authz.Staff}},
		{&c.siobhan, "siobhan.byrne", "Siobhan Byrne", []authz.Role{authz.Staff}},
	}
	for _, u := range extra {
		email := u.local + "@" + Domain
		got, err := l.d.Accounts.ByEmail(l.ctx, email)
		if errors.Is(err, store.ErrNotFound) {
			got, err = l.d.Accounts.Create(l.ctx, actor(), account.NewUser{Email: email, Name: u.name, Roles: u.roles})
		}
		if err != nil {
			return fmt.Errorf("sign-in %s: %w", email, err)
		}
		*u.to = &authz.Principal{UserID: got.ID, Email: got.Email, Name: got.Name, Roles: got.Roles}
	}
	l.at(735)
	admin := logins[authz.Admin]
	for _, d := range []struct {
		p *authz.Principal
		d casework.Designation
	}{{c.lead, casework.ERLead}, {c.reviewer, casework.NonExecReviewer}, {c.rep, casework.StaffSideLead}} {
		if err := l.cases.Designate(l.ctx, admin, d.p.Email, d.d); err != nil {
			return fmt.Errorf("designate %s: %w", d.p.Email, err)
		}
	}
	if err := l.readPeople(); err != nil {
		return err
	}
	return l.findW7()
}

// readPeople reads the directory once, in employee number order, so that
// the same people are picked every time.
func (l *caseLoader) readPeople() error {
	rows, err := l.d.DB.QueryContext(l.ctx, `SELECT p.employee_number, p.name, p.job_title, d.code, p.staff_group, COALESCE(p.ethnic_group, ''),
		COALESCE(p.disability, ''), COALESCE(p.leave_date, '') FROM people p JOIN departments d ON d.id = p.department_id
		ORDER BY p.employee_number`)
	if err != nil {
		return fmt.Errorf("read people: %w", err)
	}
	defer rows.Close()
	today := l.date(0)
	var leavers []demoPerson
	for rows.Next() {
		var p demoPerson
		if err := rows.Scan(&p.number, &p.name, &p.title, &p.dept, &p.group, &p.ethnic, &p.disability, &p.leave); err != nil {
			return fmt.Errorf("read people: %w", err)
		}
		current := p.leave == "" || p.leave >= today
		switch {
		case strings.HasPrefix(p.number, "1") && current:
			l.managers = append(l.managers, p)
		case strings.HasPrefix(p.number, "2") && current:
			l.people = append(l.people, p)
		case strings.HasPrefix(p.number, "2"):
			leavers = append(leavers, p)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read people: %w", err)
	}
	if len(l.people) < 60 || len(l.managers) < 6 {
		return fmt.Errorf("the demo directory is too small for casework (%d people, %d managers)", len(l.people), len(l.managers))
	}
	// The dismissed employee left between four and seven months ago, so
	// that their appeal and tribunal claim fit before today; failing that,
	// someone who left longer ago; failing that, a current employee.
	for _, window := range [][2]int{{135, 215}, {135, 560}} {
		for _, white := range []bool{true, false} {
			for _, p := range leavers {
				t, err := time.Parse(store.DateLayout, p.leave)
				if err != nil {
					continue
				}
				ago := int(l.today.Sub(t.Add(12*time.Hour)).Hours() / 24)
				if ago >= window[0] && ago <= window[1] && (!white || org.EthnicCategory(p.ethnic) == org.CategoryWhite) && l.leaver == "" {
					l.leaver, l.leaverAgo = p.number, ago
				}
			}
		}
	}
	if l.leaver == "" {
		p := l.pick(want{ethnic: org.CategoryWhite})
		l.leaver, l.leaverAgo = p.number, 170
	}
	l.used[l.leaver] = true
	for _, p := range leavers {
		if p.number == l.leaver {
			l.used[p.name] = true
		}
	}
	return nil
}

// findW7 finds the demo's Ward 7 event (breakfast given to a patient who
// was nil by mouth), which a concern in the casework arose from.
func (l *caseLoader) findW7() error {
	var ref, received string
	err := l.d.DB.QueryRowContext(l.ctx, `SELECT r.reference, r.received_on FROM reports r JOIN departments dep ON dep.id = r.department_id
		WHERE dep.code = 'NGH-W7' AND r.kind = 'safety_event' AND r.event_type = 'incident' ORDER BY r.id LIMIT 1`).Scan(&ref, &received)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("find the Ward 7 event: %w", err)
	}
	t, err := time.Parse(store.DateLayout, received)
	if err != nil {
		return fmt.Errorf("find the Ward 7 event: %w", err)
	}
	l.reportOf["w7"] = ref
	l.w7Ago = max(int(l.today.Sub(t.Add(12*time.Hour)).Hours()/24), 0)
	return nil
}

// managedDept is the demo manager's department.
const managedDept = "NGH-AMU"

// pick chooses the first person not yet in a case who matches w, relaxing
// the department, then the staff group, then disability, then ethnicity,
// until someone matches.
func (l *caseLoader) pick(w want) demoPerson {
	tries := []want{w, {w.ethnic, w.disability, w.dept, w.groups, nil}, {w.ethnic, w.disability, "", w.groups, nil},
		{w.ethnic, w.disability, "", nil, nil}, {w.ethnic, "", "", nil, nil}, {}}
	// Each case starts looking at a different place in the directory, so
	// that cases spread across the trust rather than gathering in the
	// departments with the lowest employee numbers.
	n := len(l.people)
	start := (l.serial * 53) % n
	for _, t := range tries {
		for i := range n {
			p := l.people[(start+i)%n]
			// The demo manager runs the Acute Medical Unit, so a case about
			// someone there is one they manage.
			// Nobody shares a name with someone already in a case, so that
			// lists are not confusing.
			if !l.used[p.number] && !l.used[p.name] && t.matches(p) && (p.dept != managedDept || w.dept == managedDept) {
				l.used[p.number], l.used[p.name] = true, true
				return p
			}
		}
	}
	return l.people[0]
}

func (w want) matches(p demoPerson) bool {
	if w.ethnic != "" && org.EthnicCategory(p.ethnic) != w.ethnic {
		return false
	}
	if w.disability != "" && p.disability != w.disability {
		return false
	}
	if w.dept != "" && p.dept != w.dept {
		return false
	}
	if len(w.titles) > 0 && !slices.Contains(w.titles, p.title) {
		return false
	}
	if len(w.groups) > 0 {
		for _, g := range w.groups {
			if g == p.group {
				return true
			}
		}
		return false
	}
	return true
}

// at moves the clocks of the services to days ago; steps on the same day
// are a few minutes apart, from the start of the working day.
func (l *caseLoader) at(days int) {
	if days != l.lastDay {
		l.lastDay, l.minutes = days, 0
	}
	l.minutes += 7
	t := l.today.AddDate(0, 0, -days).Add(time.Duration(min(l.minutes, 600)-240) * time.Minute)
	if days <= 0 || t.After(l.now) {
		t = l.now
	}
	now := func() time.Time { return t }
	l.cases.Now, l.culture.Now, l.reports.Now = now, now, now
}

// date is the date days ago.
func (l *caseLoader) date(days int) string {
	return l.today.AddDate(0, 0, -days).Format(store.DateLayout)
}

// step is one thing done on a day.
type step struct {
	ago int
	do  func() error
}

// run plays one case's story in date order.
func (l *caseLoader) run(c demoCase) error {
	l.serial++
	ctx, svc, crew := l.ctx, &l.cases, &l.crew
	number := c.person
	switch {
	case c.leaver:
		number = l.leaver
	case c.same != "":
		number = l.persons[c.same]
	case number == "":
		number = l.pick(c.who).number
	}
	l.persons[c.key] = number
	hr := c.adviser
	var id int64
	var steps []step
	add := func(ago int, do func() error) { steps = append(steps, step{ago, do}) }

	if c.report == "cd" {
		add(c.opened+7, func() error { return l.cdReport(c.opened + 7) })
	}
	if c.report != "" {
		add(c.opened, func() error { return l.assess(c.report, number) })
	}
	add(c.opened, func() error {
		in := casework.OpenInput{Type: string(c.typ), Person: number, Summary: c.summary, Report: l.reportOf[c.report], AppealOf: l.refs[c.appealOf]}
		opener := hr
		if c.byManager {
			opener = crew.manager
		} else if c.managed {
			in.Manager = crew.manager.Email
		}
		opened, err := svc.Open(ctx, opener, in)
		if err != nil {
			return fmt.Errorf("open: %w", err)
		}
		id = opened.ID
		l.refs[c.key] = opened.Reference
		if c.byManager {
			return svc.Assign(ctx, crew.lead, id, casework.AssignInput{HRAdviser: hr.Email, Manager: crew.manager.Email})
		}
		return nil
	})
	if c.repAsked > 0 {
		add(c.repAsked, func() error { return svc.RequestRepresentative(ctx, hr, id, crew.rep.Email, l.date(c.repAsked)) })
	}
	if c.access > 0 {
		add(c.access, func() error { return svc.SetEmployeeAccess(ctx, hr, id, true) })
	}

	// The pre-formal checklist, the people involved and the sign-off.
	filled := c.checklist
	if c.formal > 0 {
		filled = c.formal + 2
	}
	if filled > 0 {
		if c.formal > 0 || c.awaitingSignOff {
			add(filled+1, func() error { return l.addDeciders(c, id, number) })
		}
		add(filled, func() error {
			wb := []*authz.Principal{crew.tariq, crew.siobhan}[l.serial%2]
			if len(c.wellbeing) > 0 {
				wb = c.wellbeing[0].contact
			}
			in := casework.ChecklistInput{FactsGathered: c.facts != "", FactsSummary: c.facts, EmployeeAccountHeard: true,
				EmployeeAccountOn: l.date(min(filled+1, c.opened)), Allegations: c.allegations, AlternativesConsidered: c.alternatives,
				InvestigatorConflicts:  "None declared. The investigator has not worked with the employee.",
				DecisionMakerConflicts: "None declared. The decision maker works at another site and does not know the employee.",
				ConflictsDeclared:      true, WellbeingContact: wb.Email, UnionRepOffered: true, UnionRepOfferedOn: l.date(min(filled+1, c.opened))}
			if c.report == "w7" {
				// Not finished: the just culture guide has just reached end
				// point D, so the case is waiting for a decision about
				// whether to close it.
				in.InvestigatorConflicts, in.DecisionMakerConflicts, in.ConflictsDeclared, in.WellbeingContact = "", "", false, ""
			}
			return svc.SaveChecklist(ctx, hr, id, in)
		})
	}
	if c.formal > 0 {
		add(c.formal+1, func() error {
			signer := crew.lead
			if hr == crew.lead {
				// An executive signs off the lead's own cases; not one who
				// will decide the case.
				signer = crew.imran
				if l.serial%2 == 1 && c.decider != crew.helen || c.decider == crew.imran {
					signer = crew.helen
				}
			}
			return svc.SignOff(ctx, signer, id, "Read the checklist with the adviser. The allegations are specific, the alternatives were weighed properly, and the decision maker is independent of the investigation.")
		})
		add(c.formal, func() error {
			_, err := svc.MoveToFormal(ctx, hr, id)
			var unmet *casework.UnmetError
			if errors.As(err, &unmet) {
				var names []string
				for _, u := range unmet.Unmet {
					names = append(names, u.Name+": "+u.Detail)
				}
				return fmt.Errorf("move to formal: %s", strings.Join(names, "; "))
			}
			return err
		})
		for _, st := range c.stages {
			add(st.ago, func() error { return svc.AdvanceStage(ctx, hr, id, st.code, l.date(st.ago)) })
		}
	}

	for _, e := range c.entries {
		add(e.ago, func() error {
			by := hr
			switch e.by {
			case "manager":
				by = crew.manager
			case "rep":
				by = crew.rep
			}
			_, err := svc.AddEntry(ctx, by, id, casework.EntryInput{Kind: e.kind, OccurredOn: l.date(e.ago), Title: e.title, Body: e.body, VisibleToEmployee: e.visible})
			if err != nil {
				return fmt.Errorf("entry %q: %w", e.title, err)
			}
			return nil
		})
	}
	for _, w := range c.wellbeing {
		l.wellbeing(&steps, w, hr, &id)
	}
	if sp := c.suspension; sp != nil {
		l.suspend(&steps, sp, hr, &id)
	}
	if c.closed > 0 {
		add(c.closed, func() error {
			return svc.Close(ctx, hr, id, casework.CloseInput{Outcome: string(c.outcome), OutcomeDetail: c.detail, ClosedOn: l.date(c.closed), Learning: c.lessons})
		})
	}

	sort.SliceStable(steps, func(i, j int) bool { return steps[i].ago > steps[j].ago })
	for _, s := range steps {
		if s.ago < 0 {
			return fmt.Errorf("a step is dated in the future (%d days ahead)", -s.ago)
		}
		l.at(s.ago)
		if err := s.do(); err != nil {
			return fmt.Errorf("on %s: %w", l.date(s.ago), err)
		}
	}
	return nil
}

// addDeciders names an investigator and a decision maker: managers of two
// other departments, so that both are independent of the employee, and any
// witnesses.
func (l *caseLoader) addDeciders(c demoCase, id int64, number string) error {
	var dept string
	for _, p := range append(l.people, l.managers...) {
		if p.number == number {
			dept = p.dept
		}
	}
	var independent []demoPerson
	for _, m := range l.managers {
		if m.dept != dept {
			independent = append(independent, m)
		}
	}
	n := len(independent)
	inv, dec := independent[(l.serial*2)%n], independent[(l.serial*2+1)%n]
	parties := []casework.PartyInput{{Role: casework.RoleInvestigator, Person: inv.number}, {Role: casework.RoleDecisionMaker, Person: dec.number}}
	if c.decider != nil {
		parties[1] = casework.PartyInput{Role: casework.RoleDecisionMaker, User: c.decider.Email}
	}
	for i := 0; i < c.witnesses; i++ {
		parties = append(parties, casework.PartyInput{Role: casework.RoleWitness, Person: l.pick(want{dept: dept}).number})
	}
	for _, in := range parties {
		if _, err := l.cases.AddParty(l.ctx, c.adviser, id, in); err != nil {
			return fmt.Errorf("add %s: %w", in.Role, err)
		}
	}
	return nil
}

// wellbeing names a wellbeing contact and logs their contacts.
func (l *caseLoader) wellbeing(steps *[]step, w demoWellbeing, hr *authz.Principal, id *int64) {
	var wid int64
	*steps = append(*steps, step{w.from, func() error {
		in := casework.WellbeingInput{Contact: w.contact.Email, FrequencyDays: fmt.Sprint(w.every)}
		if w.witness {
			parties, err := l.cases.Parties(l.ctx, hr, *id)
			if err != nil {
				return err
			}
			for _, p := range parties {
				if p.Role == casework.RoleWitness {
					in.Party = fmt.Sprint(p.ID)
					break
				}
			}
		}
		got, err := l.cases.AddWellbeing(l.ctx, hr, *id, in)
		wid = got.ID
		return err
	}})
	// A few contacts, counting back from the last one, so that the demo
	// loads quickly; the gaps between the recent ones keep to the
	// frequency. An occupational health referral is logged on its own day.
	limit := w.maxContacts
	if limit == 0 {
		limit = 3
	}
	var days []int
	for d := w.last; d < w.from && len(days) < limit; d += w.every {
		days = append(days, d)
	}
	if w.oh != 0 && !slices.Contains(days, w.oh) {
		days = append(days, w.oh)
	}
	methods := []string{"phone", "in_person", "video", "phone", "email"}
	notes := []string{
		"Checked in. Sleeping better; knows who to call if things get hard.",
		"Talked through what happens next and the timescales. Reminded them about the employee assistance programme.",
		"Said the waiting is the hardest part. Agreed to keep to the same day each week.",
		"Feeling more settled. Asked for the next update to come by phone, not email.",
		"Short call. No new worries; next contact agreed.",
	}
	for i, d := range days {
		oh := d == w.oh
		*steps = append(*steps, step{d, func() error {
			by := hr
			if w.byManager {
				by = l.crew.manager
			}
			note := notes[(i+l.serial)%len(notes)]
			if oh {
				note = "Talked about support. Agreed a referral to occupational health, which they welcomed."
			}
			return l.cases.LogContact(l.ctx, by, *id, wid, casework.ContactInput{ContactedOn: l.date(d), Method: methods[(i+l.serial)%len(methods)], Notes: note, OHReferral: oh})
		}})
	}
}

// suspend proposes a suspension, and plays the executives' decisions, the
// reviews and the non-executive reviewer's oversight.
func (l *caseLoader) suspend(steps *[]step, sp *demoSuspension, hr *authz.Principal, id *int64) {
	var sid int64
	*steps = append(*steps, step{sp.proposed, func() error {
		got, err := l.cases.ProposeSuspension(l.ctx, hr, *id, casework.SuspensionInput{Kind: sp.kind, Reason: sp.reason,
			AltRedeployment: sp.redeploy, AltModifiedDuties: sp.modified, AltSupervision: sp.supervision,
			StartsOn: l.date(sp.starts), ReviewOn: l.date(sp.review)})
		sid = got.ID
		return err
	}})
	execs := []*authz.Principal{l.crew.imran, l.crew.helen}
	reasons := []string{"The alternatives were each considered properly and none protects patients while the facts are found.",
		"Agreed, for the shortest time possible. Please keep the review date and keep in touch with the employee every week."}
	for i, day := range sp.approvals {
		*steps = append(*steps, step{day, func() error {
			_, err := l.cases.DecideSuspension(l.ctx, execs[i], sid, casework.DecisionApprove, reasons[i])
			return err
		}})
	}
	for _, r := range sp.reviews {
		*steps = append(*steps, step{r.held, func() error {
			in := casework.ReviewInput{HeldOn: l.date(r.held), Decision: casework.ReviewContinue, Notes: r.notes, NextReviewOn: l.date(r.next)}
			if r.end {
				in.Decision, in.NextReviewOn = casework.ReviewEnd, ""
			}
			_, err := l.cases.ReviewSuspension(l.ctx, hr, sid, in)
			return err
		}})
	}
	for _, o := range sp.oversight {
		*steps = append(*steps, step{o.ago, func() error { return l.cases.RecordOversight(l.ctx, l.crew.reviewer, sid, o.body) }})
	}
}

// cdReport adds the controlled drugs event one of the cases arose from,
// found at the weekly check by the patient safety team, who acknowledge
// and later close it.
func (l *caseLoader) cdReport(ago int) error {
	var deptID int64
	if err := l.d.DB.QueryRowContext(l.ctx, `SELECT id FROM departments WHERE code = 'NGH-W7'`).Scan(&deptID); err != nil {
		return fmt.Errorf("find Ward 7: %w", err)
	}
	rec, err := l.reports.Submit(l.ctx, report.Submission{Kind: report.SafetyEvent, Mode: report.Open, DepartmentID: deptID,
		OccurredOn: l.date(ago + 1), OccurredTime: "03:00", EventType: "incident", PhysicalHarm: "none", PsychologicalHarm: "none",
		Description:      "At the weekly controlled drugs check, the register showed a 03:00 dose of oral morphine witnessed by a nurse who says they were on their break off the ward at the time and did not see it given. The patient received the prescribed dose.",
		ImmediateActions: "Stock balance checked with pharmacy and found correct. Ward manager told. Patient checked and came to no harm.",
		People:           []report.Involved{{Role: "patient", Description: "The patient who received the dose"}}}, l.crew.safety)
	if err != nil {
		return fmt.Errorf("controlled drugs event: %w", err)
	}
	l.reportOf["cd"] = rec.Reference
	if err := l.reports.Acknowledge(l.ctx, l.crew.safety, rec.ID); err != nil {
		return err
	}
	return l.reports.Close(l.ctx, l.crew.safety, rec.ID, "We looked at this with pharmacy and the ward. The stock was correct and the patient was not harmed. "+
		"At night a second checker can now be called from a neighbouring ward, and the controlled drugs policy says what to do when none is available.")
}

// assess works through the just culture guide for the person in the
// event: end point G for the controlled drugs event (formal action
// supported) and end point D for the Ward 7 breakfast (not supported).
func (l *caseLoader) assess(which, number string) error {
	yes := func(reason string) guide.Answer { return guide.Answer{Value: true, Reason: reason} }
	no := func(reason string) guide.Answer { return guide.Answer{Value: false, Reason: reason} }
	base := map[string]guide.Answer{
		"1a": no("Nothing suggests any intention to harm"), "2a": no("No sign at all"),
		"2b": no("No sign; they said they felt well"), "2c": no("No sign; we asked and they said not"),
	}
	in := justculture.StartInput{GuideID: "nhs-just-culture-2018", EmployeeNumber: number, ReportReference: l.reportOf[which],
		Participants: []string{l.crew.lead.Email}, ConcernConfirmed: true}
	answers := base
	switch which {
	case "cd":
		in.Participants = []string{l.crew.callum.Email}
		in.Action = "Gave a dose of oral morphine without a second checker and recorded a colleague as the witness"
		answers["3a"] = yes("The controlled drugs policy requires two registered staff to check and sign")
		answers["3b"] = yes("A second nurse was on the ward or could be called, and the ward normally follows the policy")
		answers["3c"] = yes("They told us they knew the colleague had not seen it")
		answers["4a"] = no("Colleagues told us they would wait or call someone, and would not write another name")
		answers["4b"] = no("They completed controlled drugs training last year with the rest of the ward")
		answers["4c"] = no("The nurse in charge was available to help")
		answers["5a"] = no("We looked for pressures that night and found none out of the ordinary")
	case "w7":
		in.Action = "Gave breakfast to a patient who was nil by mouth before surgery"
		answers["3a"] = yes("Patients who are nil by mouth have a sign by the bed, and it is covered at handover")
		answers["3b"] = no("The sign was behind the curtain and handover was cut short because two staff were moved to another ward")
	}
	_, err := l.culture.Record(l.ctx, l.crew.safety, in, answers, "yes",
		"We asked ourselves whether we would reach the same answer for a colleague of a different background, grade or staff group, and we would.")
	if err != nil {
		return fmt.Errorf("just culture guide for %s: %w", which, err)
	}
	return nil
}

// updateHR is the update an adviser gives while a case runs.
const updateHR = "We told the employee where the case has got to and when to expect the next step."

func lesson(category, text string) casework.LearningInput {
	return casework.LearningInput{Category: category, Lesson: text}
}

func meeting(ago int, title, body string) demoEntry {
	return demoEntry{ago: ago, by: "hr", kind: casework.EntryMeeting, title: title, body: body, visible: true}
}

func update(ago int, body string) demoEntry {
	return demoEntry{ago: ago, by: "hr", kind: casework.EntryUpdate, title: "Update given to the employee", body: body, visible: true}
}

func delay(ago int, by, body string) demoEntry {
	return demoEntry{ago: ago, by: by, kind: casework.EntryDelay, title: "Reason for the delay", body: body}
}

func repNote(ago int, body string) demoEntry {
	return demoEntry{ago: ago, by: "rep", kind: casework.EntryRepNote, title: "Representative's note", body: body}
}

func hrNote(ago int, body string) demoEntry {
	return demoEntry{ago: ago, by: "hr", kind: casework.EntryNote, title: "HR note", body: body}
}

// demoCases is the demo's casework, oldest first within each group.
func (l *caseLoader) demoCases() []demoCase {
	c := l.crew
	white, minority, unknown := org.CategoryWhite, org.CategoryEthnicMinority, org.CategoryUnknown
	nursing := []string{"nursing_midwifery"}
	support := []string{"additional_clinical", "nursing_midwifery"}
	lv := l.leaverAgo
	weekly := func(contact *authz.Principal, from, last int) []demoWellbeing {
		return []demoWellbeing{{contact: contact, from: from, last: last, every: 7}}
	}
	cases := []demoCase{
		// Two years ago to one year ago.
		{key: "d1", typ: casework.Disciplinary, who: want{ethnic: minority, groups: nursing}, adviser: c.lead, opened: 712,
			summary:      "A patient's relative complained that a nurse spoke to them rudely and refused a visit outside visiting hours.",
			facts:        "The relative's complaint, the ward's visiting guidance and the nurse's own short statement.",
			allegations:  "On the evening of the complaint, spoke to a patient's relative in a raised voice at the nurses' station and refused a visit without explaining why.",
			alternatives: "A meeting between the relative, the nurse and the ward manager was offered; the relative declined it and asked for a formal process.",
			formal:       700, stages: []demoStage{{"decision", 640}},
			entries: []demoEntry{meeting(690, "Investigation meeting", "The nurse gave their account, with a colleague from their union present.")},
			closed:  632, outcome: casework.NoCaseToAnswer,
			detail: "The ward was closed to visitors because of a norovirus outbreak, and the nurse had explained this. Witnesses did not describe a raised voice.",
			lessons: []casework.LearningInput{
				lesson("process", "Ask for the ward's own guidance and the circumstances before going formal: an outbreak explained the refusal."),
				lesson("policy", "Visiting restrictions during an outbreak are now explained on a card at the ward door, so staff are not left to argue them alone."),
			}},
		{key: "d2", typ: casework.Disciplinary, who: want{ethnic: white, groups: []string{"estates_ancillary"}, titles: []string{"Porter"}}, adviser: c.callum, opened: 684,
			summary:      "A member of the estates team was seen using a mobile phone while moving a patient on a trolley, and the trolley struck a door frame.",
			facts:        "Statements from the nurse escorting the patient and from the employee; the patient was checked and not hurt.",
			allegations:  "While moving a patient from the Emergency Department to the Acute Medical Unit, used a personal mobile phone and let the trolley strike a door frame.",
			alternatives: "A conversation with the portering supervisor was considered. The patient's family complained, so the facts were looked at formally.",
			formal:       672, stages: []demoStage{{"decision", 650}},
			closed: 646, outcome: casework.InformalResolution,
			detail: "At the investigation meeting the employee accepted what happened and apologised. A hearing was not needed; a reflective conversation with the portering supervisor was agreed.",
			lessons: []casework.LearningInput{
				lesson("process", "The employee accepted the facts at once. A conversation before going formal could have reached the same place in a week."),
			}},
		{key: "d3", typ: casework.Disciplinary, who: want{ethnic: minority, groups: []string{"additional_clinical"}, titles: []string{"Healthcare Assistant", "Nursing Associate"}}, adviser: c.nadia, opened: 612,
			summary:      "Observations on the electronic chart were recorded at times when the employee was on a break off the ward.",
			facts:        "The electronic chart's audit trail, the door-entry log and the rota for two night shifts.",
			allegations:  "On two night shifts, recorded hourly observations for one patient at times when the door-entry log shows the employee was on a break off the ward.",
			alternatives: "A supportive conversation alone would not deal with records a patient's care relied on. The employee agrees the times but says the readings were real.",
			formal:       600, stages: []demoStage{{"hearing", 556}, {"decision", 526}},
			entries: []demoEntry{meeting(590, "Investigation meeting", "The employee explained that readings taken earlier were entered later in the shift."),
				update(570, updateHR)},
			closed: 522, outcome: casework.FirstWrittenWarning,
			detail: "The panel found the readings were entered in a batch to save time on a very busy night, not to deceive. First written warning for 12 months, with support on time management.",
			lessons: []casework.LearningInput{
				lesson("system", "The electronic chart lets observations be entered for any past time without a note; the supplier has been asked to require a reason."),
			}},
		{key: "a1", typ: casework.Appeal, same: "d3", appealOf: "d3", adviser: c.nadia, opened: 512,
			summary:      "Appeal against the first written warning, on the grounds that staffing that night was well below plan.",
			facts:        "The hearing's decision letter and the appeal letter.",
			allegations:  "The employee appeals because the panel did not weigh that the ward had two healthcare assistants fewer than planned on both nights.",
			alternatives: "An appeal is the employee's right under the policy.",
			formal:       500, stages: []demoStage{{"decision", 474}},
			closed: 470, outcome: casework.OtherOutcome,
			detail: "Appeal partly upheld. The warning stands, but it will stay on file for 6 months rather than 12, because staffing on both nights was well below plan.",
			lessons: []casework.LearningInput{
				lesson("system", "The appeal panel asked that night staffing on the ward be raised at the nursing workforce meeting, and it was."),
			}},
		{key: "d4", typ: casework.Disciplinary, who: want{ethnic: minority, groups: []string{"medical_dental"}}, adviser: c.lead, opened: 566,
			summary:      "A doctor on call did not attend a patient with a high early warning score within 30 minutes of being bleeped.",
			facts:        "The bleep log, the nurse's account and the doctor's account.",
			allegations:  "On a night shift, did not attend a patient on Ward 7 within 30 minutes of being bleeped about a high early warning score.",
			alternatives: "A learning conversation with the clinical lead was considered. The patient needed intensive care and the family asked for a formal look, so the facts were looked at formally.",
			formal:       554, stages: []demoStage{{"decision", 474}},
			entries: []demoEntry{delay(510, "hr", "The investigating consultant was on leave for three weeks, and the bleep records took a month to obtain."),
				update(505, updateHR)},
			closed: 468, outcome: casework.NoCaseToAnswer,
			detail: "Bleep and arrest call records show the doctor was at a cardiac arrest on another ward and asked for the outreach team, which was the right escalation.",
			lessons: []casework.LearningInput{
				lesson("system", "The bleep system does not show that a doctor is already at an emergency. Raised with the hospital at night team."),
				lesson("process", "The bleep log and the arrest records were there on day one. Checking them first would have avoided a three-month investigation."),
			}},
		{key: "de3", typ: casework.Disciplinary, who: want{}, adviser: c.nadia, opened: 470,
			summary: "An employee posted unkind comments about a colleague in a staff social media group.",
			closed:  452, outcome: casework.InformalResolution,
			detail: "A facilitated conversation between the two colleagues led to an apology, and the post was removed. Both said they were glad it did not go further.",
			lessons: []casework.LearningInput{
				lesson("policy", "The social media guidance did not mention private staff groups. It has been updated with staff-side colleagues."),
			}},
		{key: "b2", typ: casework.BullyingHarassment, who: want{ethnic: minority, groups: []string{"healthcare_scientists"}}, adviser: c.nadia, opened: 520,
			summary: "Two colleagues in Pathology said a colleague made repeated remarks about their accents.",
			closed:  478, outcome: casework.InformalResolution,
			detail: "Mediation was held and both colleagues agreed how they would work together. A check-in after three months found things had improved.",
			lessons: []casework.LearningInput{
				lesson("process", "Mediation was offered within two weeks; everyone said the speed mattered."),
			}},
		{key: "c3", typ: casework.CapabilityPerformance, who: want{disability: org.DisabilityNo, groups: []string{"admin_clerical"}}, adviser: c.callum, opened: 580,
			summary:      "Clinic letters typed by the employee were often more than four weeks late.",
			facts:        "Letter turnaround figures for three months and the team's standard.",
			allegations:  "Over three months, about half of the clinic letters typed by the employee went out more than four weeks after the clinic, against a standard of ten working days.",
			alternatives: "Informal coaching and a lighter clinic list for six weeks helped a little but not enough; a formal improvement plan gives clear support and dates.",
			formal:       568, stages: []demoStage{{"improvement_period", 554}, {"review_meeting", 468}, {"decision", 454}},
			closed: 450, outcome: casework.OtherOutcome,
			detail: "The standard was reached during the improvement period with coaching and a new dictation system. No further action.",
			lessons: []casework.LearningInput{
				lesson("system", "The old dictation system lost files. Replacing it helped the whole team, not just this employee."),
			}},
		{key: "h2", typ: casework.CapabilityIllHealth, who: want{groups: []string{"estates_ancillary", "additional_clinical"}}, adviser: c.nadia, opened: 432,
			summary:      "A long-term health condition means the employee can no longer do the physical parts of their role, despite adjustments.",
			facts:        "Occupational health reports and the adjustments tried over a year.",
			allegations:  "Has been unable to do the lifting and walking the role needs for most of the last year, and occupational health advises this will not change.",
			alternatives: "Lighter duties and shorter shifts were tried for a year. A formal review is the way to agree the options with the employee, including redeployment.",
			formal:       420, stages: []demoStage{{"review_meeting", 384}, {"decision", 350}},
			wellbeing: []demoWellbeing{{contact: c.tariq, from: 419, last: 356, every: 14, oh: 405, maxContacts: 1}},
			closed:    344, outcome: casework.OtherOutcome,
			detail: "Ill-health retirement agreed with the employee's support, after occupational health advice and a search for redeployment.",
			lessons: []casework.LearningInput{
				lesson("process", "The employee said the monthly calls from the same named person made a hard time easier."),
			}},

		// The last twelve months.
		{key: "d5", typ: casework.Disciplinary, leaver: true, adviser: c.callum, opened: lv + 160,
			summary:      "Timesheets show bank shifts claimed that were not worked.",
			facts:        "E-rostering records, the door-entry log and the department's sign-in sheets for three months.",
			allegations:  "Claimed pay for 11 bank shifts over three months that the e-rostering record, the door-entry log and the department's sign-in sheet show were not worked.",
			alternatives: "Recovering the money informally was considered. Claiming pay for shifts not worked is a question of honesty, which the policy says must be looked at formally.",
			formal:       lv + 148, stages: []demoStage{{"hearing", lv + 60}, {"decision", lv + 5}},
			entries: []demoEntry{delay(lv+100, "hr", "The door-entry data took a month to obtain from estates."),
				meeting(lv+90, "Investigation meeting", "The employee gave their account with a union representative present."),
				update(lv+70, updateHR)},

			closed: lv, outcome: casework.Dismissal,
			detail: "The hearing found the claims were made knowingly. Dismissed with notice; the overpayment is being recovered.",
			lessons: []casework.LearningInput{
				lesson("system", "Bank shifts could be claimed without the department confirming them. The person in charge now confirms each bank shift on the e-roster."),
				lesson("process", "The investigation ran past its six-week target while waiting for door-entry data. A quicker route for data requests has been agreed with estates."),
			}},
		{key: "a2", typ: casework.Appeal, same: "d5", appealOf: "d5", adviser: c.lead, opened: lv - 10, repAsked: lv - 10,
			summary:      "Appeal against dismissal, on the grounds that two colleagues who could confirm the shifts were not interviewed.",
			facts:        "The dismissal letter, the investigation report and the appeal letter.",
			allegations:  "The former employee appeals because two colleagues they named as able to confirm the shifts were worked were not interviewed.",
			alternatives: "An appeal is the employee's right under the policy.",
			formal:       lv - 18, stages: []demoStage{{"decision", lv - 44}},
			entries: []demoEntry{hrNote(lv-25, "Both colleagues named in the appeal were interviewed before the hearing."),
				repNote(lv-30, "Our member asks that the appeal panel hear from both colleagues in person, not only read their statements.")},
			closed: lv - 48, outcome: casework.OtherOutcome,
			detail: "Appeal not upheld. The panel heard both colleagues; neither could confirm the shifts. The dismissal stands.",
			lessons: []casework.LearningInput{
				lesson("process", "Witnesses named by the employee should be interviewed at the investigation, not left for the appeal."),
			}},
		{key: "et", typ: casework.EmploymentTribunal, same: "d5", adviser: c.lead, opened: lv - 95, decider: c.helen,
			summary:      "Claim to the employment tribunal of unfair dismissal, after the dismissal and the appeal.",
			facts:        "The claim form (ET1), the case file and the appeal outcome.",
			allegations:  "The claimant says the dismissal was unfair because the investigation did not interview two colleagues they named, and the appeal did not put this right.",
			alternatives: "Early conciliation through Acas was tried and did not settle.",
			formal:       lv - 102, stages: []demoStage{{"preliminary", lv - 130}},
			entries: []demoEntry{meeting(lv-112, "Meeting with the trust's solicitors", "Agreed the response to the claim. The response (ET3) was sent on time.")}},
		{key: "d6", typ: casework.Disciplinary, who: want{ethnic: minority, dept: "NGH-AMU", groups: nursing}, managed: true, adviser: c.nadia, opened: 330,
			summary:      "A patient's family said a nurse was dismissive when they asked about pain relief.",
			facts:        "The family's complaint, the drug chart and the nurse's account.",
			allegations:  "On the afternoon of the complaint, told a patient's daughter that pain relief would have to wait, and did not give the prescribed pain relief for over two hours.",
			alternatives: "A local resolution meeting with the family was offered. They asked for a formal investigation, and the drug chart needed checking independently.",
			formal:       318, stages: []demoStage{{"decision", 258}},
			entries: []demoEntry{meeting(305, "Investigation meeting", "The nurse gave their account with a colleague present."),
				{ago: 290, by: "manager", kind: casework.EntryUpdate, title: "Update from the ward manager", body: "I met the nurse to check how they are and explained the investigation is taking longer than planned.", visible: true}},
			closed: 252, outcome: casework.NoCaseToAnswer,
			detail: "The drug chart shows pain relief was given 40 minutes after the request, once the doctor had reviewed the prescription. The family accepted this at a meeting with the ward manager.",
			lessons: []casework.LearningInput{
				lesson("process", "The drug chart and the electronic record would have answered the concern in a day, before going formal."),
				lesson("system", "Families are not told when pain relief needs a doctor's review first. The ward now explains this."),
			}},
		{key: "d7", typ: casework.Disciplinary, who: want{ethnic: minority, dept: "NGH-W7", groups: nursing}, adviser: c.callum, opened: 304, report: "cd",
			summary:      "The controlled drugs register named a colleague as witness to a dose they did not see given.",
			facts:        "The register, the colleague's statement, the break rota and the pharmacy stock check.",
			allegations:  "On a night shift, gave a dose of oral morphine without a second checker and wrote a colleague's name in the controlled drugs register as the witness, when that colleague was on a break off the ward.",
			alternatives: "A reflective conversation was considered. The just culture guide reached end point G, and recording a false witness is a question of honesty that needs a formal process.",
			formal:       292, stages: []demoStage{{"hearing", 248}, {"decision", 234}},
			entries: []demoEntry{meeting(280, "Investigation meeting", "The nurse was open about what happened and said they had not wanted to wake a colleague on their break."),
				update(260, updateHR)},
			closed: 230, outcome: casework.FinalWrittenWarning,
			detail: "The panel found the allegation proven. Final written warning for 12 months. The nurse has completed controlled drugs training again.",
			lessons: []casework.LearningInput{
				lesson("system", "At night Ward 7 often has one registered nurse on the ward while the other is on a break. A second checker can now be called from the Acute Medical Unit."),
				lesson("policy", "The controlled drugs policy now says what to do when no second checker is available, rather than leaving staff to find a way round."),
			}},
		{key: "d8", typ: casework.Disciplinary, who: want{ethnic: white, groups: nursing}, adviser: c.lead, opened: 286,
			summary:      "A nurse was reported to have left a late shift early without handing over.",
			facts:        "The rota, the nurse in charge's account and the nurse's account.",
			allegations:  "Left the ward ninety minutes before the end of a late shift without handing over two patients to the nurse in charge.",
			alternatives: "A conversation was considered, but the nurse in charge and the nurse gave different accounts, so the facts needed an independent look.",
			formal:       274, stages: []demoStage{{"decision", 216}},
			closed: 212, outcome: casework.NoCaseToAnswer,
			detail: "The nurse had been sent home unwell by the nurse in charge, who had not recorded it. Both patients had been handed over in person.",
			lessons: []casework.LearningInput{
				lesson("process", "A short conversation with the nurse in charge at the fact-finding stage would have shown this."),
				lesson("system", "Staff sent home unwell are now recorded on the e-roster by the nurse in charge before they leave."),
			}},
		{key: "d9", typ: casework.Disciplinary, who: want{ethnic: minority, dept: "RMH-ASH", groups: support}, adviser: c.nadia, opened: 263,
			summary:      "An allegation that a member of the ward team used a hold that is not approved while restraining a patient on Ash Ward.",
			facts:        "The incident record, the patient's account, two staff statements and the training record.",
			allegations:  "During a restraint on Ash Ward, used a hold that is not part of the approved training and caused bruising to a patient's wrist.",
			alternatives: "Supervision and a training refresher were considered. The patient was hurt and safeguarding was raised, so the facts must be found formally.",
			formal:       256, stages: []demoStage{{"decision", 198}},
			entries: []demoEntry{update(240, "The police have been asked whether they will investigate. We will tell you as soon as we hear."),
				update(228, "The police will not investigate. Your suspension has ended and you will work at Vale Community Hospital until the investigation finishes.")},
			wellbeing: []demoWellbeing{{contact: c.siobhan, from: 255, last: 234, every: 7, maxContacts: 2}},
			suspension: &demoSuspension{kind: casework.KindSuspension, proposed: 256, starts: 255, review: 243,
				reason:      "The allegation involves possible harm to a patient, and the police asked that the employee have no contact with the patient while they decide whether to investigate.",
				redeploy:    "Redeployment to Willow Ward was considered; it shares staff with Ash Ward and the patient may move there.",
				modified:    "Duties away from patients were considered; there was no suitable role at the Riverside site in the first days.",
				supervision: "Closer supervision would not remove contact with the patient while the police decide.",
				approvals:   []int{256, 256},
				reviews: []demoReview{
					{held: 243, next: 231, notes: "The police have not decided yet. A role at Vale Community Hospital is being looked for."},
					{held: 231, end: true, notes: "The police will not investigate. The employee returned to work away from patients at Vale Community Hospital while the investigation finishes."},
				},
				oversight: []demoEntry{{ago: 252, body: "Reviewed. Each alternative was considered properly. Please make sure the first review looks again at a return on modified duties at another site."}}},
			closed: 194, outcome: casework.NoCaseToAnswer,
			detail: "CCTV and two witnesses showed the approved hold was used while the patient was at risk of harming themselves. The bruise came from the patient's fall before the restraint.",
			lessons: []casework.LearningInput{
				lesson("process", "The suspension lasted 24 days and ended as soon as the police decided, because the review dates were kept."),
				lesson("system", "CCTV on Ash Ward settled the facts quickly; its footage is now kept for 60 days instead of 30."),
			}},
		{key: "d10", typ: casework.Disciplinary, who: want{ethnic: minority}, adviser: c.callum, opened: 236,
			summary:      "An employee looked at a family member's health record without a work reason.",
			facts:        "The record access audit and the employee's account.",
			allegations:  "Opened the electronic health record of a family member three times over two weeks without a work reason, as shown by the record access audit.",
			alternatives: "Breaches of patient confidentiality must be looked at formally under the information governance policy; a conversation alone would not show whether other records were opened.",
			formal:       224, stages: []demoStage{{"hearing", 184}, {"decision", 172}},
			closed: 168, outcome: casework.OtherOutcome,
			detail: "A letter of management guidance, which is not a warning, and an information governance refresher. The family member had asked for help reading their results.",
			lessons: []casework.LearningInput{
				lesson("system", "The record system does not warn staff when they open the record of someone at their own address. The supplier has been asked for a warning."),
			}},
		{key: "d11", typ: casework.Disciplinary, who: want{ethnic: white}, adviser: c.lead, opened: 217,
			summary:      "An employee shared a photograph of a patient's wound in a staff messaging group.",
			facts:        "The message, the patient's record and the employee's account.",
			allegations:  "Shared a photograph of a patient's pressure wound, without the patient's consent, in a staff messaging group on a personal phone.",
			alternatives: "The photograph went beyond the care team, so it must be looked at formally. The employee was open about it and apologised, which the panel will take into account.",
			formal:       206, stages: []demoStage{{"hearing", 162}, {"decision", 148}},
			closed: 144, outcome: casework.FirstWrittenWarning,
			detail: "First written warning for 12 months. The photograph was deleted from every phone, and the patient was told and apologised to.",
			lessons: []casework.LearningInput{
				lesson("system", "Staff had no approved way to send wound photographs to the tissue viability nurse quickly. A secure app is being rolled out."),
			}},
		{key: "d12", typ: casework.Disciplinary, who: want{ethnic: unknown}, adviser: c.callum, opened: 206,
			summary:      "Two colleagues said an employee seemed to be under the influence of alcohol at the start of a shift.",
			facts:        "Two colleagues' accounts, the manager's account and an occupational health report.",
			allegations:  "Arrived for an early shift smelling of alcohol and appearing unsteady, according to two colleagues, and was sent home by their manager.",
			alternatives: "An occupational health referral was made first. Patient safety was at stake, so the facts also needed a formal look.",
			formal:       194, stages: []demoStage{{"decision", 134}},
			wellbeing: []demoWellbeing{{contact: c.tariq, from: 193, last: 138, every: 7, oh: 193, maxContacts: 1}},
			closed:    130, outcome: casework.NoCaseToAnswer,
			detail: "Occupational health found a medical condition and a new medicine explained what colleagues saw. No alcohol was involved. Support and adjustments agreed.",
			lessons: []casework.LearningInput{
				lesson("process", "Ask occupational health before going formal when there may be a health reason. The just culture guide's health test points there too."),
			}},
		{key: "d13", typ: casework.Disciplinary, who: want{ethnic: white, groups: []string{"ahp", "nursing_midwifery"}, dept: "VCH-CNT"}, adviser: c.lead, opened: 126,
			summary:      "A patient said a booked home visit did not happen and was recorded as no answer at the door.",
			facts:        "The visit record, the patient's account and the team's vehicle tracking.",
			allegations:  "Recorded a home visit as no answer at the door when the patient says nobody called, and did not rebook the visit.",
			alternatives: "A conversation with the team lead was considered. The patient missed a dose of an injection as a result and complained, so the facts were looked at formally.",
			formal:       112, stages: []demoStage{{"decision", 50}},
			entries: []demoEntry{meeting(100, "Investigation meeting", "The employee gave their account and brought their visit notes.")},
			closed:  45, outcome: casework.NoCaseToAnswer,
			detail: "Vehicle tracking and a neighbour confirmed the visit was made; the patient's doorbell was not working. The patient was visited the next day.",
			lessons: []casework.LearningInput{
				lesson("process", "The tracking data was there from the start. It is now checked in the first week."),
				lesson("system", "A visit with no answer now always gets a phone call and a card through the door."),
			}},
		{key: "d14", typ: casework.Disciplinary, who: want{ethnic: minority, dept: "NGH-EST", titles: []string{"Porter"}}, adviser: c.callum, opened: 150, repAsked: 148,
			summary:      "A porter left a patient on a trolley in a corridor without telling anyone where they were.",
			facts:        "The radiology team's account, the portering job log and the porter's account.",
			allegations:  "Left a patient on a trolley in the main corridor outside Radiology for about 40 minutes without telling the nurse or the radiology team.",
			alternatives: "A conversation with the portering supervisor was considered. The patient was frail and distressed, and the family complained, so the facts need an independent look.",
			formal:       138, stages: []demoStage{{"hearing", 22}},
			entries: []demoEntry{
				repNote(130, "Our member says the helpdesk called them to an urgent transfer and they told the radiology receptionist. We ask that the helpdesk call log be obtained."),
				delay(90, "hr", "The helpdesk call log had to be recovered from the old system. Estates expect it within three weeks."),
				delay(55, "hr", "Two witnesses work nights only; their interviews were rearranged twice to fit their shifts."),
				update(40, "The investigation has finished. A hearing will be arranged, and you can bring your representative."),
				repNote(30, "Our member asks for the hearing to be held at Vale Community Hospital, away from the department."),
			},
			wellbeing: weekly(c.tariq, 137, 4)},
		{key: "d15", typ: casework.Disciplinary, who: want{ethnic: minority, groups: nursing}, adviser: c.nadia, opened: 97,
			summary:      "An employee did not attend three rostered shifts in six weeks and did not call in.",
			facts:        "The rota, the ward manager's notes and the employee's account.",
			allegations:  "Did not attend rostered shifts on three occasions in six weeks without calling the ward, against the attendance policy.",
			alternatives: "Two supportive conversations were held and did not change things. A formal process gives clear expectations, with support alongside.",
			formal:       86,
			entries: []demoEntry{
				delay(44, "hr", "The employee has been signed off sick with stress. The investigation meeting is postponed until occupational health says they are well enough."),
				delay(12, "hr", "Occupational health advised a meeting with breaks and a companion present. It is booked for next week."),
			},
			wellbeing: []demoWellbeing{{contact: c.siobhan, from: 85, last: 19, every: 7, oh: 47}}},
		{key: "d16", typ: casework.Disciplinary, who: want{ethnic: minority, dept: "NGH-AMU"}, managed: true, adviser: c.nadia, opened: 72,
			summary:      "An employee worked bank shifts at another trust while off sick from the Acute Medical Unit.",
			facts:        "The other trust's bank records, the sickness record and the employee's account.",
			allegations:  "Worked three bank shifts at a neighbouring trust while on sick leave from the Acute Medical Unit, without telling the ward manager.",
			alternatives: "A conversation was considered, but working while on sick pay is a question of honesty that the policy says needs a formal look.",
			formal:       60, stages: []demoStage{{"hearing", 18}},
			entries: []demoEntry{meeting(48, "Investigation meeting", "The employee explained that the shifts were in a different kind of role that their doctor had said was fine."),
				{ago: 30, by: "manager", kind: casework.EntryMeeting, title: "Catch-up with the ward manager", body: "Talked about how work is going while the case runs. Agreed to keep the same shift pattern.", visible: true}},
			wellbeing: []demoWellbeing{{contact: c.manager, from: 59, last: 5, every: 14, byManager: true}}},
		{key: "d17", typ: casework.Disciplinary, who: want{ethnic: minority, dept: "RMH-OPM", groups: support, titles: []string{"Healthcare Assistant", "Nursing Associate"}}, adviser: c.callum, opened: 41,
			summary:      "A relative reported seeing a member of the ward team push a patient roughly into a chair on Willow Ward.",
			facts:        "The relative's account, the ward's incident record and the safeguarding referral.",
			allegations:  "On Willow Ward, pushed a patient with dementia down into a chair by the shoulders while the patient was trying to stand, as described by a visiting relative.",
			alternatives: "Safeguarding has been raised. Supervision or a conversation alone would not protect patients while the facts are found.",
			formal:       31,
			entries: []demoEntry{update(30, "Your suspension has been agreed by two executives. It will be reviewed at least every two weeks, and your wellbeing contact will call you every week."),
				update(17, "Your suspension continues for now. We are still looking for a role away from patients that you can do.")},
			wellbeing: weekly(c.siobhan, 30, 3),
			suspension: &demoSuspension{kind: casework.KindSuspension, proposed: 31, starts: 31, review: 18,
				reason:      "The allegation is of physical harm to a vulnerable patient, and a safeguarding enquiry is open.",
				redeploy:    "Redeployment to another ward was considered. Willow Ward is the only older people's mental health ward, and the patient may move to Ash Ward, so no ward is free of possible contact.",
				modified:    "Duties away from patients were considered; there is no such role at the Riverside site, and the employee does not drive, so other sites are not practical.",
				supervision: "Closer supervision was considered, but a supervisor could not be with the employee for every patient contact on a busy ward.",
				approvals:   []int{31, 31},
				reviews: []demoReview{
					{held: 18, next: 5, notes: "The safeguarding enquiry is still open. A role away from patients is still being looked for; none yet."},
					{held: 5, next: -8, notes: "The safeguarding enquiry expects to finish within two weeks. A role in the Riverside outpatient admin team from next week is being checked with the employee."},
				},
				oversight: []demoEntry{{ago: 29, body: "Reviewed. Each alternative was considered, and the reasons for not redeploying are clear. I will look again after the first review."}}}},
		{key: "d18", typ: casework.Disciplinary, who: want{ethnic: white, groups: nursing}, adviser: c.nadia, opened: 26,
			summary:      "Stock records suggest a nurse took codeine tablets from the ward stock for personal use.",
			facts:        "Stock records, a colleague's account and the employee's first account.",
			allegations:  "Took two boxes of codeine tablets from the ward's stock cupboard for personal use, as shown by the stock records and a colleague's account.",
			alternatives: "A health conversation and an occupational health referral were offered first, and continue. Taking medicines from stock needs a formal look under the medicines policy.",
			formal:       12,
			entries:      []demoEntry{hrNote(2, "Spoke to the ward manager about a day-shift role without medicines access. If one is found, I will withdraw the suspension proposal.")},
			wellbeing:    []demoWellbeing{{contact: c.tariq, from: 11, last: 4, every: 7, oh: 11}},
			suspension: &demoSuspension{kind: casework.KindSuspension, proposed: 1, starts: 0, review: -13,
				reason:      "The allegation is of taking medicines from ward stock, and the employee works alone with medicines on night shifts.",
				redeploy:    "A move to a day-shift role without medicines access is being looked for. If one is found, this proposal will be withdrawn.",
				modified:    "Duties without medicines were considered; every registered nurse role on this ward includes giving medicines.",
				supervision: "Closer supervision on nights cannot be provided for every shift."}},
		{key: "de1", typ: casework.Disciplinary, who: want{dept: "NGH-W7"}, adviser: c.lead, opened: max(l.w7Ago-1, 0), report: "w7", checklist: max(l.w7Ago-2, 0),
			summary:      "A patient who was nil by mouth before surgery was given breakfast on Ward 7.",
			facts:        "The event report, the handover sheet and the account of the member of staff who gave the breakfast.",
			allegations:  "Gave breakfast to a patient who was nil by mouth before surgery, on the morning the operation was due.",
			alternatives: "Considering a reflective conversation and a change to how nil-by-mouth signs are placed, because the just culture guide points to the system.",
		},
		{key: "de2", typ: casework.Disciplinary, who: want{dept: "NGH-AMU"}, byManager: true, adviser: c.nadia, opened: 46,
			summary: "Repeated lateness at the start of early shifts over the last two months.",
			entries: []demoEntry{{ago: 38, by: "manager", kind: casework.EntryMeeting, title: "Conversation with the employee",
				body: "We talked about the lateness. A change in childcare is the cause; we looked at start times together.", visible: true}},
			closed: 24, outcome: casework.InformalResolution,
			detail: "A later start on two days a week was agreed through flexible working. The lateness has stopped.",
			lessons: []casework.LearningInput{
				lesson("policy", "Staff did not know they could ask for flexible working from their first day. It is now in the ward induction."),
			}},
		{key: "de4", typ: casework.Disciplinary, who: want{groups: support}, adviser: c.nadia, opened: 15, checklist: 3, awaitingSignOff: true,
			summary:      "An employee gave a colleague's home address to a patient's relative.",
			facts:        "The colleague's account, the relative's account and the employee's account.",
			allegations:  "Gave a colleague's home address to a patient's relative over the phone, without the colleague's consent, after the relative asked where to send a card.",
			alternatives: "A reflective conversation was considered. The relative has since visited the colleague's home uninvited and the colleague is frightened, so the facts need a formal look.",
			wellbeing:    nil},
		{key: "g1", typ: casework.Grievance, person: loginEmployeeNumber(0), managed: true, adviser: c.nadia, opened: 150, access: 149,
			summary: "The employee says rotas are published less than a week ahead, which makes arranging childcare impossible.",
			entries: []demoEntry{
				{ago: 141, by: "manager", kind: casework.EntryMeeting, title: "Meeting about the rota", body: "Met the employee to talk about the rota and childcare. We looked at what could be fixed in advance.", visible: true},
				update(135, "We have agreed a trial of fixed early shifts on Mondays to Wednesdays for three months, and the ward will publish rotas six weeks ahead."),
			},
			closed: 126, outcome: casework.InformalResolution,
			detail: "Resolved at the informal stage. The ward now publishes rotas six weeks ahead, and the employee has fixed early shifts on three days a week.",
			lessons: []casework.LearningInput{
				lesson("policy", "The rostering policy's six-week standard was not being met on several wards. It is now checked every month."),
			}},
		{key: "g2", typ: casework.Grievance, who: want{ethnic: minority, groups: []string{"ahp"}}, adviser: c.lead, opened: 246,
			summary:      "The employee says they were passed over for training that colleagues were given.",
			facts:        "The training allocation records and the team lead's account.",
			allegations:  "Was not offered a place on the advanced practice course in two rounds, while three colleagues with less experience were, with no criteria given.",
			alternatives: "An informal conversation with the team lead did not resolve it, and the employee asked for the formal stage, as the policy allows.",
			formal:       232, stages: []demoStage{{"hearing", 206}, {"decision", 192}},
			closed: 188, outcome: casework.OtherOutcome,
			detail: "Grievance partly upheld. The way places were chosen was not clear. The course has been offered again to the whole team against written criteria.",
			lessons: []casework.LearningInput{
				lesson("policy", "Training places are now offered against written criteria, shared with the whole team."),
			}},
		{key: "g3", typ: casework.Grievance, who: want{ethnic: white, groups: []string{"admin_clerical"}}, adviser: c.callum, opened: 52, repAsked: 50,
			summary:      "The employee says their request to work compressed hours was turned down without a proper reason.",
			facts:        "The request, the refusal email and the employee's account.",
			allegations:  "A request to work the same hours over four days was refused by email, with no meeting and no reason linked to the needs of the service.",
			alternatives: "An informal conversation was offered. The employee asked for the formal stage because the refusal affects their caring responsibilities.",
			formal:       40,
			entries: []demoEntry{repNote(35, "Our member asks that the flexible working policy be applied, which says a meeting should be held before any refusal."),
				delay(8, "hr", "The manager the grievance is about is on annual leave for two weeks. Their interview is booked for the day they return.")},
			wellbeing: []demoWellbeing{{contact: c.siobhan, from: 39, last: 6, every: 14}}},
		{key: "b1", typ: casework.BullyingHarassment, who: want{ethnic: white, groups: nursing, titles: []string{"Ward Sister", "Charge Nurse", "Senior Staff Nurse"}}, adviser: c.callum, opened: 112, witnesses: 2,
			summary:      "Several junior staff say a senior nurse shouts at them and criticises them in front of patients.",
			facts:        "Accounts from four junior staff, the guardian's notes (shared with consent) and the senior nurse's account.",
			allegations:  "On at least four occasions over two months, shouted at junior nurses and healthcare assistants at the nurses' station, in front of patients and visitors, including calling one useless.",
			alternatives: "The guardian raised it informally first and it continued. Mediation was offered; the junior staff did not feel safe to take part.",
			formal:       100,
			entries: []demoEntry{
				delay(55, "hr", "Three witnesses are student nurses whose placement has ended. The university is helping to arrange their interviews."),
				delay(20, "hr", "The investigator was moved to cover a ward during staff shortages. A second investigator has joined to finish the interviews."),
				update(18, "The investigation is taking longer than six weeks. We expect the report within a month, and will tell you as soon as it is ready."),
			},
			wellbeing: []demoWellbeing{{contact: c.siobhan, from: 99, last: 3, every: 7}, {contact: c.tariq, from: 98, last: 9, every: 14, witness: true}}},
		{key: "c1", typ: casework.CapabilityPerformance, who: want{disability: org.DisabilityYes}, adviser: c.nadia, opened: 206,
			summary:      "Care records and handover notes were often late or incomplete.",
			facts:        "A record audit over three months and the employee's account.",
			allegations:  "Over three months, about a third of care records were completed more than a shift late, and several handover notes were missing key information, against the team's standard.",
			alternatives: "Informal support from a colleague for six weeks helped a little. Occupational health found the employee has dyslexia, so the formal plan includes reasonable adjustments.",
			formal:       194, stages: []demoStage{{"improvement_period", 182}, {"review_meeting", 96}, {"decision", 84}},
			wellbeing: []demoWellbeing{{contact: c.tariq, from: 193, last: 86, every: 14, oh: 193, maxContacts: 1}},
			closed:    80, outcome: casework.OtherOutcome,
			detail: "The standard was reached with reasonable adjustments: screen-reading software, a quieter place to write notes and written task lists. No further action.",
			lessons: []casework.LearningInput{
				lesson("process", "Occupational health advice came after informal support. Asking first would have brought the adjustments sooner."),
				lesson("policy", "Reasonable adjustments are now considered before any formal capability meeting, as the policy always intended."),
			}},
		{key: "c2", typ: casework.CapabilityPerformance, who: want{disability: org.DisabilityNo, groups: nursing, titles: []string{"Staff Nurse"}}, adviser: c.callum, opened: 124,
			summary:      "A newly qualified nurse is not yet working safely without close supervision.",
			facts:        "The preceptorship record, the practice educator's notes and the nurse's own view.",
			allegations:  "Has needed prompting to finish medicines rounds on time on most shifts for two months, and twice did not complete a falls assessment on admission.",
			alternatives: "An extended preceptorship with a named practice educator was tried for eight weeks. Progress was made but not enough, so a formal plan with clear support is the fairer next step.",
			formal:       110, stages: []demoStage{{"improvement_period", 80}},
			entries:   []demoEntry{meeting(96, "Improvement plan agreed", "Agreed the plan, the support and the dates with the nurse and their practice educator.")},
			wellbeing: []demoWellbeing{{contact: c.siobhan, from: 109, last: 2, every: 14}}},
		{key: "h1", typ: casework.CapabilityIllHealth, who: want{groups: []string{"additional_clinical", "estates_ancillary", "nursing_midwifery"}}, adviser: c.lead, opened: 62,
			summary:      "A back injury means the employee cannot currently do the moving and handling their role needs.",
			facts:        "Occupational health reports and the lighter duties in place.",
			allegations:  "Has been unable to do moving and handling for five months, and occupational health advises this may be long term, so the role as it stands may not be possible.",
			alternatives: "Lighter duties have been in place for four months. A formal review is needed to agree longer-term adjustments, redeployment or other options with the employee.",
			formal:       52,
			entries:      []demoEntry{delay(20, "hr", "The occupational health appointment moved because the hospital consultant's report was not ready.")},
			wellbeing:    []demoWellbeing{{contact: c.tariq, from: 51, last: 7, every: 14, oh: 51}}},
		{key: "s1", typ: casework.SicknessAbsence, who: want{groups: []string{"admin_clerical", "nursing_midwifery"}}, adviser: c.callum, opened: 166,
			summary: "Three short absences in four months have reached the attendance policy's trigger.",
			closed:  136, outcome: casework.InformalResolution,
			detail: "A supportive conversation and a phased return agreed with occupational health. Attendance reviewed after three months with no further concern.",
			lessons: []casework.LearningInput{
				lesson("process", "A conversation at the first trigger was enough; no formal review was needed."),
			}},
		{key: "s2", typ: casework.SicknessAbsence, who: want{dept: "NGH-AMU"}, managed: true, adviser: c.nadia, opened: 78,
			summary:      "Long-term sickness absence of eleven weeks with a stress-related illness.",
			facts:        "The sickness record, fit notes and occupational health advice.",
			allegations:  "Has been absent for eleven weeks with a stress-related illness, passing the attendance policy's point for a formal long-term absence review.",
			alternatives: "Keeping-in-touch calls and an occupational health referral are in place. A formal review is the policy's way to agree support and a return plan; it is not a sanction.",
			formal:       66, stages: []demoStage{{"second_review", 26}},
			entries: []demoEntry{{ago: 60, by: "manager", kind: casework.EntryMeeting, title: "First formal review",
				body: "Met at home at the employee's request. Talked about what would help a return: a phased start and no nights at first.", visible: true}},
			wellbeing: []demoWellbeing{{contact: c.manager, from: 65, last: 6, every: 14, oh: 65, byManager: true}}},
	}
	if l.reportOf["w7"] == "" {
		// Without the Ward 7 event there is nothing for that concern to
		// arise from.
		cases = slices.DeleteFunc(cases, func(c demoCase) bool { return c.report == "w7" })
	}
	return cases
}
