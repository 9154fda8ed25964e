package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"candour/internal/account"
	"candour/internal/app/apptest"
	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/localtime"
	"candour/internal/org"
)

// cwsWorld is a disciplinary case about a nurse, handled by the test HR
// user and managed by the test manager, with a second HR adviser who does
// not handle it, a second manager who does not manage it, and two more
// executives.
type cwsWorld struct {
	caseID          int64
	casePath        string
	reference       string
	employee        org.Person
	otherHR         account.User
	otherManager    account.User
	exec2, nonExec  account.User
	summary         string
	today           time.Time
	hrP, managerP   *authz.Principal
	otherHRP        *authz.Principal
	witnessPartyID  int64
	witnessName     string
	hrClient        *http.Client
	managerClient   *http.Client
	executiveClient *http.Client
}

func cwsPrincipal(u account.User) *authz.Principal {
	return &authz.Principal{UserID: u.ID, Email: u.Email, Name: u.Name, Roles: u.Roles}
}

func newCWSWorld(t *testing.T, e *apptest.Env) *cwsWorld {
	t.Helper()
	ctx := context.Background()
	site, err := e.App.Org.CreateSite(ctx, jcActor, org.Site{Code: "NGH", Name: "Northfield General Hospital"})
	if err != nil {
		t.Fatal(err)
	}
	ward, err := e.App.Org.CreateDepartment(ctx, jcActor, org.Department{SiteID: site.ID, Code: "W4", Name: "Ward 4", Kind: "ward"})
	if err != nil {
		t.Fatal(err)
	}
	w := &cwsWorld{summary: "Medicines round records do not match the stock count on three night shifts.",
		today: localtime.Today(time.Now()), witnessName: "Sam Witness"}
	w.employee, err = e.App.Org.SavePerson(ctx, jcActor, org.Person{EmployeeNumber: "E3001", Name: "Jordan Ellis", DepartmentID: ward.ID,
		StaffGroup: "nursing_midwifery", JobTitle: "Staff Nurse", StartDate: "2019-04-01"})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(email, name string, roles ...authz.Role) account.User {
		u, err := e.App.Accounts.Create(ctx, jcActor, account.NewUser{Email: email, Name: name, Roles: roles, Password: apptest.Password})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	w.otherHR = mk("other.hr@test.example", "Olive Otherhr", authz.HR)
	w.otherManager = mk("other.manager@test.example", "Oscar Othermanager", authz.Manager)
	w.exec2 = mk("second.exec@test.example", "Priya Second", authz.Exec)
	w.nonExec = mk("nonexec@test.example", "Nadia Nonexec", authz.Exec)
	w.hrP, w.managerP, w.otherHRP = cwsPrincipal(e.Users[authz.HR]), cwsPrincipal(e.Users[authz.Manager]), cwsPrincipal(w.otherHR)

	c, err := e.App.Cases.Open(ctx, w.hrP, casework.OpenInput{Type: string(casework.Disciplinary), Person: "E3001",
		Summary: w.summary, Manager: e.Users[authz.Manager].Email})
	if err != nil {
		t.Fatal(err)
	}
	w.caseID, w.reference, w.casePath = c.ID, c.Reference, "/cases/"+strconv.FormatInt(c.ID, 10)
	pt, err := e.App.Cases.AddParty(ctx, w.hrP, c.ID, casework.PartyInput{Role: casework.RoleWitness, Name: w.witnessName})
	if err != nil {
		t.Fatal(err)
	}
	w.witnessPartyID = pt.ID
	w.hrClient, w.managerClient, w.executiveClient = e.SignIn(t, authz.HR), e.SignIn(t, authz.Manager), e.SignIn(t, authz.Exec)
	return w
}

// cwsDate puts t into the day, month and year boxes of the date input name.
func cwsDate(v url.Values, name string, t time.Time) url.Values {
	v.Set(name+"-day", strconv.Itoa(t.Day()))
	v.Set(name+"-month", strconv.Itoa(int(t.Month())))
	v.Set(name+"-year", strconv.Itoa(t.Year()))
	return v
}

// cwsProposal is a complete, valid proposal to suspend from today.
func cwsProposal(today time.Time) url.Values {
	v := url.Values{"kind": {"suspension"},
		"reason":              {"Controlled drugs are unaccounted for and the investigation needs the records untouched."},
		"alt_redeployment":    {"Every ward area handles controlled drugs; there is no post without access."},
		"alt_modified_duties": {"Tried for a week: the ward cannot staff nights without the nurse giving medicines."},
		"alt_supervision":     {"A second checker on every round was not possible with current staffing."}}
	cwsDate(v, "starts_on", today)
	return cwsDate(v, "review_on", today.AddDate(0, 0, 7))
}

var cwsSuspensionLink = regexp.MustCompile(`^/suspensions/([0-9]+)$`)

func TestCaseworkDesignationsPage(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		admin := e.SignIn(t, authz.Admin)
		status, body := e.Get(t, admin, "/admin/casework")
		page := jcPage(t, "designations", status, http.StatusOK, body)
		jcHas(t, "designations", page, "Employee relations lead", "Non-executive reviewer of suspensions", "Staff-side lead",
			"gives the second sign-off", "sees every suspension and exclusion", "partnership view", "Nobody has been named yet")

		// Someone without the matching role is refused, clearly, with
		// what was typed kept.
		staff := e.Users[authz.Staff]
		res, body := e.PostForm(t, admin, "/admin/casework/designations", url.Values{"designation": {"er_lead"}, "email": {staff.Email}})
		page = jcPage(t, "designate staff", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "designate staff", page, "<title>Error: ", "There is a problem", `href="#email"`, staff.Name+" cannot be the employee relations lead",
			"HR", `value="`+staff.Email+`"`, `value="er_lead" checked`)
		res, body = e.PostForm(t, admin, "/admin/casework/designations", url.Values{})
		page = jcPage(t, "designate nothing", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "designate nothing", page, `href="#designation"`, `href="#email"`)

		hr := e.Users[authz.HR]
		loc := jcPost(t, e, admin, "/admin/casework/designations", url.Values{"designation": {"er_lead"}, "email": {hr.Email}})
		status, body = e.Get(t, admin, loc)
		page = jcPage(t, "designated", status, http.StatusOK, body)
		jcHas(t, "designated", page, hr.Name+" is now the employee relations lead", hr.Email, "Remove")

		// Removing it takes them off the list.
		jcPost(t, e, admin, "/admin/casework/designations/remove", url.Values{"user_id": {strconv.FormatInt(hr.ID, 10)}, "designation": {"er_lead"}})
		status, body = e.Get(t, admin, "/admin/casework")
		page = jcPage(t, "removed", status, http.StatusOK, body)
		jcHas(t, "removed", page, hr.Name+" is no longer the employee relations lead")
		jcLacks(t, "removed", page, hr.Email)

		for _, role := range []authz.Role{authz.HR, authz.Exec, authz.UnionRep, authz.Staff} {
			if status, _ := e.Get(t, e.SignIn(t, role), "/admin/casework"); status != http.StatusForbidden {
				t.Errorf("%s reads the designations page: %d, want 403", role, status)
			}
		}
	})
}

func TestSuspensionPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		w := newCWSWorld(t, e)
		hr := w.hrClient
		newPath := w.casePath + "/suspensions/new"

		status, body := e.Get(t, hr, newPath)
		page := jcPage(t, "propose form", status, http.StatusOK, body)
		jcHas(t, "propose form", page, "last resort", "NHS Improvement", "two executives agree", "at least every 14 days",
			"non-executive director", "Redeployment: why is this not enough?", "Modified duties", "Closer supervision", "No more than 14 days")

		// Only the case's HR handler proposes one.
		if status, _ := e.Get(t, e.SignInAs(t, w.otherHR.Email, apptest.Password), newPath); status != http.StatusNotFound {
			t.Errorf("HR not handling the case opens the proposal form: %d, want 404", status)
		}
		for _, c := range []*http.Client{w.managerClient, w.executiveClient, e.SignIn(t, authz.Admin)} {
			if status, _ := e.Get(t, c, newPath); status != http.StatusForbidden {
				t.Errorf("a non-HR role opens the proposal form: %d, want 403", status)
			}
		}

		// Bad dates and missing alternatives: every problem listed, typing kept.
		bad := url.Values{"kind": {"suspension"}, "reason": {"Risk to patients"}, "alt_redeployment": {"No suitable post"},
			"starts_on-day": {"31"}, "starts_on-month": {"2"}, "starts_on-year": {"2026"},
			"review_on-day": {"5"}, "review_on-month": {""}, "review_on-year": {"2026"}}
		res, body := e.PostForm(t, hr, w.casePath+"/suspensions", bad)
		page = jcPage(t, "bad proposal", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "bad proposal", page, "<title>Error: ", `href="#alt_modified_duties"`, `href="#alt_supervision"`, `href="#starts_on-day"`,
			`href="#review_on-day"`, "The start date must be a real date", "The review date must include a month",
			`value="31"`, "No suitable post", "Risk to patients", `value="suspension" checked`)
		// The summary lists problems in page order.
		if strings.Index(page, `href="#alt_supervision"`) > strings.Index(page, `href="#starts_on-day"`) {
			t.Error("the error summary does not follow the order of the page")
		}
		tooFar := cwsDate(cwsProposal(w.today), "review_on", w.today.AddDate(0, 0, 20))
		res, body = e.PostForm(t, hr, w.casePath+"/suspensions", tooFar)
		page = jcPage(t, "review too far", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "review too far", page, `href="#review_on-day"`, "no more than 14 days away", `value="`+strconv.Itoa(w.today.AddDate(0, 0, 20).Day())+`"`)

		loc := jcPost(t, e, hr, w.casePath+"/suspensions", cwsProposal(w.today))
		m := cwsSuspensionLink.FindStringSubmatch(loc)
		if m == nil {
			t.Fatalf("proposal went to %q", loc)
		}
		sPath := loc
		status, body = e.Get(t, hr, sPath)
		page = jcPage(t, "proposed (HR)", status, http.StatusOK, body)
		jcHas(t, "proposed (HR)", page, "Suspension proposed", "Waiting for two executives", "Jordan Ellis", `href="`+w.casePath+`"`,
			"Every ward area handles controlled drugs", "0 of 2 executives have agreed")
		jcLacks(t, "proposed (HR)", page, "Record your decision")
		// A second one cannot be proposed while this one waits.
		status, body = e.Get(t, hr, newPath)
		jcHas(t, "second proposal", jcPage(t, "second proposal", status, http.StatusOK, body), "A case can have only one at a time", `href="`+sPath+`"`)

		// The executive sees it waiting, without the case.
		status, body = e.Get(t, w.executiveClient, "/suspensions")
		page = jcPage(t, "executive list", status, http.StatusOK, body)
		jcHas(t, "executive list", page, "Waiting for your decision", "Jordan Ellis", `href="`+sPath+`"`)
		status, body = e.Get(t, w.executiveClient, sPath)
		page = jcPage(t, "executive view", status, http.StatusOK, body)
		jcHas(t, "executive view", page, "Record your decision", w.reference, "Nursing", "Controlled drugs are unaccounted for")
		jcLacks(t, "executive view", page, `href="`+w.casePath, w.summary)

		// Declining needs a reason; the choice is kept.
		res, body = e.PostForm(t, w.executiveClient, sPath+"/decision", url.Values{"decision": {"decline"}})
		page = jcPage(t, "decline without reason", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "decline without reason", page, `href="#reason"`, "Say why you are declining the suspension", `value="decline" checked`)
		res, body = e.PostForm(t, w.executiveClient, sPath+"/decision", url.Values{})
		jcHas(t, "no decision", jcPage(t, "no decision", res.StatusCode, http.StatusUnprocessableEntity, body), `href="#decision"`)

		// Two executives agreeing puts it in place.
		jcPost(t, e, w.executiveClient, sPath+"/decision", url.Values{"decision": {"approve"}})
		status, body = e.Get(t, w.executiveClient, sPath)
		page = jcPage(t, "one approval", status, http.StatusOK, body)
		jcHas(t, "one approval", page, "One more executive must agree", "1 of 2 executives have agreed", "You have decided on this suspension")
		jcLacks(t, "one approval", page, "Record your decision")
		exec2 := e.SignInAs(t, w.exec2.Email, apptest.Password)
		jcPost(t, e, exec2, sPath+"/decision", url.Values{"decision": {"approve"}, "reason": {"Keep in touch weekly."}})
		status, body = e.Get(t, exec2, sPath)
		page = jcPage(t, "active", status, http.StatusOK, body)
		jcHas(t, "active", page, "Two executives have agreed", "In place", "Priya Second", "Keep in touch weekly.", "Days so far")
		status, body = e.Get(t, exec2, "/suspensions")
		page = jcPage(t, "second executive list", status, http.StatusOK, body)
		jcHas(t, "second executive list", page, "Decided by you", "Nothing is waiting for your decision")

		// Nobody else reaches it: the administrator and managers are
		// refused by role, other HR are told it does not exist.
		for _, c := range []*http.Client{e.SignIn(t, authz.Admin), w.managerClient} {
			for _, p := range []string{sPath, "/suspensions"} {
				if status, _ := e.Get(t, c, p); status != http.StatusForbidden {
					t.Errorf("GET %s by admin or manager: %d, want 403", p, status)
				}
			}
		}
		otherHR := e.SignInAs(t, w.otherHR.Email, apptest.Password)
		if status, _ := e.Get(t, otherHR, sPath); status != http.StatusNotFound {
			t.Errorf("HR not handling the case reads the suspension: %d, want 404", status)
		}
		status, body = e.Get(t, otherHR, "/suspensions")
		jcLacks(t, "other HR list", jcPage(t, "other HR list", status, http.StatusOK, body), "Jordan Ellis")
		if status, _ := e.Get(t, hr, "/suspensions/999999"); status != http.StatusNotFound {
			t.Errorf("a suspension that does not exist: %d, want 404", status)
		}

		// HR reviews it: a bad next review date keeps what was typed.
		review := cwsDate(url.Values{"review-decision": {"continue"}, "review-notes": {"Investigation interviews this week."}}, "review-held_on", w.today)
		tooLate := w.today.AddDate(0, 0, 30)
		res, body = e.PostForm(t, hr, sPath+"/review", cwsDate(review, "review-next_review_on", tooLate))
		page = jcPage(t, "review too far", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "review too far", page, `href="#review-next_review_on-day"`, "no more than 14 days after this one",
			"Investigation interviews this week.", `value="continue" checked`, `value="`+strconv.Itoa(tooLate.Year())+`"`)
		res, body = e.PostForm(t, hr, sPath+"/review", url.Values{"review-held_on-day": {"40"}, "review-held_on-month": {"1"}, "review-held_on-year": {"2026"}})
		page = jcPage(t, "review bad date", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "review bad date", page, `href="#review-held_on-day"`, "The date of the review must be a real date", `href="#review-decision"`, `value="40"`)
		next := w.today.AddDate(0, 0, 10)
		jcPost(t, e, hr, sPath+"/review", cwsDate(review, "review-next_review_on", next))
		status, body = e.Get(t, hr, sPath)
		page = jcPage(t, "reviewed", status, http.StatusOK, body)
		jcHas(t, "reviewed", page, "The next review is due by", "Continues", "Investigation interviews this week.", next.Format("2 January 2006"))
		status, body = e.Get(t, hr, "/suspensions")
		jcHas(t, "HR list", jcPage(t, "HR list", status, http.StatusOK, body), "On cases you handle", "Jordan Ellis", "In place")

		// The non-executive reviewer sees every suspension and records a
		// review; an executive who is not the reviewer cannot.
		admin := e.SignIn(t, authz.Admin)
		jcPost(t, e, admin, "/admin/casework/designations", url.Values{"designation": {"nonexec_reviewer"}, "email": {w.nonExec.Email}})
		reviewer := e.SignInAs(t, w.nonExec.Email, apptest.Password)
		status, body = e.Get(t, reviewer, "/suspensions")
		page = jcPage(t, "reviewer list", status, http.StatusOK, body)
		jcHas(t, "reviewer list", page, "You are the non-executive reviewer", "Every suspension and exclusion", "Jordan Ellis")
		status, body = e.Get(t, reviewer, sPath)
		page = jcPage(t, "reviewer view", status, http.StatusOK, body)
		jcHas(t, "reviewer view", page, "Record your review", "has not recorded a review yet")
		jcLacks(t, "reviewer view", page, w.summary, `href="`+w.casePath)
		res, body = e.PostForm(t, reviewer, sPath+"/oversight", url.Values{"comments": {"  "}})
		jcHas(t, "empty oversight", jcPage(t, "empty oversight", res.StatusCode, http.StatusUnprocessableEntity, body), `href="#comments"`)
		jcPost(t, e, reviewer, sPath+"/oversight", url.Values{"comments": {"Alternatives were weighed. Keep reviews weekly."}})
		status, body = e.Get(t, hr, sPath)
		jcHas(t, "oversight seen by HR", jcPage(t, "oversight seen by HR", status, http.StatusOK, body), "Alternatives were weighed. Keep reviews weekly.", "Nadia Nonexec")
		if res, _ := e.PostForm(t, w.executiveClient, sPath+"/oversight", url.Values{"comments": {"Not mine to give"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("an executive who is not the reviewer records oversight: %d, want 404", res.StatusCode)
		}
		status, body = e.Get(t, w.executiveClient, sPath)
		jcLacks(t, "executive after decision", jcPage(t, "executive after decision", status, http.StatusOK, body), "Record your review")

		// Ending it at a review.
		jcPost(t, e, hr, sPath+"/review", cwsDate(url.Values{"review-decision": {"end"}, "review-notes": {"Returned on modified duties."}}, "review-held_on", w.today))
		status, body = e.Get(t, hr, sPath)
		page = jcPage(t, "ended", status, http.StatusOK, body)
		jcHas(t, "ended", page, "Ended", "Total days", "Returned on modified duties.")
		jcLacks(t, "ended", page, "Record a review")
	})
}

