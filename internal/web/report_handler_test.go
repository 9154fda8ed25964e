package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
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

// rhFixture is a running candour with a site, two departments and a few
// reports to handle.
type rhFixture struct {
	e            *apptest.Env
	site         org.Site
	ward, clinic org.Department
	yesterday    string
}

func newRHFixture(t *testing.T, e *apptest.Env) *rhFixture {
	t.Helper()
	ctx := context.Background()
	fx := &rhFixture{e: e}
	var err error
	if fx.site, err = e.App.Org.CreateSite(ctx, testActor, org.Site{Code: "NGH", Name: "Northfield General Hospital"}); err != nil {
		t.Fatal(err)
	}
	if fx.ward, err = e.App.Org.CreateDepartment(ctx, testActor, org.Department{SiteID: fx.site.ID, Code: "W7", Name: "Ward 7", Kind: "ward"}); err != nil {
		t.Fatal(err)
	}
	if fx.clinic, err = e.App.Org.CreateDepartment(ctx, testActor, org.Department{SiteID: fx.site.ID, Code: "EYE", Name: "Eye Clinic", Kind: "service"}); err != nil {
		t.Fatal(err)
	}
	today, err := time.Parse("2006-01-02", e.App.Reports.Today())
	if err != nil {
		t.Fatal(err)
	}
	fx.yesterday = today.AddDate(0, 0, -1).Format("2006-01-02")
	return fx
}

// principal is the signed-in identity of the test user holding role.
func (fx *rhFixture) principal(role authz.Role) *authz.Principal {
	u := fx.e.Users[role]
	return &authz.Principal{UserID: u.ID, Email: u.Email, Name: u.Name, Roles: u.Roles}
}

