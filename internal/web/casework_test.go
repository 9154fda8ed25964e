package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"candour/internal/account"
	"candour/internal/app/apptest"
	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/org"
	"candour/internal/report"
)

// caseWorld is a ward with a nurse a concern is about (who can sign in),
// the people who will investigate and decide, a wellbeing contact, the
// employee-relations lead, a second HR adviser, a second manager and a
// second union representative who must see nothing, and one patient safety
// event.
type caseWorld struct {
	employee, lead, hr2, manager2, rep2, contact account.User
	employeeNumber                               string
	event                                        report.Receipt
}

func newCaseWorld(t *testing.T, e *apptest.Env) caseWorld {
	t.Helper()
	ctx := context.Background()
	site, err := e.App.Org.CreateSite(ctx, jcActor, org.Site{Code: "NGH", Name: "Northfield General Hospital"})
	if err != nil {
		t.Fatal(err)
	}
	ward, err := e.App.Org.CreateDepartment(ctx, jcActor, org.Department{SiteID: site.ID, Code: "W9", Name: "Ward 9", Kind: "ward"})
	if err != nil {
		t.Fatal(err)
	}
	person := func(number, name string) org.Person {
		p, err := e.App.Org.SavePerson(ctx, jcActor, org.Person{EmployeeNumber: number, Name: name, DepartmentID: ward.ID,
			StaffGroup: "nursing_midwifery", JobTitle: "Staff Nurse", StartDate: "2018-01-08"})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	nurse := person("E3001", "Alex Nightingale")
	person("E3003", "Ivy Investigator")
	person("E3004", "Dev Decider")
	mk := func(email, name string, personID int64, roles ...authz.Role) account.User {
		u, err := e.App.Accounts.Create(ctx, jcActor, account.NewUser{Email: email, Name: name, Roles: roles, Password: apptest.Password, PersonID: personID})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	w := caseWorld{employeeNumber: nurse.EmployeeNumber}
	w.employee = mk("alex.nightingale@test.example", "Alex Nightingale", nurse.ID, authz.Staff)
	w.lead = mk("leah.lead@test.example", "Leah Lead", 0, authz.HR, authz.Staff)
	w.hr2 = mk("omar.other@test.example", "Omar Other", 0, authz.HR, authz.Staff)
	w.manager2 = mk("mo.other@test.example", "Mo Other", 0, authz.Manager, authz.Staff)
	w.rep2 = mk("ray.rep@test.example", "Ray Rep", 0, authz.UnionRep, authz.Staff)
	w.contact = mk("chris.contact@test.example", "Chris Contact", 0, authz.Staff)
	admin := &authz.Principal{UserID: e.Users[authz.Admin].ID, Email: e.Users[authz.Admin].Email, Roles: []authz.Role{authz.Admin}}
	if err := e.App.Cases.Designate(ctx, admin, w.lead.Email, casework.ERLead); err != nil {
		t.Fatal(err)
	}
	w.event, err = e.App.Reports.Submit(ctx, report.Submission{Kind: report.SafetyEvent, Mode: report.Anonymous, DepartmentID: ward.ID,
		OccurredOn: time.Now().AddDate(0, 0, -3).Format("2006-01-02"), Description: "A second dose of morphine was given on a night shift.",
		EventType: "incident", PhysicalHarm: "low", PsychologicalHarm: "low"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// caseDate is the three boxes of a date input for t.
func caseDate(v url.Values, name string, t time.Time) url.Values {
	v.Set(name+"-day", t.Format("2"))
	v.Set(name+"-month", t.Format("1"))
	v.Set(name+"-year", t.Format("2006"))
	return v
}

var caseHrefPattern = regexp.MustCompile(`^/cases/[0-9]+$`)

// caseOpen opens a disciplinary concern about the nurse as HR, managed by
// the test manager; it returns the case's page.
func caseOpen(t *testing.T, e *apptest.Env, w caseWorld, c *http.Client, report string) string {
	t.Helper()
	loc := jcPost(t, e, c, "/cases", url.Values{"type": {"disciplinary"}, "person": {w.employeeNumber},
		"summary": {"A second dose of morphine was given without checking the drug chart."}, "report": {report},
		"manager": {e.Users[authz.Manager].Email}})
	if !caseHrefPattern.MatchString(loc) {
		t.Fatalf("opened a case at %q", loc)
	}
	return loc
}

// caseID is the number at the end of a case's page.
func caseID(t *testing.T, loc string) int64 {
	t.Helper()
	var id int64
	for _, r := range strings.TrimPrefix(loc, "/cases/") {
		id = id*10 + int64(r-'0')
	}
	return id
}

// caseUpload posts a document to a case.
func caseUpload(t *testing.T, e *apptest.Env, c *http.Client, loc, name string, data []byte) *http.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("document", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	res, err := c.Post(e.URL(loc+"/documents"), mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func TestCaseListAndOpen(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		w := newCaseWorld(t, e)
		hr := e.SignIn(t, authz.HR)

		status, body := e.Get(t, hr, "/cases")
		page := jcPage(t, "empty list", status, http.StatusOK, body)
		jcHas(t, "empty list", page, "There are no cases for you to see", "Formal action is a last resort", `href="/cases/new"`)

		status, body = e.Get(t, hr, "/cases/new")
		page = jcPage(t, "open form", status, http.StatusOK, body)
		jcHas(t, "open form", page, "Formal action is a last resort", "Disciplinary", "Grievance", `name="person"`)

		// Bad input: the error summary in page order, the typing kept.
		res, body := e.PostForm(t, hr, "/cases", url.Values{"type": {"disciplinary"}, "person": {"E9999"}, "summary": {""},
			"report": {"SE-NOT-THERE"}, "hr_adviser": {"nobody@test.example"}})
		page = jcPage(t, "bad open", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "bad open", page, "<title>Error: ", "There is a problem", `href="#person"`, `href="#summary"`, `href="#report"`,
			`href="#hr_adviser"`, `value="E9999"`, `value="SE-NOT-THERE"`, `value="nobody@test.example"`)
		if strings.Index(page, `href="#person"`) > strings.Index(page, `href="#report"`) {
			t.Error("the error summary is not in page order")
		}

		loc := caseOpen(t, e, w, hr, "")
		status, body = e.Get(t, hr, "/cases")
		page = jcPage(t, "list", status, http.StatusOK, body)
		jcHas(t, "list", page, `href="`+loc+`"`, "Alex Nightingale", "Early concern", "1 case")
		status, body = e.Get(t, hr, "/cases?status=closed")
		jcLacks(t, "list of closed cases", jcPage(t, "closed list", status, http.StatusOK, body), `href="`+loc+`"`)
		status, body = e.Get(t, hr, "/cases?overdue=yes&type=grievance")
		jcHas(t, "filtered list", jcPage(t, "filtered list", status, http.StatusOK, body), "No cases match these filters")

		// Managers see the cases they manage; a manager opens a concern too.
		manager := e.SignIn(t, authz.Manager)
		status, body = e.Get(t, manager, "/cases")
		jcHas(t, "manager's list", jcPage(t, "manager's list", status, http.StatusOK, body), `href="`+loc+`"`, "Open an early concern")
		// A union rep sees no case until asked, and may not open one.
		rep := e.SignIn(t, authz.UnionRep)
		status, body = e.Get(t, rep, "/cases")
		page = jcPage(t, "rep's list", status, http.StatusOK, body)
		jcLacks(t, "rep's list", page, `href="`+loc+`"`, "Open an early concern")
		for _, role := range []authz.Role{authz.Admin, authz.Exec, authz.Staff, authz.Safety, authz.Guardian} {
			if status, _ := e.Get(t, e.SignIn(t, role), "/cases"); status != http.StatusForbidden {
				t.Errorf("%s lists cases: %d, want 403", role, status)
			}
		}
		if status, _ := e.Get(t, rep, "/cases/new"); status != http.StatusForbidden {
			t.Errorf("a union rep opens the form: %d, want 403", status)
		}
	})
}

func TestCasePagesByRole(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		w := newCaseWorld(t, e)
		hr := e.SignIn(t, authz.HR)
		loc := caseOpen(t, e, w, hr, "")
		jcPost(t, e, hr, loc+"/representative", caseDate(url.Values{"rep": {e.Users[authz.UnionRep].Email}}, "rep_requested_on", time.Now()))

		for _, row := range []struct {
			who  string
			c    *http.Client
			want int
		}{
			{"HR adviser", hr, 200}, {"ER lead", e.SignInAs(t, w.lead.Email, apptest.Password), 200},
			{"case manager", e.SignIn(t, authz.Manager), 200}, {"representative", e.SignIn(t, authz.UnionRep), 200},
			{"another HR adviser", e.SignInAs(t, w.hr2.Email, apptest.Password), 404},
			{"another manager", e.SignInAs(t, w.manager2.Email, apptest.Password), 404},
			{"another representative", e.SignInAs(t, w.rep2.Email, apptest.Password), 404},
			{"the employee, before access", e.SignInAs(t, w.employee.Email, apptest.Password), 404},
			{"another member of staff", e.SignIn(t, authz.Staff), 404},
			{"admin", e.SignIn(t, authz.Admin), 403}, {"executive", e.SignIn(t, authz.Exec), 403},
		} {
			status, body := e.Get(t, row.c, loc)
			if status != row.want {
				t.Errorf("%s opens the case: %d, want %d", row.who, status, row.want)
			}
			if row.want != 200 && strings.Contains(body, "without checking the drug chart") {
				t.Errorf("%s sees the concern", row.who)
			}
		}
		for _, path := range []string{"/checklist", "/formal", "/close"} {
			if status, _ := e.Get(t, hr, loc+path); status != 200 {
				t.Errorf("HR opens %s: %d", path, status)
			}
			if status, _ := e.Get(t, e.SignInAs(t, w.hr2.Email, apptest.Password), loc+path); status != 404 {
				t.Errorf("another HR adviser opens %s: %d, want 404", path, status)
			}
			if status, _ := e.Get(t, e.SignIn(t, authz.Admin), loc+path); status != 403 {
				t.Errorf("admin opens %s: %d, want 403", path, status)
			}
		}
		if status, _ := e.Get(t, hr, "/cases/999999"); status != 404 {
			t.Errorf("a case that does not exist: %d", status)
		}

		// What each sees.
		status, body := e.Get(t, hr, loc)
		page := jcPage(t, "HR's case", status, http.StatusOK, body)
		jcHas(t, "HR's case", page, "Before this can become formal", "Incomplete", "Add to the timeline", "People involved",
			"Give the employee access", "Trade union representative", "/cases/"+idOf(caseID(t, loc))+"/wellbeing",
			"/suspensions/new", "Close the case", e.Users[authz.UnionRep].Name)
		status, body = e.Get(t, e.SignIn(t, authz.UnionRep), loc)
		page = jcPage(t, "rep's case", status, http.StatusOK, body)
		jcHas(t, "rep's case", page, "Add a note for HR", `name="kind" value="rep_note"`)
		jcLacks(t, "rep's case", page, "Before this can become formal", "Give the employee access", "Save who handles the case")
		status, body = e.Get(t, e.SignIn(t, authz.Manager), loc)
		page = jcPage(t, "manager's case", status, http.StatusOK, body)
		jcHas(t, "manager's case", page, "Add to the timeline", "People involved")
		jcLacks(t, "manager's case", page, "Give the employee access", "Save who handles the case", "Add someone")
	})
}

func TestCaseFormalListsEveryUnmetPrecondition(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		w := newCaseWorld(t, e)
		hr := e.SignIn(t, authz.HR)
		loc := caseOpen(t, e, w, hr, w.event.Reference)
		hrP := &authz.Principal{UserID: e.Users[authz.HR].ID, Email: e.Users[authz.HR].Email, Roles: []authz.Role{authz.HR}}
		pre, err := e.App.Cases.Preconditions(context.Background(), hrP, caseID(t, loc))
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, p := range pre {
			names[p.Name] = true
		}
		for _, want := range []string{"facts_gathered", "just_culture_assessment", "second_signoff"} {
			if !names[want] {
				t.Fatalf("preconditions of a report-linked disciplinary case lack %s: %v", want, names)
			}
		}

		status, body := e.Get(t, hr, loc+"/formal")
		page := jcPage(t, "formal page", status, http.StatusOK, body)
		for _, p := range pre {
			jcHas(t, "formal page", page, p.Label)
		}
		jcHas(t, "formal page", page, "Make this case formal", "It cannot be the case's own HR adviser")
		jcLacks(t, "formal page", page, "Sign off the checklist")

		res, body := e.PostForm(t, hr, loc+"/formal", url.Values{})
		page = jcPage(t, "refused move", res.StatusCode, http.StatusConflict, body)
		jcHas(t, "refused move", page, "<title>Error: ", "There is a problem")
		summary := page[strings.Index(page, "nhsuk-error-summary"):strings.Index(page, "What must be true first")]
		for _, p := range pre {
			if p.Met {
				continue
			}
			jcHas(t, "error summary", summary, `href="#pre-`+p.Name+`"`, p.Label)
			jcHas(t, "formal page", page, `id="pre-`+p.Name+`"`)
		}
		// The just culture guide is one step away.
		jcHas(t, "refused move", page, "/assessments/new?report="+w.event.Reference)

		// An executive asked for the sign-off reads the preconditions, not the case.
		exec := e.SignIn(t, authz.Exec)
		status, body = e.Get(t, exec, loc+"/formal")
		page = jcPage(t, "executive's formal page", status, http.StatusOK, body)
		jcHas(t, "executive's formal page", page, "Sign off the checklist", pre[0].Label)
		jcLacks(t, "executive's formal page", page, "without checking the drug chart", "Make this case formal", "Ward 9")
	})
}

func TestCaseBadInputKeepsTyping(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		w := newCaseWorld(t, e)
		hr := e.SignIn(t, authz.HR)
		loc := caseOpen(t, e, w, hr, "")

		// Checklist: an impossible date, with everything typed kept.
		res, body := e.PostForm(t, hr, loc+"/checklist", url.Values{"facts_gathered": {"yes"}, "facts_summary": {"Drug chart read."},
			"employee_account_heard": {"yes"}, "employee_account_on-day": {"31"}, "employee_account_on-month": {"2"}, "employee_account_on-year": {"2026"},
			"allegations": {"Gave a second dose"}})
		page := jcPage(t, "bad checklist", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "bad checklist", page, `href="#employee_account_on-day"`, "must be a real date", "Drug chart read.", "Gave a second dose", `value="31"`)

		// Parties: the decision maker cannot be the investigator.
		jcPost(t, e, hr, loc+"/parties", url.Values{"party_role": {"investigator"}, "party_person": {"E3003"}})
		res, body = e.PostForm(t, hr, loc+"/parties", url.Values{"party_role": {"decision_maker"}, "party_person": {"E3003"}})
		page = jcPage(t, "decider is investigator", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "decider is investigator", page, "There is a problem", "cannot also be the decision maker", `value="E3003"`)
		res, body = e.PostForm(t, hr, loc+"/parties", url.Values{"party_role": {""}, "party_name": {"A visiting locum"}})
		page = jcPage(t, "party without role", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "party without role", page, `href="#party_role"`, `value="A visiting locum"`)

		// Timeline: a future date and no text.
		next := time.Now().AddDate(0, 0, 3)
		res, body = e.PostForm(t, hr, loc+"/entries", caseDate(url.Values{"kind": {"meeting"}, "title": {"Fact-finding meeting"}}, "occurred_on", next))
		page = jcPage(t, "bad entry", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "bad entry", page, `href="#occurred_on-day"`, `href="#body"`, `value="Fact-finding meeting"`, `value="`+next.Format("2")+`"`)

		// Representative: not a union representative.
		res, body = e.PostForm(t, hr, loc+"/representative", caseDate(url.Values{"rep": {w.contact.Email}}, "rep_requested_on", time.Now()))
		page = jcPage(t, "not a rep", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "not a rep", page, `href="#rep"`, "not a trade union representative", `value="`+w.contact.Email+`"`)

		// Assign: no such adviser.
		res, body = e.PostForm(t, hr, loc+"/assign", url.Values{"hr_adviser": {"gone@test.example"}, "manager": {""}})
		jcHas(t, "bad assign", jcPage(t, "bad assign", res.StatusCode, http.StatusUnprocessableEntity, body), `href="#hr_adviser"`, `value="gone@test.example"`)

		// Stage: not formal yet.
		res, body = e.PostForm(t, hr, loc+"/stage", caseDate(url.Values{"stage": {"hearing"}}, "started_on", time.Now()))
		jcHas(t, "stage of early concern", jcPage(t, "stage of early concern", res.StatusCode, http.StatusConflict, body), "still an early concern")

		// Close: nothing chosen.
		res, body = e.PostForm(t, hr, loc+"/close", caseDate(url.Values{"no_learning_reason": {""}, "learning-2-lesson": {"Handover sheet unclear"}}, "closed_on", time.Now()))
		page = jcPage(t, "bad close", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "bad close", page, `href="#outcome"`, `href="#learning-2-category"`, "Handover sheet unclear")

		// Documents: nothing chosen.
		res = caseUpload(t, e, hr, loc, "", nil)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("upload without a file: %d, want 422", res.StatusCode)
		}
	})
}

