package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"candour/internal/account"
	"candour/internal/app/apptest"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/org"
	"candour/internal/report"
)

// lrFixture is a running candour with two safety events and a second member
// of the patient safety team to sign off.
type lrFixture struct {
	e        *apptest.Env
	events   []report.Receipt
	reviewer account.User
	nurse    account.User
}

func newLRFixture(t *testing.T, e *apptest.Env) *lrFixture {
	t.Helper()
	ctx := context.Background()
	actor := audit.Actor{Label: "test"}
	site, err := e.App.Org.CreateSite(ctx, actor, org.Site{Code: "NGH", Name: "Northfield General Hospital"})
	if err != nil {
		t.Fatal(err)
	}
	ward, err := e.App.Org.CreateDepartment(ctx, actor, org.Department{SiteID: site.ID, Code: "W9", Name: "Ward 9", Kind: "ward"})
	if err != nil {
		t.Fatal(err)
	}
	fx := &lrFixture{e: e}
	staff := e.Users[authz.Staff]
	p := &authz.Principal{UserID: staff.ID, Email: staff.Email, Name: staff.Name, Roles: staff.Roles}
	yesterday := time.Now().In(time.UTC).AddDate(0, 0, -2).Format("2006-01-02")
	for _, text := range []string{"A patient at high risk of falls fell at night; the bed alarm was off.", "A second fall on the same ward at night."} {
		rec, err := e.App.Reports.Submit(ctx, report.Submission{Kind: report.SafetyEvent, Mode: report.Anonymous, DepartmentID: ward.ID,
			OccurredOn: yesterday, OccurredTime: "02:30", Description: text, EventType: "incident", PhysicalHarm: "low", PsychologicalHarm: "none"}, p)
		if err != nil {
			t.Fatal(err)
		}
		fx.events = append(fx.events, rec)
	}
	if fx.reviewer, err = e.App.Accounts.Create(ctx, actor, account.NewUser{Email: "reviewer@test.example", Name: "Rita Reviewer",
		Roles: []authz.Role{authz.Safety}, Password: apptest.Password}); err != nil {
		t.Fatal(err)
	}
	if fx.nurse, err = e.App.Accounts.Create(ctx, actor, account.NewUser{Email: "nurse@test.example", Name: "Nadia Nurse",
		Roles: []authz.Role{authz.Staff}, Password: apptest.Password}); err != nil {
		t.Fatal(err)
	}
	return fx
}

// lrPost posts a form and returns the status, the Location and the page.
func lrPost(t *testing.T, e *apptest.Env, c *http.Client, path string, v url.Values) (int, string, string) {
	t.Helper()
	res, body := e.PostForm(t, c, path, v)
	return res.StatusCode, res.Header.Get("Location"), html.UnescapeString(body)
}

func lrGet(t *testing.T, e *apptest.Env, c *http.Client, path string, want int) string {
	t.Helper()
	status, body := e.Get(t, c, path)
	if status != want {
		t.Fatalf("GET %s: status %d, want %d\n%s", path, status, want, body)
	}
	return html.UnescapeString(body)
}

func lrHas(t *testing.T, what, page string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("%s does not contain %q", what, w)
		}
	}
}

func lrWant(t *testing.T, what string, got, want int, page string) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, got, want, page)
	}
}

