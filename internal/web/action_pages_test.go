package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"candour/internal/app/apptest"
	"candour/internal/authz"
	"candour/internal/store"
)

// actionEvent adds a patient safety event straight to the database and
// returns its id.
func actionEvent(t *testing.T, e *apptest.Env, ref string) int64 {
	t.Helper()
	now := store.T(time.Now())
	var id int64
	if err := e.DB.QueryRowContext(context.Background(), `INSERT INTO reports (reference, kind, mode, team, status, description,
		received_on, created_at, updated_at, ack_due_on, feedback_due_on) VALUES (?, 'safety_event', 'anonymous', 'safety', 'in_review',
		'What happened', '2026-01-05', ?, ?, '2026-01-12', '2026-04-05') RETURNING id`, ref, now, now).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func actionDueValues(v url.Values, d time.Time) url.Values {
	v.Set("due_on-day", strconv.Itoa(d.Day()))
	v.Set("due_on-month", strconv.Itoa(int(d.Month())))
	v.Set("due_on-year", strconv.Itoa(d.Year()))
	return v
}

func TestActionPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		eventID := actionEvent(t, e, "SE-TEST-ACT1")
		lead, manager, staff := e.SignIn(t, authz.Safety), e.SignIn(t, authz.Manager), e.SignIn(t, authz.Staff)
		managerID := strconv.FormatInt(e.Users[authz.Manager].ID, 10)
		today := time.Now()

		// The form is prefilled from the event it starts from.
		status, body := e.Get(t, lead, "/actions/new?report="+strconv.FormatInt(eventID, 10))
		page := jcPage(t, "new action", status, http.StatusOK, body)
		jcHas(t, "new action", page, `value="SE-TEST-ACT1"`, "Add an improvement action", e.Users[authz.Manager].Email)
		if status, _ := e.Get(t, manager, "/actions/new"); status != http.StatusForbidden {
			t.Errorf("manager reached the new action form: %d", status)
		}

		// A past due date is refused with a clear message, and nothing typed is lost.
		v := actionDueValues(url.Values{"title": {"Restock ECG paper at the start of each shift"}, "owner": {managerID}, "report": {"SE-TEST-ACT1"},
			"description": {"Majors ran out of paper"}}, today.AddDate(0, 0, -2))
		res, body := e.PostForm(t, lead, "/actions", v)
		page = jcPage(t, "past due", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "past due", page, "There is a problem", "The due date must be today or in the future", `href="#due_on"`,
			`value="Restock ECG paper at the start of each shift"`, "Majors ran out of paper")
		v.Set("due_on-month", "13")
		res, body = e.PostForm(t, lead, "/actions", v)
		jcHas(t, "bad date", jcPage(t, "bad date", res.StatusCode, http.StatusUnprocessableEntity, body), "must be a real date")
		bad := actionDueValues(url.Values{"title": {""}, "owner": {""}, "report": {"SE-NOPE-NOPE"}}, today.AddDate(0, 0, 5))
		res, body = e.PostForm(t, lead, "/actions", bad)
		jcHas(t, "empty", jcPage(t, "empty", res.StatusCode, http.StatusUnprocessableEntity, body),
			"Enter title", "Choose who owns the action", "No patient safety event has the reference SE-NOPE-NOPE")

		v = actionDueValues(v, today.AddDate(0, 0, 10))
		loc := jcPost(t, e, lead, "/actions", v)
		if !strings.HasPrefix(loc, "/actions/") {
			t.Fatalf("created at %q", loc)
		}
		status, body = e.Get(t, lead, loc)
		page = jcPage(t, "action as lead", status, http.StatusOK, body)
		jcHas(t, "action as lead", page, "Action added", "Restock ECG paper", "Test Line manager", "SE-TEST-ACT1",
			`href="/reports/`+strconv.FormatInt(eventID, 10)+`"`, loc+"/edit", "Reason for cancelling")

		// The owner sees it, without the safety team's controls; others do not.
		status, body = e.Get(t, manager, loc)
		page = jcPage(t, "action as owner", status, http.StatusOK, body)
		jcHas(t, "action as owner", page, "Restock ECG paper", "Evidence of completion")
		jcLacks(t, "action as owner", page, loc+"/edit", "Reason for cancelling", `href="/reports/`)
		if status, _ := e.Get(t, staff, loc); status != http.StatusNotFound {
			t.Errorf("staff member sees someone else's action: %d", status)
		}
		status, body = e.Get(t, manager, "/actions")
		jcHas(t, "my actions", jcPage(t, "my actions", status, http.StatusOK, body), "Your improvement actions", "Restock ECG paper")
		status, body = e.Get(t, staff, "/actions")
		jcLacks(t, "staff actions", jcPage(t, "staff actions", status, http.StatusOK, body), "Restock ECG paper")
		if res, _ := e.PostForm(t, staff, loc+"/status", url.Values{"status": {"done"}, "evidence": {"x"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("staff member updated someone else's action: %d", res.StatusCode)
		}

		// Done needs evidence; the owner cannot cancel.
		res, body = e.PostForm(t, manager, loc+"/status", url.Values{"status": {"done"}, "evidence": {""}})
		jcHas(t, "done without evidence", jcPage(t, "done without evidence", res.StatusCode, http.StatusUnprocessableEntity, body),
			"Enter the evidence of completion")
		if res, _ := e.PostForm(t, manager, loc+"/status", url.Values{"status": {"cancelled"}, "reason": {"no"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("owner cancelled: %d", res.StatusCode)
		}
		if res, _ := e.PostForm(t, manager, loc, url.Values{"title": {"x"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("owner edited the details: %d", res.StatusCode)
		}
		jcPost(t, e, manager, loc+"/status", url.Values{"status": {"in_progress"}, "evidence": {"Paper added to the stock list"}})
		status, body = e.Get(t, manager, loc)
		jcHas(t, "in progress", jcPage(t, "in progress", status, http.StatusOK, body), "In progress", "Paper added to the stock list")

		// The safety team changes the due date, never to the past.
		status, body = e.Get(t, lead, loc+"/edit")
		jcHas(t, "edit", jcPage(t, "edit", status, http.StatusOK, body), `value="Restock ECG paper`, `name="due_on-day"`)
		edit := actionDueValues(url.Values{"title": {"Restock ECG paper at every shift start"}, "owner": {managerID}, "report": {"SE-TEST-ACT1"}}, today.AddDate(0, 0, -1))
		res, body = e.PostForm(t, lead, loc, edit)
		jcHas(t, "edit past", jcPage(t, "edit past", res.StatusCode, http.StatusUnprocessableEntity, body), "has passed")
		jcPost(t, e, lead, loc, actionDueValues(edit, today.AddDate(0, 0, 20)))

		// Overdue: the leads' view, oldest first; not for managers.
		if _, err := e.DB.ExecContext(ctx, `UPDATE improvement_actions SET due_on = ?`, today.AddDate(0, 0, -4).Format("2006-01-02")); err != nil {
			t.Fatal(err)
		}
		status, body = e.Get(t, lead, "/actions/overdue")
		jcHas(t, "overdue", jcPage(t, "overdue", status, http.StatusOK, body), "Overdue improvement actions", "Restock ECG paper", "Overdue by")
		if status, _ := e.Get(t, manager, "/actions/overdue"); status != http.StatusForbidden {
			t.Errorf("manager reached the overdue view: %d", status)
		}
		status, body = e.Get(t, lead, "/actions?overdue=yes&owner="+managerID+"&report=SE-TEST-ACT1")
		jcHas(t, "filtered", jcPage(t, "filtered", status, http.StatusOK, body), "Restock ECG paper", "Clear the filters")
		status, body = e.Get(t, lead, "/actions?status=bogus&report=SE-NOPE-NOPE")
		jcHas(t, "bad filters", jcPage(t, "bad filters", status, http.StatusBadRequest, body), "Choose a status from the list", "No patient safety event")
		status, body = e.Get(t, manager, loc)
		jcHas(t, "overdue owner", jcPage(t, "overdue owner", status, http.StatusOK, body), "Overdue by 4 days")

		// Cancelling needs a reason.
		res, body = e.PostForm(t, lead, loc+"/status", url.Values{"status": {"cancelled"}, "reason": {""}})
		jcHas(t, "cancel", jcPage(t, "cancel", res.StatusCode, http.StatusUnprocessableEntity, body), "Enter reason for cancelling")
		jcPost(t, e, lead, loc+"/status", url.Values{"status": {"cancelled"}, "reason": {"The ward now has a second machine with its own stock"}})
		status, body = e.Get(t, manager, loc)
		page = html.UnescapeString(body)
		jcHas(t, "cancelled", jcPage(t, "cancelled", status, http.StatusOK, page), "Cancelled", "second machine", "ask the patient safety team")
		jcLacks(t, "cancelled", page, `action="`+loc+`/status"`)

		if status, _ := e.Get(t, lead, "/actions/999999"); status != http.StatusNotFound {
			t.Errorf("missing action: %d", status)
		}
	})
}
