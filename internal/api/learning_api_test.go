package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
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

type lrProblem struct {
	Status int `json:"status"`
	Errors []struct {
		Field  string `json:"field"`
		Detail string `json:"detail"`
	} `json:"errors"`
}

func (p lrProblem) fields() string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return strings.Join(out, ",")
}

type lrResponse struct {
	ID        int64           `json:"id"`
	Reference string          `json:"reference"`
	Method    string          `json:"method"`
	Status    string          `json:"status"`
	ReportIDs []int64         `json:"report_ids"`
	Record    json.RawMessage `json:"record"`
	Target    *string         `json:"target_date"`
	Alert     *string         `json:"alert_date"`
	Prompts   []struct {
		Field, Phrase, Suggestion string
	} `json:"prompts"`
	Engagements []struct {
		Who, Name string
	} `json:"engagements"`
	DutyOfCandour *struct {
		Notifiable   bool   `json:"notifiable"`
		NotifiedOn   string `json:"notified_on"`
		ApologyGiven bool   `json:"apology_given"`
	} `json:"duty_of_candour"`
	SignOff *struct {
		Name, Note string
	} `json:"sign_off"`
}

func TestLearningResponsesAPI(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		staff := e.Users[authz.Staff]
		site, err := e.App.Org.CreateSite(ctx, audit.Actor{Label: "test"}, org.Site{Code: "NGH", Name: "Northfield General Hospital"})
		if err != nil {
			t.Fatal(err)
		}
		ward, err := e.App.Org.CreateDepartment(ctx, audit.Actor{Label: "test"}, org.Department{SiteID: site.ID, Code: "CHW", Name: "Children's Ward", Kind: "ward"})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, text := range []string{"A child's cannula was left in for four days without the daily check.", "Another cannula check missed on the same ward."} {
			rec, err := e.App.Reports.Submit(ctx, report.Submission{Kind: report.SafetyEvent, Mode: report.Anonymous, DepartmentID: ward.ID,
				OccurredOn: time.Now().UTC().AddDate(0, 0, -3).Format("2006-01-02"), OccurredTime: "09:00", Description: text,
				EventType: "incident", PhysicalHarm: "low", PsychologicalHarm: "low"},
				&authz.Principal{UserID: staff.ID, Email: staff.Email, Roles: staff.Roles})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, rec.ID)
		}
		reviewer, err := e.App.Accounts.Create(ctx, audit.Actor{Label: "test"}, account.NewUser{Email: "reviewer@test.example", Name: "Rita Reviewer",
			Roles: []authz.Role{authz.Safety}, Password: apptest.Password})
		if err != nil {
			t.Fatal(err)
		}
		_, reviewerToken, err := e.App.Accounts.CreateToken(ctx, audit.Actor{Label: "test"}, reviewer.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		safety, manager := e.Token(t, authz.Safety), e.Token(t, authz.Manager)
		call := func(token, method, path string, body any, want int) string {
			t.Helper()
			res, b := e.API(t, method, path, token, "application/json", jsonBody(t, body))
			if res.StatusCode != want {
				t.Fatalf("%s %s: status %d, want %d\n%s", method, path, res.StatusCode, want, b)
			}
			return b
		}
		problemOf := func(b string) lrProblem {
			var p lrProblem
			if err := json.Unmarshal([]byte(b), &p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		responseOf := func(b string) lrResponse {
			var r lrResponse
			if err := json.Unmarshal([]byte(b), &r); err != nil {
				t.Fatal(err)
			}
			return r
		}

		// 422s name the request's fields.
		p := problemOf(call(safety, "POST", "/api/v1/learning-responses", map[string]any{}, http.StatusUnprocessableEntity))
		if p.fields() != "method,report_ids,title" {
			t.Errorf("empty request: fields %s", p.fields())
		}
		p = problemOf(call(safety, "POST", "/api/v1/learning-responses", map[string]any{"method": "thematic", "title": "Cannula checks",
			"report_ids": []int64{ids[0]}}, http.StatusUnprocessableEntity))
		if p.fields() != "report_ids" || !strings.Contains(p.Errors[0].Detail, "at least two") {
			t.Errorf("thematic with one event: %+v", p)
		}
		p = problemOf(call(safety, "POST", "/api/v1/learning-responses", map[string]any{"method": "aar", "title": "Cannula checks",
			"report_ids": []int64{ids[0]}, "record": map[string]any{"held_at": "2026-01-01T10:00"}}, http.StatusUnprocessableEntity))
		if p.fields() != "record.held_at" {
			t.Errorf("a SWARM field in an AAR: %s", p.fields())
		}
		// The record's own fields are exact too: "EXPECTED" after
		// "expected" does not replace it.
		res, body := e.API(t, "POST", "/api/v1/learning-responses", safety, "application/json", strings.NewReader(fmt.Sprintf(
			`{"method": "aar", "title": "Cannula checks", "report_ids": [%d], "record": {"expected": "what we planned", "EXPECTED": "something else"}}`, ids[0])))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"record.EXPECTED"`) || !strings.Contains(body, `did you mean \"expected\"`) {
			t.Errorf("a record key in other capitals: %d %s", res.StatusCode, body)
		}
		p = problemOf(call(safety, "POST", "/api/v1/learning-responses", map[string]any{"method": "aar", "title": "Cannula checks",
			"report_ids": []int64{ids[0]}, "record": map[string]any{"learning": "Refer the nurse to the NMC."}}, http.StatusUnprocessableEntity))
		if p.fields() != "record.learning" || !strings.Contains(p.Errors[0].Detail, "/assessments/new?report=") {
			t.Errorf("disciplinary recommendation: %+v", p)
		}
		call(manager, "POST", "/api/v1/learning-responses", map[string]any{"method": "aar"}, http.StatusForbidden)

		// A PSII with blame language: saved, with prompts.
		r := responseOf(call(safety, "POST", "/api/v1/learning-responses", map[string]any{"method": "psii", "title": "Cannula checks on the children's ward",
			"report_ids": ids, "record": map[string]any{"terms_of_reference": "Why daily checks were missed.",
				"findings":     map[string]any{"tasks": "Staff should have checked the cannula daily."},
				"participants": []map[string]any{{"name": "Ward sister", "role": "Lead"}}}}, http.StatusCreated))
		if r.Method != "psii" || r.Status != "open" || len(r.ReportIDs) != 2 || r.Target == nil || r.Alert == nil {
			t.Fatalf("created %+v", r)
		}
		if len(r.Prompts) != 1 || r.Prompts[0].Field != "tasks" || r.Prompts[0].Phrase != "should have" {
			t.Errorf("prompts %+v", r.Prompts)
		}
		if !strings.Contains(string(r.Record), `"tasks":"Staff should have checked`) || !strings.Contains(string(r.Record), `"Ward sister"`) {
			t.Errorf("record %s", r.Record)
		}
		path := fmt.Sprintf("/api/v1/learning-responses/%d", r.ID)
		call(manager, "GET", path, nil, http.StatusNotFound)
		call(safety, "GET", "/api/v1/learning-responses/999999", nil, http.StatusNotFound)
		var list struct{ Items []lrResponse }
		json.Unmarshal([]byte(call(safety, "GET", "/api/v1/learning-responses?method=psii", nil, http.StatusOK)), &list)
		if len(list.Items) != 1 {
			t.Errorf("list: %d items", len(list.Items))
		}
		json.Unmarshal([]byte(call(manager, "GET", "/api/v1/learning-responses", nil, http.StatusOK)), &list)
		if len(list.Items) != 0 {
			t.Errorf("a manager lists %d responses", len(list.Items))
		}
		call(safety, "GET", "/api/v1/learning-responses?status=done", nil, http.StatusUnprocessableEntity)

		// Status needs a complete record; the 422 names what is missing.
		p = problemOf(call(safety, "POST", path+"/status", map[string]any{"status": "awaiting_sign_off"}, http.StatusUnprocessableEntity))
		if !strings.Contains(p.fields(), "record.timescale_agreed") || !strings.Contains(p.fields(), "record.report") {
			t.Errorf("missing record fields: %s", p.fields())
		}
		r = responseOf(call(safety, "POST", path+"/record", map[string]any{"record": map[string]any{"terms_of_reference": "Why daily checks were missed.",
			"timescale_agreed": "Three months, agreed with the parents.", "findings": map[string]any{"tasks": "The daily check was not on the chart."},
			"report": "The check had no place on the paper chart."}}, http.StatusOK))
		if r.Status != "in_progress" || len(r.Prompts) != 0 {
			t.Errorf("after the record: %+v", r)
		}
		p = problemOf(call(safety, "POST", path+"/record", map[string]any{"record": map[string]any{"findings": map[string]any{"tasks": 3}}}, http.StatusUnprocessableEntity))
		if p.fields() != "record.findings.tasks" {
			t.Errorf("wrong type: %s", p.fields())
		}

		// Engagement and duty of candour.
		p = problemOf(call(safety, "POST", path+"/engagements", map[string]any{"who": "neighbour"}, http.StatusUnprocessableEntity))
		if p.fields() != "who,name,contacted_on,how" {
			t.Errorf("engagement fields %s", p.fields())
		}
		today := time.Now().UTC().Format("2006-01-02")
		call(safety, "POST", path+"/engagements", map[string]any{"who": "family", "name": "Mr and Mrs Adeyemi", "relationship": "Parents",
			"contacted_on": today, "how": "in_person", "questions": "Will it happen again?", "told": "We are looking at how checks are prompted."}, http.StatusCreated)
		p = problemOf(call(safety, "PUT", path+"/duty-of-candour", map[string]any{"notifiable": false, "notified_on": today}, http.StatusUnprocessableEntity))
		if p.fields() != "notified_on" {
			t.Errorf("not notifiable with a date: %s", p.fields())
		}
		p = problemOf(call(safety, "PUT", path+"/duty-of-candour", map[string]any{"notes": "x"}, http.StatusUnprocessableEntity))
		if p.fields() != "notifiable" {
			t.Errorf("notifiable missing: %s", p.fields())
		}
		r = responseOf(call(safety, "PUT", path+"/duty-of-candour", map[string]any{"notifiable": true, "notified_on": today, "apology_given": true}, http.StatusOK))
		if r.DutyOfCandour == nil || !r.DutyOfCandour.Notifiable || r.DutyOfCandour.NotifiedOn != today || len(r.Engagements) != 1 {
			t.Errorf("after candour %+v", r)
		}

		// Sign-off by someone other than the owner closes it.
		call(safety, "POST", path+"/status", map[string]any{"status": "awaiting_sign_off"}, http.StatusOK)
		p = problemOf(call(safety, "POST", path+"/sign-off", map[string]any{"note": "Looks good."}, http.StatusUnprocessableEntity))
		if p.fields() != "note" {
			t.Errorf("owner sign-off: %s", p.fields())
		}
		r = responseOf(call(reviewerToken, "POST", path+"/sign-off", map[string]any{"note": "System-focused; actions follow from the findings."}, http.StatusOK))
		if r.Status != "closed" || r.SignOff == nil || r.SignOff.Name != "Rita Reviewer" {
			t.Fatalf("after sign-off %+v", r)
		}
		call(safety, "POST", path+"/record", map[string]any{"record": map[string]any{"report": "More."}}, http.StatusConflict)
		call(safety, "POST", path+"/status", map[string]any{"status": "closed"}, http.StatusUnprocessableEntity)
	})
}