// event submits a safety event raised openly by the staff user.
func (fx *rhFixture) event(t *testing.T, dept org.Department, mode report.Mode, description string) report.Receipt {
	t.Helper()
	rec, err := fx.e.App.Reports.Submit(context.Background(), report.Submission{Kind: report.SafetyEvent, Mode: mode,
		DepartmentID: dept.ID, OccurredOn: fx.yesterday, OccurredTime: "14:30", Description: description,
		ImmediateActions: "Doctor informed and observations increased.",
		EventType:        "incident", PhysicalHarm: "low", PsychologicalHarm: "none",
		People: []report.Involved{{Role: "patient", Description: "Patient in bed 4", Name: "Margaret Thornbury"}}}, fx.principal(authz.Staff))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// concern submits a speak-up concern by the staff user.
func (fx *rhFixture) concern(t *testing.T, mode report.Mode, description string) report.Receipt {
	t.Helper()
	rec, err := fx.e.App.Reports.Submit(context.Background(), report.Submission{Kind: report.Concern, Mode: mode,
		DepartmentID: fx.ward.ID, Description: description, Elements: []string{"worker_safety", "bullying_harassment"},
		DesiredOutcome: "Safer staffing on nights"}, fx.principal(authz.Staff))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// secondGuardian adds another guardian and signs them in.
func (fx *rhFixture) secondGuardian(t *testing.T) (account.User, *http.Client) {
	t.Helper()
	u, err := fx.e.App.Accounts.Create(context.Background(), testActor, account.NewUser{Email: "guardian-two@test.example",
		Name: "Gina Second-Guardian", Roles: []authz.Role{authz.Guardian}, Password: apptest.Password})
	if err != nil {
		t.Fatal(err)
	}
	return u, fx.e.SignInAs(t, u.Email, apptest.Password)
}

func reportPath(id int64, rest string) string { return fmt.Sprintf("/reports/%d%s", id, rest) }

// rhPost posts a form and expects a redirect back to the report, then
// returns the report page found there.
func rhPost(t *testing.T, e *apptest.Env, c *http.Client, id int64, action string, v url.Values) string {
	t.Helper()
	res, body := e.PostForm(t, c, reportPath(id, "/"+action), v)
	orgStatus(t, "POST "+action, res.StatusCode, http.StatusSeeOther, body)
	if loc := res.Header.Get("Location"); loc != reportPath(id, "") {
		t.Fatalf("POST %s went to %q, want the report", action, loc)
	}
	status, page := e.Get(t, c, reportPath(id, ""))
	orgStatus(t, "GET report after "+action, status, http.StatusOK, page)
	return html.UnescapeString(page)
}

// rhMultipart posts a multipart form with one file.
func rhMultipart(t *testing.T, e *apptest.Env, c *http.Client, path, field, text, fileField, filename, content string) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField(field, text)
	fw, err := mw.CreateFormFile(fileField, filename)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(fw, content)
	mw.Close()
	res, err := c.Post(e.URL(path), mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// rhGet fetches a page, checks its status and returns it unescaped.
func rhGet(t *testing.T, e *apptest.Env, c *http.Client, path string, want int) string {
	t.Helper()
	status, body := e.Get(t, c, path)
	orgStatus(t, "GET "+path, status, want, body)
	return html.UnescapeString(body)
}

// rhAudited returns the audit entries for a report with an action.
func rhAudited(t *testing.T, e *apptest.Env, id int64, action string) []audit.Entry {
	t.Helper()
	entries, _, err := audit.List(context.Background(), e.DB, audit.Filter{Action: action, Entity: "report", EntityID: fmt.Sprint(id), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func TestReportQueuesByTeam(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		fx := newRHFixture(t, e)
		safety, guardian := e.SignIn(t, authz.Safety), e.SignIn(t, authz.Guardian)

		page := rhGet(t, e, safety, "/reports", http.StatusOK)
		orgHas(t, "empty safety queue", page, "<h1>Patient safety events</h1>", "The queue is clear")

		ev := fx.event(t, fx.ward, report.Open, "A patient fell while walking to the bathroom at night without a nurse.")
		eye := fx.event(t, fx.clinic, report.Open, "Eye drops were given to the wrong eye because the chart was unclear.")
		cn := fx.concern(t, report.Open, "Shifts on the ward are regularly left short and people are afraid to say so.")

		page = rhGet(t, e, safety, "/reports", http.StatusOK)
		orgHas(t, "safety queue", page, ev.Reference, eye.Reference, `href="/reports/`+fmt.Sprint(ev.ID)+`"`,
			"Patient safety incident", "Low physical harm", "Ward 7, Northfield General Hospital", "Eye Clinic, Northfield General Hospital",
			"Acknowledge by", "New", "Nobody yet")
		orgLacks(t, "safety queue", page, cn.Reference, "The queue is clear", "Overdue",
			// Nothing about who raised the reports, nor what they wrote.
			e.Users[authz.Staff].Email, e.Users[authz.Staff].Name, "A patient fell", "Margaret Thornbury")

		page = rhGet(t, e, guardian, "/reports", http.StatusOK)
		orgHas(t, "guardian queue", page, "<h1>Speak-up concerns</h1>", cn.Reference, "Worker safety or wellbeing; Bullying or harassment",
			"for example SU-000123-4")
		orgLacks(t, "guardian queue", page, ev.Reference, eye.Reference, e.Users[authz.Staff].Email, e.Users[authz.Staff].Name, "Shifts on the ward")
		// One kind per queue: no column that says the same on every row.
		orgHas(t, "guardian queue", page, `scope="col">About</th>`)
		orgLacks(t, "guardian queue", page, `scope="col">Kind</th>`, `scope="col">Harm</th>`, "Not recorded for concerns")
		page = rhGet(t, e, safety, "/reports", http.StatusOK)
		orgHas(t, "safety queue", page, `scope="col">Event type</th>`, `scope="col">Harm</th>`)
		orgLacks(t, "safety queue", page, `scope="col">Kind</th>`)
		// Someone handling both kinds sees which is which, until they choose a team.
		if _, err := e.App.Accounts.Create(context.Background(), audit.Actor{Label: "test"}, account.NewUser{
			Email: "both-teams@test.example", Name: "Both Teams", Roles: []authz.Role{authz.Safety, authz.Guardian}, Password: apptest.Password}); err != nil {
			t.Fatal(err)
		}
		both := e.SignInAs(t, "both-teams@test.example", apptest.Password)
		page = rhGet(t, e, both, "/reports", http.StatusOK)
		orgHas(t, "queue of both teams", page, "<h1>Reports to handle</h1>", `scope="col">Kind</th>`, `scope="col">Type or elements</th>`,
			`scope="col">Harm</th>`, ev.Reference, cn.Reference, "Speak-up concern", "Not recorded for concerns")
		page = rhGet(t, e, both, "/reports?team=guardian", http.StatusOK)
		orgHas(t, "both teams' user choosing concerns", page, "<h1>Speak-up concerns</h1>", cn.Reference)
		orgLacks(t, "both teams' user choosing concerns", page, ev.Reference, `scope="col">Kind</th>`, `scope="col">Harm</th>`)

		// Filtered by department.
		page = rhGet(t, e, safety, fmt.Sprintf("/reports?department=%d", fx.clinic.ID), http.StatusOK)
		orgHas(t, "queue filtered to the eye clinic", page, eye.Reference, "Reports matching the filters")
		orgLacks(t, "queue filtered to the eye clinic", page, ev.Reference)
		page = rhGet(t, e, safety, fmt.Sprintf("/reports?site=%d&department=%d", fx.site.ID, fx.ward.ID), http.StatusOK)
		orgHas(t, "queue filtered to ward 7", page, ev.Reference)
		orgLacks(t, "queue filtered to ward 7", page, eye.Reference)

		// A guardian asking for the safety team's queue is told to choose one of theirs.
		page = rhGet(t, e, guardian, "/reports?team=safety", http.StatusBadRequest)
		orgHas(t, "guardian asking for safety events", page, "Choose one of your teams", cn.Reference)
		orgLacks(t, "guardian asking for safety events", page, ev.Reference)

		// Overdue acknowledgement shows a red tag.
		if _, err := e.DB.ExecContext(context.Background(), `UPDATE reports SET ack_due_on = '2020-01-06' WHERE id = ?`, eye.ID); err != nil {
			t.Fatal(err)
		}
		page = rhGet(t, e, safety, "/reports", http.StatusOK)
		orgHas(t, "queue with an overdue report", page, `<strong class="nhsuk-tag nhsuk-tag--red">Overdue</strong>`, "Acknowledge by 6 January 2020")

		// Past a deadline: not acknowledged in time (eye), or no feedback
		// in time; not one acknowledged in time, nor a closed one.
		bg := context.Background()
		acked := fx.event(t, fx.ward, report.Anonymous, "Acknowledged late but acknowledged: not overdue now.")
		late := fx.event(t, fx.ward, report.Anonymous, "Acknowledged, but the feedback date has gone.")
		closed := fx.event(t, fx.ward, report.Anonymous, "Closed, though both its dates have gone.")
		for _, id := range []int64{acked.ID, late.ID} {
			if err := e.App.Reports.Acknowledge(bg, fx.principal(authz.Safety), id); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.App.Reports.Close(bg, fx.principal(authz.Safety), closed.ID, "Looked into and put right with the ward team."); err != nil {
			t.Fatal(err)
		}
		if _, err := e.DB.ExecContext(bg, `UPDATE reports SET ack_due_on = '2020-01-06' WHERE id IN (?, ?)`, acked.ID, closed.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.DB.ExecContext(bg, `UPDATE reports SET feedback_due_on = '2020-02-03' WHERE id IN (?, ?)`, late.ID, closed.ID); err != nil {
			t.Fatal(err)
		}
		page = rhGet(t, e, safety, "/reports?overdue=yes&status=all", http.StatusOK)
		orgHas(t, "only overdue reports", page, eye.Reference, late.Reference, "Feedback by 3 February 2020", `name="overdue" type="checkbox" value="yes" checked`)
		orgLacks(t, "only overdue reports", page, ev.Reference, acked.Reference, closed.Reference)
		page = rhGet(t, e, safety, "/reports?overdue=on", http.StatusOK)
		orgHas(t, "a box ticked with something else", page, acked.Reference, "Open reports")
		orgLacks(t, "a box ticked with something else", page, "Clear the filters")

		// Finding a report by the reference someone quotes, typed loosely,
		// goes straight to it, closed or not.
		if err := e.App.Reports.Close(context.Background(), fx.principal(authz.Safety), ev.ID, "Night checks now include the bathroom route on every ward."); err != nil {
			t.Fatal(err)
		}
		loose := strings.ToLower(strings.ReplaceAll(ev.Reference, "-", " "))
		res, err := safety.Get(e.URL("/reports?reference=" + url.QueryEscape(loose)))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != fmt.Sprintf("/reports/%d", ev.ID) {
			t.Fatalf("finding %q: %d to %q, want 303 to report %d", loose, res.StatusCode, res.Header.Get("Location"), ev.ID)
		}
		// Another team's report is not found, as if it did not exist; a
		// slip in the number is caught by the check digit; the typing is kept.
		page = rhGet(t, e, safety, "/reports?reference="+url.QueryEscape(cn.Reference), http.StatusNotFound)
		orgHas(t, "finding another team's report", page, `<a href="#reference">None of your team's reports has the reference `+cn.Reference,
			`value="`+cn.Reference+`"`, eye.Reference)
		slip := []byte(eye.Reference)
		slip[5] = '0' + (slip[5]-'0'+1)%10
		page = rhGet(t, e, safety, "/reports?reference="+string(slip), http.StatusBadRequest)
		orgHas(t, "a mistyped reference", page, "That reference does not add up", `value="`+string(slip)+`"`)
		page = rhGet(t, e, safety, "/reports?reference="+url.QueryEscape(eye.Reference[:len(eye.Reference)-2]), http.StatusBadRequest)
		orgHas(t, "a reference without its check digit", page, "Enter a reference like SE-004512-5")
		page = rhGet(t, e, safety, "/reports?reference=+", http.StatusBadRequest)
		orgHas(t, "an empty reference", page, "Enter the reference of the report you are looking for")

		// Assigned to me, and paging.
		page = rhGet(t, e, safety, "/reports?mine=yes", http.StatusOK)
		orgHas(t, "nothing assigned yet", page, "No reports match these filters")
		if err := e.App.Reports.Assign(context.Background(), fx.principal(authz.Safety), eye.ID, e.Users[authz.Safety].ID); err != nil {
			t.Fatal(err)
		}
		page = rhGet(t, e, safety, "/reports?mine=yes", http.StatusOK)
		orgHas(t, "assigned to me", page, eye.Reference, e.Users[authz.Safety].Name)
		orgLacks(t, "assigned to me", page, ev.Reference)
		for range 50 {
			fx.event(t, fx.ward, report.Anonymous, "Another report to fill the first page of the queue.")
		}
		page = rhGet(t, e, safety, "/reports", http.StatusOK)
		orgHas(t, "first page", page, "Next<span class=\"nhsuk-u-visually-hidden\"> page</span>")
		// After a failed find, the page links are the queue's, not the find's.
		page = rhGet(t, e, safety, "/reports?reference=SE-999999-0&site="+fmt.Sprint(fx.site.ID), http.StatusNotFound)
		next := regexp.MustCompile(`href="(/reports\?[^"]*after=[^"]*)"`).FindStringSubmatch(page)
		if next == nil || strings.Contains(next[1], "reference") || !strings.Contains(next[1], "site=") {
			t.Errorf("the next page link after a failed find: %v", next)
		}
	})
}

func TestReportPagesRefuseOtherRoles(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		fx := newRHFixture(t, e)
		ev := fx.event(t, fx.ward, report.Open, "A patient fell while walking to the bathroom at night without a nurse.")
		cn := fx.concern(t, report.Open, "Shifts on the ward are regularly left short and people are afraid to say so.")
		for _, role := range []authz.Role{authz.Manager, authz.UnionRep, authz.Admin, authz.Exec, authz.HR, authz.Staff} {
			c := e.SignIn(t, role)
			for _, path := range []string{"/reports", reportPath(ev.ID, ""), reportPath(cn.ID, "")} {
				page := rhGet(t, e, c, path, http.StatusForbidden)
				orgHas(t, string(role)+" on "+path, page, "You do not have access to this page")
				orgLacks(t, string(role)+" on "+path, page, "Shifts on the ward", "A patient fell", cn.Reference)
			}
		}
		// A guardian does not learn that a safety event exists.
		guardian := e.SignIn(t, authz.Guardian)
		page := rhGet(t, e, guardian, reportPath(ev.ID, ""), http.StatusNotFound)
		orgHas(t, "guardian on a safety event", page, "Page not found")
		orgLacks(t, "guardian on a safety event", page, ev.Reference, "A patient fell")
		rhGet(t, e, guardian, reportPath(999999, ""), http.StatusNotFound)
		res, _ := e.PostForm(t, guardian, reportPath(ev.ID, "/acknowledge"), url.Values{})
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("guardian acknowledging a safety event: status %d, want 404", res.StatusCode)
		}
		if n := len(rhAudited(t, e, ev.ID, "report.acknowledge")); n != 0 {
			t.Errorf("a guardian acknowledged a safety event")
		}
	})
}

func TestReportViewShowsEverythingAndIsAudited(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		fx := newRHFixture(t, e)
		ev := fx.event(t, fx.ward, report.Open, "A patient fell while walking to the bathroom at night without a nurse.\nThe call bell was out of reach.")
		safety := e.SignIn(t, authz.Safety)
		page := rhGet(t, e, safety, reportPath(ev.ID, ""), http.StatusOK)
		orgHas(t, "report view", page, "Report "+ev.Reference+"</h1>", "Patient safety incident", "Low physical harm",
			"No psychological harm", "Ward 7, Northfield General Hospital", "at 14:30",
			"<p>A patient fell while walking to the bathroom at night without a nurse.</p><p>The call bell was out of reach.</p>",
			"Doctor informed and observations increased.", "Openly", e.Users[authz.Staff].Name, e.Users[authz.Staff].Email,
			"Patient in bed 4", "Margaret Thornbury", "Acknowledge by", "Feedback by", "There are no messages or notes yet",
			`action="/reports/`+fmt.Sprint(ev.ID)+`/acknowledge"`, "Close the report",
			"What you found and what changed, written for the person who raised it")
		entries := rhAudited(t, e, ev.ID, "report.read")
		if len(entries) != 1 || entries[0].Actor.UserID != e.Users[authz.Safety].ID {
			t.Fatalf("report.read entries after one view: %+v", entries)
		}

		an := fx.event(t, fx.ward, report.Anonymous, "The fridge in the treatment room was found at 14 degrees.")
		page = rhGet(t, e, safety, reportPath(an.ID, ""), http.StatusOK)
		orgHas(t, "anonymous report view", page, "Anonymous: nobody knows who raised this", "They will see it when they next use their access code")
		orgLacks(t, "anonymous report view", page, e.Users[authz.Staff].Email, "Reveal who raised this")
	})
}

func TestReportHandlingThroughTheForms(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		fx := newRHFixture(t, e)
		cn := fx.concern(t, report.Open, "Shifts on the ward are regularly left short and people are afraid to say so.")
		other := fx.concern(t, report.Anonymous, "Night shifts on Ward 7 have had one nurse for thirty patients.")
		dup := fx.concern(t, report.Anonymous, "Ward 7 is short of nurses at night, again and again.")
		g := e.SignIn(t, authz.Guardian)
		gu := e.Users[authz.Guardian]

		page := rhPost(t, e, g, cn.ID, "acknowledge", url.Values{})
		orgHas(t, "after acknowledging", page, "Report acknowledged", "Acknowledged on", ">Acknowledged</strong>")
		orgLacks(t, "after acknowledging", page, `action="/reports/`+fmt.Sprint(cn.ID)+`/acknowledge"`)

		page = rhPost(t, e, g, cn.ID, "assign", url.Values{"assignee": {fmt.Sprint(gu.ID)}})
		orgHas(t, "after assigning", page, "Report assigned to you", "assigned to "+gu.Name)
		res, body := e.PostForm(t, g, reportPath(cn.ID, "/assign"), url.Values{"assignee": {fmt.Sprint(e.Users[authz.Safety].ID)}})
		orgStatus(t, "assign to someone outside the team", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "assign to someone outside the team", html.UnescapeString(body), `<a href="#assignee">Choose someone from the team`)

		page = rhPost(t, e, g, cn.ID, "status", url.Values{"status": {"in_review"}})
		orgHas(t, "after setting the status", page, "Status set to In review", ">In review</strong>")
		res, body = e.PostForm(t, g, reportPath(cn.ID, "/status"), url.Values{"status": {"closed"}})
		orgStatus(t, "status closed", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "status closed", body, `<a href="#status">To close a report`)

		res, body = rhMultipart(t, e, g, reportPath(cn.ID, "/messages"), "message", "Thank you for raising this. Can you tell me which nights?",
			"message_files", "rota notes.txt", "Mon 3 nurses\nTue 1 nurse\n")
		orgStatus(t, "send a message", res.StatusCode, http.StatusSeeOther, body)
		page = rhGet(t, e, g, reportPath(cn.ID, ""), http.StatusOK)
		orgHas(t, "after sending a message", page, "Message sent to the person who raised this", "To the person who raised this",
			"Thank you for raising this. Can you tell me which nights?", "rota notes.txt")

		res, body = e.PostForm(t, g, reportPath(cn.ID, "/notes"), url.Values{"note": {"Spoke to the matron; rota review already planned."}})
		orgStatus(t, "add a note", res.StatusCode, http.StatusSeeOther, body)
		page = rhGet(t, e, g, reportPath(cn.ID, ""), http.StatusOK)
		orgHas(t, "after adding a note", page, "Internal note added", "The person who raised this cannot see it",
			"Spoke to the matron; rota review already planned.")
		res, body = e.PostForm(t, g, reportPath(cn.ID, "/notes"), url.Values{"note": {"   "}})
		orgStatus(t, "empty note", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "empty note", body, `<a href="#note">Enter your note`, "If there is a problem with the note, choose the files again", `id="note-error"`)

		// The reporter sees the message but never the note.
		rv, err := e.App.Reports.ForReporter(ctx, fx.principal(authz.Staff), nil, cn.ID)
		if err != nil {
			t.Fatal(err)
		}
		var sawMessage bool
		for _, m := range rv.Messages {
			if m.Internal || strings.Contains(m.Body, "matron") {
				t.Errorf("the reporter sees an internal note: %+v", m)
			}
			sawMessage = sawMessage || strings.Contains(m.Body, "which nights")
		}
		if !sawMessage {
			t.Errorf("the reporter does not see the message: %+v", rv.Messages)
		}

		// The attachment downloads as an attachment, never rendered in place.
		full, err := e.App.Reports.Get(ctx, fx.principal(authz.Guardian), cn.ID)
		if err != nil {
			t.Fatal(err)
		}
		var aid int64
		for _, m := range full.Messages {
			for _, a := range m.Attachments {
				aid = a.ID
			}
		}
		if aid == 0 {
			t.Fatalf("no attachment stored on the message: %+v", full.Messages)
		}
		dl, err := g.Get(e.URL(reportPath(cn.ID, fmt.Sprintf("/attachments/%d", aid))))
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(dl.Body)
		dl.Body.Close()
		if dl.StatusCode != http.StatusOK || string(data) != "Mon 3 nurses\nTue 1 nurse\n" ||
			!strings.HasPrefix(dl.Header.Get("Content-Type"), "text/plain") ||
			dl.Header.Get("Content-Disposition") != `attachment; filename="rota notes.txt"; filename*=UTF-8''rota%20notes.txt` ||
			dl.Header.Get("X-Content-Type-Options") != "nosniff" || dl.Header.Get("Cache-Control") != "no-store" ||
			dl.Header.Get("Content-Security-Policy") != "default-src 'none'; sandbox" {
			t.Errorf("download: %d %q %v", dl.StatusCode, data, dl.Header)
		}
		safety := e.SignIn(t, authz.Safety)
		rhGet(t, e, safety, reportPath(cn.ID, fmt.Sprintf("/attachments/%d", aid)), http.StatusNotFound)

		// Written loosely, as people read one out: lower case, spaces for dashes.
		page = rhPost(t, e, g, cn.ID, "link", url.Values{"related": {strings.ToLower(strings.ReplaceAll(other.Reference, "-", " "))}})
		orgHas(t, "after linking", page, "Linked to "+other.Reference, `<a href="/reports/`+fmt.Sprint(other.ID)+`">`+other.Reference+`</a>`)
		res, body = e.PostForm(t, g, reportPath(cn.ID, "/link"), url.Values{"related": {"SU-NOPE-NOPE"}})
		orgStatus(t, "link to no reference", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "link to no reference", body, `<a href="#related">Enter a reference like SE-004512-5`, `value="SU-NOPE-NOPE"`)
		nowhere := report.Reference(report.Concern, 999999)
		res, body = e.PostForm(t, g, reportPath(cn.ID, "/link"), url.Values{"related": {nowhere}})
		orgStatus(t, "link to nothing", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "link to nothing", body, `<a href="#related">No report you can see has the reference `+nowhere, `value="`+nowhere+`"`)
		// A slip in the number is caught by its check digit, as in the queue's search.
		slip := nowhere[:len(nowhere)-1] + string(rune('0'+(nowhere[len(nowhere)-1]-'0'+1)%10))
		res, body = e.PostForm(t, g, reportPath(cn.ID, "/link"), url.Values{"related": {slip}})
		orgStatus(t, "link with a slip", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "link with a slip", body, `<a href="#related">`+report.ReferenceCheckFailed)

		page = rhPost(t, e, g, dup.ID, "duplicate", url.Values{"duplicate_of": {other.Reference}})
		orgHas(t, "after marking a duplicate", page, "Marked as a duplicate of "+other.Reference, "Duplicate of", ">Closed</strong>")

		// Closing needs an outcome; what was typed elsewhere is not lost.
		res, body = e.PostForm(t, g, reportPath(cn.ID, "/close"), url.Values{"outcome": {""}})
		orgStatus(t, "close without an outcome", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "close without an outcome", body, "<title>Error: Report "+cn.Reference, `<a href="#outcome">Enter what you found and what changed</a>`, `id="outcome-error"`)
		res, body = e.PostForm(t, g, reportPath(cn.ID, "/close"), url.Values{"outcome": {"Too short"}})
		orgStatus(t, "close with a short outcome", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "close with a short outcome", body, "Write a little more for the person who raised this", ">Too short</textarea>")
		outcome := "We found the night rota had two vacancies; both are now filled and the rota is reviewed weekly."
		page = rhPost(t, e, g, cn.ID, "close", url.Values{"outcome": {outcome}})
		orgHas(t, "after closing", page, "Report closed", ">Closed</strong>", "<h2>Outcome</h2>", outcome, "has not given feedback yet")
		orgLacks(t, "after closing", page, `action="/reports/`+fmt.Sprint(cn.ID)+`/close"`, `action="/reports/`+fmt.Sprint(cn.ID)+`/assign"`)
		var status string
		var outcomeStored string
		if err := e.DB.QueryRowContext(ctx, `SELECT status, outcome_summary FROM reports WHERE id = ?`, cn.ID).Scan(&status, &outcomeStored); err != nil {
			t.Fatal(err)
		}
		if status != "closed" || outcomeStored != outcome {
			t.Errorf("stored after closing: %q %q", status, outcomeStored)
		}
		res, body = e.PostForm(t, g, reportPath(cn.ID, "/close"), url.Values{"outcome": {outcome}})
		orgStatus(t, "close twice", res.StatusCode, http.StatusConflict, body)
		orgHas(t, "close twice", body, "This report is closed")

		for _, action := range []string{"report.acknowledge", "report.assign", "report.status", "report.message", "report.note", "report.link", "report.close"} {
			if len(rhAudited(t, e, cn.ID, action)) == 0 {
				t.Errorf("no %s audit entry", action)
			}
		}

		// The reporter's feedback appears once given.
		if err := e.App.Reports.Feedback(ctx, fx.principal(authz.Staff), nil, cn.ID, "yes", "no"); err != nil {
			t.Fatal(err)
		}
		page = rhGet(t, e, g, reportPath(cn.ID, ""), http.StatusOK)
		orgHas(t, "feedback", page, "Would speak up again", "<dd class=\"nhsuk-summary-list__value\">Yes</dd>")

		// Something new comes to light: the report is reopened, with a
		// reason, and what the reporter read is kept in the conversation.
		orgHas(t, "closed report", page, `action="/reports/`+fmt.Sprint(cn.ID)+`/reopen"`)
		orgLacks(t, "a duplicate", rhGet(t, e, g, reportPath(dup.ID, ""), http.StatusOK), `action="/reports/`+fmt.Sprint(dup.ID)+`/reopen"`)
		res, body = e.PostForm(t, g, reportPath(cn.ID, "/reopen"), url.Values{"reopen_reason": {"More"}})
		orgStatus(t, "reopen with a short reason", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "reopen with a short reason", body, `<a href="#reopen_reason">Say why the report is being reopened`, ">More</textarea>")
		page = rhPost(t, e, g, cn.ID, "reopen", url.Values{"reopen_reason": {"The reporter says one of the two posts is vacant again."}})
		orgHas(t, "after reopening", page, "Report reopened", ">In review</strong>", "We have reopened this report", outcome,
			"Reopened: The reporter says one of the two posts is vacant again.", `action="/reports/`+fmt.Sprint(cn.ID)+`/close"`,
			"Feedback after earlier closings", `<td class="nhsuk-table__cell">Yes</td>`)
		res, body = e.PostForm(t, g, reportPath(cn.ID, "/reopen"), url.Values{"reopen_reason": {"The reporter says one of the two posts is vacant again."}})
		orgStatus(t, "reopen twice", res.StatusCode, http.StatusConflict, body)
		orgHas(t, "reopen twice", body, "This report is open already")
		if len(rhAudited(t, e, cn.ID, "report.reopen")) != 1 {
			t.Error("no report.reopen audit entry")
		}
	})
}

