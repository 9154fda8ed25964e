package api_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"candour/internal/api"
	"candour/internal/app/apptest"
	"candour/internal/audit"
	"candour/internal/authz"
)

// send posts v as JSON to path, with token when not empty.
func send(t *testing.T, e *apptest.Env, path, token string, v any) (*http.Response, string) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return e.API(t, "POST", path, token, "application/json", strings.NewReader(string(b)))
}

// sendKeyed is send with an Idempotency-Key header (and no token when
// token is "").
func sendKeyed(t *testing.T, e *apptest.Env, path, token, key string, v any) (*http.Response, string) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", e.URL(path), strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Idempotency-Key", key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(out)
}

func want(t *testing.T, res *http.Response, body string, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d: %s", res.Request.Method, res.Request.URL.Path, res.StatusCode, status, body)
	}
}

// concern is a minimal speak-up concern.
func concern(mode string) map[string]any {
	return map[string]any{"kind": "concern", "mode": mode,
		"description": "Staff on the night shift are regularly left without a break for twelve hours.",
		"elements":    []string{"worker_safety"}}
}

// safetyEvent is a minimal patient safety event in dep.
func safetyEvent(mode string, dep int64) map[string]any {
	return map[string]any{"kind": "safety_event", "mode": mode, "department_id": dep,
		"occurred_at": time.Now().Add(-2 * time.Hour).UTC().Format(time.RFC3339),
		"description": "A patient was given a second dose of paracetamol four hours early.",
		"event_type":  "incident", "physical_harm": "low", "psychological_harm": "none"}
}

type receipt struct {
	ID            int64     `json:"id"`
	Reference     string    `json:"reference"`
	AccessCode    string    `json:"access_code"`
	AcknowledgeBy string    `json:"acknowledge_by"`
	FeedbackBy    string    `json:"feedback_by"`
	Repeat        bool      `json:"repeat"`
	Warnings      []warning `json:"warnings"`
}

type warning struct{ Field, Kind, Text string }

type followUpView struct {
	Reference       string `json:"reference"`
	Kind            string `json:"kind"`
	Team            string `json:"team"`
	Status          string `json:"status"`
	StatusLabel     string `json:"status_label"`
	Description     string `json:"description"`
	Outcome         string `json:"outcome"`
	CanGiveFeedback bool   `json:"can_give_feedback"`
	Closing         string `json:"closing"`
	Messages        []struct {
		From     string `json:"from"`
		Internal bool   `json:"internal"`
		Body     string `json:"body"`
	} `json:"messages"`
	Feedback *struct {
		SpeakUpAgain string `json:"speak_up_again"`
		Detriment    string `json:"detriment"`
	} `json:"feedback"`
}

func problemOf(t *testing.T, body string) api.Problem {
	t.Helper()
	return decodeJSON[api.Problem](t, body)
}

func fields(p api.Problem) []string {
	var out []string
	for _, fe := range p.Errors {
		out = append(out, fe.Field)
	}
	return out
}

