package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"candour/internal/app/apptest"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/org"
)

// seed adds a site, two departments and three people through the domain.
func seed(t *testing.T, e *apptest.Env) (depA, depB int64) {
	t.Helper()
	ctx := context.Background()
	a := audit.Actor{Label: "test"}
	site, err := e.App.Org.CreateSite(ctx, a, org.Site{Code: "NGH", Name: "Northfield General"})
	if err != nil {
		t.Fatal(err)
	}
	da, err := e.App.Org.CreateDepartment(ctx, a, org.Department{SiteID: site.ID, Code: "ED", Name: "Emergency Department", Kind: "department"})
	if err != nil {
		t.Fatal(err)
	}
	db, err := e.App.Org.CreateDepartment(ctx, a, org.Department{SiteID: site.ID, Code: "W7", Name: "Ward 7", Kind: "ward"})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range []org.Person{
		{EmployeeNumber: "1001", Name: "Ada Byron", DepartmentID: da.ID, StaffGroup: "nursing_midwifery", StartDate: "2020-01-01", EthnicGroup: "A", Disability: "no"},
		{EmployeeNumber: "1002", Name: "Bo Chen", DepartmentID: da.ID, StaffGroup: "medical_dental", StartDate: "2021-01-01", EthnicGroup: "R"},
		{EmployeeNumber: "1003", Name: "Cy Dee", DepartmentID: db.ID, StaffGroup: "nursing_midwifery", StartDate: "2019-01-01", LeaveDate: "2022-06-30"},
	} {
		if _, err := e.App.Org.SavePerson(ctx, a, p); err != nil {
			t.Fatalf("person %d: %v", i, err)
		}
	}
	return da.ID, db.ID
}

func decodeJSON[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return v
}

type list struct {
	Items []map[string]any `json:"items"`
	Next  string           `json:"next"`
}

func TestMeAndDirectory(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		depA, _ := seed(t, e)
		hr := e.Token(t, authz.HR)

		res, body := e.API(t, "GET", "/api/v1/me", hr, "", nil)
		me := decodeJSON[map[string]any](t, body)
		if res.StatusCode != 200 || me["email"] != e.Users[authz.HR].Email || fmt.Sprint(me["roles"]) != "[hr]" {
			t.Fatalf("me: %d %s", res.StatusCode, body)
		}

		// The lists a report is written against need no token: an
		// anonymous report, from a ward kiosk say, must name a department.
		for _, token := range []string{e.Token(t, authz.Staff), ""} {
			res, body = e.API(t, "GET", "/api/v1/departments", token, "", nil)
			deps := decodeJSON[list](t, body)
			if res.StatusCode != 200 || len(deps.Items) != 2 || deps.Items[0]["site"] != "Northfield General" || deps.Next != "" {
				t.Fatalf("departments (token %q): %d %s", token, res.StatusCode, body)
			}
		}
		for _, path := range []string{"/api/v1/sites", "/api/v1/staff-groups"} {
			if res, body := e.API(t, "GET", path, "", "", nil); res.StatusCode != 200 || !strings.Contains(body, `"items":[{`) {
				t.Fatalf("%s without a token: %d %s", path, res.StatusCode, body)
			}
		}

		// People: current staff only by default, no equality data in lists.
		_, body = e.API(t, "GET", "/api/v1/people", hr, "", nil)
		people := decodeJSON[list](t, body)
		if len(people.Items) != 2 {
			t.Fatalf("people without leavers: %d, want 2: %s", len(people.Items), body)
		}
		if strings.Contains(body, "ethnic_group") || strings.Contains(body, "disability") {
			t.Fatalf("people list exposes equality fields: %s", body)
		}
		_, body = e.API(t, "GET", fmt.Sprintf("/api/v1/people?include_leavers=true&department_id=%d&limit=1", depA), hr, "", nil)
		page := decodeJSON[list](t, body)
		if len(page.Items) != 1 || page.Next == "" {
			t.Fatalf("first page of one: %s", body)
		}
		_, body = e.API(t, "GET", fmt.Sprintf("/api/v1/people?include_leavers=true&department_id=%d&limit=1&after=%s", depA, page.Next), hr, "", nil)
		page2 := decodeJSON[list](t, body)
		if len(page2.Items) != 1 || page2.Items[0]["employee_number"] == page.Items[0]["employee_number"] {
			t.Fatalf("second page: %s", body)
		}

		// A single read shows equality fields and is audited.
		res, body = e.API(t, "GET", "/api/v1/people/1001", hr, "", nil)
		p := decodeJSON[map[string]any](t, body)
		if res.StatusCode != 200 || p["ethnic_group"] != "A" || p["disability"] != "no" {
			t.Fatalf("person: %d %s", res.StatusCode, body)
		}
		entries, _, err := audit.List(context.Background(), e.DB, audit.Filter{Action: "person.read"})
		if err != nil || len(entries) != 1 || entries[0].Actor.UserID != e.Users[authz.HR].ID {
			t.Fatalf("person.read audit entries: %+v %v", entries, err)
		}
		if res, _ := e.API(t, "GET", "/api/v1/people/nope", hr, "", nil); res.StatusCode != 404 {
			t.Fatalf("unknown person: %d", res.StatusCode)
		}
	})
}