func TestReportRevealConfidentialReporter(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		fx := newRHFixture(t, e)
		cn := fx.concern(t, report.Confidential, "My manager shouts at junior staff in front of patients.")
		staff := e.Users[authz.Staff]
		g1 := e.SignIn(t, authz.Guardian)
		g2user, g2 := fx.secondGuardian(t)

		// Nobody sees the identity in the view, and nobody unassigned can reveal it.
		for name, c := range map[string]*http.Client{"first guardian": g1, "second guardian": g2} {
			page := rhGet(t, e, c, reportPath(cn.ID, ""), http.StatusOK)
			orgHas(t, name+" view", page, "Confidential: only the assigned handler can reveal who raised this. It is not assigned yet: assign it to yourself below")
			orgLacks(t, name+" view", page, staff.Email, staff.Name, "Reveal who raised this")
			res, body := e.PostForm(t, c, reportPath(cn.ID, "/reveal"), url.Values{"reveal_reason": {"I would like to know"}})
			orgStatus(t, name+" reveal unassigned", res.StatusCode, http.StatusForbidden, body)
			orgHas(t, name+" reveal unassigned", body, "Only the assigned handler can reveal who raised this")
			orgLacks(t, name+" reveal unassigned", body, staff.Email, staff.Name)
		}

		rhPost(t, e, g1, cn.ID, "assign", url.Values{"assignee": {fmt.Sprint(e.Users[authz.Guardian].ID)}})
		// Once it is assigned, the second guardian is not told to assign it.
		page := rhGet(t, e, g2, reportPath(cn.ID, ""), http.StatusOK)
		orgHas(t, "second guardian after assigning", page, "Confidential: only the assigned handler can reveal who raised this</p>")
		page = rhGet(t, e, g1, reportPath(cn.ID, ""), http.StatusOK)
		orgHas(t, "assigned guardian's view", page, "Reveal who raised this", `action="/reports/`+fmt.Sprint(cn.ID)+`/reveal"`, "nhsuk-button--warning")
		orgLacks(t, "assigned guardian's view", page, staff.Email)

		res, body := e.PostForm(t, g1, reportPath(cn.ID, "/reveal"), url.Values{"reveal_reason": {""}})
		orgStatus(t, "reveal without a reason", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "reveal without a reason", body, `<a href="#reveal_reason">Give the reason you need to know who raised this`)
		orgLacks(t, "reveal without a reason", body, staff.Email)

		res, body = e.PostForm(t, g1, reportPath(cn.ID, "/reveal"), url.Values{"reveal_reason": {"To arrange a meeting with them about next steps"}})
		orgStatus(t, "reveal", res.StatusCode, http.StatusOK, body)
		orgHas(t, "reveal", html.UnescapeString(body), "Who raised this", staff.Name, staff.Email, "Your reason has been kept as an internal note",
			"Revealed who raised this report. Reason: To arrange a meeting with them about next steps")
		for _, c := range res.Cookies() {
			if strings.Contains(c.Value, "test.example") {
				t.Errorf("the identity went into a cookie: %v", c)
			}
		}
		entries := rhAudited(t, e, cn.ID, "report.reveal_identity")
		if len(entries) != 1 || entries[0].Actor.UserID != e.Users[authz.Guardian].ID || strings.Contains(entries[0].Detail, "arrange a meeting") {
			t.Fatalf("reveal audit: %+v", entries)
		}

		// The identity is not kept: the next view and the second guardian see none.
		page = rhGet(t, e, g1, reportPath(cn.ID, ""), http.StatusOK)
		orgLacks(t, "assigned guardian's next view", page, staff.Email)
		page = rhGet(t, e, g2, reportPath(cn.ID, ""), http.StatusOK)
		orgLacks(t, "second guardian's view after the reveal", page, staff.Email, staff.Name)
		if len(rhAudited(t, e, cn.ID, "report.read")) == 0 {
			t.Error("no report.read entries")
		}
		_ = g2user
	})
}