func TestLearningPagesLifecycle(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		fx := newLRFixture(t, e)
		safety := e.SignIn(t, authz.Safety)
		ref := fx.events[0].Reference

		page := lrGet(t, e, safety, "/learning/new?report="+ref, http.StatusOK)
		lrHas(t, "new page", page, ">"+ref, "After action review", "Thematic review", "Start the learning response")

		// Nothing chosen: every problem in the summary, linked to its input.
		status, _, page := lrPost(t, e, safety, "/learning", url.Values{"reports": {""}, "title": {""}})
		lrWant(t, "empty form", status, http.StatusUnprocessableEntity, page)
		lrHas(t, "empty form", page, `href="#method"`, `href="#reports"`, `href="#title"`)

		status, _, page = lrPost(t, e, safety, "/learning", url.Values{"method": {"thematic"}, "reports": {ref}, "title": {"Falls at night"}})
		lrWant(t, "thematic with one event", status, http.StatusUnprocessableEntity, page)
		lrHas(t, "thematic with one event", page, "at least two", `value="Falls at night"`)

		// Blame language is a prompt, not a refusal.
		form := url.Values{"method": {"aar"}, "reports": {ref}, "title": {"Human error on Ward 9"}, "owner": {fmt.Sprint(e.Users[authz.Safety].ID)}}
		status, _, page = lrPost(t, e, safety, "/learning", form)
		lrWant(t, "blaming title", status, http.StatusOK, page)
		lrHas(t, "blaming title", page, "Check the wording before saving", "Human error", "Save anyway", `value="Human error on Ward 9"`)
		form.Set("new_confirm", "yes")
		status, loc, page := lrPost(t, e, safety, "/learning", form)
		lrWant(t, "saving anyway", status, http.StatusSeeOther, page)
		id := strings.TrimPrefix(loc, "/learning/")

		page = lrGet(t, e, safety, loc, http.StatusOK)
		lrHas(t, "response page", page, "Human error on Ward 9", ref, fmt.Sprintf(`href="/reports/%d"`, fx.events[0].ID),
			`href="/assessments/new?report=`+ref+`"`, "start a just culture assessment", "Engagement and involvement", "Duty of candour", "Opened")

		// The record: prompts first, then saved anyway; a disciplinary
		// recommendation is refused with the route to the just culture guide.
		rec := url.Values{"expected": {"The bed alarm sounds when the patient gets up."}, "actual": {"The nurse failed to switch the alarm back on."},
			"difference": {"Three false alarms in an hour."}, "learning": {"Alarms that cry wolf get switched off."},
			"participants": {"Nadia Nurse, staff nurse, nurse@test.example\nHealthcare assistant"}}
		status, _, page = lrPost(t, e, safety, loc+"/record", rec)
		lrWant(t, "blaming record", status, http.StatusOK, page)
		lrHas(t, "blaming record", page, "failed to", "What actually happened", "Three false alarms in an hour.")
		bad := url.Values{}
		for k, v := range rec {
			bad[k] = v
		}
		bad.Set("learning", "The nurse should face disciplinary action.")
		bad.Set("record_confirm", "yes")
		status, _, page = lrPost(t, e, safety, loc+"/record", bad)
		lrWant(t, "disciplinary record", status, http.StatusUnprocessableEntity, page)
		lrHas(t, "disciplinary record", page, `href="#learning"`, "/assessments/new?report="+ref, "The nurse should face disciplinary action.")
		rec.Set("record_confirm", "yes")
		status, _, page = lrPost(t, e, safety, loc+"/record", rec)
		lrWant(t, "record saved anyway", status, http.StatusSeeOther, page)

		// The nurse named as a participant may now read it, without forms.
		nurse := e.SignInAs(t, "nurse@test.example", apptest.Password)
		page = lrGet(t, e, nurse, loc, http.StatusOK)
		lrHas(t, "participant's view", page, "Alarms that cry wolf get switched off.")
		if strings.Contains(page, `action="`+loc+`/record"`) || strings.Contains(page, "/reports/") {
			t.Error("a participant sees forms or links to the event reports")
		}
		lrHas(t, "participant's list", lrGet(t, e, nurse, "/learning", http.StatusOK), "Human error on Ward 9")

		// Engagement log.
		status, _, page = lrPost(t, e, safety, loc+"/engagements", url.Values{"contacted_on-day": {"40"}, "contacted_on-month": {"1"}, "contacted_on-year": {"2026"}})
		lrWant(t, "empty engagement", status, http.StatusUnprocessableEntity, page)
		lrHas(t, "empty engagement", page, `href="#who"`, `href="#name"`, `href="#contacted_on-day"`, `href="#how"`, `value="40"`)
		today := time.Now().In(time.UTC)
		status, _, page = lrPost(t, e, safety, loc+"/engagements", url.Values{"who": {"family"}, "name": {"Mrs Okafor"}, "relationship": {"Daughter"},
			"contacted_on-day": {fmt.Sprint(today.Day())}, "contacted_on-month": {fmt.Sprint(int(today.Month()))}, "contacted_on-year": {fmt.Sprint(today.Year())},
			"how": {"phone"}, "questions": {"Why was the alarm off?"}, "told": {"We are looking at how alarms are used on the ward at night."}})
		lrWant(t, "engagement", status, http.StatusSeeOther, page)

		// Duty of candour.
		future := today.AddDate(0, 0, 3)
		status, _, page = lrPost(t, e, safety, loc+"/duty-of-candour", url.Values{"notifiable": {"yes"}, "notified_on-day": {fmt.Sprint(future.Day())},
			"notified_on-month": {fmt.Sprint(int(future.Month()))}, "notified_on-year": {fmt.Sprint(future.Year())}})
		lrWant(t, "future notification", status, http.StatusUnprocessableEntity, page)
		lrHas(t, "future notification", page, `href="#notified_on-day"`, "today or in the past")
		status, _, page = lrPost(t, e, safety, loc+"/duty-of-candour", url.Values{"notifiable": {"yes"}, "apology_given": {"yes"},
			"notified_on-day": {fmt.Sprint(today.Day())}, "notified_on-month": {fmt.Sprint(int(today.Month()))}, "notified_on-year": {fmt.Sprint(today.Year())}})
		lrWant(t, "duty of candour", status, http.StatusSeeOther, page)
		page = lrGet(t, e, safety, loc, http.StatusOK)
		lrHas(t, "response page", page, "Family member: Mrs Okafor (Daughter)", "Why was the alarm off?", "Not yet sent", "Nadia Nurse, staff nurse")

		// Status and sign-off: the owner cannot sign off their own response.
		status, _, page = lrPost(t, e, safety, loc+"/status", url.Values{"status": {"awaiting_sign_off"}})
		lrWant(t, "ready for sign-off", status, http.StatusSeeOther, page)
		page = lrGet(t, e, safety, loc, http.StatusOK)
		lrHas(t, "owner's page", page, "another senior reviewer in the patient safety team signs it off")
		status, _, page = lrPost(t, e, safety, loc+"/sign-off", url.Values{"note": {"Fine."}})
		lrWant(t, "owner signs off", status, http.StatusUnprocessableEntity, page)
		reviewer := e.SignInAs(t, "reviewer@test.example", apptest.Password)
		status, _, page = lrPost(t, e, reviewer, loc+"/sign-off", url.Values{"note": {""}})
		lrWant(t, "empty note", status, http.StatusUnprocessableEntity, page)
		lrHas(t, "empty note", page, `href="#note"`)
		status, _, page = lrPost(t, e, reviewer, loc+"/sign-off", url.Values{"note": {"System-focused and kind to the family. Signed off."}})
		lrWant(t, "sign-off", status, http.StatusSeeOther, page)
		page = lrGet(t, e, safety, loc, http.StatusOK)
		lrHas(t, "closed page", page, "Closed", "By Rita Reviewer", "System-focused and kind to the family.", "Signed off and closed")
		status, _, page = lrPost(t, e, safety, loc+"/record", rec)
		lrWant(t, "record after closing", status, http.StatusConflict, page)

		// The list, with filters.
		page = lrGet(t, e, safety, "/learning?status=closed&method=aar", http.StatusOK)
		lrHas(t, "filtered list", page, "Human error on Ward 9", "/learning/"+id)
		page = lrGet(t, e, safety, "/learning?method=psii", http.StatusOK)
		if strings.Contains(page, "Human error on Ward 9") {
			t.Error("the method filter let an AAR through")
		}
		lrGet(t, e, safety, "/learning?method=rca", http.StatusUnprocessableEntity)
	})
}

