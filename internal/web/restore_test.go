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
	"candour/internal/org"
	"candour/internal/report"
)

// restoreWorld is a ward with a nurse involved in a fall, her line manager
// and a peer supporter, each able to sign in.
type restoreWorld struct {
	event                         report.Receipt
	nurse, supporter, lineManager account.User
	nurseNumber                   string
}

func newRestoreWorld(t *testing.T, e *apptest.Env) restoreWorld {
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
	lead, err := e.App.Org.SavePerson(ctx, jcActor, org.Person{EmployeeNumber: "E2001", Name: "Morgan Lead", DepartmentID: ward.ID,
		StaffGroup: "nursing_midwifery", JobTitle: "Ward Manager", StartDate: "2015-01-05"})
	if err != nil {
		t.Fatal(err)
	}
	nurse, err := e.App.Org.SavePerson(ctx, jcActor, org.Person{EmployeeNumber: "E2002", Name: "Alex Nightingale", DepartmentID: ward.ID,
		StaffGroup: "nursing_midwifery", JobTitle: "Staff Nurse", LineManagerID: lead.ID, StartDate: "2020-01-06"})
	if err != nil {
		t.Fatal(err)
	}
	w := restoreWorld{nurseNumber: nurse.EmployeeNumber}
	mk := func(email, name string, person int64, roles ...authz.Role) account.User {
		u, err := e.App.Accounts.Create(ctx, jcActor, account.NewUser{Email: email, Name: name, Roles: roles, Password: apptest.Password, PersonID: person})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	w.nurse = mk("alex.nightingale@test.example", "Alex Nightingale", nurse.ID, authz.Staff)
	w.supporter = mk("sam.peer@test.example", "Sam Peer", 0, authz.Staff)
	w.lineManager = mk("morgan.lead@test.example", "Morgan Lead", lead.ID, authz.Manager, authz.Staff)
	w.event, err = e.App.Reports.Submit(ctx, report.Submission{Kind: report.SafetyEvent, Mode: report.Anonymous, DepartmentID: ward.ID,
		OccurredOn: time.Now().AddDate(0, 0, -2).Format("2006-01-02"), Description: "A patient at high risk of falls fell at night in the bathroom.",
		EventType: "incident", PhysicalHarm: "low", PsychologicalHarm: "low"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestRestorativeRecordPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		w := newRestoreWorld(t, e)
		safety := e.SignIn(t, authz.Safety)

		status, body := e.Get(t, safety, "/restore")
		page := jcPage(t, "empty list", status, http.StatusOK, body)
		jcHas(t, "empty list", page, "There are no restorative records yet", "Sidney Dekker", "Mersey Care")

		// ?report= with the event's number fills in its reference.
		status, body = e.Get(t, safety, "/restore/new?report="+strings.TrimPrefix(idOf(w.event.ID), ""))
		page = jcPage(t, "new", status, http.StatusOK, body)
		jcHas(t, "new", page, `value="`+w.event.Reference+`"`)

		// Errors: an error summary linking to the input, what was typed kept.
		res, body := e.PostForm(t, safety, "/restore", url.Values{"report": {"SE-NOT-THERE"}})
		page = jcPage(t, "bad reference", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "bad reference", page, "There is a problem", `href="#report"`, "No patient safety event has the reference SE-NOT-THERE", `value="SE-NOT-THERE"`)
		res, body = e.PostForm(t, safety, "/restore", url.Values{"response_id": {"twelve"}})
		page = jcPage(t, "bad response", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "bad response", page, `href="#response_id"`, `value="twelve"`)

		loc := jcPost(t, e, safety, "/restore", url.Values{"report": {w.event.Reference}})
		if !strings.HasPrefix(loc, "/restore/") {
			t.Fatalf("created record at %q", loc)
		}
		status, body = e.Get(t, safety, loc)
		page = jcPage(t, "record", status, http.StatusOK, body)
		jcHas(t, "record", page, "Patient safety event "+w.event.Reference, "Who has been hurt", "Psychological first aid", "Moral engagement", "Reintegration of the practitioner")

		// A second record for the same event is refused.
		res, body = e.PostForm(t, safety, "/restore", url.Values{"report": {w.event.Reference}})
		jcHas(t, "second record", jcPage(t, "second record", res.StatusCode, http.StatusUnprocessableEntity, body), "already has a restorative record")

		// Add someone hurt: errors first, with typed values kept.
		res, body = e.PostForm(t, safety, loc+"/needs", url.Values{"description": {"The nurse in charge"}, "needs": {"Time to talk"}})
		page = jcPage(t, "need without who", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "need without who", page, `href="#who"`, "Choose who has been hurt", `value="The nurse in charge"`, "Time to talk")
		jcPost(t, e, safety, loc+"/needs", url.Values{"who": {"staff"}, "description": {"The nurse in charge that night"}, "needs": {"Time to talk; not to be blamed"}})
		jcPost(t, e, safety, loc+"/needs", url.Values{"who": {"patient"}, "description": {"The patient who fell"}})
		status, body = e.Get(t, safety, loc)
		page = jcPage(t, "record with needs", status, http.StatusOK, body)
		jcHas(t, "record with needs", page, "Staff involved (second victim): The nurse in charge that night", "Not identified yet", "2 named")

		// Change a need: mark it met without saying whose obligation it was.
		needHref := firstMatch(t, page, loc+`/needs/[0-9]+`)
		status, body = e.Get(t, safety, needHref)
		jcHas(t, "need page", jcPage(t, "need page", status, http.StatusOK, body), "Time to talk; not to be blamed")
		res, body = e.PostForm(t, safety, needHref, url.Values{"needs": {"Time to talk"}, "obligation": {""}, "met": {"yes"}})
		jcHas(t, "met without obligation", jcPage(t, "met without obligation", res.StatusCode, http.StatusUnprocessableEntity, body), `href="#obligation"`)
		jcPost(t, e, safety, needHref, url.Values{"needs": {"Time to talk"}, "obligation": {"Ward manager and peer supporter"}, "met": {"yes"}})

		// Goals: "achieved" needs a note; the choice is kept on error.
		res, body = e.PostForm(t, safety, loc+"/goals", url.Values{"moral_engagement": {"yes"}, "emotional_healing": {"no"}, "emotional_healing_note": {"Still hard"}})
		page = jcPage(t, "goal without note", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "goal without note", page, `href="#moral_engagement_note"`, "Say how moral engagement was achieved", "Still hard")
		jcPost(t, e, safety, loc+"/goals", url.Values{"moral_engagement": {"yes"}, "moral_engagement_note": {"Debrief held with the family"}})
		status, body = e.Get(t, safety, loc)
		page = jcPage(t, "record with goals", status, http.StatusOK, body)
		jcHas(t, "record with goals", page, "Debrief held with the family", "1 of 4", "1 of 2")

		status, body = e.Get(t, safety, "/restore")
		jcHas(t, "list", jcPage(t, "list", status, http.StatusOK, body), w.event.Reference, "1 of 2 met")

		// Nobody else reaches any of it.
		for _, role := range []authz.Role{authz.Manager, authz.HR, authz.Admin, authz.Guardian, authz.Staff} {
			c := e.SignIn(t, role)
			if status, _ := e.Get(t, c, loc); status != http.StatusForbidden {
				t.Errorf("%s reads a record: %d, want 403", role, status)
			}
		}
		if status, _ := e.Get(t, safety, "/restore/999999"); status != http.StatusNotFound {
			t.Errorf("missing record: %d", status)
		}
	})
}

func TestSupportPlanPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		w := newRestoreWorld(t, e)
		safety := e.SignIn(t, authz.Safety)

		res, body := e.PostForm(t, safety, "/support", url.Values{"person": {"E9999"}, "supporter": {"nobody@test.example"}, "frequency_days": {"often"},
			"offered": {"peer_support"}})
		page := jcPage(t, "bad frequency", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "bad frequency", page, `href="#frequency_days"`, `value="often"`, `value="E9999"`)
		res, body = e.PostForm(t, safety, "/support", url.Values{"person": {"E9999"}, "supporter": {"nobody@test.example"}, "frequency_days": {"7"}})
		page = jcPage(t, "bad person", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "bad person", page, `href="#person"`, `href="#supporter"`, "No one in the people directory")
		if strings.Index(page, `href="#person"`) > strings.Index(page, `href="#supporter"`) {
			t.Error("error summary is not in page order")
		}

		status, body := e.Get(t, safety, "/support/new?report="+idOf(w.event.ID))
		jcHas(t, "new plan", jcPage(t, "new plan", status, http.StatusOK, body), `value="`+w.event.Reference+`"`, `value="7"`)
		loc := jcPost(t, e, safety, "/support", url.Values{"person": {w.nurseNumber}, "supporter": {w.supporter.Email}, "frequency_days": {"7"},
			"offered": {"time_out", "peer_support"}, "offered_other": {"Swapped off nights for two weeks"}, "report": {w.event.Reference}})

		nurse := e.SignInAs(t, w.nurse.Email, apptest.Password)
		supporter := e.SignInAs(t, w.supporter.Email, apptest.Password)
		lineManager := e.SignInAs(t, w.lineManager.Email, apptest.Password)

		// The role table, through the pages.
		for _, row := range []struct {
			who  string
			c    *http.Client
			want int
		}{
			{"staff member", nurse, 200}, {"supporter", supporter, 200}, {"safety lead", safety, 200},
			{"line manager", lineManager, 404}, {"HR", e.SignIn(t, authz.HR), 404}, {"admin", e.SignIn(t, authz.Admin), 404},
			{"guardian", e.SignIn(t, authz.Guardian), 404}, {"another member of staff", e.SignIn(t, authz.Staff), 404},
		} {
			status, body := e.Get(t, row.c, loc)
			if status != row.want {
				t.Errorf("%s opens the plan: %d, want %d", row.who, status, row.want)
			}
			if row.want == 404 && strings.Contains(body, "Alex Nightingale") {
				t.Errorf("%s sees the staff member's name", row.who)
			}
			status, body = e.Get(t, row.c, "/support")
			if status != 200 || (row.want == 200) != strings.Contains(body, loc) {
				t.Errorf("%s's list: %d, lists the plan %v", row.who, status, strings.Contains(body, loc))
			}
		}

		status, body = e.Get(t, nurse, loc)
		page = jcPage(t, "nurse's plan", status, http.StatusOK, body)
		jcHas(t, "nurse's plan", page, "Your support plan", "Your line manager cannot", "Time out; Peer support; Swapped off nights for two weeks", `name="own_view"`)
		jcLacks(t, "nurse's plan", page, "Log a check-in", "Close the plan")
		status, body = e.Get(t, nurse, "/support")
		jcHas(t, "nurse's list", jcPage(t, "nurse's list", status, http.StatusOK, body), "Your support")

		// Check-ins: not in the future; the date kept on error.
		future := time.Now().AddDate(0, 0, 3)
		res, body = e.PostForm(t, supporter, loc+"/check-ins", url.Values{"held_on-day": {future.Format("2")}, "held_on-month": {future.Format("1")},
			"held_on-year": {future.Format("2006")}, "notes": {"Planned"}})
		page = jcPage(t, "future check-in", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "future check-in", page, `href="#held_on-day"`, "today or in the past", "Planned")
		res, body = e.PostForm(t, supporter, loc+"/check-ins", url.Values{"held_on-day": {"31"}, "held_on-month": {"2"}, "held_on-year": {"2026"}})
		jcHas(t, "impossible date", jcPage(t, "impossible date", res.StatusCode, http.StatusUnprocessableEntity, body), "must be a real date")
		today := time.Now()
		jcPost(t, e, supporter, loc+"/check-ins", url.Values{"held_on-day": {today.Format("2")}, "held_on-month": {today.Format("1")},
			"held_on-year": {today.Format("2006")}, "notes": {"Coffee after handover; sleeping better."}})
		res, _ = e.PostForm(t, nurse, loc+"/check-ins", url.Values{"held_on-day": {today.Format("2")}, "held_on-month": {today.Format("1")}, "held_on-year": {today.Format("2006")}})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("the staff member logs a check-in: %d, want 403", res.StatusCode)
		}

		// Own view: only the staff member.
		res, _ = e.PostForm(t, supporter, loc+"/own-view", url.Values{"own_view": {"Written by someone else"}})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("the supporter writes the own view: %d, want 403", res.StatusCode)
		}
		res, body = e.PostForm(t, nurse, loc+"/own-view", url.Values{"own_view": {strings.Repeat("long ", 900)}})
		jcHas(t, "long view", jcPage(t, "long view", res.StatusCode, http.StatusUnprocessableEntity, body), `href="#own_view"`, "4,000 characters or fewer")
		jcPost(t, e, nurse, loc+"/own-view", url.Values{"own_view": {"Talking to Sam has helped. I am ready to go back on nights."}})
		status, body = e.Get(t, supporter, loc)
		page = jcPage(t, "supporter's view", status, http.StatusOK, body)
		jcHas(t, "supporter's view", page, "I am ready to go back on nights", "Coffee after handover", "Log a check-in", "Close the plan")
		jcLacks(t, "supporter's view", page, `name="own_view"`)

		// Close, by the supporter; then it takes no more check-ins.
		res, _ = e.PostForm(t, nurse, loc+"/close", url.Values{})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("the staff member closes the plan: %d, want 403", res.StatusCode)
		}
		jcPost(t, e, supporter, loc+"/close", url.Values{})
		status, body = e.Get(t, safety, loc)
		page = jcPage(t, "closed plan", status, http.StatusOK, body)
		jcHas(t, "closed plan", page, "Closed")
		jcLacks(t, "closed plan", page, "Log a check-in")
		res, body = e.PostForm(t, supporter, loc+"/check-ins", url.Values{"held_on-day": {today.Format("2")}, "held_on-month": {today.Format("1")}, "held_on-year": {today.Format("2006")}})
		jcHas(t, "check-in on closed", jcPage(t, "check-in on closed", res.StatusCode, http.StatusConflict, body), "This support plan is closed")
	})
}

func idOf(n int64) string { return strconv.FormatInt(n, 10) }

// firstMatch returns the first match of pattern in page.
func firstMatch(t *testing.T, page, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindString(page)
	if m == "" {
		t.Fatalf("no %s in the page", pattern)
	}
	return m
}