func TestSuspensionDeclined(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		w := newCWSWorld(t, e)
		// The non-executive reviewer sees the proposal but is never asked to
		// decide it: no form, and a sentence saying why.
		admin := e.SignIn(t, authz.Admin)
		jcPost(t, e, admin, "/admin/casework/designations", url.Values{"designation": {"nonexec_reviewer"}, "email": {w.nonExec.Email}})
		loc := jcPost(t, e, w.hrClient, w.casePath+"/suspensions", cwsProposal(w.today))
		reviewer := e.SignInAs(t, w.nonExec.Email, apptest.Password)
		status, body := e.Get(t, reviewer, "/suspensions")
		page := jcPage(t, "reviewer's list", status, http.StatusOK, body)
		jcHas(t, "reviewer's list", page, "Every suspension and exclusion")
		jcLacks(t, "reviewer's list", page, "Waiting for your decision")
		status, body = e.Get(t, reviewer, loc)
		page = jcPage(t, "reviewer's view of a proposal", status, http.StatusOK, body)
		jcHas(t, "reviewer's view of a proposal", page, "as the non-executive reviewer, so two other executives decide on it")
		jcLacks(t, "reviewer's view of a proposal", page, `action="`+loc+`/decision"`)

		res, body := e.PostForm(t, w.executiveClient, loc+"/decision", url.Values{"decision": {"decline"}, "reason": {"Supervision has not been tried properly."}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("decline: %d\n%s", res.StatusCode, body)
		}
		status, body = e.Get(t, w.hrClient, loc)
		page = jcPage(t, "declined", status, http.StatusOK, body)
		jcHas(t, "declined", page, "Declined", "Supervision has not been tried properly.")
		// A second executive can no longer decide.
		exec2 := e.SignInAs(t, w.exec2.Email, apptest.Password)
		res, body = e.PostForm(t, exec2, loc+"/decision", url.Values{"decision": {"approve"}})
		page = jcPage(t, "decide declined", res.StatusCode, http.StatusConflict, body)
		jcHas(t, "decide declined", page, `href="#decision-heading"`, "no longer waiting for a decision")
		// A new proposal is possible again.
		status, body = e.Get(t, w.hrClient, w.casePath+"/suspensions/new")
		jcHas(t, "propose again", jcPage(t, "propose again", status, http.StatusOK, body), "Propose it to the executives")
	})
}

