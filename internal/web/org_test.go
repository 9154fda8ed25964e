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

	"candour/internal/app/apptest"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/org"
)

// orgHas fails the test unless body contains every one of want.
func orgHas(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s does not contain %q", what, w)
		}
	}
}

// orgLacks fails the test if body contains any of unwanted.
func orgLacks(t *testing.T, what, body string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			t.Errorf("%s contains %q, which it should not", what, u)
		}
	}
}

// orgStatus fails the test unless got is want.
func orgStatus(t *testing.T, what string, got, want int, body string) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, got, want, body)
	}
}

// orgFollow posts a form, expects a redirect, and returns where it went and
// the page found there.
func orgFollow(t *testing.T, e *apptest.Env, c *http.Client, path string, v url.Values) (string, string) {
	t.Helper()
	res, body := e.PostForm(t, c, path, v)
	orgStatus(t, "POST "+path, res.StatusCode, http.StatusSeeOther, body)
	loc := res.Header.Get("Location")
	status, page := e.Get(t, c, loc)
	orgStatus(t, "GET "+loc, status, http.StatusOK, page)
	return loc, page
}

var testActor = audit.Actor{Label: "test"}

// orgFixture is a site with two departments.
type orgFixture struct {
	site       org.Site
	ward, team org.Department
}