func TestReportRerouteAndRedact(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		fx := newRHFixture(t, e)
		cn := fx.concern(t, report.Confidential, "A patient on Ward 7 was given the wrong insulin dose by agency nurse Jo Bloggs.")
		g, safety := e.SignIn(t, authz.Guardian), e.SignIn(t, authz.Safety)

		// Redaction replaces the words in the view. Only the texts the
		// reporter filled in are offered, by the names the page gives them.
		page := rhGet(t, e, g, reportPath(cn.ID, ""), http.StatusOK)
		orgHas(t, "redaction choices", page, `<option value="description">The concern</option>`,
			`<option value="desired_outcome">What they would like to happen</option>`)
		orgLacks(t, "redaction choices", page, `value="immediate_actions"`, `value="raised_elsewhere"`)
		page = rhPost(t, e, g, cn.ID, "redact", url.Values{"redact_target": {"description"}, "redact_passage": {"Jo Bloggs"},
			"redact_reason": {"Names of staff are not shared beyond the guardians"}})
		orgHas(t, "after redacting", page, "Passage redacted", "by agency nurse [redacted].", "1 passage has been redacted",
			"From the concern, by "+e.Users[authz.Guardian].Name+" on ", "Reason: Names of staff are not shared beyond the guardians")
		orgLacks(t, "after redacting", page, "Jo Bloggs")
		// The reporter reads why words are missing from their account.
		mine := rhGet(t, e, e.SignIn(t, authz.Staff), fmt.Sprintf("/my-reports/%d", cn.ID), http.StatusOK)
		orgHas(t, "reporter's view after redacting", mine, "by agency nurse [redacted].", "Where you see [redacted]")
		orgLacks(t, "reporter's view after redacting", mine, "Jo Bloggs")
		res, body := e.PostForm(t, g, reportPath(cn.ID, "/redact"), url.Values{"redact_target": {"description"}, "redact_passage": {"not in the text"}, "redact_reason": {"x"}})
		orgStatus(t, "redact words not there", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "redact words not there", body, `<a href="#redact_passage">Those exact words are not in the text`, ">not in the text</textarea>")
		if len(rhAudited(t, e, cn.ID, "report.redact")) != 1 {
			t.Error("the redaction was not audited once")
		}

		// Rerouting needs a reason, then moves the concern to the safety team.
		res, body = e.PostForm(t, g, reportPath(cn.ID, "/reroute"), url.Values{"reroute_reason": {""}})
		orgStatus(t, "reroute without a reason", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "reroute without a reason", body, `<a href="#reroute_reason">Say why this report belongs with the other team`)
		res, body = e.PostForm(t, g, reportPath(cn.ID, "/reroute"), url.Values{"reroute_reason": {"This is a medication incident"}})
		orgStatus(t, "reroute", res.StatusCode, http.StatusSeeOther, body)
		if loc := res.Header.Get("Location"); loc != "/reports" {
			t.Fatalf("after rerouting went to %q, want the queue", loc)
		}
		page = rhGet(t, e, g, "/reports", http.StatusOK)
		orgHas(t, "guardian queue after rerouting", page, "passed to the patient safety team", "The queue is clear")
		orgLacks(t, "guardian queue after rerouting", page, cn.Reference)
		rhGet(t, e, g, reportPath(cn.ID, ""), http.StatusNotFound)

		page = rhGet(t, e, safety, "/reports", http.StatusOK)
		orgHas(t, "safety queue after rerouting", page, cn.Reference)
		page = rhGet(t, e, safety, reportPath(cn.ID, ""), http.StatusOK)
		orgHas(t, "safety view of a rerouted report", page, "Confidential: only the assigned handler can reveal who raised this",
			"Passed to the patient safety team by the Freedom to Speak Up guardians: This is a medication incident", "The person who raised this cannot see it")
		orgLacks(t, "safety view of a rerouted report", page, e.Users[authz.Staff].Email, "Jo Bloggs")
		orgHas(t, "safety view of a rerouted report", page, "This report has no event type or harm yet", `action="/reports/`+fmt.Sprint(cn.ID)+`/classify"`)

		// Grading it: a missing answer is named, and the choices made are kept.
		res, body = e.PostForm(t, safety, reportPath(cn.ID, "/classify"), url.Values{"class_event_type": {"incident"}, "class_physical_harm": {"moderate"}})
		orgStatus(t, "classify without psychological harm", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "classify without psychological harm", body, `<a href="#class_psychological_harm">Choose the level of psychological harm`,
			`value="moderate" checked`)
		page = rhPost(t, e, safety, cn.ID, "classify", url.Values{"class_event_type": {"incident"}, "class_physical_harm": {"moderate"}, "class_psychological_harm": {"low"}})
		orgHas(t, "after classifying", page, "Classification saved", "Moderate", "As the reporter raised it", "Speak-up concern: ")
		orgLacks(t, "after classifying", page, "This report has no event type or harm yet")

		// The person who raised it reads their own account, and who has it
		// now: a message from the safety team is from the safety team.
		res, body = rhMultipart(t, e, safety, reportPath(cn.ID, "/messages"), "message", "We are looking at the insulin doses on the ward.",
			"message_files", "", "")
		orgStatus(t, "safety team's message", res.StatusCode, http.StatusSeeOther, body)
		status, mine := e.Get(t, e.SignIn(t, authz.Staff), fmt.Sprintf("/my-reports/%d", cn.ID))
		orgStatus(t, "reporter's page after passing on", status, http.StatusOK, mine)
		orgHas(t, "reporter's page after passing on", html.UnescapeString(mine), "Speak-up concern", "We are looking at the insulin doses",
			"the patient safety team")
		orgLacks(t, "reporter's page after passing on", html.UnescapeString(mine), "Moderate physical harm", "the Freedom to Speak Up guardians")

		// A report graded again before candour kept the reporter's account
		// (marked '' by migration 00021) says so, rather than showing none.
		if _, err := e.DB.ExecContext(context.Background(), `UPDATE reports SET reported_kind = '' WHERE id = ?`, cn.ID); err != nil {
			t.Fatal(err)
		}
		page = rhGet(t, e, safety, reportPath(cn.ID, ""), http.StatusOK)
		orgHas(t, "a grading from before it was kept", html.UnescapeString(page), "As the reporter raised it", "Not known",
			"graded again or passed on before candour kept the reporter's own account")
		orgLacks(t, "a grading from before it was kept", page, "Speak-up concern: ")
		status, mine = e.Get(t, e.SignIn(t, authz.Staff), fmt.Sprintf("/my-reports/%d", cn.ID))
		orgStatus(t, "reporter's page, grading not known", status, http.StatusOK, mine)
		orgLacks(t, "reporter's page, grading not known", html.UnescapeString(mine), "Not known", "candour kept")
	})
}