func countReports(t *testing.T, e *apptest.Env) int {
	t.Helper()
	var n int
	if err := e.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM reports`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAnonymousReportAndFollowUp(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		guardian := e.Token(t, authz.Guardian)

		// No token at all: 201 with the access code, shown this once.
		res, body := send(t, e, "/api/v1/reports", "", concern("anonymous"))
		want(t, res, body, http.StatusCreated)
		rec := decodeJSON[receipt](t, body)
		if rec.ID == 0 || !strings.HasPrefix(rec.Reference, "SU-") || rec.AccessCode == "" || rec.AcknowledgeBy == "" ||
			rec.FeedbackBy == "" || rec.Repeat || rec.Warnings == nil || len(rec.Warnings) != 0 {
			t.Fatalf("anonymous receipt: %s", body)
		}

		// A staff token sent with an anonymous report is ignored entirely.
		res, body = send(t, e, "/api/v1/reports", e.Token(t, authz.Staff), concern("anonymous"))
		want(t, res, body, http.StatusCreated)
		withToken := decodeJSON[receipt](t, body)

		for _, id := range []int64{rec.ID, withToken.ID} {
			var userID sql.NullInt64
			var key, sealed sql.NullString
			var created string
			err := e.DB.QueryRowContext(context.Background(), `SELECT reporter_user_id, reporter_key, reporter_sealed, created_at FROM reports WHERE id = ?`, id).
				Scan(&userID, &key, &sealed, &created)
			if err != nil {
				t.Fatal(err)
			}
			if userID.Valid || key.Valid || sealed.Valid {
				t.Fatalf("anonymous report %d stores reporter fields: %v %v %v", id, userID, key, sealed)
			}
			if !strings.Contains(created, "00:00:00") {
				t.Fatalf("anonymous report %d keeps a precise time: %s", id, created)
			}
		}
		// Both submissions are audited, held back until the day is over
		// (internal/audit/pending.go), and neither names the sender.
		entries, _, err := audit.List(context.Background(), e.DB, audit.Filter{Action: "report.submit"})
		if err != nil || len(entries) != 0 {
			t.Fatalf("anonymous submissions in the audit chain the day they were made: %+v %v", entries, err)
		}
		var held int
		e.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM audit_pending WHERE action = 'report.submit' AND actor = 'reporter (anonymous)'`).Scan(&held)
		if held != 2 {
			t.Fatalf("%d anonymous submissions held for the audit chain, want 2", held)
		}

		// The access code buys a follow-up token.
		res, body = send(t, e, "/api/v1/followup/session", "", map[string]string{"access_code": strings.ToLower(rec.AccessCode)})
		want(t, res, body, http.StatusOK)
		sess := decodeJSON[struct {
			Token     string    `json:"token"`
			ExpiresAt time.Time `json:"expires_at"`
		}](t, body)
		if !strings.HasPrefix(sess.Token, "fu1.") || sess.ExpiresAt.Before(time.Now()) {
			t.Fatalf("session: %s", body)
		}
		fu := sess.Token
		res, body = e.API(t, "GET", "/api/v1/followup", fu, "", nil)
		want(t, res, body, http.StatusOK)
		view := decodeJSON[followUpView](t, body)
		if view.Reference != rec.Reference || view.Status != "new" || view.StatusLabel != "New" || view.CanGiveFeedback ||
			view.Kind == "" || view.Team == "" ||
			!strings.Contains(view.Description, "night shift") || len(view.Messages) != 0 {
			t.Fatalf("follow-up view: %s", body)
		}
		// The follow-up token is not an account, and anywhere but the
		// follow-up endpoints it is refused as a token not valid there: a
		// report sent with it is not taken as anonymous and stored.
		before := countReports(t, e)
		for _, c := range []struct{ method, path string }{{"GET", "/api/v1/me"}, {"GET", "/api/v1/reports"}, {"POST", "/api/v1/reports"}} {
			var res *http.Response
			var body string
			if c.method == "POST" {
				res, body = send(t, e, c.path, fu, concern("anonymous"))
			} else {
				res, body = e.API(t, c.method, c.path, fu, "", nil)
			}
			if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "works only on the /api/v1/followup endpoints") ||
				!strings.Contains(res.Header.Get("WWW-Authenticate"), "invalid_token") {
				t.Fatalf("follow-up token on %s %s: %d %s", c.method, c.path, res.StatusCode, body)
			}
		}
		if n := countReports(t, e); n != before {
			t.Fatalf("a report sent with a follow-up token was stored (%d reports, was %d)", n, before)
		}

		// A message to the reporter reaches them; an internal note does not.
		path := fmt.Sprintf("/api/v1/reports/%d", rec.ID)
		res, body = send(t, e, path+"/messages", guardian, map[string]string{"body": "Thank you. Which ward is this about?"})
		want(t, res, body, http.StatusOK)
		res, body = send(t, e, path+"/notes", guardian, map[string]string{"body": "Possibly linked to the rota change: internal"})
		want(t, res, body, http.StatusOK)
		if !strings.Contains(body, "linked to the rota change") || !strings.Contains(body, `"internal":true`) {
			t.Fatalf("handler view lacks the note: %s", body)
		}
		res, body = send(t, e, "/api/v1/followup/messages", fu, map[string]string{"body": "Ward 7, mostly at weekends."})
		want(t, res, body, http.StatusOK)
		view = decodeJSON[followUpView](t, body)
		if len(view.Messages) != 2 || view.Messages[0].From != "handler" || view.Messages[1].From != "reporter" ||
			strings.Contains(body, "rota change") {
			t.Fatalf("follow-up messages: %s", body)
		}
		if res, body := send(t, e, "/api/v1/followup/messages", fu, map[string]string{"body": " "}); res.StatusCode != 422 ||
			!slices.Contains(fields(problemOf(t, body)), "body") {
			t.Fatalf("empty reporter message: %d %s", res.StatusCode, body)
		}
		// A message retried with its Idempotency-Key is stored once, from
		// either side; a key that cannot be one is refused by name.
		for i := range 2 {
			res, body = sendKeyed(t, e, "/api/v1/followup/messages", fu, "7d1f3c2a-9b4e-4f60-8a21-5c3e9d0b7a14", map[string]string{"body": "It was the night of the 1st."})
			want(t, res, body, http.StatusOK)
			if replayed := res.Header.Get("Idempotent-Replayed") == "true"; replayed != (i == 1) {
				t.Fatalf("reporter's message, sending %d: Idempotent-Replayed %q", i+1, res.Header.Get("Idempotent-Replayed"))
			}
			res, body = sendKeyed(t, e, path+"/messages", guardian, "7d1f3c2a-9b4e-4f60-8a21-5c3e9d0b7a14", map[string]string{"body": "Thank you, that helps."})
			want(t, res, body, http.StatusOK)
			if replayed := res.Header.Get("Idempotent-Replayed") == "true"; replayed != (i == 1) {
				t.Fatalf("team's message, sending %d: Idempotent-Replayed %q", i+1, res.Header.Get("Idempotent-Replayed"))
			}
		}
		// The team's view: two messages and a note before, and one of each keyed message.
		if view = decodeJSON[followUpView](t, body); len(view.Messages) != 5 {
			t.Fatalf("after two keyed messages sent twice each, %d messages and notes, want 5: %s", len(view.Messages), body)
		}
		res, body = sendKeyed(t, e, "/api/v1/followup/messages", fu, "too short", map[string]string{"body": "Another thing."})
		if fs := fields(problemOf(t, body)); res.StatusCode != 422 || !slices.Contains(fs, "idempotency_key") {
			t.Fatalf("a message with a bad Idempotency-Key: %d %s", res.StatusCode, body)
		}

		// Feedback waits for closure, then is taken once.
		feedback := map[string]string{"speak_up_again": "yes", "detriment": "no"}
		if res, body := send(t, e, "/api/v1/followup/feedback", fu, feedback); res.StatusCode != http.StatusConflict {
			t.Fatalf("feedback before closure: %d %s", res.StatusCode, body)
		}
		res, body = send(t, e, path+"/close", guardian, map[string]string{"outcome": "We found breaks were not being covered; the rota now has a break cover nurse."})
		want(t, res, body, http.StatusOK)
		res, body = e.API(t, "GET", "/api/v1/followup", fu, "", nil)
		want(t, res, body, http.StatusOK)
		view = decodeJSON[followUpView](t, body)
		if view.Status != "closed" || !view.CanGiveFeedback || !strings.Contains(view.Outcome, "break cover") {
			t.Fatalf("closed view: %s", body)
		}
		res, body = send(t, e, "/api/v1/followup/feedback", fu, map[string]string{"speak_up_again": "perhaps", "detriment": "no"})
		if res.StatusCode != 422 || !slices.Contains(fields(problemOf(t, body)), "speak_up_again") {
			t.Fatalf("feedback not among the choices: %d %s", res.StatusCode, body)
		}
		// An answer to a closing other than the one shown is refused.
		stale := map[string]string{"speak_up_again": "yes", "detriment": "no", "closing": "0123456789abcdef"}
		if res, body := send(t, e, "/api/v1/followup/feedback", fu, stale); res.StatusCode != http.StatusConflict || view.Closing == "" {
			t.Fatalf("feedback to another closing: %d %s (closing shown %q)", res.StatusCode, body, view.Closing)
		}
		// A mark this server never gave is the client's slip, not a closing since.
		made := map[string]string{"speak_up_again": "yes", "detriment": "no", "closing": "deadbeef"}
		if res, body := send(t, e, "/api/v1/followup/feedback", fu, made); res.StatusCode != 422 || !slices.Contains(fields(problemOf(t, body)), "closing") {
			t.Fatalf("feedback with a made-up closing mark: %d %s", res.StatusCode, body)
		}
		feedback["closing"] = view.Closing
		res, body = send(t, e, "/api/v1/followup/feedback", fu, feedback)
		want(t, res, body, http.StatusOK)
		view = decodeJSON[followUpView](t, body)
		if view.CanGiveFeedback || view.Feedback == nil || view.Feedback.SpeakUpAgain != "yes" || view.Feedback.Detriment != "no" {
			t.Fatalf("after feedback: %s", body)
		}
		if res, body := send(t, e, "/api/v1/followup/feedback", fu, feedback); res.StatusCode != http.StatusConflict {
			t.Fatalf("second feedback: %d %s", res.StatusCode, body)
		}

		// Wrong codes all get the same answer.
		var details []string
		last := "X"
		if strings.HasSuffix(rec.AccessCode, "X") {
			last = "Y" // one character off, whatever the real code ends with
		}
		for _, code := range []string{"AAAA-AAAA-AAAA-AAAA-AAAA", rec.AccessCode[:len(rec.AccessCode)-1] + last} {
			res, body := send(t, e, "/api/v1/followup/session", "", map[string]string{"access_code": code})
			want(t, res, body, http.StatusUnauthorized)
			p := problemOf(t, body)
			if res.Header.Get("Content-Type") != "application/problem+json" || p.Detail == "" {
				t.Fatalf("wrong code: %s", body)
			}
			details = append(details, p.Title+"|"+p.Detail)
		}
		if details[0] != details[1] {
			t.Fatalf("wrong codes answered differently: %q", details)
		}
		if res, body := send(t, e, "/api/v1/followup/session", "", map[string]string{"access_code": ""}); res.StatusCode != 422 {
			t.Fatalf("empty access code: %d %s", res.StatusCode, body)
		}

		// No token, a forged one, and (after the clock moves on) an expired one.
		if res, body := e.API(t, "GET", "/api/v1/followup", "", "", nil); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("no follow-up token: %d %s", res.StatusCode, body)
		}
		if res, body := e.API(t, "GET", "/api/v1/followup", "fu1.MTIzLjk5OTk5OTk5OTk.forged", "", nil); res.StatusCode != http.StatusUnauthorized ||
			!strings.Contains(body, "start again with your access code") {
			t.Fatalf("forged follow-up token: %d %s", res.StatusCode, body)
		}
		now := e.App.Reports.Now
		e.App.Reports.Now = func() time.Time { return now().Add(31 * time.Minute) }
		t.Cleanup(func() { e.App.Reports.Now = now })
		res, body = e.API(t, "GET", "/api/v1/followup", fu, "", nil)
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(problemOf(t, body).Detail, "start again with your access code") {
			t.Fatalf("expired follow-up token: %d %s", res.StatusCode, body)
		}
	})
}