func newOrgFixture(t *testing.T, e *apptest.Env) orgFixture {
	t.Helper()
	ctx := context.Background()
	var f orgFixture
	var err error
	if f.site, err = e.App.Org.CreateSite(ctx, testActor, org.Site{Code: "NGH", Name: "Northfield General Hospital"}); err != nil {
		t.Fatal(err)
	}
	if f.ward, err = e.App.Org.CreateDepartment(ctx, testActor, org.Department{SiteID: f.site.ID, Code: "W7", Name: "Ward 7", Kind: "ward"}); err != nil {
		t.Fatal(err)
	}
	if f.team, err = e.App.Org.CreateDepartment(ctx, testActor, org.Department{SiteID: f.site.ID, Code: "FIN", Name: "Finance", Kind: "department"}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f orgFixture) person(t *testing.T, e *apptest.Env, p org.Person) org.Person {
	t.Helper()
	if p.DepartmentID == 0 {
		p.DepartmentID = f.ward.ID
	}
	if p.StaffGroup == "" {
		p.StaffGroup = "nursing_midwifery"
	}
	if p.StartDate == "" {
		p.StartDate = "2020-01-06"
	}
	saved, err := e.App.Org.SavePerson(context.Background(), testActor, p)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

func TestOrganisationSitesAndDepartments(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		admin := e.SignIn(t, authz.Admin)

		status, body := e.Get(t, admin, "/organisation")
		orgStatus(t, "GET /organisation", status, http.StatusOK, body)
		orgHas(t, "organisation page", body, "<h1>Organisation</h1>", "national NHS occupational staff groups",
			"Nursing and Midwifery Registered", "There are no sites yet.", `href="/organisation/sites/new"`)

		_, body = orgFollow(t, e, admin, "/organisation/sites", url.Values{"code": {"NGH"}, "name": {"Northfield General Hospital"}})
		orgHas(t, "organisation page after adding a site", body, "The site Northfield General Hospital has been added",
			"<td class=\"nhsuk-table__cell\">NGH</td>", `href="/organisation/departments/new"`)
		sites, err := e.App.Org.Sites(ctx)
		if err != nil || len(sites) != 1 || sites[0].Code != "NGH" {
			t.Fatalf("sites stored: %+v, %v", sites, err)
		}
		site := sites[0]

		// The same code again: the form comes back with the error and what was typed.
		res, body := e.PostForm(t, admin, "/organisation/sites", url.Values{"code": {"NGH"}, "name": {"Another Place"}})
		orgStatus(t, "duplicate site", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "duplicate site page", body, "A site with this code already exists", `href="#code"`, `value="Another Place"`, `value="NGH"`, "Error: Add a site")

		// Change the site.
		status, body = e.Get(t, admin, fmt.Sprintf("/organisation/sites/%d/edit", site.ID))
		orgStatus(t, "edit site", status, http.StatusOK, body)
		orgHas(t, "edit site page", body, `value="Northfield General Hospital"`)
		orgFollow(t, e, admin, fmt.Sprintf("/organisation/sites/%d", site.ID), url.Values{"code": {"NGH"}, "name": {"Northfield General"}})
		if got, _ := e.App.Org.Site(ctx, site.ID); got.Name != "Northfield General" {
			t.Errorf("site name after change: %q", got.Name)
		}
		for _, p := range []string{"/organisation/sites/abc/edit", "/organisation/sites/99999/edit", "/organisation/departments/99999/edit"} {
			status, _ = e.Get(t, admin, p)
			orgStatus(t, "GET "+p, status, http.StatusNotFound, "")
		}

		// Departments.
		status, body = e.Get(t, admin, "/organisation/departments/new")
		orgStatus(t, "new department", status, http.StatusOK, body)
		orgHas(t, "new department page", body, "Northfield General", `id="kind"`, `id="kind-2"`, `<label class="nhsuk-label" for="site_id">Site</label>`)
		siteID := fmt.Sprint(site.ID)
		_, body = orgFollow(t, e, admin, "/organisation/departments", url.Values{"site_id": {siteID}, "code": {"W7"}, "name": {"Ward 7"}, "kind": {"ward"}})
		orgHas(t, "organisation page after adding a department", body, "Ward 7 has been added to Northfield General", "<td class=\"nhsuk-table__cell\">Ward</td>")

		res, body = e.PostForm(t, admin, "/organisation/departments", url.Values{"site_id": {siteID}, "code": {"W7"}, "name": {"Ward 8"}, "kind": {"team"}})
		orgStatus(t, "duplicate department", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "duplicate department page", body, "A department with this code already exists", `value="Ward 8"`,
			`value="`+siteID+`" selected`, `value="team" checked`)

		res, body = e.PostForm(t, admin, "/organisation/departments", url.Values{"site_id": {""}, "code": {"W8"}, "name": {"Ward 8"}})
		orgStatus(t, "department without site or kind", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "department without site or kind", body, `<a href="#site_id">Select the site</a>`, `<a href="#kind">`)

		deps, err := e.App.Org.Departments(ctx)
		if err != nil || len(deps) != 1 {
			t.Fatalf("departments stored: %+v, %v", deps, err)
		}
		orgFollow(t, e, admin, fmt.Sprintf("/organisation/departments/%d", deps[0].ID), url.Values{"site_id": {siteID}, "code": {"W7"}, "name": {"Ward 7 (Acute Medicine)"}, "kind": {"ward"}})
		if got, _ := e.App.Org.Department(ctx, deps[0].ID); got.Name != "Ward 7 (Acute Medicine)" {
			t.Errorf("department name after change: %q", got.Name)
		}

		// HR may look but not change.
		hr := e.SignIn(t, authz.HR)
		status, body = e.Get(t, hr, "/organisation")
		orgStatus(t, "GET /organisation as hr", status, http.StatusOK, body)
		orgHas(t, "organisation page as hr", body, "Ward 7 (Acute Medicine)", "Northfield General")
		orgLacks(t, "organisation page as hr", body, "/organisation/sites/new", "/edit")
		status, _ = e.Get(t, hr, "/organisation/sites/new")
		orgStatus(t, "GET /organisation/sites/new as hr", status, http.StatusForbidden, "")
	})
}

// personForm is a valid person form for the fixture.
func personForm(f orgFixture) url.Values {
	return url.Values{
		"employee_number": {"E1001"}, "name": {"Alex Example"}, "email": {"Alex.Example@Example.nhs.uk"},
		"department_id": {fmt.Sprint(f.ward.ID)}, "staff_group": {"nursing_midwifery"}, "job_title": {"Staff Nurse"},
		"line_manager": {""}, "start_date-day": {"4"}, "start_date-month": {"3"}, "start_date-year": {"2024"},
		"ethnic_group": {""}, "disability": {"prefer_not_to_say"},
	}
}