// A form sent after its sender's session ended saves nothing, but shows
// back what they wrote, to copy, on a sign-in page that returns them to
// the form's page; before, their words were gone.
func TestFormSentAfterTheSessionEndedKeepsTheWords(t *testing.T) {
	e := apptest.NewSQLite(t)
	fx := newRHFixture(t, e)
	ev := fx.event(t, fx.ward, report.Anonymous, "The drug fridge alarm sounded all night and nobody came.")
	signedOut := e.Client() // no session: it ended, or was ended elsewhere
	message := "Thank you for telling us. Which nights did this happen, and was the fridge on the ward checked?"
	res, body := rhMultipart(t, e, signedOut, reportPath(ev.ID, "/messages"), "message", message, "message_files", "notes.txt", "Night 1\n")
	orgStatus(t, "message after the session ended", res.StatusCode, http.StatusUnauthorized, body)
	orgHas(t, "message after the session ended", body, "<h1>Sign in</h1>", "You were signed out, so what you sent has not been saved",
		`readonly>`+html.EscapeString(message)+`</textarea>`, ">Your message</label>", `name="next" value="`+reportPath(ev.ID, "")+`"`)
	res, body = e.PostForm(t, signedOut, reportPath(ev.ID, "/close"), url.Values{"outcome": {"The fridge alarm now rings at the nurses' station as well."}})
	orgStatus(t, "outcome after the session ended", res.StatusCode, http.StatusUnauthorized, body)
	orgHas(t, "outcome after the session ended", html.UnescapeString(body), "The fridge alarm now rings at the nurses' station as well.</textarea>",
		">What you found and what changed</label>")
	var stored int
	e.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM report_messages WHERE report_id = ?`, ev.ID).Scan(&stored)
	var status string
	e.DB.QueryRowContext(context.Background(), `SELECT status FROM reports WHERE id = ?`, ev.ID).Scan(&status)
	if stored != 0 || status == "closed" {
		t.Fatalf("a form sent without a session changed the report: %d messages, status %s", stored, status)
	}
	// A page asked for without a session still goes to sign-in and back.
	res, _ = signedOut.Get(e.URL(reportPath(ev.ID, "")))
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in?next="+url.QueryEscape(reportPath(ev.ID, "")) {
		t.Fatalf("GET without a session: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
}

// What a signed-out form shows back is its free text only: never a
// password (a passphrase has spaces in it), and a form with no free text
// (signing out) goes to sign in as before.
func TestSignedOutFormsNeverShowPasswordsBack(t *testing.T) {
	e := apptest.NewSQLite(t)
	signedOut := e.Client()
	res, body := e.PostForm(t, signedOut, "/account/password", url.Values{"current_password": {"my old pass phrase"},
		"new_password": {"correct horse battery staple"}, "confirm_password": {"correct horse battery staple"}})
	if strings.Contains(body, "pass phrase") || strings.Contains(body, "battery staple") {
		t.Fatalf("the passwords came back on the page (%d)", res.StatusCode)
	}
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in" {
		t.Fatalf("a password form without a session: %d to %q, want the sign-in page", res.StatusCode, res.Header.Get("Location"))
	}
	res, _ = e.PostForm(t, signedOut, "/sign-out", url.Values{})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in" {
		t.Fatalf("signing out without a session: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
}