func TestOpenAndConfidentialReports(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		depA, _ := seed(t, e)
		staff := e.Token(t, authz.Staff)
		safety := e.Token(t, authz.Safety)
		staffUser := e.Users[authz.Staff]

		res, body := send(t, e, "/api/v1/reports", "", safetyEvent("open", depA))
		want(t, res, body, http.StatusUnauthorized)
		if p := problemOf(t, body); !strings.Contains(p.Detail, "anonymous") {
			t.Fatalf("open without a token: %s", body)
		}
		if res, body := send(t, e, "/api/v1/reports", "", concern("confidential")); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("confidential without a token: %d %s", res.StatusCode, body)
		}
		if countReports(t, e) != 0 {
			t.Fatal("a report was stored without its reporter")
		}

		ev := safetyEvent("open", depA)
		ev["occurred_at"] = "2025-07-01T13:30:00Z" // 14:30 in London (BST)
		ev["people"] = []map[string]string{{"role": "patient", "description": "Bed 4", "name": ""}}
		res, body = send(t, e, "/api/v1/reports", staff, ev)
		want(t, res, body, http.StatusCreated)
		open := decodeJSON[receipt](t, body)
		if open.AccessCode != "" || strings.Contains(body, "access_code") {
			t.Fatalf("open report got an access code: %s", body)
		}
		ev = safetyEvent("confidential", depA)
		res, body = send(t, e, "/api/v1/reports", staff, ev)
		want(t, res, body, http.StatusCreated)
		conf := decodeJSON[receipt](t, body)

		res, body = e.API(t, "GET", "/api/v1/my-reports", staff, "", nil)
		want(t, res, body, http.StatusOK)
		mine := decodeJSON[list](t, body)
		if len(mine.Items) != 2 || mine.Items[0]["reference"] != conf.Reference || mine.Items[1]["reference"] != open.Reference ||
			mine.Items[0]["mode"] != "confidential" || mine.Items[1]["status"] != "new" {
			t.Fatalf("my reports: %s", body)
		}
		if _, body := e.API(t, "GET", "/api/v1/my-reports", e.Token(t, authz.Manager), "", nil); len(decodeJSON[list](t, body).Items) != 0 {
			t.Fatalf("someone else's reports: %s", body)
		}
		if res, _ := e.API(t, "GET", "/api/v1/my-reports", "", "", nil); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("my reports without a token: %d", res.StatusCode)
		}

		// Handlers see an open reporter's name; never a confidential one's.
		res, body = e.API(t, "GET", fmt.Sprintf("/api/v1/reports/%d", open.ID), safety, "", nil)
		want(t, res, body, http.StatusOK)
		got := decodeJSON[map[string]any](t, body)
		rep, _ := got["reporter"].(map[string]any)
		if rep["email"] != staffUser.Email || got["occurred_on"] != "2025-07-01" || got["occurred_time"] != "14:30" ||
			fmt.Sprint(got["people"]) != "[map[description:Bed 4 name: role:patient]]" {
			t.Fatalf("open report for handlers: %s", body)
		}
		res, body = e.API(t, "GET", fmt.Sprintf("/api/v1/reports/%d", conf.ID), safety, "", nil)
		want(t, res, body, http.StatusOK)
		if !strings.Contains(body, `"reporter":null`) || strings.Contains(body, staffUser.Email) || strings.Contains(body, staffUser.Name) {
			t.Fatalf("confidential reporter identity shown: %s", body)
		}

		// Only the handler it is assigned to can reveal who raised it, and
		// must say why; the reason becomes an internal note and the reveal
		// is audited.
		revealPath := fmt.Sprintf("/api/v1/reports/%d/reveal", conf.ID)
		const why = "The family have asked to meet the member of staff who raised this"
		res, body = send(t, e, revealPath, safety, map[string]string{"reason": why})
		want(t, res, body, http.StatusForbidden)
		if p := problemOf(t, body); !strings.Contains(p.Title, "assigned handler") {
			t.Fatalf("reveal before assignment: %s", body)
		}
		res, body = send(t, e, fmt.Sprintf("/api/v1/reports/%d/assign", conf.ID), safety, map[string]int64{"user_id": e.Users[authz.Safety].ID})
		want(t, res, body, http.StatusOK)
		// (Assigning answers with the report, a read; what follows is not.)
		readsBefore, _, err := audit.List(context.Background(), e.DB, audit.Filter{Action: "report.read"})
		if err != nil {
			t.Fatal(err)
		}
		res, body = send(t, e, revealPath, safety, map[string]string{"reason": "curious"})
		want(t, res, body, http.StatusUnprocessableEntity)
		if p := problemOf(t, body); len(p.Errors) != 1 || p.Errors[0].Field != "reason" || strings.Contains(body, staffUser.Email) {
			t.Fatalf("reveal with too short a reason: %s", body)
		}
		res, body = send(t, e, revealPath, e.Token(t, authz.Guardian), map[string]string{"reason": why})
		want(t, res, body, http.StatusNotFound) // a safety event is not the guardians' to see
		res, body = send(t, e, revealPath, staff, map[string]string{"reason": why})
		want(t, res, body, http.StatusForbidden)
		if strings.Contains(body, staffUser.Email) {
			t.Fatalf("a refused reveal named the reporter: %s", body)
		}
		if entries, _, err := audit.List(context.Background(), e.DB, audit.Filter{Action: "report.reveal_identity"}); err != nil || len(entries) != 0 {
			t.Fatalf("refused reveals audited as reveals: %+v %v", entries, err)
		}
		res, body = send(t, e, revealPath, safety, map[string]string{"reason": why})
		want(t, res, body, http.StatusOK)
		who := decodeJSON[map[string]any](t, body)
		if who["email"] != staffUser.Email || who["name"] != staffUser.Name || who["user_id"] != float64(staffUser.ID) {
			t.Fatalf("revealed: %s", body)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Fatalf("a reveal may be cached: Cache-Control %q", cc)
		}
		entries, _, err := audit.List(context.Background(), e.DB, audit.Filter{Action: "report.reveal_identity"})
		if err != nil || len(entries) != 1 || entries[0].Actor.UserID != e.Users[authz.Safety].ID || entries[0].EntityID != fmt.Sprint(conf.ID) {
			t.Fatalf("reveal audit entries: %+v %v", entries, err)
		}
		// Revealing, or being refused, is not reading the report.
		if reads, _, err := audit.List(context.Background(), e.DB, audit.Filter{Action: "report.read"}); err != nil || len(reads) != len(readsBefore) {
			t.Fatalf("reveals audited as %d reads of the report (%v)", len(reads)-len(readsBefore), err)
		}
		res, body = e.API(t, "GET", fmt.Sprintf("/api/v1/reports/%d", conf.ID), safety, "", nil)
		want(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Revealed who raised this report. Reason: "+why) || strings.Contains(body, staffUser.Email) {
			t.Fatalf("after a reveal the report should keep the reason as a note and still not name the reporter: %s", body)
		}

		// Open reports name their reporter already; anonymous ones have
		// nobody to name.
		res, body = send(t, e, fmt.Sprintf("/api/v1/reports/%d/reveal", open.ID), safety, map[string]string{"reason": why})
		want(t, res, body, http.StatusConflict)
		res, body = send(t, e, "/api/v1/reports", "", safetyEvent("anonymous", depA))
		want(t, res, body, http.StatusCreated)
		anon := decodeJSON[receipt](t, body)
		res, body = send(t, e, fmt.Sprintf("/api/v1/reports/%d/reveal", anon.ID), safety, map[string]string{"reason": why})
		want(t, res, body, http.StatusConflict)
		if p := problemOf(t, body); p.Title != "Raised anonymously" {
			t.Fatalf("reveal of an anonymous report: %s", body)
		}
	})
}

