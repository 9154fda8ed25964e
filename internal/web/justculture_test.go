package web_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"candour/internal/account"
	"candour/internal/app/apptest"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/guide"
	"candour/internal/org"
)

// jcActor is who the fixtures are created by.
var jcActor = audit.Actor{Label: "test"}

// jcPage checks the status and returns the body with HTML entities
// unescaped, so that checks read as what a person sees.
func jcPage(t *testing.T, what string, got, want int, body string) string {
	t.Helper()
	if got != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, got, want, body)
	}
	return html.UnescapeString(body)
}

// jcHas fails the test unless page contains every one of want.
func jcHas(t *testing.T, what, page string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("%s does not contain %q", what, w)
		}
	}
}

// jcLacks fails the test if page contains any of unwanted.
func jcLacks(t *testing.T, what, page string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(page, u) {
			t.Errorf("%s contains %q, which it should not", what, u)
		}
	}
}

// jcPost posts a form and expects a See Other; it returns where it went.
func jcPost(t *testing.T, e *apptest.Env, c *http.Client, path string, v url.Values) string {
	t.Helper()
	res, body := e.PostForm(t, c, path, v)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s: status %d, want 303\n%s", path, res.StatusCode, body)
	}
	return res.Header.Get("Location")
}

// jcPerson adds a site, a ward and one nurse to the directory.
func jcPerson(t *testing.T, e *apptest.Env) org.Person {
	t.Helper()
	ctx := context.Background()
	site, err := e.App.Org.CreateSite(ctx, jcActor, org.Site{Code: "NGH", Name: "Northfield General Hospital"})
	if err != nil {
		t.Fatal(err)
	}
	ward, err := e.App.Org.CreateDepartment(ctx, jcActor, org.Department{SiteID: site.ID, Code: "W7", Name: "Ward 7", Kind: "ward"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.App.Org.SavePerson(ctx, jcActor, org.Person{EmployeeNumber: "E1001", Name: "Alex Example", DepartmentID: ward.ID,
		StaffGroup: "nursing_midwifery", StartDate: "2020-01-06", EthnicGroup: "A"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var jcQuestionField = regexp.MustCompile(`name="question" value="([^"]+)"`)

// jcAnswer asks for the assessment's question page, checks it asks want,
// and answers it; it returns where the answer led.
func jcAnswer(t *testing.T, e *apptest.Env, c *http.Client, id, want string, yes bool, reason string) string {
	t.Helper()
	status, body := e.Get(t, c, "/assessments/"+id+"/question")
	page := jcPage(t, "question page", status, http.StatusOK, body)
	m := jcQuestionField.FindStringSubmatch(page)
	if m == nil || m[1] != want {
		t.Fatalf("question page asks %v, want %s\n%s", m, want, page)
	}
	answer := "no"
	if yes {
		answer = "yes"
	}
	return jcPost(t, e, c, "/assessments/"+id+"/answers", url.Values{"question": {want}, "answer": {answer}, "reason": {reason}})
}

// pathToE answers every question on the way to end point E.
var pathToE = []struct {
	q   string
	yes bool
}{{"1a", false}, {"2a", false}, {"2b", false}, {"2c", false}, {"3a", true}, {"3b", true}, {"3c", true}, {"4a", true}}

func TestAssessmentPages(t *testing.T) {
	g, ok := guide.BuiltinByID("nhs-just-culture-2018")
	if !ok {
		t.Fatal("no built-in guide")
	}
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		person := jcPerson(t, e)
		manager := e.SignIn(t, authz.Manager)
		safetyEmail := e.Users[authz.Safety].Email

		// The start page shows the guide's cautions before anything else.
		status, body := e.Get(t, manager, "/assessments/new")
		page := jcPage(t, "GET /assessments/new", status, http.StatusOK, body)
		jcHas(t, "start page", page, "Before you start", "It is not for routine use", "It does not replace a patient safety investigation",
			"no substitute for advice from HR", "one action or omission at a time", "nothing earlier is overwritten", "reduce unconscious bias",
			"ne action or omission only; start another assessment for each", "at least one other person",
			`name="concern_confirmed" type="checkbox" value="yes"`, "There is already a specific concern about this person's actions",
			g.Title(), `type="radio" value="`)
		preselected := regexp.MustCompile(`name="guide" type="radio" value="(\d+)" checked`).FindStringSubmatch(page)
		if preselected == nil {
			t.Fatal("the built-in guide is not preselected")
		}

		// Nothing filled in: every problem is named, in page order.
		res, body := e.PostForm(t, manager, "/assessments", url.Values{"guide": {""}, "action": {""}, "person": {""}, "participants": {""}})
		page = jcPage(t, "empty start", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "empty start", page, "There is a problem", `href="#guide"`, `href="#action"`, `href="#person"`, `href="#participants"`, `href="#concern_confirmed"`,
			"Enter the employee number of the staff member concerned", "Add at least one other person", "not for routine use")
		if strings.Index(page, `href="#action"`) > strings.Index(page, `href="#concern_confirmed"`) {
			t.Error("errors are not in page order")
		}

		// Unknown people: the errors name them, and everything typed is kept.
		start := url.Values{"guide": {preselected[1]}, "action": {"Gave the second dose of gentamicin without checking the level"}, "person": {"E9999"},
			"participants": {"nobody@test.example\r\n" + safetyEmail}, "report": {"SE-NOPE"}}
		res, body = e.PostForm(t, manager, "/assessments", start)
		page = jcPage(t, "start with unknowns", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "start with unknowns", page, "No one in the people directory has employee number E9999", "No active candour user has the email address nobody@test.example",
			"No patient safety event has the reference SE-NOPE", "Confirm that there is already a specific concern",
			">Gave the second dose of gentamicin without checking the level</textarea>", `value="E9999"`, ">nobody@test.example", safetyEmail+"</textarea>", `value="SE-NOPE"`)

		start.Set("person", person.EmployeeNumber)
		start.Set("participants", safetyEmail)
		start.Set("report", "")
		start.Set("concern_confirmed", "yes")
		loc := jcPost(t, e, manager, "/assessments", start)
		m := regexp.MustCompile(`^/assessments/(\d+)/question$`).FindStringSubmatch(loc)
		if m == nil {
			t.Fatalf("start went to %q", loc)
		}
		id := m[1]

		// The first question: its test as a caption, the question as the heading.
		q1, _ := g.Question("1a")
		status, body = e.Get(t, manager, loc)
		page = jcPage(t, "first question", status, http.StatusOK, body)
		jcHas(t, "first question", page, "Deliberate harm test, question 1a", `<h1 class="nhsuk-fieldset__heading">`, q1.Text+"</h1>", q1.Help,
			`id="answer" name="answer" type="radio" value="yes"`, `id="reason"`, "Why? Give your reason")

		// No reason: the answer is kept; no answer: the reason is kept.
		res, body = e.PostForm(t, manager, "/assessments/"+id+"/answers", url.Values{"question": {"1a"}, "answer": {"no"}, "reason": {"  "}})
		page = jcPage(t, "answer without reason", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "answer without reason", page, `href="#reason"`, "Enter your reason", `value="no" checked`)
		res, body = e.PostForm(t, manager, "/assessments/"+id+"/answers", url.Values{"question": {"1a"}, "reason": {"No sign of intent"}})
		page = jcPage(t, "reason without answer", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "reason without answer", page, `href="#answer"`, "Select yes or no", ">No sign of intent</textarea>")
		// Out of order.
		res, body = e.PostForm(t, manager, "/assessments/"+id+"/answers", url.Values{"question": {"3a"}, "answer": {"yes"}, "reason": {"Jumping ahead"}})
		page = jcPage(t, "answer out of order", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "answer out of order", page, "Answer the questions in order", ">Jumping ahead</textarea>")

		// Walk the path to end point E.
		for i, st := range pathToE {
			loc = jcAnswer(t, e, manager, id, st.q, st.yes, "Reason for "+st.q)
			want := "/assessments/" + id + "/question"
			if i == len(pathToE)-1 {
				want = "/assessments/" + id
			}
			if loc != want {
				t.Fatalf("after %s went to %q, want %q", st.q, loc, want)
			}
			if i == 1 {
				// Progress shows the answers so far, with change links.
				status, body = e.Get(t, manager, "/assessments/"+id+"/question")
				page = jcPage(t, "third question", status, http.StatusOK, body)
				jcHas(t, "third question", page, "Your answers so far", "Reason for 1a", "Reason for 2a", `href="/assessments/`+id+`/question?q=1a"`,
					"Change<span class=\"nhsuk-u-visually-hidden\"> the answer to question 2a")
			}
		}
		epE, _ := g.EndPoint("E")
		status, body = e.Get(t, manager, "/assessments/"+id)
		page = jcPage(t, "record at end point E", status, http.StatusOK, body)
		jcHas(t, "record at end point E", page, "The guide leads to end point E: "+epE.Title, "E: "+epE.Title, epE.Summary, epE.Actions[0], epE.SystemLearning,
			"Action singling out the individual is unlikely to be appropriate", "HR casework will refuse", "Bias check to do",
			"Alex Example (employee number E1001)", "Gave the second dose of gentamicin", e.Users[authz.Safety].Name, g.Title()+"</a>, version 1",
			g.Checksum()[:12], g.Source(), "Reason for 4a", `action="/assessments/`+id+`/bias-check"`, "Would we have reached the same answer")

		// Change an earlier answer: the outcome changes.
		status, body = e.Get(t, manager, "/assessments/"+id+"/question?q=2c")
		page = jcPage(t, "change 2c", status, http.StatusOK, body)
		jcHas(t, "change 2c", page, `id="answer-2" name="answer" type="radio" value="no" checked`, ">Reason for 2c</textarea>", "the questions after it are asked again")
		loc = jcPost(t, e, manager, "/assessments/"+id+"/answers", url.Values{"question": {"2c"}, "answer": {"yes"}, "reason": {"Signs of stress reported since"}})
		epC, _ := g.EndPoint("C")
		status, body = e.Get(t, manager, loc)
		page = jcPage(t, "record at end point C", status, http.StatusOK, body)
		jcHas(t, "record at end point C", page, "C: "+epC.Title, epC.Actions[0], "Signs of stress reported since")
		jcLacks(t, "record at end point C", page, "E: "+epE.Title, "Reason for 3a", "HR casework will refuse")
		status, _ = e.Get(t, manager, "/assessments/"+id+"/question?q=4a")
		jcPage(t, "off-path question", status, http.StatusNotFound, "")
		// And back to E.
		jcPost(t, e, manager, "/assessments/"+id+"/answers", url.Values{"question": {"2c"}, "answer": {"no"}, "reason": {"Reason for 2c"}})
		for _, st := range pathToE[4:] {
			loc = jcAnswer(t, e, manager, id, st.q, st.yes, "Reason for "+st.q)
		}
		if loc != "/assessments/"+id {
			t.Fatalf("back at E went to %q", loc)
		}

		// The bias check completes it.
		res, body = e.PostForm(t, manager, "/assessments/"+id+"/bias-check", url.Values{"bias_reason": {"We talked it through"}})
		page = jcPage(t, "bias check without answer", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "bias check without answer", page, `href="#bias_same"`, ">We talked it through</textarea>")
		loc = jcPost(t, e, manager, "/assessments/"+id+"/bias-check", url.Values{"bias_same": {"yes"}, "bias_reason": {"Same facts, same answer for anyone"}})
		status, body = e.Get(t, manager, loc)
		page = jcPage(t, "completed record", status, http.StatusOK, body)
		jcHas(t, "completed record", page, "The assessment is complete", ">Complete<", "Completed", "Yes, we would have reached the same answer",
			"Same facts, same answer for anyone", "Revisit this assessment", "Give the staff member a copy", "E: "+epE.Title)
		jcLacks(t, "completed record", page, "/question?q=")
		status, _ = e.Get(t, manager, "/assessments/"+id+"/question")
		jcPage(t, "question page of a completed assessment", status, http.StatusSeeOther, "")

		// The staff member cannot read it until they are given a copy.
		staffUser, err := e.App.Accounts.Create(ctx, jcActor, account.NewUser{Email: "alex.example@test.example", Name: "Alex Example",
			Roles: []authz.Role{authz.Staff}, Password: apptest.Password, PersonID: person.ID})
		if err != nil {
			t.Fatal(err)
		}
		staff := e.SignInAs(t, staffUser.Email, apptest.Password)
		status, body = e.Get(t, staff, "/assessments/"+id)
		jcPage(t, "staff member before sharing", status, http.StatusNotFound, body)
		status, body = e.Get(t, staff, "/assessments")
		page = jcPage(t, "staff list before sharing", status, http.StatusOK, body)
		jcHas(t, "staff list before sharing", page, "There are no assessments for you to see")
		jcLacks(t, "staff list", page, "Start an assessment", "/assessments/insight")
		status, _ = e.Get(t, e.SignIn(t, authz.HR), "/assessments/"+id)
		jcPage(t, "HR without a case", status, http.StatusNotFound, "")

		loc = jcPost(t, e, manager, "/assessments/"+id+"/share", nil)
		status, body = e.Get(t, manager, loc)
		page = jcPage(t, "shared record", status, http.StatusOK, body)
		jcHas(t, "shared record", page, "Alex Example has been given a copy", "Alex Example can read this version")
		jcLacks(t, "shared record", page, "Give the staff member a copy")
		status, body = e.Get(t, staff, "/assessments/"+id)
		page = jcPage(t, "staff member after sharing", status, http.StatusOK, body)
		jcHas(t, "staff member's copy", page, "E: "+epE.Title, "Reason for 3c")
		jcLacks(t, "staff member's copy", page, "Revisit this assessment", `action="/assessments/`+id+`/share"`)
		status, body = e.Get(t, staff, "/assessments")
		jcHas(t, "staff list after sharing", jcPage(t, "staff list", status, http.StatusOK, body), `href="/assessments/`+id+`"`)

		// Revisit: version 2 shows what was said last time.
		loc = jcPost(t, e, manager, "/assessments/"+id+"/revisit", nil)
		m = regexp.MustCompile(`^/assessments/(\d+)/question$`).FindStringSubmatch(loc)
		if m == nil || m[1] == id {
			t.Fatalf("revisit went to %q", loc)
		}
		id2 := m[1]
		status, body = e.Get(t, manager, loc)
		page = jcPage(t, "revisit first question", status, http.StatusOK, body)
		jcHas(t, "revisit first question", page, "Version 2 of the assessment has started", "Last time you answered: <strong>No</strong> – Reason for 1a", `aria-describedby="answer-hint answer-previous`)
		jcAnswer(t, e, manager, id2, "1a", false, "Still no sign of intent")
		status, body = e.Get(t, manager, "/assessments/"+id2+"/question")
		jcHas(t, "revisit second question", jcPage(t, "revisit second question", status, http.StatusOK, body), "Last time you answered: <strong>No</strong> – Reason for 2a")
		status, body = e.Get(t, manager, "/assessments/"+id2)
		page = jcPage(t, "version 2", status, http.StatusOK, body)
		jcHas(t, "version 2", page, "Just culture assessment, version 2", `<a href="/assessments/`+id+`">Previous version (version 1)</a>`, "In progress", "Continue with the questions")
		status, body = e.Get(t, manager, "/assessments/"+id)
		page = jcPage(t, "version 1 after revisit", status, http.StatusOK, body)
		jcHas(t, "version 1 after revisit", page, `<a href="/assessments/`+id2+`">Next version (version 2)</a>`, "This version has been revisited")
		jcLacks(t, "version 1 after revisit", page, "Revisit this assessment")

		// The list.
		status, body = e.Get(t, manager, "/assessments")
		page = jcPage(t, "manager's list", status, http.StatusOK, body)
		jcHas(t, "manager's list", page, "Start an assessment", `href="/assessments/`+id2+`"`, `href="/assessments/`+id+`"`, "Alex Example",
			"E: "+epE.Title, "1 (revisited)", "Not reached yet", ">Complete<", ">In progress<")
		jcLacks(t, "manager's list", page, "/assessments/insight")

		// Insight for the safety team: one assessment is fewer than the threshold.
		safety := e.SignIn(t, authz.Safety)
		status, body = e.Get(t, safety, "/assessments")
		jcHas(t, "safety list", jcPage(t, "safety list", status, http.StatusOK, body), `href="/assessments/insight"`, `href="/assessments/`+id+`"`)
		status, body = e.Get(t, safety, "/assessments/insight")
		page = jcPage(t, "insight", status, http.StatusOK, body)
		jcHas(t, "insight", page, `role="img"`, "<title id=\"chart-title\">", "E: fewer than 5", "E: "+epE.Title, "fewer than 5",
			"Nursing and Midwifery Registered", "White", "Completed assessments by month and end point", "Assessments completed: fewer than 5")
		if regexp.MustCompile(`numeric">1</td>`).MatchString(page) {
			t.Error("insight shows a count of 1")
		}
		res2, err := safety.Get(e.URL("/assessments/insight?from-day=31&from-month=2&from-year=2026&to-day=1&to-month=3&to-year=2026"))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res2.Body)
		res2.Body.Close()
		page = jcPage(t, "insight with a bad date", res2.StatusCode, http.StatusUnprocessableEntity, string(b))
		jcHas(t, "insight with a bad date", page, `href="#from-day"`, "The start date must be a real date")
		status, _ = e.Get(t, manager, "/assessments/insight")
		jcPage(t, "insight as a manager", status, http.StatusForbidden, "")
	})
}

// jcUpload posts a guide definition file as c.
func jcUpload(t *testing.T, e *apptest.Env, c *http.Client, name string, data []byte) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("definition", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	res, err := c.Post(e.URL("/guides"), mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestGuidePages(t *testing.T) {
	builtin, _ := guide.BuiltinByID("nhs-just-culture-2018")
	dangling, err := os.ReadFile("../guide/testdata/dangling.json")
	if err != nil {
		t.Fatal(err)
	}
	v2 := bytes.Replace(builtin.Raw(), []byte(`"version": 1,`), []byte(`"version": 2,`), 1)
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		admin := e.SignIn(t, authz.Admin)
		status, body := e.Get(t, admin, "/guides")
		page := jcPage(t, "GET /guides", status, http.StatusOK, body)
		jcHas(t, "guides page", page, builtin.Title(), "nhs-just-culture-2018", ">Current<", ">Built in<", `enctype="multipart/form-data"`, `name="definition" type="file"`)
		link := regexp.MustCompile(`href="/guides/(\d+)"`).FindStringSubmatch(page)
		if link == nil {
			t.Fatal("no link to the built-in guide")
		}
		status, body = e.Get(t, admin, "/guides/"+link[1])
		page = jcPage(t, "built-in guide", status, http.StatusOK, body)
		// The checksum may break between its parts.
		page = strings.ReplaceAll(page, "<wbr>", "")
		q4a, _ := builtin.Question("4a")
		epG, _ := builtin.EndPoint("G")
		jcHas(t, "built-in guide", page, builtin.Checksum(), "Deliberate harm test", "Substitution test", "4a. "+q4a.Text, q4a.Help,
			"Yes → end point A: ", "No → question 2a", "Yes → end point E: ", "G: "+epG.Title, epG.Actions[len(epG.Actions)-1], epG.SystemLearning,
			"Retire this version", builtin.Cautions()[0])

		// A dangling reference is refused, naming the problem and its line.
		res, body := jcUpload(t, e, admin, "dangling.json", dangling)
		page = jcPage(t, "dangling upload", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "dangling upload", page, "There is a problem", `href="#definition"`, `line 12: question "q2": "yes" goes to "9z", which is neither a question nor an end point`)
		res, body = jcUpload(t, e, admin, "empty.json", nil)
		jcPage(t, "empty upload", res.StatusCode, http.StatusUnprocessableEntity, body)

		// A valid version 2 is added and listed.
		res, body = jcUpload(t, e, admin, "v2.json", v2)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload version 2: status %d\n%s", res.StatusCode, body)
		}
		loc := res.Header.Get("Location")
		status, body = e.Get(t, admin, loc)
		page = jcPage(t, "version 2", status, http.StatusOK, body)
		jcHas(t, "version 2", page, "has been added", "Version 2", "Retire this version")
		jcLacks(t, "version 2", page, ">Built in<")
		status, body = e.Get(t, admin, "/guides")
		page = jcPage(t, "guides with version 2", status, http.StatusOK, body)
		jcHas(t, "guides with version 2", page, ">Earlier version<", `href="`+loc+`"`, ", version 2</span>")
		res, body = jcUpload(t, e, admin, "v2.json", v2)
		page = jcPage(t, "version 2 again", res.StatusCode, http.StatusUnprocessableEntity, body)
		jcHas(t, "version 2 again", page, "version 2 already exists")

		// Managers read guides, but cannot add or retire them.
		manager := e.SignIn(t, authz.Manager)
		status, body = e.Get(t, manager, "/guides")
		page = jcPage(t, "guides as a manager", status, http.StatusOK, body)
		jcLacks(t, "guides as a manager", page, `type="file"`)
		res, _ = jcUpload(t, e, manager, "v3.json", v2)
		jcPage(t, "upload as a manager", res.StatusCode, http.StatusForbidden, "")
		status, body = e.Get(t, manager, "/assessments/new")
		jcHas(t, "start page with two versions", jcPage(t, "start page", status, http.StatusOK, body), "Version 2", "Version 1, built in")
		status, _ = e.Get(t, e.SignIn(t, authz.Staff), "/guides")
		jcPage(t, "guides as staff", status, http.StatusForbidden, "")

		// Retire version 2.
		loc2 := jcPost(t, e, admin, loc+"/retire", nil)
		status, body = e.Get(t, admin, loc2)
		page = jcPage(t, "retired version", status, http.StatusOK, body)
		jcHas(t, "retired version", page, "has been retired", ">Retired<")
		jcLacks(t, "retired version", page, "Retire this version</button>")
		status, body = e.Get(t, admin, "/guides")
		jcHas(t, "guides after retiring", jcPage(t, "guides", status, http.StatusOK, body), ">Retired<", ">Current<")
		status, body = e.Get(t, manager, "/assessments/new")
		jcLacks(t, "start page after retiring", jcPage(t, "start page", status, http.StatusOK, body), "Version 2")
		status, _ = e.Get(t, admin, "/guides/99999")
		jcPage(t, "unknown guide", status, http.StatusNotFound, "")
		res, _ = e.PostForm(t, admin, "/guides/99999/retire", nil)
		jcPage(t, "retire unknown guide", res.StatusCode, http.StatusNotFound, "")
	})
}
