package api_test

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"candour/internal/account"
	"candour/internal/app/apptest"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/localtime"
	"candour/internal/store"
)

// caseFixture is an HR adviser, the employee-relations lead, a manager,
// two executives, two union representatives, the employee Ada (who has a
// candour account) and an administrator, each with a token.
type caseFixture struct {
	hr, lead, manager, exec1, exec2, rep1, rep2, ada, admin string
	managerEmail, rep1Email, hrEmail                        string
	today                                                   string
}

// caseUser adds a user with the roles and returns their token.
func caseUser(t *testing.T, e *apptest.Env, email string, person int64, roles ...authz.Role) (int64, string) {
	t.Helper()
	ctx := context.Background()
	a := audit.Actor{Label: "test"}
	u, err := e.App.Accounts.Create(ctx, a, account.NewUser{Email: email, Name: "User " + email, Roles: roles, Password: apptest.Password, PersonID: person})
	if err != nil {
		t.Fatal(err)
	}
	_, tok, err := e.App.Accounts.CreateToken(ctx, a, u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return u.ID, tok
}

func newCaseFixture(t *testing.T, e *apptest.Env) caseFixture {
	t.Helper()
	seed(t, e)
	ctx := context.Background()
	ada, err := e.App.Org.PersonByEmployeeNumber(ctx, "1001")
	if err != nil {
		t.Fatal(err)
	}
	f := caseFixture{hr: e.Token(t, authz.HR), manager: e.Token(t, authz.Manager), exec1: e.Token(t, authz.Exec), rep1: e.Token(t, authz.UnionRep),
		admin: e.Token(t, authz.Admin), hrEmail: e.Users[authz.HR].Email, managerEmail: e.Users[authz.Manager].Email, rep1Email: e.Users[authz.UnionRep].Email,
		today: localtime.Today(time.Now()).Format(store.DateLayout)}
	var leadID int64
	leadID, f.lead = caseUser(t, e, "er-lead@test.example", 0, authz.HR)
	_, f.exec2 = caseUser(t, e, "second-exec@test.example", 0, authz.Exec)
	_, f.rep2 = caseUser(t, e, "other-rep@test.example", 0, authz.UnionRep)
	_, f.ada = caseUser(t, e, "ada@test.example", ada.ID, authz.Staff)
	// The ER lead designation, given by SQL so that this test does not
	// depend on the designation screens.
	if _, err := e.DB.ExecContext(ctx, `INSERT INTO casework_designations (user_id, designation, created_at) VALUES (?, ?, ?)`,
		leadID, "er_lead", store.T(time.Now())); err != nil {
		t.Fatal(err)
	}
	return f
}

// caseResponse is the part of a case the tests look at.
type caseResponse struct {
	ID            int64  `json:"id"`
	Reference     string `json:"reference"`
	Type          string `json:"type"`
	PersonName    string `json:"person_name"`
	Status        string `json:"status"`
	ManagerUserID *int64 `json:"manager_user_id"`
	ReportID      *int64 `json:"report_id"`
	RepUserID     *int64 `json:"rep_user_id"`
	Summary       string `json:"summary"`
	Appeals       []any  `json:"appeals"`
	Stage         *struct {
		Code     string `json:"code"`
		TargetOn string `json:"target_on"`
	} `json:"stage"`
	Suspension *struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	} `json:"suspension"`
}