func TestQueueRolesAndTriage(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		depA, _ := seed(t, e)
		guardian, safety := e.Token(t, authz.Guardian), e.Token(t, authz.Safety)
		_, body := send(t, e, "/api/v1/reports", "", concern("anonymous"))
		c1 := decodeJSON[receipt](t, body)
		_, body = send(t, e, "/api/v1/reports", "", concern("anonymous"))
		c2 := decodeJSON[receipt](t, body)
		_, body = send(t, e, "/api/v1/reports", "", safetyEvent("anonymous", depA))
		se := decodeJSON[receipt](t, body)
		if c1.ID == 0 || c2.ID == 0 || se.ID == 0 {
			t.Fatal("reports not stored")
		}
		c1Path := fmt.Sprintf("/api/v1/reports/%d", c1.ID)

		res, body := e.API(t, "GET", "/api/v1/reports", guardian, "", nil)
		want(t, res, body, http.StatusOK)
		if !strings.Contains(body, c1.Reference) || strings.Contains(body, se.Reference) {
			t.Fatalf("guardian queue: %s", body)
		}
		res, body = e.API(t, "GET", "/api/v1/reports", safety, "", nil)
		want(t, res, body, http.StatusOK)
		if strings.Contains(body, c1.Reference) || !strings.Contains(body, se.Reference) {
			t.Fatalf("safety queue: %s", body)
		}
		if res, body := e.API(t, "GET", c1Path, safety, "", nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("safety reading a concern: %d %s", res.StatusCode, body)
		}
		if res, body := e.API(t, "GET", "/api/v1/reports/999999", guardian, "", nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("no such report: %d %s", res.StatusCode, body)
		}
		_, body = e.API(t, "GET", "/api/v1/reports?limit=1", guardian, "", nil)
		page := decodeJSON[list](t, body)
		if len(page.Items) != 1 || page.Next == "" || page.Items[0]["reference"] != c1.Reference {
			t.Fatalf("first page: %s", body)
		}
		_, body = e.API(t, "GET", "/api/v1/reports?limit=1&after="+page.Next, guardian, "", nil)
		if page = decodeJSON[list](t, body); len(page.Items) != 1 || page.Items[0]["reference"] != c2.Reference {
			t.Fatalf("second page: %s", body)
		}
		if res, body := e.API(t, "GET", "/api/v1/reports?team=safety", guardian, "", nil); res.StatusCode != http.StatusForbidden {
			t.Fatalf("another team's queue: %d %s", res.StatusCode, body)
		}
		res, body = e.API(t, "GET", "/api/v1/reports?status=lost&limit=0&assigned_to_me=maybe&overdue=often&reference=SE-1", guardian, "", nil)
		if fs := fields(problemOf(t, body)); res.StatusCode != 422 || len(fs) != 5 || !slices.Contains(fs, "reference") || !slices.Contains(fs, "overdue") {
			t.Fatalf("bad queue filters: %d %s", res.StatusCode, body)
		}
		// A reference as someone reads it out finds that report, and only
		// in its own team's queue.
		loose := url.QueryEscape(strings.ToLower(strings.ReplaceAll(c2.Reference, "-", " ")))
		_, body = e.API(t, "GET", "/api/v1/reports?reference="+loose, guardian, "", nil)
		if page = decodeJSON[list](t, body); len(page.Items) != 1 || page.Items[0]["reference"] != c2.Reference {
			t.Fatalf("by reference: %s", body)
		}
		_, body = e.API(t, "GET", "/api/v1/reports?reference="+loose, safety, "", nil)
		if page = decodeJSON[list](t, body); len(page.Items) != 0 {
			t.Fatalf("another team's report by reference: %s", body)
		}
		// Closed, it is still found by its reference, unless a status says otherwise.
		if _, err := e.DB.ExecContext(context.Background(), `UPDATE reports SET status = 'closed' WHERE id = ?`, c2.ID); err != nil {
			t.Fatal(err)
		}
		_, body = e.API(t, "GET", "/api/v1/reports?reference="+loose, guardian, "", nil)
		if page = decodeJSON[list](t, body); len(page.Items) != 1 {
			t.Fatalf("a closed report by reference: %s", body)
		}
		_, body = e.API(t, "GET", "/api/v1/reports?status=new&reference="+loose, guardian, "", nil)
		if page = decodeJSON[list](t, body); len(page.Items) != 0 {
			t.Fatalf("a closed report by reference, asking for new ones: %s", body)
		}
		if _, err := e.DB.ExecContext(context.Background(), `UPDATE reports SET status = 'new' WHERE id = ?`, c2.ID); err != nil {
			t.Fatal(err)
		}
		res, body = e.API(t, "GET", "/api/v1/reports?reference="+url.QueryEscape(c2.Reference[:len(c2.Reference)-1]+"x"), guardian, "", nil)
		want(t, res, body, http.StatusUnprocessableEntity)
		// Past a deadline: only c1, once its acknowledgement date has gone.
		if _, err := e.DB.ExecContext(context.Background(), `UPDATE reports SET ack_due_on = '2020-01-06' WHERE id = ?`, c1.ID); err != nil {
			t.Fatal(err)
		}
		_, body = e.API(t, "GET", "/api/v1/reports?overdue=true", guardian, "", nil)
		if page = decodeJSON[list](t, body); len(page.Items) != 1 || page.Items[0]["reference"] != c1.Reference || page.Items[0]["overdue"] != "acknowledgement" {
			t.Fatalf("overdue: %s", body)
		}
		// Acknowledged, c1 is no longer late for that; its feedback date going too makes it late again.
		var feedbackDue string
		e.DB.QueryRowContext(context.Background(), `SELECT feedback_due_on FROM reports WHERE id = ?`, c1.ID).Scan(&feedbackDue)
		if _, err := e.DB.ExecContext(context.Background(), `UPDATE reports SET acknowledged_at = '2026-03-02T10:00:00.000000Z' WHERE id = ?`, c1.ID); err != nil {
			t.Fatal(err)
		}
		_, body = e.API(t, "GET", "/api/v1/reports?overdue=true", guardian, "", nil)
		if page = decodeJSON[list](t, body); len(page.Items) != 0 {
			t.Fatalf("overdue once acknowledged: %s", body)
		}
		if _, err := e.DB.ExecContext(context.Background(), `UPDATE reports SET feedback_due_on = '2020-02-03' WHERE id = ?`, c1.ID); err != nil {
			t.Fatal(err)
		}
		_, body = e.API(t, "GET", "/api/v1/reports?overdue=true", guardian, "", nil)
		if page = decodeJSON[list](t, body); len(page.Items) != 1 || page.Items[0]["overdue"] != "feedback" {
			t.Fatalf("overdue for feedback: %s", body)
		}
		if _, err := e.DB.ExecContext(context.Background(), `UPDATE reports SET acknowledged_at = NULL, feedback_due_on = ? WHERE id = ?`, feedbackDue, c1.ID); err != nil {
			t.Fatal(err)
		}
		for _, role := range []authz.Role{authz.Staff, authz.Manager, authz.Admin, authz.Exec, authz.UnionRep, authz.HR} {
			tok := e.Token(t, role)
			for _, path := range []string{"/api/v1/reports", c1Path} {
				res, body := e.API(t, "GET", path, tok, "", nil)
				if res.StatusCode != http.StatusForbidden || strings.Contains(body, "night shift") {
					t.Fatalf("%s GET %s: %d %s", role, path, res.StatusCode, body)
				}
			}
		}

		// Triage.
		res, body = send(t, e, c1Path+"/acknowledge", guardian, nil)
		want(t, res, body, http.StatusOK)
		if got := decodeJSON[map[string]any](t, body); got["status"] != "acknowledged" || got["acknowledged_at"] == nil {
			t.Fatalf("acknowledge: %s", body)
		}
		if res, body := e.API(t, "POST", c1Path+"/acknowledge", guardian, "", nil); res.StatusCode != http.StatusConflict {
			t.Fatalf("acknowledge twice: %d %s", res.StatusCode, body)
		}
		// Who it can go to: the guardians, with the ids assign takes; the
		// safety team may not even ask.
		res, body = e.API(t, "GET", c1Path+"/assignees", guardian, "", nil)
		want(t, res, body, http.StatusOK)
		if got := decodeJSON[list](t, body); len(got.Items) != 1 || got.Items[0]["name"] != e.Users[authz.Guardian].Name ||
			got.Items[0]["user_id"] != float64(e.Users[authz.Guardian].ID) {
			t.Fatalf("assignees: %s", body)
		}
		if res, body := e.API(t, "GET", c1Path+"/assignees", safety, "", nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("the safety team asking who can have a concern: %d %s", res.StatusCode, body)
		}
		res, body = send(t, e, c1Path+"/assign", guardian, map[string]int64{"user_id": e.Users[authz.Guardian].ID})
		want(t, res, body, http.StatusOK)
		if got := decodeJSON[map[string]any](t, body); got["assigned_name"] != e.Users[authz.Guardian].Name {
			t.Fatalf("assign: %s", body)
		}
		res, body = send(t, e, c1Path+"/assign", guardian, map[string]int64{"user_id": e.Users[authz.Safety].ID})
		if res.StatusCode != 422 || !slices.Contains(fields(problemOf(t, body)), "user_id") {
			t.Fatalf("assign outside the team: %d %s", res.StatusCode, body)
		}
		res, body = send(t, e, c1Path+"/status", guardian, map[string]string{"status": "in_review"})
		want(t, res, body, http.StatusOK)
		res, body = send(t, e, c1Path+"/status", guardian, map[string]string{"status": "closed"})
		if res.StatusCode != 422 || !slices.Contains(fields(problemOf(t, body)), "status") {
			t.Fatalf("status closed: %d %s", res.StatusCode, body)
		}
		// Moved on, it is acknowledged, and cannot be new again.
		res, body = send(t, e, c1Path+"/status", guardian, map[string]string{"status": "new"})
		if res.StatusCode != 422 || !strings.Contains(body, "cannot go back to New") {
			t.Fatalf("status new after acknowledging: %d %s", res.StatusCode, body)
		}
		res, body = e.API(t, "GET", c1Path, guardian, "", nil)
		if got := decodeJSON[map[string]any](t, body); got["status"] != "in_review" {
			t.Fatalf("after the refused change: %s", body)
		}
		res, body = send(t, e, c1Path+"/link", guardian, map[string]string{"reference": c2.Reference})
		want(t, res, body, http.StatusOK)
		if got := decodeJSON[map[string]any](t, body); fmt.Sprint(got["related"]) != "["+c2.Reference+"]" {
			t.Fatalf("link: %s", body)
		}
		res, body = send(t, e, c1Path+"/link", guardian, map[string]string{"reference": se.Reference})
		if res.StatusCode != 422 || !slices.Contains(fields(problemOf(t, body)), "reference") {
			t.Fatalf("link to another team's report: %d %s", res.StatusCode, body)
		}
		if res, body := send(t, e, c1Path+"/notes", safety, map[string]string{"body": "probing"}); res.StatusCode != http.StatusNotFound {
			t.Fatalf("note on another team's report: %d %s", res.StatusCode, body)
		}

		// c2 is a duplicate of c1: closed, and closed reports refuse changes,
		// but its reporter can still be written to.
		c2Path := fmt.Sprintf("/api/v1/reports/%d", c2.ID)
		res, body = send(t, e, c2Path+"/duplicate", guardian, map[string]string{"reference": c1.Reference})
		want(t, res, body, http.StatusOK)
		if got := decodeJSON[map[string]any](t, body); got["status"] != "closed" || got["duplicate_of"] != c1.Reference {
			t.Fatalf("duplicate: %s", body)
		}
		res, body = send(t, e, c2Path+"/messages", guardian, map[string]string{"body": "Thank you: we are looking at this with the other report."})
		if res.StatusCode >= 300 {
			t.Fatalf("message to a duplicate's reporter: %d %s", res.StatusCode, body)
		}
		res, body = send(t, e, c2Path+"/duplicate", guardian, map[string]string{"reference": c1.Reference})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "already closed") {
			t.Fatalf("marking a closed report a duplicate: %d %s", res.StatusCode, body)
		}
		for _, c := range []struct {
			action string
			body   map[string]string
		}{
			{"status", map[string]string{"status": "in_review"}},
			{"close", map[string]string{"outcome": "Closing this one again, which cannot be done."}},
			{"reroute", map[string]string{"reason": "Belongs with safety"}},
		} {
			if res, body := send(t, e, c2Path+"/"+c.action, guardian, c.body); res.StatusCode != http.StatusConflict {
				t.Fatalf("%s on a closed report: %d %s", c.action, res.StatusCode, body)
			}
		}

		// Re-routing hands c1 to the safety team: the guardian no longer sees it.
		res, body = send(t, e, c1Path+"/reroute", guardian, map[string]string{"reason": ""})
		if res.StatusCode != 422 || !slices.Contains(fields(problemOf(t, body)), "reason") {
			t.Fatalf("reroute without a reason: %d %s", res.StatusCode, body)
		}
		res, body = send(t, e, c1Path+"/reroute", guardian, map[string]string{"reason": "This is about patient care on the ward"})
		want(t, res, body, http.StatusNoContent)
		if res, _ := e.API(t, "GET", c1Path, guardian, "", nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("guardian after reroute: %d", res.StatusCode)
		}
		res, body = e.API(t, "GET", c1Path, safety, "", nil)
		want(t, res, body, http.StatusOK)
		if got := decodeJSON[map[string]any](t, body); got["team"] != "safety" || got["kind"] != "safety_event" || got["unclassified"] != true {
			t.Fatalf("after reroute: %s", body)
		}
		// The safety team grades it.
		res, body = send(t, e, c1Path+"/classify", safety, map[string]any{"event_type": "incident", "physical_harm": "severe"})
		if res.StatusCode != 422 || !slices.Contains(fields(problemOf(t, body)), "psychological_harm") {
			t.Fatalf("classify without psychological harm: %d %s", res.StatusCode, body)
		}
		res, body = send(t, e, c1Path+"/classify", safety, map[string]any{"event_type": "incident", "physical_harm": "severe", "psychological_harm": "moderate"})
		want(t, res, body, http.StatusOK)
		got := decodeJSON[map[string]any](t, body)
		if got["unclassified"] != false || got["physical_harm"] != "severe" {
			t.Fatalf("after classifying: %s", body)
		}
		// What the reporter raised is kept beside the team's grading.
		if rg, ok := got["reporter_grading"].(map[string]any); !ok || rg["kind"] != "concern" || rg["event_type"] != "" ||
			!strings.HasPrefix(fmt.Sprint(rg["description"]), "Speak-up concern: ") {
			t.Fatalf("reporter_grading after passing on and classifying: %v", got["reporter_grading"])
		}
		if got["reporter_grading_unknown"] != false {
			t.Fatalf("reporter_grading_unknown with the reporter's grading kept: %v", got["reporter_grading_unknown"])
		}
		// A report changed before what the reporter said was kept (marked
		// '' by migration 00021) says so.
		if _, err := e.DB.ExecContext(context.Background(), `UPDATE reports SET reported_kind = '' WHERE id = ?`, got["id"]); err != nil {
			t.Fatal(err)
		}
		res, body = e.API(t, "GET", c1Path, safety, "", nil)
		want(t, res, body, http.StatusOK)
		got = decodeJSON[map[string]any](t, body)
		if got["reporter_grading"] != nil || got["reporter_grading_unknown"] != true {
			t.Fatalf("a grading from before it was kept: reporter_grading %v, reporter_grading_unknown %v", got["reporter_grading"], got["reporter_grading_unknown"])
		}
	})
}