func TestPersonCreateAndEdit(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		f := newOrgFixture(t, e)
		manager := f.person(t, e, org.Person{EmployeeNumber: "M0001", Name: "Morgan Manager"})
		hr := e.SignIn(t, authz.HR)

		status, body := e.Get(t, hr, "/people/new")
		orgStatus(t, "GET /people/new", status, http.StatusOK, body)
		orgHas(t, "new person page", body, "<h1>Add a person</h1>", `id="start_date-day"`, `id="disability"`, "Ward 7 (Northfield General Hospital)")

		// An impossible date and an unknown line manager.
		v := personForm(f)
		v.Set("start_date-day", "31")
		v.Set("start_date-month", "02")
		v.Set("start_date-year", "2026")
		v.Set("line_manager", "NOBODY1")
		res, body := e.PostForm(t, hr, "/people", v)
		orgStatus(t, "impossible date", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "impossible date page", body, `<a href="#start_date-day">Start date must be a real date</a>`,
			`<a href="#line_manager">There is nobody with employee number NOBODY1`,
			`value="31"`, `value="02"`, `value="2026"`, `value="Alex Example"`, `value="E1001"`, `value="Staff Nurse"`,
			`value="prefer_not_to_say" checked`, `value="NOBODY1"`)
		if _, err := e.App.Org.PersonByEmployeeNumber(ctx, "E1001"); err == nil {
			t.Fatal("a person with an impossible start date was stored")
		}

		// A staff group that is not in the list, nor even readable text.
		v.Set("staff_group", "\xff")
		res, body = e.PostForm(t, hr, "/people", v)
		orgStatus(t, "unreadable staff group", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "unreadable staff group page", body, `<a href="#staff_group">Select a staff group from the list</a>`)
		v.Set("staff_group", "nursing_midwifery")

		// A missing month.
		v.Set("start_date-month", "")
		v.Set("line_manager", "M0001")
		res, body = e.PostForm(t, hr, "/people", v)
		orgStatus(t, "missing month", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "missing month page", body, "Start date must include a month")

		// Now a good one.
		v.Set("start_date-day", "29")
		v.Set("start_date-month", "2")
		v.Set("start_date-year", "2024")
		loc, body := orgFollow(t, e, hr, "/people", v)
		orgHas(t, "person page", body, "Alex Example has been added", "<h1>Alex Example</h1>", "29 February 2024",
			"alex.example@example.nhs.uk", `<a href="/people/`+fmt.Sprint(manager.ID)+`">Morgan Manager</a>`)
		p, err := e.App.Org.PersonByEmployeeNumber(ctx, "E1001")
		if err != nil {
			t.Fatal(err)
		}
		if loc != fmt.Sprintf("/people/%d", p.ID) || p.StartDate != "2024-02-29" || p.LineManagerID != manager.ID ||
			p.Disability != org.DisabilityPreferNotToSay || p.EthnicGroup != "" || p.LeaveDate != "" {
			t.Errorf("stored %+v, redirected to %s", p, loc)
		}

		// Change the leave date through the edit form, which starts filled in.
		edit := fmt.Sprintf("/people/%d/edit", p.ID)
		status, body = e.Get(t, hr, edit)
		orgStatus(t, "GET "+edit, status, http.StatusOK, body)
		orgHas(t, "edit person page", body, `value="Alex Example"`, `value="M0001"`, `value="29"`, `value="2024"`, `value="prefer_not_to_say" checked`)

		v.Set("leave_date-day", "1")
		v.Set("leave_date-month", "1")
		v.Set("leave_date-year", "2024")
		res, body = e.PostForm(t, hr, fmt.Sprintf("/people/%d", p.ID), v)
		orgStatus(t, "leave before start", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "leave before start page", body, `<a href="#leave_date-day">Leave date must be on or after the start date</a>`)

		v.Set("leave_date-day", "31")
		v.Set("leave_date-month", "5")
		v.Set("leave_date-year", "2025")
		_, body = orgFollow(t, e, hr, fmt.Sprintf("/people/%d", p.ID), v)
		orgHas(t, "person page after change", body, "The details of Alex Example have been saved", "31 May 2025", "Leaver")
		if p, _ = e.App.Org.Person(ctx, p.ID); p.LeaveDate != "2025-05-31" {
			t.Errorf("leave date stored: %q", p.LeaveDate)
		}

		for _, path := range []string{"/people/abc", "/people/99999", "/people/99999/edit"} {
			status, _ = e.Get(t, hr, path)
			orgStatus(t, "GET "+path, status, http.StatusNotFound, "")
		}
		res, body = e.PostForm(t, hr, "/people/99999", personForm(f))
		orgStatus(t, "POST /people/99999", res.StatusCode, http.StatusNotFound, body)
	})
}