func TestLearningPagesRefuseOtherRoles(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		fx := newLRFixture(t, e)
		safety := e.SignIn(t, authz.Safety)
		status, loc, page := lrPost(t, e, safety, "/learning", url.Values{"method": {"swarm"}, "reports": {fx.events[0].Reference},
			"title": {"Night falls huddle"}})
		lrWant(t, "open", status, http.StatusSeeOther, page)
		for _, role := range []authz.Role{authz.Manager, authz.HR, authz.Admin, authz.Exec, authz.UnionRep, authz.Staff, authz.Guardian} {
			c := e.SignIn(t, role)
			lrGet(t, e, c, loc, http.StatusNotFound)
			if page := lrGet(t, e, c, "/learning", http.StatusOK); strings.Contains(page, "Night falls huddle") {
				t.Errorf("%s sees the response in the list", role)
			}
			lrGet(t, e, c, "/learning/new", http.StatusForbidden)
			for _, action := range []string{"/record", "/engagements", "/duty-of-candour", "/status", "/sign-off"} {
				if status, _, _ := lrPost(t, e, c, loc+action, url.Values{"status": {"in_progress"}}); status != http.StatusForbidden {
					t.Errorf("%s POST %s: status %d, want 403", role, action, status)
				}
			}
		}
	})
}
