package web_test

import (
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"candour/internal/app/apptest"
	"candour/internal/authz"
	"candour/internal/localtime"
	"candour/internal/report"
)

func TestGuardiansQuarterlyReturn(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		newOrgFixture(t, e)
		anyone := e.Client()

		// The concern form asks for a staff group, optionally; one
		// anonymous concern gives it, one does not.
		_, form := e.Get(t, anyone, "/report/concern")
		orgHas(t, "concern form", form, `<select class="nhsuk-select" id="staff_group" name="staff_group"`, "Prefer not to say", "Allied Health Professionals")
		for _, group := range []string{"ahp", ""} {
			res, body := rrPost(t, e, anyone, "/report/concern", url.Values{"mode": {"anonymous"}, "elements": {"bullying_harassment", "behaviours"},
				"description": {"A senior colleague shouts at juniors on the ward round."}, "staff_group": {group}})
			orgStatus(t, "concern with staff group "+group, res.StatusCode, http.StatusOK, body)
		}
		res, body := rrPost(t, e, anyone, "/report/concern", url.Values{"mode": {"anonymous"}, "elements": {"other"},
			"description": {"Something about the rota that is not right."}, "staff_group": {"astronauts"}})
		orgStatus(t, "unknown staff group", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "unknown staff group", body, "Choose your staff group from the list, or leave it blank", "Something about the rota that is not right.</textarea>")

		guardian := e.SignIn(t, authz.Guardian)
		_, queue := e.Get(t, guardian, "/reports")
		orgHas(t, "guardian's queue", queue, `href="/reports/return"`)
		if _, q := e.Get(t, e.SignIn(t, authz.Safety), "/reports"); strings.Contains(q, "/reports/return") {
			t.Error("the safety team's queue links to the guardians' return")
		}

		now := report.QuarterOf(time.Now().In(localtime.London()))
		status, page := e.Get(t, guardian, "/reports/return?quarter="+now.String())
		orgStatus(t, "this quarter's return", status, http.StatusOK, page)
		orgHas(t, "this quarter's return", page, now.Label()+", so far",
			"Cases raised",
			"2 (100.0% of cases)", // both anonymous
			"Allied Health Professionals</th>\n          <td class=\"nhsuk-table__cell nhsuk-table__cell--numeric\">1</td>",
			"Not given</th>\n          <td class=\"nhsuk-table__cell nhsuk-table__cell--numeric\">1</td>",
			"Bullying or harassment</th>\n          <td class=\"nhsuk-table__cell nhsuk-table__cell--numeric\">2</td>",
			`/reports/return.csv?quarter=`+now.String())

		// The default is the last whole quarter, which has no cases.
		status, page = e.Get(t, guardian, "/reports/return")
		orgStatus(t, "default return", status, http.StatusOK, page)
		orgHas(t, "default return", page, now.Previous().Label()+"</h2>", `<option value="`+now.Previous().String()+`" selected>`)

		resp, err := guardian.Get(e.URL("/reports/return.csv?quarter=" + now.String()))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || ct != "text/csv; charset=utf-8" {
			t.Fatalf("CSV: status %d, type %q", resp.StatusCode, ct)
		}
		lines, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, l := range lines[1:] {
			got[l[1]] = l[3]
		}
		for measure, want := range map[string]string{"cases": "2", "anonymous": "2", "element_bullying_harassment": "2", "element_patient_safety": "0",
			"staff_group_ahp": "1", "staff_group_not_given": "1", "detriment": "0", "feedback": "0"} {
			if got[measure] != want {
				t.Errorf("CSV %s = %q, want %s\n%s", measure, got[measure], want, raw)
			}
		}

		for _, bad := range []string{"nonsense", now.Next().String()} {
			status, page = e.Get(t, guardian, "/reports/return?quarter="+bad)
			orgStatus(t, "quarter "+bad, status, http.StatusBadRequest, page)
			orgHas(t, "quarter "+bad, page, "There is a problem", `href="#quarter"`)
		}
		for _, role := range []authz.Role{authz.Safety, authz.Manager, authz.Exec, authz.Admin, authz.HR, authz.UnionRep, authz.Staff} {
			for _, p := range []string{"/reports/return", "/reports/return.csv"} {
				if status, _ := e.Get(t, e.SignIn(t, role), p); status != http.StatusForbidden {
					t.Errorf("%s: GET %s gave %d, want 403", role, p, status)
				}
			}
		}
	})
}