func TestSubmitValidation(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		depA, _ := seed(t, e)
		staff := e.Token(t, authz.Staff)
		tomorrow := time.Now().Add(36 * time.Hour).UTC().Format(time.RFC3339)
		later := time.Now().Add(2 * time.Hour).UTC().Format(time.RFC3339)
		with := func(changes map[string]any) map[string]any {
			ev := safetyEvent("anonymous", depA)
			for k, v := range changes {
				ev[k] = v
			}
			return ev
		}
		cases := []struct {
			name   string
			body   map[string]any
			fields []string
		}{
			{"empty description", with(map[string]any{"description": "  "}), []string{"description"}},
			{"future day", with(map[string]any{"occurred_at": tomorrow}), []string{"occurred_at"}},
			{"later today", with(map[string]any{"occurred_at": later}), []string{"occurred_at"}},
			{"unreadable time", with(map[string]any{"occurred_at": "yesterday"}), []string{"occurred_at"}},
			{"both dates", with(map[string]any{"occurred_on": "2025-01-01"}), []string{"occurred_at"}},
			{"bad date alone", with(map[string]any{"occurred_at": nil, "occurred_on": "2025-02-30"}), []string{"occurred_on"}},
			{"unknown department", with(map[string]any{"department_id": 999999}), []string{"department_id"}},
			{"unknown harm", with(map[string]any{"physical_harm": "catastrophic"}), []string{"physical_harm"}},
			{"person's role", with(map[string]any{"people": []map[string]string{{"role": "patient"}, {"role": "ghost"}}}), []string{"people[1].role"}},
			{"idempotency key", with(map[string]any{"idempotency_key": "short"}), []string{"idempotency_key"}},
			{"every problem at once", with(map[string]any{"description": "", "occurred_at": tomorrow, "department_id": 999999, "physical_harm": "catastrophic"}),
				[]string{"description", "occurred_at", "department_id", "physical_harm"}},
			{"concern without elements", map[string]any{"kind": "concern", "mode": "anonymous", "description": "Something is wrong here on the ward."}, []string{"elements"}},
			{"no kind or mode", map[string]any{"description": "Something is wrong here on the ward."}, []string{"kind", "mode"}},
			{"only zero-width spaces", with(map[string]any{"description": strings.Repeat("\u200b", 30)}), []string{"description"}},
			{"text that reorders itself", with(map[string]any{"description": "The dose was \u202edeggol ton\u202c on the chart by the nurse."}), []string{"description"}},
			{"good care that harmed", with(map[string]any{"event_type": "good_care", "physical_harm": "fatal"}), []string{"event_type"}},
			{"unknown staff group", func() map[string]any { c := concern("anonymous"); c["staff_group"] = "astronauts"; return c }(), []string{"staff_group"}},
			{"staff group on a safety event", with(map[string]any{"staff_group": "ahp"}), []string{"staff_group"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				res, body := send(t, e, "/api/v1/reports", staff, c.body)
				want(t, res, body, http.StatusUnprocessableEntity)
				got := fields(problemOf(t, body))
				for _, f := range c.fields {
					if !slices.Contains(got, f) {
						t.Fatalf("errors %v do not name %s: %s", got, f, body)
					}
				}
			})
		}
		bodies := []struct {
			name, ctype, body string
			status            int
			field             string
		}{
			{"malformed JSON", "application/json", `{"kind": "concern",`, 400, ""},
			{"two objects", "application/json", `{} {}`, 400, ""},
			{"a stray brace", "application/json", `{"kind": "concern"}}`, 400, ""},
			{"trailing text", "application/json", `{"kind": "concern"} x`, 400, ""},
			{"wrong content type", "text/plain", `{}`, 415, ""},
			{"form post", "application/x-www-form-urlencoded", `kind=concern`, 415, ""},
			{"unknown field", "application/json", `{"kind": "concern", "reporter_name": "me"}`, 422, "reporter_name"},
			{"wrong type", "application/json", `{"department_id": "ward 7"}`, 422, "department_id"},
		}
		for _, c := range bodies {
			t.Run(c.name, func(t *testing.T) {
				res, body := e.API(t, "POST", "/api/v1/reports", "", c.ctype, strings.NewReader(c.body))
				want(t, res, body, c.status)
				if res.Header.Get("Content-Type") != "application/problem+json" {
					t.Fatalf("content type %q", res.Header.Get("Content-Type"))
				}
				if c.field != "" && !slices.Contains(fields(problemOf(t, body)), c.field) {
					t.Fatalf("errors do not name %s: %s", c.field, body)
				}
				// Something after a whole object is named as that.
				after := c.name == "two objects" || c.name == "a stray brace" || c.name == "trailing text"
				if d := problemOf(t, body).Detail; after != (d == "Send exactly one JSON object.") {
					t.Fatalf("detail %q", d)
				}
			})
		}
		if n := countReports(t, e); n != 0 {
			t.Fatalf("%d reports stored from bad requests", n)
		}
		// A date alone is enough.
		res, body := send(t, e, "/api/v1/reports", staff, with(map[string]any{"occurred_at": nil, "occurred_on": time.Now().AddDate(0, 0, -3).Format("2006-01-02")}))
		want(t, res, body, http.StatusCreated)
		// A concern's staff group is kept, for the guardians' return, and
		// shown nowhere else: not in the report.
		c := concern("anonymous")
		c["staff_group"] = "ahp"
		res, body = send(t, e, "/api/v1/reports", "", c)
		want(t, res, body, http.StatusCreated)
		var rec receipt
		json.Unmarshal([]byte(body), &rec)
		res, body = e.API(t, "GET", fmt.Sprintf("/api/v1/reports/%d", rec.ID), e.Token(t, authz.Guardian), "", nil)
		want(t, res, body, http.StatusOK)
		var group string
		e.DB.QueryRowContext(context.Background(), `SELECT COALESCE(staff_group, '') FROM reports WHERE id = ?`, rec.ID).Scan(&group)
		if group != "ahp" || strings.Contains(body, "staff_group") || strings.Contains(body, "Allied Health") {
			t.Fatalf("staff group stored %q; the report shows it: %s", group, body)
		}
	})
}