func TestPersonViewIsAudited(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		f := newOrgFixture(t, e)
		manager := f.person(t, e, org.Person{EmployeeNumber: "M0001", Name: "Morgan Manager"})
		p := f.person(t, e, org.Person{EmployeeNumber: "E2001", Name: "Sam Sample", LineManagerID: manager.ID,
			EthnicGroup: "", Disability: org.DisabilityPreferNotToSay})
		z := f.person(t, e, org.Person{EmployeeNumber: "E2002", Name: "Zoe Zed", EthnicGroup: "Z", Disability: org.DisabilityNo})
		hr := e.SignIn(t, authz.HR)

		reads := func(id int64) int {
			var n int
			if err := e.DB.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'person.read' AND entity = 'person' AND entity_id = ? AND actor_id = ?`,
				fmt.Sprint(id), e.Users[authz.HR].ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := reads(p.ID); n != 0 {
			t.Fatalf("%d reads recorded before any", n)
		}
		status, body := e.Get(t, hr, fmt.Sprintf("/people/%d", p.ID))
		orgStatus(t, "GET person", status, http.StatusOK, body)
		eq := regexp.MustCompile(`(?s)Ethnic group</dt>\s*<dd class="nhsuk-summary-list__value">([^<]*)</dd>.*Disability</dt>\s*<dd class="nhsuk-summary-list__value">([^<]*)</dd>`)
		if m := eq.FindStringSubmatch(body); m == nil || m[1] != "Not known" || m[2] != "Prefer not to say" {
			t.Errorf("equality fields shown as %q", m)
		}
		orgHas(t, "person page", body, `<a href="/people/`+fmt.Sprint(manager.ID)+`">Morgan Manager</a>`, "E2001", "Ward 7, Northfield General Hospital", "Nursing and Midwifery Registered")
		if n := reads(p.ID); n != 1 {
			t.Errorf("person.read entries after one view: %d, want 1", n)
		}

		status, body = e.Get(t, hr, fmt.Sprintf("/people/%d", z.ID))
		orgStatus(t, "GET person", status, http.StatusOK, body)
		if m := eq.FindStringSubmatch(body); m == nil || m[1] != "Prefer not to say" || m[2] != "No" {
			t.Errorf("equality fields shown as %q", m)
		}
		if n := reads(z.ID); n != 1 {
			t.Errorf("person.read entries for the second person: %d, want 1", n)
		}
		// The audit entry holds no equality data.
		var detail string
		if err := e.DB.QueryRowContext(ctx, `SELECT detail FROM audit_log WHERE action = 'person.read' AND entity_id = ?`, fmt.Sprint(z.ID)).Scan(&detail); err != nil {
			t.Fatal(err)
		}
		orgLacks(t, "audit detail", detail, "Prefer", "Z", "disab")
	})
}

func TestPersonTextIsStoredLiterallyAndEscaped(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		f := newOrgFixture(t, e)
		admin := e.SignIn(t, authz.Admin)
		const name, title = `Robert'); DROP TABLE people;--`, `<script>alert(1)</script>`
		v := personForm(f)
		v.Set("name", name)
		v.Set("job_title", title)
		_, body := orgFollow(t, e, admin, "/people", v)
		orgHas(t, "person page", body, html.EscapeString(name), "&lt;script&gt;alert(1)&lt;/script&gt;")
		orgLacks(t, "person page", body, title, name)
		p, err := e.App.Org.PersonByEmployeeNumber(ctx, "E1001")
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != name || p.JobTitle != title {
			t.Errorf("stored name %q, job title %q", p.Name, p.JobTitle)
		}
		status, body := e.Get(t, admin, "/people?q="+url.QueryEscape("robert'); drop"))
		orgStatus(t, "search", status, http.StatusOK, body)
		orgHas(t, "people page", body, html.EscapeString(name), "&lt;script&gt;alert(1)&lt;/script&gt;")
		orgLacks(t, "people page", body, title)
	})
}