func TestCaseHappyPath(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		w := newCaseWorld(t, e)
		hr := e.SignIn(t, authz.HR)
		lead := e.SignInAs(t, w.lead.Email, apptest.Password)
		employee := e.SignInAs(t, w.employee.Email, apptest.Password)
		rep := e.SignIn(t, authz.UnionRep)
		today := time.Now()
		loc := caseOpen(t, e, w, hr, "")

		// The checklist, the people and the representative.
		jcPost(t, e, hr, loc+"/parties", url.Values{"party_role": {"investigator"}, "party_person": {"E3003"}})
		jcPost(t, e, hr, loc+"/parties", url.Values{"party_role": {"decision_maker"}, "party_person": {"E3004"}})
		jcPost(t, e, hr, loc+"/parties", url.Values{"party_role": {"witness"}, "party_name": {"A visiting locum"}})
		checklist := url.Values{"facts_gathered": {"yes"}, "facts_summary": {"Drug chart and the night coordinator's notes read; two colleagues spoken to."},
			"employee_account_heard":  {"yes"},
			"allegations":             {"On the night shift of 3 March, gave a second dose of morphine to the patient in bed 4 without checking the drug chart."},
			"alternatives_considered": {"A restorative conversation was held; the harm to the patient means a formal investigation is needed."},
			"investigator_conflicts":  {"None"}, "decision_maker_conflicts": {"None"}, "conflicts_declared": {"yes"},
			"wellbeing_contact": {w.contact.Email}, "union_rep_offered": {"yes"}}
		caseDate(checklist, "employee_account_on", today)
		caseDate(checklist, "union_rep_offered_on", today)
		jcPost(t, e, hr, loc+"/checklist", checklist)
		status, body := e.Get(t, hr, loc+"/checklist")
		jcHas(t, "saved checklist", jcPage(t, "saved checklist", status, http.StatusOK, body), "two colleagues spoken to", `value="`+w.contact.Email+`"`)
		jcPost(t, e, hr, loc+"/representative", caseDate(url.Values{"rep": {e.Users[authz.UnionRep].Email}}, "rep_requested_on", today))

		// The case waits on the lead's and executives' sign-off lists (by
		// reference, linking to the formal page). An adviser who is not the
		// lead signs nothing, so has no list; the executive's formal page
		// names the case.
		ref := caseReference(t, e, hr, loc)
		for _, who := range []struct {
			name string
			c    *http.Client
		}{{"lead", lead}, {"executive", e.SignIn(t, authz.Exec)}} {
			status, body := e.Get(t, who.c, "/cases/sign-off")
			page := jcPage(t, who.name+"'s sign-off list", status, http.StatusOK, body)
			if !strings.Contains(page, `href="`+loc+`/formal"`) || !strings.Contains(page, ref) {
				t.Errorf("%s's sign-off list does not link %s to its formal page", who.name, ref)
			}
		}
		if status, _ := e.Get(t, hr, "/cases/sign-off"); status != http.StatusNotFound {
			t.Errorf("an adviser who is not the lead: sign-off list status %d, want 404", status)
		}
		status, body = e.Get(t, e.SignIn(t, authz.Exec), loc+"/formal")
		jcHas(t, "executive's formal page", jcPage(t, "executive's formal page", status, http.StatusOK, body), ref)

		// Only the sign-off is missing; the lead gives it.
		status, body = e.Get(t, lead, loc+"/formal")
		page := jcPage(t, "lead's formal page", status, http.StatusOK, body)
		jcHas(t, "lead's formal page", page, "Sign off the checklist", "1 thing is still to do", "two colleagues spoken to")
		jcPost(t, e, lead, loc+"/signoff", url.Values{"signoff_note": {"Proportionate; the alternatives were tried."}})
		status, body = e.Get(t, hr, loc+"/formal")
		page = jcPage(t, "signed-off formal page", status, http.StatusOK, body)
		jcHas(t, "signed-off formal page", page, "Leah Lead signed off the checklist", "Proportionate; the alternatives were tried.", "Everything is in place")

		// The checklist now warns that saving a change clears the sign-off.
		status, body = e.Get(t, hr, loc+"/checklist")
		jcHas(t, "checklist after sign-off", jcPage(t, "checklist after sign-off", status, http.StatusOK, body), "the sign-off is cleared")

		loc2 := jcPost(t, e, hr, loc+"/formal", url.Values{})
		if loc2 != loc {
			t.Fatalf("the move to formal went to %q", loc2)
		}
		status, body = e.Get(t, hr, loc)
		page = jcPage(t, "formal case", status, http.StatusOK, body)
		jcHas(t, "formal case", page, "The case is now formal", "Formal", "Investigation", "Move to the next stage", "Disciplinary hearing")
		jcLacks(t, "formal case", page, "Before this can become formal")

		// Stage.
		res, body := e.PostForm(t, hr, loc+"/stage", caseDate(url.Values{"stage": {""}}, "started_on", today))
		jcHas(t, "no stage", jcPage(t, "no stage", res.StatusCode, http.StatusUnprocessableEntity, body), `href="#stage"`)
		jcPost(t, e, hr, loc+"/stage", caseDate(url.Values{"stage": {"hearing"}}, "started_on", today))
		status, body = e.Get(t, hr, loc)
		jcHas(t, "after stage", jcPage(t, "after stage", status, http.StatusOK, body), "Current stage", "Disciplinary hearing, started")

		// Timeline: an update shared with the employee, an HR note, a rep's note and a manager's meeting.
		jcPost(t, e, hr, loc+"/entries", caseDate(url.Values{"kind": {"update"}, "title": {"Hearing date set"},
			"body": {"Your hearing will be on Friday. Your representative has the papers."}, "visible": {"yes"}}, "occurred_on", today))
		jcPost(t, e, hr, loc+"/entries", caseDate(url.Values{"kind": {"note"}, "title": {"Internal"}, "body": {"HR-only thinking about the hearing panel."}}, "occurred_on", today))
		jcPost(t, e, rep, loc+"/entries", caseDate(url.Values{"kind": {"rep_note"}, "body": {"Member asks for the hearing after 10am because of childcare."}}, "occurred_on", today))
		jcPost(t, e, e.SignIn(t, authz.Manager), loc+"/entries", caseDate(url.Values{"kind": {"meeting"}, "body": {"Met Alex to agree support."}}, "occurred_on", today))
		if res := caseUpload(t, e, hr, loc, "invite letter.txt", []byte("Invitation to a disciplinary hearing.\n")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d", res.StatusCode)
		}
		status, body = e.Get(t, hr, loc)
		page = jcPage(t, "timeline", status, http.StatusOK, body)
		jcHas(t, "timeline", page, "Your hearing will be on Friday", "HR-only thinking", "after 10am because of childcare", "Met Alex to agree support", "invite letter.txt")
		docHref := firstMatch(t, page, loc+`/documents/[0-9]+`)
		res, err := hr.Get(e.URL(docHref))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Disposition") != `attachment; filename="invite letter.txt"; filename*=UTF-8''invite%20letter.txt` ||
			res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Content-Security-Policy") != "default-src 'none'; sandbox" {
			t.Errorf("download: %d %v", res.StatusCode, res.Header)
		}

		// The employee, once given access, sees only what is shared.
		status, body = e.Get(t, employee, "/my-cases")
		jcLacks(t, "my cases before access", jcPage(t, "my cases before access", status, http.StatusOK, body), `href="`+loc+`"`)
		jcPost(t, e, hr, loc+"/employee-access", url.Values{"allow": {"yes"}})
		status, body = e.Get(t, employee, "/my-cases")
		jcHas(t, "my cases", jcPage(t, "my cases", status, http.StatusOK, body), `href="`+loc+`"`)
		status, body = e.Get(t, employee, loc)
		page = jcPage(t, "employee's case", status, http.StatusOK, body)
		jcHas(t, "employee's case", page, "Your case", "Your hearing will be on Friday")
		jcLacks(t, "employee's case", page, "HR-only thinking", "childcare", "invite letter.txt", "Add to the timeline", "People involved", "Ivy Investigator")
		if status, _ := e.Get(t, employee, docHref); status != http.StatusNotFound {
			t.Errorf("the employee downloads an unshared document: %d, want 404", status)
		}

		// Close, with a lesson; the learning log shows it without the case.
		status, body = e.Get(t, hr, loc+"/close")
		jcHas(t, "close form", jcPage(t, "close form", status, http.StatusOK, body), "anonymised", "First written warning")
		jcPost(t, e, hr, loc+"/close", caseDate(url.Values{"outcome": {"first_written_warning"}, "learning-1-category": {"process"},
			"learning-1-lesson": {"Night shift drug checks need a second checker when the ward is short."}}, "closed_on", today))
		status, body = e.Get(t, hr, loc)
		page = jcPage(t, "closed case", status, http.StatusOK, body)
		jcHas(t, "closed case", page, "Closed", "First written warning")
		jcLacks(t, "closed case", page, "Add to the timeline", "Move to the next stage", "Save who handles the case")
		for _, c := range []*http.Client{hr, e.SignIn(t, authz.Exec)} {
			status, body = e.Get(t, c, "/cases/learning")
			page = jcPage(t, "learning log", status, http.StatusOK, body)
			jcHas(t, "learning log", page, "Night shift drug checks need a second checker", "Disciplinary")
			jcLacks(t, "learning log", page, "Alex Nightingale", loc)
		}
		if status, _ := e.Get(t, rep, "/cases/learning"); status != http.StatusNotFound {
			t.Errorf("a union rep who is not the staff-side lead reads the learning log: %d, want 404", status)
		}
		if status, _ := e.Get(t, e.SignIn(t, authz.Admin), "/cases/learning"); status != http.StatusForbidden {
			t.Errorf("admin reads the learning log: %d, want 403", status)
		}
	})
}

// caseReference reads a case's reference (ER-YYYY-NNNN) from its page.
func caseReference(t *testing.T, e *apptest.Env, c *http.Client, loc string) string {
	t.Helper()
	status, body := e.Get(t, c, loc)
	if status != http.StatusOK {
		t.Fatalf("GET %s = %d", loc, status)
	}
	ref := regexp.MustCompile(`ER-\d{4}-\d{4}`).FindString(body)
	if ref == "" {
		t.Fatalf("no reference on %s", loc)
	}
	return ref
}