func TestSubmitIdempotencyAndWarnings(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		depA, _ := seed(t, e)
		ev := safetyEvent("anonymous", depA)
		ev["idempotency_key"] = "4f1c2b9e-7d1a-4a55-9c1e-0a4f6b2d8e11"
		res, body := send(t, e, "/api/v1/reports", "", ev)
		want(t, res, body, http.StatusCreated)
		first := decodeJSON[receipt](t, body)
		res, body = send(t, e, "/api/v1/reports", "", ev)
		want(t, res, body, http.StatusOK)
		again := decodeJSON[receipt](t, body)
		// A repeat straight away (the first answer lost) carries the same
		// access code, which opens the report; a quarter of an hour later,
		// none.
		if !again.Repeat || again.ID != first.ID || again.Reference != first.Reference || again.AccessCode != first.AccessCode || first.AccessCode == "" {
			t.Fatalf("repeat: %+v after %+v", again, first)
		}
		res, body = send(t, e, "/api/v1/followup/session", "", map[string]string{"access_code": again.AccessCode})
		want(t, res, body, http.StatusOK)
		clock := e.App.Reports.Now
		e.App.Reports.Now = func() time.Time { return clock().Add(15 * time.Minute) }
		res, body = send(t, e, "/api/v1/reports", "", ev)
		want(t, res, body, http.StatusOK)
		if later := decodeJSON[receipt](t, body); !later.Repeat || later.ID != first.ID || later.AccessCode != "" || strings.Contains(body, "access_code") {
			t.Fatalf("repeat a quarter of an hour later: %s", body)
		}
		e.App.Reports.Now = clock

		// The same through the Idempotency-Key header.
		delete(ev, "idempotency_key")
		b, _ := json.Marshal(ev)
		post := func(key string, v []byte) (*http.Response, string) {
			req, _ := http.NewRequest("POST", e.URL("/api/v1/reports"), strings.NewReader(string(v)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", key)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res, string(b)
		}
		res, body = post("header-key-0000000000000001", b)
		want(t, res, body, http.StatusCreated)
		h1 := decodeJSON[receipt](t, body)
		res, body = post("header-key-0000000000000001", b)
		want(t, res, body, http.StatusOK)
		if h2 := decodeJSON[receipt](t, body); h2.ID != h1.ID || !h2.Repeat {
			t.Fatalf("header repeat: %s", body)
		}
		ev["idempotency_key"] = "body-key-00000000000000001"
		b, _ = json.Marshal(ev)
		res, body = post("header-key-0000000000000002", b)
		if res.StatusCode != 422 || !slices.Contains(fields(problemOf(t, body)), "idempotency_key") {
			t.Fatalf("header and body keys differ: %d %s", res.StatusCode, body)
		}
		if n := countReports(t, e); n != 2 {
			t.Fatalf("%d reports, want 2", n)
		}

		// A narrative that names a patient's NHS number is stored, with a warning.
		ev = concern("anonymous")
		ev["description"] = "The patient with NHS number 943 476 5919 was left on a trolley overnight."
		res, body = send(t, e, "/api/v1/reports", "", ev)
		want(t, res, body, http.StatusCreated)
		rec := decodeJSON[receipt](t, body)
		if len(rec.Warnings) == 0 || rec.Warnings[0].Kind != "nhs_number" || rec.Warnings[0].Text != "943 476 5919" || rec.Warnings[0].Field != "description" {
			t.Fatalf("warnings: %s", body)
		}
		// So does a person's description, which is stored as written.
		ev = safetyEvent("anonymous", depA)
		ev["people"] = []map[string]string{{"role": "staff", "description": "Night nurse"},
			{"role": "patient", "description": "Mrs Edith Jones, NHS number 943 476 5919"}}
		res, body = send(t, e, "/api/v1/reports", "", ev)
		want(t, res, body, http.StatusCreated)
		rec = decodeJSON[receipt](t, body)
		if len(rec.Warnings) == 0 || !slices.ContainsFunc(rec.Warnings, func(w warning) bool {
			return w.Field == "people[1].description" && w.Kind == "nhs_number" && w.Text == "943 476 5919"
		}) {
			t.Fatalf("warnings for a person's description: %s", body)
		}
	})
}