var cwsWellbeingID = regexp.MustCompile(`action="/cases/[0-9]+/wellbeing/([0-9]+)/contacts" novalidate>\s*<h3>Log a contact with ([^<]+)</h3>`)

func TestCaseWellbeingPage(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		w := newCWSWorld(t, e)
		hr, wbPath := w.hrClient, w.casePath+"/wellbeing"

		status, body := e.Get(t, hr, wbPath)
		page := jcPage(t, "no contacts", status, http.StatusOK, body)
		jcHas(t, "no contacts", page, "No wellbeing contact has been named yet", "Name a wellbeing contact", "Jordan Ellis", w.witnessName,
			`name="frequency_days" type="text" value="7"`, `value="employee" checked`)

		// Mistakes: every problem listed, typing kept.
		res, body := e.PostForm(t, hr, wbPath, url.Values{"party": {"employee"}, "contact": {"nobody@test.example"}, "frequency_days": {"weekly"}})
		page = jcPage(t, "bad contact", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "bad contact", page, "<title>Error: ", `href="#contact"`, `href="#frequency_days"`, `value="nobody@test.example"`, `value="weekly"`)

		staff := e.Users[authz.Staff]
		loc := jcPost(t, e, hr, wbPath, url.Values{"party": {"employee"}, "contact": {staff.Email}, "frequency_days": {"7"}})
		if !strings.HasPrefix(loc, wbPath+"#wellbeing-") {
			t.Fatalf("named a contact and went to %q", loc)
		}
		jcPost(t, e, hr, wbPath, url.Values{"party": {strconv.FormatInt(w.witnessPartyID, 10)}, "contact": {w.otherHR.Email}, "frequency_days": {"14"}})
		status, body = e.Get(t, hr, wbPath)
		page = jcPage(t, "contacts", status, http.StatusOK, body)
		jcHas(t, "contacts", page, "is now the wellbeing contact for", "Jordan Ellis (the employee)", w.witnessName+" (witness)",
			staff.Name, "Olive Otherhr", "7 days", "14 days", "No contacts logged yet")
		jcLacks(t, "contacts", page, "Contact overdue")
		ids := cwsWellbeingID.FindAllStringSubmatch(page, -1)
		if len(ids) != 2 || ids[0][2] != "Jordan Ellis (the employee)" || ids[1][2] != w.witnessName+" (witness)" {
			t.Fatalf("log forms %v, want the employee's then the witness's", ids)
		}
		wid := ids[0][1]
		prefix := "w" + wid + "-"

		// Logging a contact: a bad date keeps what was typed and points
		// at the right form's date.
		bad := url.Values{prefix + "contacted_on-day": {"3"}, prefix + "contacted_on-month": {"13"}, prefix + "contacted_on-year": {"2026"},
			prefix + "notes": {"Talked about sleep and support"}}
		res, body = e.PostForm(t, hr, wbPath+"/"+wid+"/contacts", bad)
		page = jcPage(t, "bad contact date", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "bad contact date", page, `href="#`+prefix+`contacted_on-day"`, `href="#`+prefix+`method"`, "must be a real date",
			`value="13"`, "Talked about sleep and support")
		future := w.today.AddDate(0, 0, 3)
		res, body = e.PostForm(t, hr, wbPath+"/"+wid+"/contacts", cwsDate(url.Values{prefix + "method": {"phone"}}, prefix+"contacted_on", future))
		page = jcPage(t, "future contact", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "future contact", page, "cannot be in the future", `value="phone" checked`)

		jcPost(t, e, hr, wbPath+"/"+wid+"/contacts", cwsDate(url.Values{prefix + "method": {"phone"}, prefix + "notes": {"Talked about sleep and support"},
			prefix + "oh_referral": {"yes"}}, prefix+"contacted_on", w.today))
		status, body = e.Get(t, hr, wbPath)
		page = jcPage(t, "logged", status, http.StatusOK, body)
		jcHas(t, "logged", page, "Contact logged", "Phone", "Talked about sleep and support", "Occupational health referral", w.today.Format("2 January 2006"))

		// Naming someone new for the witness replaces their contact; the
		// old one and its log are kept below.
		jcPost(t, e, hr, wbPath, url.Values{"party": {strconv.FormatInt(w.witnessPartyID, 10)}, "contact": {e.Users[authz.Guardian].Email}, "frequency_days": {"14"}})
		status, body = e.Get(t, hr, wbPath)
		page = jcPage(t, "replaced", status, http.StatusOK, body)
		earlier := page[strings.Index(page, "Earlier wellbeing contacts"):]
		jcHas(t, "earlier contacts", earlier, "Olive Otherhr", "Ended on")
		jcLacks(t, "earlier contacts", earlier, "Log a contact")
		if n := len(cwsWellbeingID.FindAllString(page, -1)); n != 2 {
			t.Errorf("%d log forms after replacing a contact, want 2", n)
		}

		// The case's manager sees the page and can log; others cannot.
		status, body = e.Get(t, w.managerClient, wbPath)
		page = jcPage(t, "manager view", status, http.StatusOK, body)
		jcHas(t, "manager view", page, "Talked about sleep and support", "Log a contact")
		jcLacks(t, "manager view", page, "Name a wellbeing contact")
		if res, _ := e.PostForm(t, w.managerClient, wbPath, url.Values{"party": {"employee"}, "contact": {staff.Email}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("the manager names a wellbeing contact: %d, want 404", res.StatusCode)
		}
		if status, _ := e.Get(t, e.SignInAs(t, w.otherManager.Email, apptest.Password), wbPath); status != http.StatusNotFound {
			t.Errorf("a manager of another case reads the wellbeing page: %d, want 404", status)
		}
		if status, _ := e.Get(t, e.SignInAs(t, w.otherHR.Email, apptest.Password), wbPath); status != http.StatusNotFound {
			t.Errorf("HR not handling the case reads the wellbeing page: %d, want 404", status)
		}
		for _, role := range []authz.Role{authz.Exec, authz.Admin, authz.Staff, authz.UnionRep} {
			if status, _ := e.Get(t, e.SignIn(t, role), wbPath); status != http.StatusForbidden {
				t.Errorf("%s reads the wellbeing page: %d, want 403", role, status)
			}
		}

		// Ten days on, the employee's contact has lapsed (logged today,
		// due every 7 days); the witness's (named today, every 14 days)
		// has not.
		e.App.Cases.Now = func() time.Time { return time.Now().AddDate(0, 0, 10) }
		defer func() { e.App.Cases.Now = time.Now }()
		status, body = e.Get(t, hr, wbPath)
		page = jcPage(t, "lapsed", status, http.StatusOK, body)
		jcHas(t, "lapsed", page, "Contact overdue", "Contact has lapsed")
		if n := strings.Count(page, ">Contact overdue<"); n != 1 {
			t.Errorf("%d contacts shown as overdue, want 1", n)
		}
	})
}

func TestCaseStagesPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		hr := e.SignIn(t, authz.HR)
		status, body := e.Get(t, hr, "/cases/stages")
		page := jcPage(t, "stages", status, http.StatusOK, body)
		jcHas(t, "stages", page, "Disciplinary", "Investigation", "42 days", "Employment tribunal", "Judgment", "No, can be skipped",
			"Only the employee relations lead can change them")
		jcLacks(t, "stages", page, `href="/cases/stages/disciplinary"`)

		// HR who is not the lead sees the stages but cannot change them.
		status, body = e.Get(t, hr, "/cases/stages/disciplinary")
		page = jcPage(t, "not lead", status, http.StatusOK, body)
		jcHas(t, "not lead", page, "Only the employee relations lead", "Investigation")
		jcLacks(t, "not lead", page, "Save the stages")
		if res, _ := e.PostForm(t, hr, "/cases/stages/disciplinary", url.Values{"rows": {"1"}, "stages-1-name": {"Everything"}, "stages-1-target_days": {"5"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("HR who is not the lead saves stages: %d, want 404", res.StatusCode)
		}

		admin := e.SignIn(t, authz.Admin)
		jcPost(t, e, admin, "/admin/casework/designations", url.Values{"designation": {"er_lead"}, "email": {e.Users[authz.HR].Email}})
		status, body = e.Get(t, hr, "/cases/stages")
		jcHas(t, "lead list", jcPage(t, "lead list", status, http.StatusOK, body), `href="/cases/stages/disciplinary"`)
		status, body = e.Get(t, hr, "/cases/stages/disciplinary")
		page = jcPage(t, "editor", status, http.StatusOK, body)
		jcHas(t, "editor", page, "Save the stages", `name="rows" value="4"`, `name="stages-1-code" value="investigation"`,
			`name="stages-1-name" type="text" value="Investigation"`, `name="stages-2-target_days" type="text" value="28"`, "Add a stage")

		// Errors stay with their row, and what was typed is kept.
		post := url.Values{"rows": {"4"},
			"stages-1-fixed": {"yes"}, "stages-1-code": {"investigation"}, "stages-1-name": {"Investigation"}, "stages-1-target_days": {"35"}, "stages-1-required": {"yes"},
			"stages-2-fixed": {"yes"}, "stages-2-code": {"hearing"}, "stages-2-name": {"Disciplinary hearing"}, "stages-2-target_days": {"soon"},
			"stages-3-fixed": {"yes"}, "stages-3-code": {"decision"}, "stages-3-name": {"Decision and outcome letter"}, "stages-3-target_days": {"7"}, "stages-3-required": {"yes"},
			"stages-4-name": {"Appeal window"}, "stages-4-target_days": {"10"}, "stages-4-code": {"Bad Code!"}}
		res, body := e.PostForm(t, hr, "/cases/stages/disciplinary", post)
		page = jcPage(t, "bad stages", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "bad stages", page, "<title>Error: ", `href="#stages-2-target_days"`, `href="#stages-4-code"`, `value="soon"`, `value="35"`,
			`value="Bad Code!"`, `value="Appeal window"`)
		jcLacks(t, "bad stages", page, `href="#stages-1-`)

		post.Set("stages-2-target_days", "21")
		post.Set("stages-4-code", "")
		post.Set("stages-2-remove", "yes")
		jcPost(t, e, hr, "/cases/stages/disciplinary", post)
		status, body = e.Get(t, hr, "/cases/stages")
		page = jcPage(t, "saved", status, http.StatusOK, body)
		jcHas(t, "saved", page, "The stages of disciplinary cases have been saved", "35 days", "Appeal window")
		defs, err := e.App.Cases.StageDefinitions(context.Background(), casework.Disciplinary)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, d := range defs {
			codes = append(codes, d.Code)
		}
		if got := strings.Join(codes, ","); got != "investigation,decision,appeal_window" {
			t.Errorf("stages now %s, want investigation,decision,appeal_window", got)
		}

		for _, role := range []authz.Role{authz.Manager, authz.Exec, authz.Admin, authz.UnionRep} {
			if status, _ := e.Get(t, e.SignIn(t, role), "/cases/stages"); status != http.StatusForbidden {
				t.Errorf("%s reads the stages: %d, want 403", role, status)
			}
		}
	})
}