func TestImportAndHeadcount(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		seed(t, e)
		hr := e.Token(t, authz.HR)
		csv := "Employee Number,First Name,Last Name,Organisation,Staff Group,Hire Date,Ethnic Origin\n" +
			"2001,Dee,Eve,ED,Nursing and Midwifery Registered,01/03/2023,N\n" +
			"2002,Fay,Gee,W7,Medical and Dental,15/07/2024,\n"
		res, body := e.API(t, "POST", "/api/v1/people/import", hr, "text/csv", strings.NewReader(csv))
		got := decodeJSON[map[string]any](t, body)
		if res.StatusCode != 200 || got["created"] != 2.0 || got["applied"] != true {
			t.Fatalf("import: %d %s", res.StatusCode, body)
		}
		bad := csv + "2003,Hal,Ive,NOWHERE,Medical and Dental,31/02/2024,\n"
		res, body = e.API(t, "POST", "/api/v1/people/import", hr, "text/csv", strings.NewReader(bad))
		got = decodeJSON[map[string]any](t, body)
		if res.StatusCode != 422 || got["applied"] != false || !strings.Contains(body, `"line":4`) {
			t.Fatalf("bad import: %d %s", res.StatusCode, body)
		}

		// On 1 July 2024: Ada, Bo and Dee employed; Cy left; Fay not started.
		res, body = e.API(t, "GET", "/api/v1/headcount?date=2024-07-01&by=staff_group", e.Token(t, authz.Exec), "", nil)
		hc := decodeJSON[struct {
			Total int `json:"total"`
			Items []struct {
				Key   string `json:"key"`
				Count int    `json:"count"`
			} `json:"items"`
		}](t, body)
		counts := map[string]int{}
		for _, it := range hc.Items {
			counts[it.Key] = it.Count
		}
		if res.StatusCode != 200 || hc.Total != 3 || counts["nursing_midwifery"] != 2 || counts["medical_dental"] != 1 {
			t.Fatalf("headcount: %d %s", res.StatusCode, body)
		}
		_, body = e.API(t, "GET", "/api/v1/headcount?date=2024-07-01&by=ethnic_category", hr, "", nil)
		if !strings.Contains(body, `"key":"white","label":`) || !strings.Contains(body, `"key":"ethnic_minority"`) {
			t.Fatalf("headcount by ethnic category: %s", body)
		}
	})
}