func TestAccessCodeRateLimit(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		_, body := send(t, e, "/api/v1/reports", "", concern("anonymous"))
		code := decodeJSON[receipt](t, body).AccessCode
		if code == "" {
			t.Fatalf("no access code: %s", body)
		}
		// Ten wrong codes per client per window; a window may roll over
		// during the loop, so keep going until the limit is met.
		limited := false
		for i := 0; i < 30 && !limited; i++ {
			res, body := send(t, e, "/api/v1/followup/session", "", map[string]string{"access_code": "WRONG-CODE"})
			switch res.StatusCode {
			case http.StatusUnauthorized:
			case http.StatusTooManyRequests:
				limited = true
				if wait, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || wait < 1 || wait > 900 ||
					res.Header.Get("Content-Type") != "application/problem+json" {
					t.Fatalf("429 without Retry-After or problem: %v %s", res.Header, body)
				}
			default:
				t.Fatalf("attempt %d: %d %s", i, res.StatusCode, body)
			}
		}
		if !limited {
			t.Fatal("30 wrong codes were never rate limited")
		}
		// While limited, even the right code is refused, so guessing learns nothing.
		if res, body := send(t, e, "/api/v1/followup/session", "", map[string]string{"access_code": code}); res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("right code while limited: %d %s", res.StatusCode, body)
		}
		// The client's address is counted under a keyed hash, never kept or logged.
		var buckets []string
		rows, err := e.DB.QueryContext(context.Background(), `SELECT bucket FROM rate_limits`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var b string
			rows.Scan(&b)
			buckets = append(buckets, b)
		}
		rows.Close()
		if len(buckets) == 0 || strings.Contains(strings.Join(buckets, " "), "127.0.0.1") {
			t.Fatalf("rate limit buckets: %q", buckets)
		}
		if strings.Contains(e.Logs.String(), "127.0.0.1") {
			t.Fatal("the client's address is in the logs")
		}
	})
}

func TestGuardianReturn(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		seed(t, e)
		for _, group := range []string{"nursing_midwifery", "nursing_midwifery", ""} {
			c := concern("anonymous")
			if group != "" {
				c["staff_group"] = group
			}
			res, body := send(t, e, "/api/v1/reports", "", c)
			want(t, res, body, http.StatusCreated)
		}
		guardian := e.Token(t, authz.Guardian)
		this := e.App.Reports.ThisQuarter()
		res, body := e.API(t, "GET", "/api/v1/reports/return?quarter="+this.String(), guardian, "", nil)
		want(t, res, body, http.StatusOK)
		var ret struct {
			Quarter   string `json:"quarter"`
			From      string `json:"from"`
			Cases     int    `json:"cases"`
			Anonymous int    `json:"anonymous"`
			Elements  []struct {
				Value string
				Count int
			}
			StaffGroups []struct {
				Value string
				Count int
			} `json:"staff_groups"`
		}
		if err := json.Unmarshal([]byte(body), &ret); err != nil {
			t.Fatal(err)
		}
		groups := map[string]int{}
		for _, g := range ret.StaffGroups {
			groups[g.Value] = g.Count
		}
		if ret.Quarter != this.String() || ret.From != this.Start().Format("2006-01-02") || ret.Cases != 3 || ret.Anonymous != 3 ||
			groups["nursing_midwifery"] != 2 || groups["not_given"] != 1 {
			t.Fatalf("return %+v (staff groups %v): want 3 anonymous cases, 2 from nursing and midwifery, 1 not given", ret, groups)
		}
		res, body = e.API(t, "GET", "/api/v1/reports/return", guardian, "", nil)
		want(t, res, body, http.StatusOK)
		if !strings.Contains(body, `"quarter":"`+this.Previous().String()+`"`) || !strings.Contains(body, `"cases":0`) {
			t.Fatalf("default return is not the last whole quarter: %s", body)
		}
		for _, bad := range []string{"2026-q9", this.Next().String()} {
			res, body = e.API(t, "GET", "/api/v1/reports/return?quarter="+bad, guardian, "", nil)
			want(t, res, body, http.StatusUnprocessableEntity)
			if !slices.Contains(fields(problemOf(t, body)), "quarter") {
				t.Fatalf("quarter %s: errors do not name quarter: %s", bad, body)
			}
		}
		for _, role := range []authz.Role{authz.Safety, authz.Manager, authz.Exec, authz.Admin} {
			res, body = e.API(t, "GET", "/api/v1/reports/return", e.Token(t, role), "", nil)
			want(t, res, body, http.StatusForbidden)
		}
	})
}

func TestReopenReport(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		seed(t, e)
		c := concern("anonymous")
		c["desired_outcome"] = "A word with Dr Patel about the rota."
		res, body := send(t, e, "/api/v1/reports", "", c)
		want(t, res, body, http.StatusCreated)
		var rec receipt
		json.Unmarshal([]byte(body), &rec)
		guardian := e.Token(t, authz.Guardian)
		path := fmt.Sprintf("/api/v1/reports/%d", rec.ID)
		res, body = send(t, e, path+"/reopen", guardian, map[string]any{"reason": "The reporter wrote back with more detail."})
		want(t, res, body, http.StatusConflict)
		res, body = send(t, e, path+"/close", guardian, map[string]any{"outcome": "Breaks are now covered by a relief nurse on every night shift."})
		want(t, res, body, http.StatusOK)
		// The reporter answers the feedback questions with their access code.
		res, body = send(t, e, "/api/v1/followup/session", "", map[string]any{"access_code": rec.AccessCode})
		want(t, res, body, http.StatusOK)
		var sess struct{ Token string }
		json.Unmarshal([]byte(body), &sess)
		res, body = send(t, e, "/api/v1/followup/feedback", sess.Token, map[string]any{"speak_up_again": "maybe", "detriment": "no"})
		want(t, res, body, http.StatusOK)
		res, body = send(t, e, path+"/reopen", guardian, map[string]any{"reason": "short"})
		want(t, res, body, http.StatusUnprocessableEntity)
		if !slices.Contains(fields(problemOf(t, body)), "reason") {
			t.Fatalf("errors do not name reason: %s", body)
		}
		res, body = send(t, e, path+"/reopen", guardian, map[string]any{"reason": "The reporter wrote back: the relief nurse has been withdrawn."})
		want(t, res, body, http.StatusOK)
		var reopened struct {
			Status   string
			Feedback *struct {
				SpeakUpAgain string `json:"speak_up_again"`
			}
			EarlierFeedback []struct {
				SpeakUpAgain string `json:"speak_up_again"`
			} `json:"earlier_feedback"`
		}
		json.Unmarshal([]byte(body), &reopened)
		if reopened.Status != "in_review" || !strings.Contains(body, "Breaks are now covered") || reopened.Feedback != nil ||
			len(reopened.EarlierFeedback) != 1 || reopened.EarlierFeedback[0].SpeakUpAgain != "maybe" {
			t.Fatalf("reopened report: want in review, the outcome kept in the conversation, no current feedback and the earlier answer: %s", body)
		}
		res, body = send(t, e, path+"/reopen", e.Token(t, authz.Safety), map[string]any{"reason": "The reporter wrote back: the relief nurse has been withdrawn."})
		want(t, res, body, http.StatusNotFound)

		// Redacting: bad requests name the field at fault, and nothing changes.
		for _, c := range []struct {
			req   map[string]any
			field string
		}{
			{map[string]any{"field": "title", "passage": "twelve hours", "reason": "Not needed."}, "field"},
			{map[string]any{"field": "message", "passage": "twelve hours", "reason": "Not needed."}, "message_id"},
			{map[string]any{"field": "message", "message_id": 999999, "passage": "twelve hours", "reason": "Not needed."}, "message_id"},
			{map[string]any{"field": "description", "passage": "twelve hour", "reason": "Not needed."}, "passage"},
			{map[string]any{"field": "description", "passage": "twelve hours", "reason": " "}, "reason"},
		} {
			res, body = send(t, e, path+"/redact", guardian, c.req)
			want(t, res, body, http.StatusUnprocessableEntity)
			if fs := fields(problemOf(t, body)); len(fs) != 1 || fs[0] != c.field {
				t.Errorf("redact %v: errors name %v, want %s", c.req, fs, c.field)
			}
		}
		g := e.Users[authz.Guardian]
		res, body = send(t, e, path+"/redact", guardian, map[string]any{"field": "description", "passage": "twelve hours",
			"reason": "The words were not needed and is redacted for the test."})
		want(t, res, body, http.StatusOK)
		if strings.Contains(body, "twelve hours") || !strings.Contains(body, "without a break for [redacted]") {
			t.Fatalf("after redacting: %s", body)
		}
		var redacted struct {
			Redactions   int `json:"redactions"`
			RedactionLog []struct {
				Field, By, Reason string
			} `json:"redaction_log"`
		}
		json.Unmarshal([]byte(body), &redacted)
		if redacted.Redactions != 1 || len(redacted.RedactionLog) != 1 || redacted.RedactionLog[0].Field != "description" ||
			redacted.RedactionLog[0].By != g.Name || !strings.Contains(redacted.RedactionLog[0].Reason, "redacted for the test") {
			t.Fatalf("redaction log: %s", body)
		}
		// What the reporter would like to happen can name someone too.
		res, body = send(t, e, path+"/redact", guardian, map[string]any{"field": "desired_outcome", "passage": "Dr Patel",
			"reason": "Names of staff are not shared beyond the guardians."})
		want(t, res, body, http.StatusOK)
		json.Unmarshal([]byte(body), &redacted)
		if strings.Contains(body, "Dr Patel") || !strings.Contains(body, `"desired_outcome":"A word with [redacted] about the rota."`) ||
			redacted.Redactions != 2 || redacted.RedactionLog[1].Field != "desired_outcome" {
			t.Fatalf("after redacting what they would like to happen: %s", body)
		}
	})
}