func TestPeopleSearchAndPagination(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		f := newOrgFixture(t, e)
		for i := 1; i <= 55; i++ {
			f.person(t, e, org.Person{EmployeeNumber: fmt.Sprintf("N%04d", i), Name: fmt.Sprintf("Nurse %03d", i)})
		}
		for i := 1; i <= 3; i++ {
			f.person(t, e, org.Person{EmployeeNumber: fmt.Sprintf("A%04d", i), Name: fmt.Sprintf("Clerk %03d", i),
				DepartmentID: f.team.ID, StaffGroup: "admin_clerical", JobTitle: "Finance Officer"})
		}
		f.person(t, e, org.Person{EmployeeNumber: "L0001", Name: "Nurse Gone", LeaveDate: "2021-03-31"})
		hr := e.SignIn(t, authz.HR)

		rowName := regexp.MustCompile(`<td class="nhsuk-table__cell"><a href="/people/\d+">([^<]+)</a></td>`)
		names := func(body string) []string {
			var out []string
			for _, m := range rowName.FindAllStringSubmatch(body, -1) {
				out = append(out, m[1])
			}
			return out
		}
		nextLink := regexp.MustCompile(`<a class="nhsuk-pagination__link nhsuk-pagination__link--next" href="([^"]+)"`)

		status, body := e.Get(t, hr, "/people")
		orgStatus(t, "GET /people", status, http.StatusOK, body)
		orgHas(t, "people page", body, `href="/people/new"`, `href="/people/import"`, "Add a person", "Import from ESR")
		first := names(body)
		if len(first) != 50 || first[0] != "Clerk 001" {
			t.Fatalf("first page: %d people starting %q", len(first), first)
		}
		m := nextLink.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no Next page link on the first page")
		}
		status, body = e.Get(t, hr, html.UnescapeString(m[1]))
		orgStatus(t, "next page", status, http.StatusOK, body)
		second := names(body)
		if len(second) != 8 || second[0] != "Nurse 048" || second[7] != "Nurse 055" {
			t.Errorf("second page: %q", second)
		}
		if nextLink.MatchString(body) {
			t.Error("the last page has a Next page link")
		}
		orgLacks(t, "people pages", strings.Join(append(first, second...), "|"), "Nurse Gone")

		// Filters are kept on the Next link.
		status, body = e.Get(t, hr, "/people?q=nurse&staff_group=nursing_midwifery&leavers=yes")
		orgStatus(t, "filtered", status, http.StatusOK, body)
		m = nextLink.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no Next page link on the filtered first page")
		}
		next := html.UnescapeString(m[1])
		orgHas(t, "next link", next, "q=nurse", "staff_group=nursing_midwifery", "leavers=yes", "after=")
		status, body = e.Get(t, hr, next)
		orgStatus(t, "filtered next page", status, http.StatusOK, body)
		if got := names(body); len(got) != 6 || got[0] != "Nurse 051" || got[5] != "Nurse Gone" {
			t.Errorf("filtered second page: %q", got)
		}
		orgHas(t, "filtered second page", body, "Leaver", `value="nurse"`, `value="yes" checked`, "Back to the first page")

		// Search and department filter.
		status, body = e.Get(t, hr, fmt.Sprintf("/people?department=%d", f.team.ID))
		orgStatus(t, "department filter", status, http.StatusOK, body)
		if got := names(body); len(got) != 3 || got[0] != "Clerk 001" {
			t.Errorf("finance department: %q", got)
		}
		orgHas(t, "department filter", body, "Finance Officer", "Administrative and Clerical")
		status, body = e.Get(t, hr, "/people?q=N0042")
		orgStatus(t, "search", status, http.StatusOK, body)
		if got := names(body); len(got) != 1 || got[0] != "Nurse 042" {
			t.Errorf("search by employee number: %q", got)
		}
		status, body = e.Get(t, hr, "/people?q=nobody+at+all")
		orgStatus(t, "empty search", status, http.StatusOK, body)
		orgHas(t, "empty search", body, "Nobody matches your search")

		// Text that is not UTF-8, and a long search cut inside a character.
		for _, q := range []string{"%FF%FE", url.QueryEscape(strings.Repeat("a", 199) + "é")} {
			status, body = e.Get(t, hr, "/people?q="+q)
			orgStatus(t, "search for "+q, status, http.StatusOK, body)
		}

		status, body = e.Get(t, hr, "/people?after=not-a-cursor")
		orgStatus(t, "bad cursor", status, http.StatusBadRequest, body)
		orgHas(t, "bad cursor", body, "The first page is shown instead", "Clerk 001")
	})
}