// unmetResponse is the 409 answer to a refused move to formal.
type unmetResponse struct {
	Type   string `json:"type"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Unmet  []struct {
		Name   string `json:"name"`
		Label  string `json:"label"`
		Detail string `json:"detail"`
		Met    bool   `json:"met"`
	} `json:"unmet"`
}

func (u unmetResponse) names() []string {
	var out []string
	for _, p := range u.Unmet {
		out = append(out, p.Name)
	}
	return out
}

// openCase opens an early concern about the person through the API.
func openCase(t *testing.T, e *apptest.Env, token, person string) caseResponse {
	t.Helper()
	res, body := send(t, e, "/api/v1/cases", token, map[string]any{"type": "disciplinary", "person": person,
		"summary": "Two missed medication rounds on nights reported by the ward sister.", "manager": "manager@test.example"})
	want(t, res, body, http.StatusCreated)
	c := decodeJSON[caseResponse](t, body)
	if loc := res.Header.Get("Location"); loc != "/api/v1/cases/"+strconv.FormatInt(c.ID, 10) {
		t.Errorf("Location %q for case %d", loc, c.ID)
	}
	return c
}

func casePath(id int64, rest string) string {
	return "/api/v1/cases/" + strconv.FormatInt(id, 10) + rest
}

// readyForFormal completes the checklist and names the investigator and
// the decision maker, leaving only the second sign-off.
func readyForFormal(t *testing.T, e *apptest.Env, f caseFixture, id int64) {
	t.Helper()
	res, body := put(t, e, casePath(id, "/checklist"), f.hr, map[string]any{
		"facts_gathered": true, "facts_summary": "Rota and medication records checked; the ward sister's note read.",
		"employee_account_heard": true, "employee_account_on": f.today,
		"allegations":             "On 3 and 5 March the 22:00 medication round on Ward 7 was not given or recorded.",
		"alternatives_considered": "A supportive conversation was tried in February; the second missed round put patients at risk, so a formal look is needed.",
		"investigator_conflicts":  "None", "decision_maker_conflicts": "None", "conflicts_declared": true,
		"wellbeing_contact": f.managerEmail, "union_rep_offered": true, "union_rep_offered_on": f.today})
	want(t, res, body, http.StatusOK)
	for _, p := range []map[string]any{{"role": "investigator", "name": "Sam Investigator"}, {"role": "decision_maker", "name": "Dee Decider"}} {
		res, body := send(t, e, casePath(id, "/parties"), f.hr, p)
		want(t, res, body, http.StatusCreated)
	}
}

func TestCaseworkAPIOpenAndFieldErrors(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		f := newCaseFixture(t, e)
		for _, tt := range []struct {
			name   string
			body   map[string]any
			fields []string
		}{
			{"nothing filled in", map[string]any{"type": "", "person": "", "summary": ""}, []string{"type", "person", "summary"}},
			{"unknown type and person", map[string]any{"type": "gossip", "person": "9999", "summary": "x"}, []string{"type", "person"}},
			{"unknown event by reference", map[string]any{"type": "disciplinary", "person": "1001", "summary": "x", "report_id": "SE-NOPE"}, []string{"report_id"}},
			{"unknown event by number", map[string]any{"type": "disciplinary", "person": "1001", "summary": "x", "report_id": 999999}, []string{"report_id"}},
			{"a member the API does not know", map[string]any{"type": "disciplinary", "person": "1001", "summary": "x", "blame": "Ada"}, []string{"blame"}},
			{"an event that is neither a reference nor a number", map[string]any{"type": "disciplinary", "person": "1001", "summary": "x", "report_id": true}, []string{"report_id"}},
			{"a leaver", map[string]any{"type": "disciplinary", "person": "1003", "summary": "x"}, []string{"person"}},
		} {
			res, body := send(t, e, "/api/v1/cases", f.hr, tt.body)
			p := decodeJSON[problemResponse](t, body)
			if res.StatusCode != http.StatusUnprocessableEntity || res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: %d %s, want 422 problem", tt.name, res.StatusCode, body)
				continue
			}
			for _, field := range tt.fields {
				if !slices.Contains(p.fields(), field) {
					t.Errorf("%s: errors %v do not name %s", tt.name, p.fields(), field)
				}
			}
		}
		res, body := e.API(t, "GET", "/api/v1/cases", f.hr, "", nil)
		want(t, res, body, http.StatusOK)
		if l := decodeJSON[list](t, body); len(l.Items) != 0 {
			t.Fatalf("refused requests opened cases: %s", body)
		}

		c := openCase(t, e, f.hr, "1001")
		if c.Status != "early_concern" || c.PersonName != "Ada Byron" || !strings.HasPrefix(c.Reference, "ER-") || c.ManagerUserID == nil || c.Stage != nil || c.Appeals == nil {
			t.Fatalf("opened case: %+v", c)
		}
		res, body = e.API(t, "GET", casePath(c.ID, ""), f.hr, "", nil)
		want(t, res, body, http.StatusOK)
		if got := decodeJSON[caseResponse](t, body); got.Reference != c.Reference || got.Summary == "" {
			t.Errorf("read back: %s", body)
		}
		// The manager named on the case sees it in their list, and may
		// open one of their own.
		res, body = e.API(t, "GET", "/api/v1/cases?status=early_concern", f.manager, "", nil)
		want(t, res, body, http.StatusOK)
		if l := decodeJSON[list](t, body); len(l.Items) != 1 || l.Items[0]["reference"] != c.Reference {
			t.Errorf("manager's list: %s", body)
		}
		res, body = e.API(t, "GET", "/api/v1/cases?status=open&overdue=maybe", f.hr, "", nil)
		want(t, res, body, http.StatusUnprocessableEntity)
		if p := decodeJSON[problemResponse](t, body); strings.Join(p.fields(), ",") != "status,overdue" {
			t.Errorf("list filter fields %v", p.fields())
		}
		res, body = e.API(t, "GET", "/api/v1/cases/999999", f.hr, "", nil)
		want(t, res, body, http.StatusNotFound)
	})
}

func TestCaseworkAPIMoveToFormal(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		f := newCaseFixture(t, e)
		c := openCase(t, e, f.hr, "1001")

		// Nothing done: the answer names every precondition not met.
		res, body := send(t, e, casePath(c.ID, "/formal"), f.hr, nil)
		want(t, res, body, http.StatusConflict)
		u := decodeJSON[unmetResponse](t, body)
		if u.Type != "https://candour.invalid/problems/preconditions-unmet" || u.Status != 409 || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("refusal: %s", body)
		}
		for _, name := range []string{"facts_gathered", "employee_account_heard", "allegations_framed", "alternatives_considered",
			"conflicts_declared", "investigator_named", "decision_maker_named", "wellbeing_contact_named", "union_rep_offered", "second_signoff"} {
			if !slices.Contains(u.names(), name) {
				t.Errorf("unmet %v does not name %s", u.names(), name)
			}
		}
		if slices.Contains(u.names(), "just_culture_assessment") {
			t.Errorf("a concern with no patient safety event needs no assessment, but unmet names it: %v", u.names())
		}
		for _, p := range u.Unmet {
			if p.Met || p.Label == "" || p.Detail == "" {
				t.Errorf("unmet precondition without a label and reason: %+v", p)
			}
		}

		// Checklist and parties done: only the sign-off is missing.
		readyForFormal(t, e, f, c.ID)
		res, body = send(t, e, casePath(c.ID, "/formal"), f.hr, nil)
		want(t, res, body, http.StatusConflict)
		if u := decodeJSON[unmetResponse](t, body); strings.Join(u.names(), ",") != "second_signoff" {
			t.Fatalf("after the checklist, unmet %v; want only second_signoff", u.names())
		}
		res, body = e.API(t, "GET", casePath(c.ID, "/preconditions"), f.hr, "", nil)
		want(t, res, body, http.StatusOK)
		if got := decodeJSON[struct {
			Ready bool             `json:"ready"`
			Items []map[string]any `json:"items"`
		}](t, body); got.Ready || len(got.Items) < 10 {
			t.Fatalf("preconditions before sign-off: %s", body)
		}
		res, body = e.API(t, "GET", casePath(c.ID, "/checklist"), f.hr, "", nil)
		want(t, res, body, http.StatusOK)
		if cl := decodeJSON[map[string]any](t, body); cl["signoff"] != nil || cl["wellbeing_contact"] == nil || cl["facts_gathered"] != true {
			t.Fatalf("checklist: %s", body)
		}

		// The second sign-off by the ER lead, then the move.
		res, body = send(t, e, casePath(c.ID, "/signoff"), f.lead, map[string]any{"note": "Read the checklist; allegations are specific and alternatives tried."})
		want(t, res, body, http.StatusOK)
		if got := decodeJSON[struct {
			Ready bool `json:"ready"`
		}](t, body); !got.Ready {
			t.Fatalf("after sign-off: %s", body)
		}
		res, body = send(t, e, casePath(c.ID, "/formal"), f.hr, nil)
		want(t, res, body, http.StatusOK)
		formal := decodeJSON[caseResponse](t, body)
		if formal.Status != "formal" || formal.Stage == nil || formal.Stage.Code == "" {
			t.Fatalf("formal case: %s", body)
		}
		res, body = send(t, e, casePath(c.ID, "/formal"), f.hr, nil)
		want(t, res, body, http.StatusConflict)

		// Stages move forward; a required stage cannot be skipped.
		res, body = send(t, e, casePath(c.ID, "/stage"), f.hr, map[string]any{"stage": "nonsense", "started_on": f.today})
		want(t, res, body, http.StatusUnprocessableEntity)
		if p := decodeJSON[problemResponse](t, body); strings.Join(p.fields(), ",") != "stage" {
			t.Errorf("unknown stage: fields %v", p.fields())
		}
		res, body = send(t, e, casePath(c.ID, "/stage"), f.hr, map[string]any{"stage": "hearing", "started_on": f.today})
		want(t, res, body, http.StatusOK)
		if got := decodeJSON[caseResponse](t, body); got.Stage == nil || got.Stage.Code != "hearing" {
			t.Errorf("after moving to the hearing: %s", body)
		}
		res, body = e.API(t, "GET", casePath(c.ID, "/stages"), f.hr, "", nil)
		want(t, res, body, http.StatusOK)
		if l := decodeJSON[list](t, body); len(l.Items) != 2 || l.Items[0]["code"] != formal.Stage.Code || l.Items[1]["code"] != "hearing" {
			t.Errorf("stage history: %s", body)
		}

		// Closing asks what was learned; each lesson's problems are named by
		// their place in the learning array.
		res, body = send(t, e, casePath(c.ID, "/close"), f.hr, map[string]any{"outcome": "no_case_to_answer", "closed_on": f.today,
			"learning": []map[string]any{{"category": "gossip", "lesson": ""}}})
		want(t, res, body, http.StatusUnprocessableEntity)
		if p := decodeJSON[problemResponse](t, body); strings.Join(p.fields(), ",") != "learning[0].category,learning[0].lesson" {
			t.Errorf("close fields %v", p.fields())
		}
		res, body = send(t, e, casePath(c.ID, "/close"), f.hr, map[string]any{"outcome": "no_case_to_answer", "closed_on": f.today,
			"learning": []map[string]any{{"category": "process", "lesson": "Night medication rounds need a second checker when the ward is short."}}})
		want(t, res, body, http.StatusOK)
		if got := decodeJSON[caseResponse](t, body); got.Status != "closed" {
			t.Errorf("closed case: %s", body)
		}
		res, body = e.API(t, "GET", "/api/v1/cases/learning", f.exec1, "", nil)
		want(t, res, body, http.StatusOK)
		if l := decodeJSON[list](t, body); len(l.Items) != 1 || l.Items[0]["category"] != "process" || strings.Contains(body, c.Reference) || strings.Contains(body, "Ada") {
			t.Errorf("learning log for an executive: %s", body)
		}
		res, body = e.API(t, "GET", "/api/v1/cases/learning?from=2026-13-01", f.hr, "", nil)
		want(t, res, body, http.StatusUnprocessableEntity)
		// Only the staff-side lead among representatives sees the log.
		res, body = e.API(t, "GET", "/api/v1/cases/learning", f.rep1, "", nil)
		want(t, res, body, http.StatusNotFound)

		// An executive may give the second sign-off too.
		c2 := openCase(t, e, f.hr, "1002")
		readyForFormal(t, e, f, c2.ID)
		res, body = send(t, e, casePath(c2.ID, "/signoff"), f.exec1, map[string]any{"note": "Agreed."})
		want(t, res, body, http.StatusOK)
		res, body = send(t, e, casePath(c2.ID, "/formal"), f.hr, nil)
		want(t, res, body, http.StatusOK)
		// The executive still cannot read the case itself.
		res, body = e.API(t, "GET", casePath(c2.ID, ""), f.exec1, "", nil)
		want(t, res, body, http.StatusForbidden)
	})
}

func TestCaseworkAPISuspensionNeedsTwoExecutives(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		f := newCaseFixture(t, e)
		c := openCase(t, e, f.hr, "1001")
		review := localtime.Today(time.Now()).AddDate(0, 0, 7).Format(store.DateLayout)
		proposal := map[string]any{"kind": "suspension", "reason": "Allegation of harm to a patient while the facts are found.",
			"alternatives": map[string]any{"redeployment": "", "modified_duties": "", "supervision": ""},
			"starts_on":    f.today, "review_on": review}

		res, body := send(t, e, casePath(c.ID, "/suspensions"), f.hr, proposal)
		want(t, res, body, http.StatusUnprocessableEntity)
		p := decodeJSON[problemResponse](t, body)
		for _, field := range []string{"alternatives.redeployment", "alternatives.modified_duties", "alternatives.supervision"} {
			if !slices.Contains(p.fields(), field) {
				t.Errorf("without alternatives, errors %v do not name %s", p.fields(), field)
			}
		}

		proposal["alternatives"] = map[string]any{"redeployment": "No other ward can take a registrant under this allegation.",
			"modified_duties": "Non-clinical duties considered; the concern is about records access.",
			"supervision":     "Direct supervision cannot be staffed on nights."}
		res, body = send(t, e, casePath(c.ID, "/suspensions"), f.hr, proposal)
		want(t, res, body, http.StatusCreated)
		type suspension struct {
			ID        int64  `json:"id"`
			Status    string `json:"status"`
			Approvals []struct {
				Decision string `json:"decision"`
			} `json:"approvals"`
			Alternatives struct {
				Redeployment string `json:"redeployment"`
			} `json:"alternatives"`
		}
		sp := decodeJSON[suspension](t, body)
		path := "/api/v1/suspensions/" + strconv.FormatInt(sp.ID, 10)
		if sp.Status != "proposed" || sp.Alternatives.Redeployment == "" || res.Header.Get("Location") != path {
			t.Fatalf("proposed: %s (Location %q)", body, res.Header.Get("Location"))
		}

		res, body = send(t, e, path+"/approvals", f.exec1, map[string]any{"decision": "approve", "reason": "Alternatives recorded and not enough."})
		want(t, res, body, http.StatusOK)
		if sp := decodeJSON[suspension](t, body); sp.Status != "proposed" || len(sp.Approvals) != 1 {
			t.Fatalf("after one approval: %s", body)
		}
		res, body = send(t, e, path+"/approvals", f.exec1, map[string]any{"decision": "approve", "reason": "Again."})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "different executive") {
			t.Fatalf("the same executive twice: %d %s", res.StatusCode, body)
		}
		res, body = send(t, e, path+"/approvals", f.exec2, map[string]any{"decision": "approve", "reason": "Agreed: review in a week."})
		want(t, res, body, http.StatusOK)
		if sp := decodeJSON[suspension](t, body); sp.Status != "active" || len(sp.Approvals) != 2 {
			t.Fatalf("after two approvals: %s", body)
		}

		res, body = e.API(t, "GET", path, f.hr, "", nil)
		want(t, res, body, http.StatusOK)
		res, body = e.API(t, "GET", "/api/v1/suspensions", f.exec1, "", nil)
		want(t, res, body, http.StatusOK)
		if l := decodeJSON[list](t, body); len(l.Items) != 1 {
			t.Errorf("executive's suspensions: %s", body)
		}
		res, body = e.API(t, "GET", casePath(c.ID, ""), f.hr, "", nil)
		want(t, res, body, http.StatusOK)
		if got := decodeJSON[caseResponse](t, body); got.Suspension == nil || got.Suspension.Status != "active" {
			t.Errorf("case shows suspension: %s", body)
		}
		res, body = send(t, e, path+"/approvals", f.hr, map[string]any{"decision": "approve"})
		want(t, res, body, http.StatusForbidden)

		// Someone suspended needs a named wellbeing contact who keeps in touch.
		res, body = send(t, e, casePath(c.ID, "/wellbeing"), f.hr, map[string]any{"contact": "nobody@test.example", "frequency_days": 0})
		want(t, res, body, http.StatusUnprocessableEntity)
		if p := decodeJSON[problemResponse](t, body); strings.Join(p.fields(), ",") != "contact,frequency_days" {
			t.Errorf("wellbeing fields %v", p.fields())
		}
		res, body = send(t, e, casePath(c.ID, "/wellbeing"), f.hr, map[string]any{"contact": f.managerEmail, "frequency_days": 7})
		want(t, res, body, http.StatusCreated)
		wb := decodeJSON[struct {
			ID            int64 `json:"id"`
			FrequencyDays int   `json:"frequency_days"`
		}](t, body)
		contacts := casePath(c.ID, "/wellbeing/"+strconv.FormatInt(wb.ID, 10)+"/contacts")
		res, body = send(t, e, contacts, f.manager, map[string]any{"contacted_on": f.today, "method": "carrier pigeon"})
		want(t, res, body, http.StatusUnprocessableEntity)
		res, body = send(t, e, contacts, f.manager, map[string]any{"contacted_on": f.today, "method": "phone", "notes": "Sleeping badly; OH referral agreed.", "oh_referral": true})
		want(t, res, body, http.StatusCreated)
		if got := decodeJSON[struct {
			Contacts []struct {
				OHReferral bool `json:"oh_referral"`
			} `json:"contacts"`
			Lapsed bool `json:"lapsed"`
		}](t, body); len(got.Contacts) != 1 || !got.Contacts[0].OHReferral || got.Lapsed {
			t.Errorf("after logging a contact: %s", body)
		}
		res, body = e.API(t, "GET", casePath(c.ID, "/wellbeing"), f.manager, "", nil)
		want(t, res, body, http.StatusOK)
		if l := decodeJSON[list](t, body); len(l.Items) != 1 {
			t.Errorf("wellbeing list: %s", body)
		}
		res, body = e.API(t, "GET", "/api/v1/suspensions/999999", f.exec1, "", nil)
		want(t, res, body, http.StatusNotFound)
	})
}

func TestCaseworkAPIUnionRepAndEmployee(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		f := newCaseFixture(t, e)
		ada := openCase(t, e, f.hr, "1001")
		bo := openCase(t, e, f.hr, "1002")

		res, body := send(t, e, casePath(bo.ID, "/representative"), f.hr, map[string]any{"representative": "hr@test.example", "requested_on": f.today})
		want(t, res, body, http.StatusUnprocessableEntity)
		if p := decodeJSON[problemResponse](t, body); !slices.Contains(p.fields(), "representative") {
			t.Errorf("an HR user as representative: fields %v", p.fields())
		}
		res, body = send(t, e, casePath(bo.ID, "/representative"), f.hr, map[string]any{"representative": f.rep1Email, "requested_on": f.today})
		want(t, res, body, http.StatusOK)

		// The representative sees their member's case and no other.
		res, body = e.API(t, "GET", casePath(bo.ID, ""), f.rep1, "", nil)
		want(t, res, body, http.StatusOK)
		for _, tt := range []struct{ token, path string }{{f.rep1, casePath(ada.ID, "")}, {f.rep2, casePath(bo.ID, "")},
			{f.rep1, casePath(ada.ID, "/entries")}, {f.rep2, casePath(bo.ID, "/entries")}} {
			res, body = e.API(t, "GET", tt.path, tt.token, "", nil)
			want(t, res, body, http.StatusNotFound)
		}
		res, body = e.API(t, "GET", "/api/v1/cases", f.rep1, "", nil)
		want(t, res, body, http.StatusOK)
		if l := decodeJSON[list](t, body); len(l.Items) != 1 || l.Items[0]["reference"] != bo.Reference {
			t.Errorf("representative's list: %s", body)
		}
		res, body = e.API(t, "GET", "/api/v1/cases", f.rep2, "", nil)
		want(t, res, body, http.StatusOK)
		if l := decodeJSON[list](t, body); len(l.Items) != 0 {
			t.Errorf("another representative's list: %s", body)
		}
		res, body = send(t, e, casePath(bo.ID, "/entries"), f.rep1, map[string]any{"kind": "rep_note", "occurred_on": f.today,
			"title": "Member's availability", "body": "My member cannot attend on Tuesdays because of childcare."})
		want(t, res, body, http.StatusCreated)
		if res, body = send(t, e, casePath(bo.ID, "/entries"), f.rep1, map[string]any{"kind": "decision", "occurred_on": f.today,
			"title": "Decision", "body": "No case to answer."}); res.StatusCode == http.StatusCreated {
			t.Errorf("a representative recorded a decision: %s", body)
		}
		res, body = e.API(t, "GET", casePath(bo.ID, "/entries"), f.hr, "", nil)
		want(t, res, body, http.StatusOK)
		if !strings.Contains(body, "cannot attend on Tuesdays") {
			t.Errorf("HR does not see the representative's note: %s", body)
		}
		res, body = e.API(t, "GET", casePath(bo.ID, "/checklist"), f.rep1, "", nil)
		want(t, res, body, http.StatusForbidden)

		// The employee reads their own case only once given access.
		res, body = e.API(t, "GET", casePath(ada.ID, ""), f.ada, "", nil)
		want(t, res, body, http.StatusNotFound)
		res, body = send(t, e, casePath(ada.ID, "/employee-access"), f.hr, map[string]any{"allow": true})
		want(t, res, body, http.StatusOK)
		res, body = e.API(t, "GET", casePath(ada.ID, ""), f.ada, "", nil)
		want(t, res, body, http.StatusOK)
		res, body = e.API(t, "GET", casePath(bo.ID, ""), f.ada, "", nil)
		want(t, res, body, http.StatusNotFound)
	})
}

// An administrator sees no case: every casework route refuses them.
func TestCaseworkAPIAdminSeesNoCase(t *testing.T) {
	e := apptest.NewSQLite(t)
	f := newCaseFixture(t, e)
	c := openCase(t, e, f.hr, "1001")
	id := strconv.FormatInt(c.ID, 10)
	n := 0
	for _, r := range e.App.API.Routes() {
		path := r.Path()
		if !strings.HasPrefix(path, "/api/v1/cases") && !strings.HasPrefix(path, "/api/v1/suspensions") {
			continue
		}
		n++
		for _, p := range []string{"{id}", "{pid}", "{wid}", "{sid}"} {
			path = strings.ReplaceAll(path, p, id)
		}
		var res *http.Response
		var body string
		if r.Method() == "GET" || r.Method() == "DELETE" {
			res, body = e.API(t, r.Method(), path, f.admin, "", nil)
		} else {
			res, body = e.API(t, r.Method(), path, f.admin, "application/json", strings.NewReader("{}"))
		}
		if res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
			t.Errorf("admin %s %s: %d %s", r.Method(), path, res.StatusCode, body)
		}
		if strings.Contains(body, c.Reference) || strings.Contains(body, "Ada") {
			t.Errorf("admin %s %s shows the case: %s", r.Method(), path, body)
		}
	}
	if n < 25 {
		t.Fatalf("checked only %d casework routes", n)
	}
}