// encoding/json would take "MODE" for "mode" and let a repeated key win,
// so {"mode": "anonymous", "MODE": "open"} would store a report with its
// sender's name while everything reading the body first saw it anonymous.
// A body must use each field's exact name once, in whole UTF-8 Unicode.
func TestRequestBodiesMustMatchTheirShape(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		depA, _ := seed(t, e)
		staff := e.Token(t, authz.Staff)
		anon := `"kind": "concern", "elements": ["worker_safety"], "description": "Staff on nights are left without a break."`
		event := fmt.Sprintf(`"kind": "safety_event", "mode": "anonymous", "department_id": %d, "event_type": "incident",
			"physical_harm": "low", "psychological_harm": "none", "occurred_on": %q`, depA, time.Now().AddDate(0, 0, -1).Format("2006-01-02"))
		cases := []struct {
			name, ctype, body string
			status            int
			field, says       string
		}{
			{"a case-folded key after the real one", "application/json", `{"mode": "anonymous", ` + anon + `, "MODE": "open"}`,
				422, "MODE", `did you mean "mode"`},
			{"a repeated key", "application/json", `{"mode": "anonymous", ` + anon + `, "mode": "open"}`, 422, "mode", "more than once"},
			{"a repeated narrative", "application/json", `{"mode": "anonymous", ` + anon + `, "description": "Something else entirely here."}`,
				422, "description", "more than once"},
			{"capitals", "application/json", `{"KIND": "concern", "Mode": "anonymous", "ELEMENTS": ["other"], "Description": "Upper-case names."}`,
				422, "KIND", `did you mean "kind"`},
			{"an unknown key inside a person", "application/json", `{` + event + `, "description": "A fall on the stairs by the lift.", "people": [{"role": "patient"}, {"role": "visitor", "age": 4}]}`,
				422, "people[1].age", "not a field"},
			{"half a surrogate pair", "application/json", `{` + event + `, "description": "A fall on the stairs \ud800 by the lift."}`,
				422, "description", `\uD800`},
			{"a low half alone", "application/json", `{` + event + `, "description": "A fall on the stairs \udc00 by the lift."}`,
				422, "description", "surrogate"},
			{"bytes that are not UTF-8", "application/json", "{" + event + ", \"description\": \"A fall on the stairs \xff\xfe by the lift.\"}", 400, "", "UTF-8"},
			{"another charset", "application/json; charset=utf-16", `{"mode": "anonymous", ` + anon + `}`, 415, "", "UTF-8"},
			{"a fraction for an id", "application/json", `{"kind": "safety_event", "description": "A fall on the stairs by the lift.", "department_id": 3.5}`,
				422, "department_id", "whole number"},
			{"an id too large", "application/json", `{"department_id": 99999999999999999999}`, 422, "department_id", "smaller number"},
			{"an array", "application/json", `[]`, 400, "", "one JSON object"},
			{"a string", "application/json", `"hello"`, 400, "", "one JSON object"},
			{"null", "application/json", ` null`, 400, "", "one JSON object"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				res, body := e.API(t, "POST", "/api/v1/reports", staff, c.ctype, strings.NewReader(c.body))
				want(t, res, body, c.status)
				if res.Header.Get("Content-Type") != "application/problem+json" {
					t.Fatalf("content type %q", res.Header.Get("Content-Type"))
				}
				p := problemOf(t, body)
				text := p.Detail
				for _, fe := range p.Errors {
					text += " " + fe.Message
				}
				if c.field != "" && !slices.Contains(fields(p), c.field) || !strings.Contains(text, c.says) {
					t.Fatalf("want %s named and %q said: %s", c.field, c.says, body)
				}
			})
		}
		if n := countReports(t, e); n != 0 {
			t.Fatalf("%d reports stored from bodies of the wrong shape", n)
		}
		// A whole pair, escaped or not, is an ordinary character.
		res, body := e.API(t, "POST", "/api/v1/reports", "", "application/json; charset=UTF-8",
			strings.NewReader(`{"mode": "anonymous", `+anon[:len(anon)-1]+` \ud83d\ude00 😀"}`))
		want(t, res, body, http.StatusCreated)
		var rec receipt
		json.Unmarshal([]byte(body), &rec)
		var stored string
		e.DB.QueryRowContext(context.Background(), `SELECT description FROM reports WHERE id = ?`, rec.ID).Scan(&stored)
		if !strings.HasSuffix(stored, "break. 😀 😀") {
			t.Fatalf("stored %q", stored)
		}
	})
}

// The forms RFC 3339 allows beyond Go's layout (a lower-case t and z, a
// space between date and time) are taken, and so is an Idempotency-Key in
// the quoted form the IETF draft writes it in.
func TestSubmitTakesTheStandardsAsWritten(t *testing.T) {
	e := apptest.NewSQLite(t)
	depA, _ := seed(t, e)
	yesterday := time.Now().Add(-24 * time.Hour).UTC()
	for _, at := range []string{yesterday.Format("2006-01-02t15:04:05z"), yesterday.Format("2006-01-02 15:04:05Z")} {
		ev := safetyEvent("anonymous", depA)
		ev["occurred_at"] = at
		res, body := send(t, e, "/api/v1/reports", "", ev)
		want(t, res, body, http.StatusCreated)
	}
	ev := safetyEvent("anonymous", depA)
	res, body := sendKeyed(t, e, "/api/v1/reports", "", `"8e03978e-40d5-43e8-bc93-6894a57f9324"`, ev)
	want(t, res, body, http.StatusCreated)
	first := decodeJSON[receipt](t, body)
	res, body = sendKeyed(t, e, "/api/v1/reports", "", "8e03978e-40d5-43e8-bc93-6894a57f9324", ev)
	want(t, res, body, http.StatusOK)
	if again := decodeJSON[receipt](t, body); !again.Repeat || again.ID != first.ID {
		t.Fatalf("the same key, quoted then bare: %s", body)
	}
}

// Each kind takes only its own fields: a concern's form has no people
// involved nor actions taken, a safety event's no desired outcome.
func TestSubmitRefusesTheOtherKindsFields(t *testing.T) {
	e := apptest.NewSQLite(t)
	depA, _ := seed(t, e)
	cn := concern("anonymous")
	cn["people"] = []map[string]string{{"role": "staff", "name": "Jo Bloggs"}}
	cn["immediate_actions"] = "None"
	res, body := send(t, e, "/api/v1/reports", "", cn)
	if fs := fields(problemOf(t, body)); res.StatusCode != 422 || !slices.Contains(fs, "people") || !slices.Contains(fs, "immediate_actions") {
		t.Fatalf("a concern with people and actions taken: %d %s", res.StatusCode, body)
	}
	ev := safetyEvent("anonymous", depA)
	ev["desired_outcome"] = "A new fridge"
	res, body = send(t, e, "/api/v1/reports", "", ev)
	if fs := fields(problemOf(t, body)); res.StatusCode != 422 || !slices.Contains(fs, "desired_outcome") {
		t.Fatalf("a safety event with a desired outcome: %d %s", res.StatusCode, body)
	}
	if n := countReports(t, e); n != 0 {
		t.Fatalf("%d reports stored, want none", n)
	}
}