func TestTokensAndAuditThroughTheAPI(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		tok := e.Token(t, authz.Admin)
		_, body := e.API(t, "GET", "/api/v1/tokens", tok, "", nil)
		tokens := decodeJSON[list](t, body)
		if len(tokens.Items) != 1 || strings.Contains(body, tok) {
			t.Fatalf("tokens: %s", body)
		}
		_, body = e.API(t, "GET", "/api/v1/audit?action=user.create&limit=3", tok, "", nil)
		entries := decodeJSON[list](t, body)
		if len(entries.Items) != 3 || entries.Next == "" {
			t.Fatalf("audit page: %s", body)
		}
		id := fmt.Sprint(tokens.Items[0]["id"])
		if res, _ := e.API(t, "DELETE", "/api/v1/tokens/"+id, tok, "", nil); res.StatusCode != http.StatusNoContent {
			t.Fatalf("revoke own token: %d", res.StatusCode)
		}
		if res, _ := e.API(t, "GET", "/api/v1/me", tok, "", nil); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("revoked token still works: %d", res.StatusCode)
		}
		// Another user's token cannot be revoked by id.
		other := e.Token(t, authz.Staff)
		_, body = e.API(t, "GET", "/api/v1/tokens", other, "", nil)
		otherID := fmt.Sprint(decodeJSON[list](t, body).Items[0]["id"])
		if res, _ := e.API(t, "DELETE", "/api/v1/tokens/"+otherID, e.Token(t, authz.Admin), "", nil); res.StatusCode != 404 {
			t.Fatalf("revoking someone else's token: %d, want 404", res.StatusCode)
		}
		if res, _ := e.API(t, "GET", "/api/v1/me", other, "", nil); res.StatusCode != 200 {
			t.Fatal("someone else's token was revoked")
		}
	})
}

func TestMalformedJSONAndOversizedBodies(t *testing.T) {
	e := apptest.NewSQLite(t)
	hr := e.Token(t, authz.HR)
	big := strings.Repeat("x", 11<<20)
	res, body := e.API(t, "POST", "/api/v1/people/import", hr, "text/csv", strings.NewReader("Employee Number\n"+big))
	if res.StatusCode != http.StatusRequestEntityTooLarge && res.StatusCode != 422 {
		t.Fatalf("oversized upload: %d %s", res.StatusCode, body)
	}
	var n int
	e.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM people`).Scan(&n)
	if n != 0 {
		t.Fatalf("oversized upload stored %d people", n)
	}
}

// A path that exists answers a method it does not take with 405 and the
// methods it does take; a path that does not exist answers 404. Both are
// problem documents.
func TestWrongMethodAndUnknownPath(t *testing.T) {
	e := apptest.NewSQLite(t)
	safety := e.Token(t, authz.Safety)
	for _, c := range []struct {
		method, path, token string
		status              int
		allow               string
	}{
		{"DELETE", "/api/v1/reports/1", safety, http.StatusMethodNotAllowed, "GET, HEAD"},
		{"GET", "/api/v1/followup/session", "", http.StatusMethodNotAllowed, "POST"},
		{"PUT", "/api/v1/reports", "", http.StatusMethodNotAllowed, "GET, HEAD, POST"},
		{"GET", "/api/v1/reports/1/notes", safety, http.StatusMethodNotAllowed, "POST"},
		{"GET", "/api/v1/no-such-thing", "", http.StatusNotFound, ""},
		{"POST", "/api/v2/reports", "", http.StatusNotFound, ""},
	} {
		res, body := e.API(t, c.method, c.path, c.token, "", nil)
		if res.StatusCode != c.status || res.Header.Get("Allow") != c.allow ||
			res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s: %d, Allow %q, %s: want %d and Allow %q", c.method, c.path, res.StatusCode, res.Header.Get("Allow"),
				res.Header.Get("Content-Type"), c.status, c.allow)
		}
		if c.status == http.StatusMethodNotAllowed && !strings.Contains(body, "not "+c.method) {
			t.Errorf("%s %s: %s", c.method, c.path, body)
		}
	}
}
