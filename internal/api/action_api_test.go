package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"candour/internal/app/apptest"
	"candour/internal/authz"
	"candour/internal/store"
)

type actionProblem struct {
	Title  string
	Errors []struct{ Field, Detail string }
}

func (p actionProblem) has(field, text string) bool {
	for _, e := range p.Errors {
		if e.Field == field && strings.Contains(e.Detail, text) {
			return true
		}
	}
	return false
}

type actionBody struct {
	ID              int64
	Title           string
	Status          string
	OwnerID         int64   `json:"owner_id"`
	DueOn           string  `json:"due_on"`
	Overdue         bool    `json:"overdue"`
	Evidence        string  `json:"evidence"`
	CancelReason    string  `json:"cancel_reason"`
	ReportID        *int64  `json:"report_id"`
	ReportReference *string `json:"report_reference"`
	CompletedAt     *string `json:"completed_at"`
}

func TestActionsAPI(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		now := store.T(time.Now())
		var eventID int64
		if err := e.DB.QueryRowContext(ctx, `INSERT INTO reports (reference, kind, mode, team, status, description,
			received_on, created_at, updated_at, ack_due_on, feedback_due_on) VALUES ('SE-APIA-CT10', 'safety_event', 'anonymous', 'safety',
			'in_review', 'What happened', '2026-01-05', ?, ?, '2026-01-12', '2026-04-05') RETURNING id`, now, now).Scan(&eventID); err != nil {
			t.Fatal(err)
		}
		lead, manager, staff := e.Token(t, authz.Safety), e.Token(t, authz.Manager), e.Token(t, authz.Staff)
		call := func(method, path, token, body string) (*http.Response, string) {
			t.Helper()
			ct := ""
			if body != "" {
				ct = "application/json"
			}
			return e.API(t, method, path, token, ct, strings.NewReader(body))
		}
		problemOf := func(what string, res *http.Response, body string, want int) actionProblem {
			t.Helper()
			if res.StatusCode != want {
				t.Fatalf("%s: %d, want %d\n%s", what, res.StatusCode, want, body)
			}
			var p actionProblem
			json.Unmarshal([]byte(body), &p)
			return p
		}
		day := func(n int) string { return time.Now().AddDate(0, 0, n).Format("2006-01-02") }
		owner := e.Users[authz.Manager].ID

		// Refusals.
		res, body := call("POST", "/api/v1/actions", lead, fmt.Sprintf(`{"title":"Fix the buzzer","owner_id":%d,"due_on":%q,"report_id":%d}`, owner, day(-3), eventID))
		if p := problemOf("past due", res, body, 422); !p.has("due_on", "today or in the future") {
			t.Errorf("past due: %s", body)
		}
		res, body = call("POST", "/api/v1/actions", lead, fmt.Sprintf(`{"title":"","owner_id":999999,"due_on":"tomorrow","report_id":999999,"response_id":999999}`))
		p := problemOf("bad create", res, body, 422)
		for _, f := range []string{"title", "owner_id", "due_on", "report_id", "response_id"} {
			if !p.has(f, "") {
				t.Errorf("bad create lacks %s: %s", f, body)
			}
		}
		res, body = call("POST", "/api/v1/actions", lead, `{"title":"x","colour":"red"}`)
		if p := problemOf("unknown field", res, body, 422); !p.has("colour", "not a field") {
			t.Errorf("unknown field: %s", body)
		}
		res, body = call("POST", "/api/v1/actions", manager, `{"title":"x"}`)
		problemOf("manager create", res, body, 403)

		// Created, and seen by the owner only.
		res, body = call("POST", "/api/v1/actions", lead, fmt.Sprintf(`{"title":"Fix the delivery room 3 buzzer","description":"Fails one test in two","owner_id":%d,"due_on":%q,"report_id":%d}`, owner, day(7), eventID))
		if res.StatusCode != 201 {
			t.Fatalf("create: %d %s", res.StatusCode, body)
		}
		var a actionBody
		json.Unmarshal([]byte(body), &a)
		if a.Status != "open" || a.OwnerID != owner || a.ReportReference == nil || *a.ReportReference != "SE-APIA-CT10" || res.Header.Get("Location") != fmt.Sprintf("/api/v1/actions/%d", a.ID) {
			t.Fatalf("created %s", body)
		}
		path := fmt.Sprintf("/api/v1/actions/%d", a.ID)
		if res, body := call("GET", path, manager, ""); res.StatusCode != 200 || !strings.Contains(body, "Fix the delivery room 3 buzzer") {
			t.Errorf("owner GET: %d %s", res.StatusCode, body)
		}
		res, body = call("GET", path, staff, "")
		problemOf("staff GET", res, body, 404)
		res, body = call("PATCH", path, staff, `{"status":"in_progress"}`)
		problemOf("staff PATCH", res, body, 404)
		res, body = call("GET", "/api/v1/actions", staff, "")
		if res.StatusCode != 200 || !strings.Contains(body, `"items":[]`) {
			t.Errorf("staff list: %s", body)
		}
		res, body = call("GET", fmt.Sprintf("/api/v1/actions?owner_id=%d", owner), staff, "")
		if p := problemOf("staff listing another", res, body, 422); !p.has("owner", "only your own") {
			t.Errorf("staff listing another: %s", body)
		}
		res, body = call("GET", "/api/v1/actions?status=nope&overdue=maybe&limit=x", lead, "")
		p = problemOf("bad filters", res, body, 422)
		if !p.has("overdue", "true or false") || !p.has("limit", "") {
			t.Errorf("bad filters: %s", body)
		}

		// The owner's changes, and the limits on them.
		res, body = call("PATCH", path, manager, `{"title":"Something else"}`)
		if p := problemOf("owner retitles", res, body, 403); p.Title != "Patient safety team only" {
			t.Errorf("owner retitles: %s", body)
		}
		res, body = call("PATCH", path, manager, `{"status":"done"}`)
		if p := problemOf("done without evidence", res, body, 422); !p.has("evidence", "Enter the evidence") {
			t.Errorf("done without evidence: %s", body)
		}
		res, body = call("PATCH", path, manager, `{"status":"finished"}`)
		problemOf("bad status", res, body, 422)
		res, body = call("PATCH", path, manager, `{"status":"done","evidence":"Estates replaced the unit; tested 10 times with no failure."}`)
		json.Unmarshal([]byte(body), &a)
		if res.StatusCode != 200 || a.Status != "done" || a.CompletedAt == nil || !strings.Contains(a.Evidence, "tested 10 times") {
			t.Fatalf("done: %d %s", res.StatusCode, body)
		}
		if res, body := call("GET", "/api/v1/actions?status=done&mine=true", manager, ""); !strings.Contains(body, `"status":"done"`) {
			t.Errorf("owner's done list: %d %s", res.StatusCode, body)
		}

		// The safety team: reopen, move the date (never to the past), cancel with a reason, unlink.
		res, body = call("PATCH", path, lead, fmt.Sprintf(`{"status":"open","due_on":%q}`, day(-1)))
		if p := problemOf("past date", res, body, 422); !p.has("due_on", "") {
			t.Errorf("past date: %s", body)
		}
		res, body = call("PATCH", path, lead, `{"status":"cancelled"}`)
		if p := problemOf("cancel without reason", res, body, 422); !p.has("reason", "Enter reason") {
			t.Errorf("cancel without reason: %s", body)
		}
		res, body = call("PATCH", path, lead, `{"status":"cancelled","reason":"The whole call system is being replaced","report_id":0}`)
		json.Unmarshal([]byte(body), &a)
		if res.StatusCode != 200 || a.Status != "cancelled" || a.CancelReason == "" || a.ReportID != nil {
			t.Fatalf("cancel: %d %s", res.StatusCode, body)
		}

		// Overdue view.
		res, body = call("POST", "/api/v1/actions", lead, fmt.Sprintf(`{"title":"Print offline discharge letters","owner_id":%d,"due_on":%q}`, owner, day(0)))
		if res.StatusCode != 201 {
			t.Fatalf("second create: %s", body)
		}
		if _, err := e.DB.ExecContext(ctx, `UPDATE improvement_actions SET due_on = ? WHERE status = 'open'`, day(-2)); err != nil {
			t.Fatal(err)
		}
		res, body = call("GET", "/api/v1/actions/overdue", lead, "")
		if res.StatusCode != 200 || !strings.Contains(body, "Print offline discharge letters") || !strings.Contains(body, `"days_overdue":2`) {
			t.Errorf("overdue: %d %s", res.StatusCode, body)
		}
		res, body = call("GET", "/api/v1/actions/overdue", manager, "")
		problemOf("manager overdue", res, body, 403)
		res, body = call("GET", "/api/v1/actions/overdue?after=nonsense", lead, "")
		problemOf("bad cursor", res, body, 422)
		res, body = call("GET", "/api/v1/actions/999999", lead, "")
		problemOf("missing", res, body, 404)
	})
}