// postFile uploads content as the file field of the import form.
func postFile(t *testing.T, e *apptest.Env, c *http.Client, filename, content string, skipBad bool) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if filename != "" {
		fw, err := mw.CreateFormFile("file", filename)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(fw, content)
	} else {
		// What a browser sends when no file was chosen.
		fw, err := mw.CreateFormFile("file", "")
		if err != nil {
			t.Fatal(err)
		}
		_ = fw
	}
	if skipBad {
		mw.WriteField("skip_bad_rows", "yes")
	}
	mw.Close()
	res, err := c.Post(e.URL("/people/import"), mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func countPeople(t *testing.T, e *apptest.Env) int {
	t.Helper()
	var n int
	if err := e.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM people`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPeopleImport(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		newOrgFixture(t, e)
		hr := e.SignIn(t, authz.HR)

		status, body := e.Get(t, hr, "/people/import")
		orgStatus(t, "GET /people/import", status, http.StatusOK, body)
		orgHas(t, "import page", body, `enctype="multipart/form-data"`, `class="nhsuk-file-upload__input"`, `type="file"`,
			"Employee Number", "Supervisor Employee Number", "DD/MM/YYYY", "Import the good rows even if some rows have errors",
			"smaller than 10 MB", `<label class="nhsuk-label nhsuk-label--s" for="file">`)

		good := "Employee Number,First Name,Last Name,Organisation,Staff Group,Position Title,Hire Date,Supervisor Employee Number\r\n" +
			"1001,Ada,Lovelace,W7,Nursing and Midwifery Registered,Ward Manager,01/02/2019,\r\n" +
			"1002,Bob,Jones,FIN,Administrative and Clerical,Clerk,15/06/2021,1001\r\n"
		res, body := postFile(t, e, hr, "staff.csv", good, false)
		orgStatus(t, "import good file", res.StatusCode, http.StatusSeeOther, body)
		status, body = e.Get(t, hr, res.Header.Get("Location"))
		orgStatus(t, "after import", status, http.StatusOK, body)
		orgHas(t, "people page after import", body, "Imported 2 people: 2 added, 0 updated, 0 unchanged, 0 skipped", "Ada Lovelace", "Bob Jones")
		bob, err := e.App.Org.PersonByEmployeeNumber(ctx, "1002")
		if err != nil || bob.StartDate != "2021-06-15" || bob.LineManagerName != "Ada Lovelace" {
			t.Fatalf("Bob stored as %+v, %v", bob, err)
		}

		// Again, with Bob's job title changed: updated in place.
		changed := strings.Replace(good, "Clerk,", "Senior Clerk,", 1)
		res, body = postFile(t, e, hr, "staff.csv", changed, false)
		orgStatus(t, "re-import", res.StatusCode, http.StatusSeeOther, body)
		_, body = e.Get(t, hr, res.Header.Get("Location"))
		orgHas(t, "people page after re-import", body, "Imported 2 people: 0 added, 1 updated, 1 unchanged, 0 skipped")
		if bob, _ = e.App.Org.PersonByEmployeeNumber(ctx, "1002"); bob.JobTitle != "Senior Clerk" {
			t.Errorf("Bob's job title after re-import: %q", bob.JobTitle)
		}
		if n := countPeople(t, e); n != 2 {
			t.Errorf("%d people after re-import, want 2", n)
		}

		// Rows with problems: nothing is stored, and the lines are listed.
		bad := "Employee Number,Full Name,Organisation,Staff Group,Hire Date\n" +
			"2001,Cara Good,W7,Nursing and Midwifery Registered,03/03/2023\n" +
			"2002,Dan Bad,NOWHERE,Nursing and Midwifery Registered,03/03/2023\n" +
			"2003,Eve Bad,W7,Nursing and Midwifery Registered,31/02/2023\n"
		res, body = postFile(t, e, hr, "bad.csv", bad, false)
		orgStatus(t, "import bad file", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "bad file page", body, "Nothing has been imported", `<a href="#file">Nothing has been imported because 2 rows have problems`,
			"<td class=\"nhsuk-table__cell\">3</td>", "<td class=\"nhsuk-table__cell\">4</td>", "NOWHERE", "Hire Date", "is not a real date")
		if n := countPeople(t, e); n != 2 {
			t.Errorf("%d people after a refused import, want 2", n)
		}

		// The same with the box ticked: the good row goes in.
		res, body = postFile(t, e, hr, "bad.csv", bad, true)
		orgStatus(t, "import bad file skipping bad rows", res.StatusCode, http.StatusOK, body)
		orgHas(t, "skipped rows page", body, "<h1>People imported</h1>", "Rows that were skipped", "<td class=\"nhsuk-table__cell\">4</td>")
		if _, err := e.App.Org.PersonByEmployeeNumber(ctx, "2001"); err != nil {
			t.Errorf("good row not imported: %v", err)
		}
		if n := countPeople(t, e); n != 3 {
			t.Errorf("%d people after skipping bad rows, want 3", n)
		}

		// Not a CSV file at all.
		res, body = postFile(t, e, hr, "staff.pdf", "%PDF-1.7 binary stuff", false)
		orgStatus(t, "import a PDF", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "PDF page", body, `<a href="#file">The file is a PDF, not a CSV file`, `id="file-error"`)
		res, body = postFile(t, e, hr, "staff.csv", "Name,Email\nAda,ada@example.org\n", false)
		orgStatus(t, "import without required columns", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "missing columns page", body, "These required columns are missing: Employee Number")

		// No file chosen.
		res, body = postFile(t, e, hr, "", "", false)
		orgStatus(t, "import without a file", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "no file page", body, `<a href="#file">Select a CSV file</a>`)

		// Too big: the limit is read from the configuration on each request.
		e.App.Config.MaxUploadBytes = 4 << 10
		big := good + strings.Repeat("9999,Big,File,W7,Nursing and Midwifery Registered,x,01/01/2020,\r\n", 200)
		res, body = postFile(t, e, hr, "big.csv", big, false)
		orgStatus(t, "import too big", res.StatusCode, http.StatusRequestEntityTooLarge, body)
		orgHas(t, "too big page", body, `<a href="#file">The file must be smaller than 4 KB</a>`)
		if n := countPeople(t, e); n != 3 {
			t.Errorf("%d people after an oversized upload, want 3", n)
		}

		// Staff cannot import.
		staff := e.SignIn(t, authz.Staff)
		res, _ = postFile(t, e, staff, "staff.csv", good, false)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("import as staff: status %d, want 403", res.StatusCode)
		}
	})
}

func TestHeadcount(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		f := newOrgFixture(t, e)
		for i, p := range []org.Person{
			{Name: "Nurse One", EthnicGroup: "A"},
			{Name: "Nurse Two", EthnicGroup: "H"},
			{Name: "Nurse Three"},
			{Name: "Clerk One", StaffGroup: "admin_clerical", DepartmentID: f.team.ID},
			{Name: "Nurse Left", LeaveDate: "2026-01-01"},
			{Name: "Nurse Future", StartDate: "2026-09-01"},
		} {
			p.EmployeeNumber = fmt.Sprintf("H%03d", i)
			f.person(t, e, p)
		}
		exec := e.SignIn(t, authz.Exec)
		row := func(body, label string) string {
			m := regexp.MustCompile(`<th class="nhsuk-table__header" scope="row">` + regexp.QuoteMeta(label) +
				`</th>\s*<td[^>]*>(?:<strong>)?(\d+)(?:</strong>)?</td>\s*<td[^>]*>(?:<strong>)?([^<]+)`).FindStringSubmatch(body)
			if m == nil {
				return ""
			}
			return m[1] + " " + m[2]
		}

		status, body := e.Get(t, exec, "/headcount?date=2026-06-01&by=staff_group")
		orgStatus(t, "headcount by staff group", status, http.StatusOK, body)
		for label, want := range map[string]string{
			"Nursing and Midwifery Registered": "3 75.0%",
			"Administrative and Clerical":      "1 25.0%",
			"Medical and Dental":               "0 0.0%",
		} {
			if got := row(body, label); got != want {
				t.Errorf("%s: %q, want %q", label, got, want)
			}
		}
		if got := row(body, "Total"); got != "4 100.0%" {
			t.Errorf("total row: %q", got)
		}
		orgHas(t, "headcount page", body, "not hidden on this page", "equality monitoring", `value="1"`, `value="6"`, `value="2026"`, `value="staff_group" checked`)

		// The form's own fields.
		status, body = e.Get(t, exec, "/headcount?date-day=31&date-month=12&date-year=2025&by=ethnic_group")
		orgStatus(t, "headcount by ethnic group", status, http.StatusOK, body)
		for label, want := range map[string]string{"White British": "1 20.0%", "Indian": "1 20.0%", "Not known": "3 60.0%"} {
			if got := row(body, label); got != want {
				t.Errorf("%s: %q, want %q", label, got, want)
			}
		}

		status, body = e.Get(t, exec, "/headcount")
		orgStatus(t, "headcount today", status, http.StatusOK, body)
		orgHas(t, "headcount today", body, `value="total" checked`, "All staff")

		status, body = e.Get(t, exec, "/headcount?date-day=31&date-month=2&date-year=2026&by=site")
		orgStatus(t, "impossible date", status, http.StatusUnprocessableEntity, body)
		orgHas(t, "impossible date", body, `<a href="#date-day">Date must be a real date</a>`, `value="31"`)
		orgLacks(t, "impossible date", body, "Percentage of total")

		status, body = e.Get(t, exec, "/headcount?date=2026-06-01&by=shoe_size")
		orgStatus(t, "unknown dimension", status, http.StatusUnprocessableEntity, body)
		orgHas(t, "unknown dimension", body, `<a href="#by">`)

		status, _ = e.Get(t, e.SignIn(t, authz.Staff), "/headcount")
		orgStatus(t, "headcount as staff", status, http.StatusForbidden, "")
	})
}
