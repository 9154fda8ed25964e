package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"candour/internal/account"
	"candour/internal/app/apptest"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/guide"
	"candour/internal/org"
)

const guideID = "nhs-just-culture-2018"

func jsonBody(t *testing.T, v any) io.Reader {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b)
}

// answers builds the answers member from "1a", true, "2a", false, ... with
// a reason for each.
func answers(pairs ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i < len(pairs); i += 2 {
		m[pairs[i].(string)] = map[string]any{"answer": pairs[i+1].(bool), "reason": "We talked it through with the ward team"}
	}
	return m
}

// The answers that lead to D and to G in the 2018 guide.
var (
	toA = answers("1a", true)
	toD = answers("1a", false, "2a", false, "2b", false, "2c", false, "3a", false)
	toG = answers("1a", false, "2a", false, "2b", false, "2c", false, "3a", true, "3b", true, "3c", true, "4a", false, "4b", false, "4c", false, "5a", false)
)

type assessmentResponse struct {
	ID         int64    `json:"id"`
	Version    int      `json:"version"`
	PreviousID *int64   `json:"previous_id"`
	Outcome    string   `json:"outcome"`
	Path       []string `json:"path"`
	Status     string   `json:"status"`
	EndPoint   *struct {
		ID                   string   `json:"id"`
		Title                string   `json:"title"`
		IndividualAction     string   `json:"individual_action"`
		SupportsFormalAction bool     `json:"supports_formal_action"`
		Actions              []string `json:"actions"`
		SystemLearning       string   `json:"system_learning"`
	} `json:"end_point"`
	Guide struct {
		ID       string `json:"id"`
		Version  int    `json:"version"`
		Checksum string `json:"checksum"`
	} `json:"guide"`
	Person struct {
		EmployeeNumber string `json:"employee_number"`
	} `json:"person"`
	Answers      map[string]guide.Answer `json:"answers"`
	Participants []struct {
		Email string `json:"email"`
	} `json:"participants"`
	BiasCheck *struct {
		Same   string `json:"same"`
		Reason string `json:"reason"`
	} `json:"bias_check"`
	SupportsFormalAction bool `json:"supports_formal_action"`
}

type problemResponse struct {
	Status int `json:"status"`
	Errors []struct {
		Field  string `json:"field"`
		Detail string `json:"detail"`
	} `json:"errors"`
}

func (p problemResponse) fields() []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

// extraManager adds a manager beyond the one apptest makes and returns a
// token for them.
func extraManager(t *testing.T, e *apptest.Env, email string) string {
	t.Helper()
	ctx := context.Background()
	u, err := e.App.Accounts.Create(ctx, audit.Actor{Label: "test"}, account.NewUser{Email: email, Name: "Another Manager",
		Roles: []authz.Role{authz.Manager}, Password: apptest.Password})
	if err != nil {
		t.Fatal(err)
	}
	_, tok, err := e.App.Accounts.CreateToken(ctx, audit.Actor{Label: "test"}, u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func countAssessments(t *testing.T, e *apptest.Env) int {
	t.Helper()
	var n int
	if err := e.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM assessments`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAssessmentsThroughTheAPI(t *testing.T) {
	builtin, _ := guide.BuiltinByID(guideID)
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		seed(t, e)
		manager := e.Token(t, authz.Manager)
		colleague := extraManager(t, e, "manager2@test.example")
		outsider := extraManager(t, e, "manager3@test.example")
		safety := e.Token(t, authz.Safety)

		request := func(ans map[string]any, extra map[string]any) map[string]any {
			m := map[string]any{"guide": guideID, "action": "Gave the second dose without checking the chart",
				"person": "1001", "participants": []string{"manager2@test.example"}, "answers": ans, "concern_confirmed": true}
			for k, v := range extra {
				if v == nil {
					delete(m, k)
				} else {
					m[k] = v
				}
			}
			return m
		}
		create := func(t *testing.T, token string, body map[string]any) (*http.Response, string) {
			t.Helper()
			return e.API(t, "POST", "/api/v1/assessments", token, "application/json", jsonBody(t, body))
		}

		// Walks to end points.
		ids := map[string]int64{}
		for _, tt := range []struct {
			end     string
			answers map[string]any
			path    []string
			bias    bool
		}{
			{"A", toA, []string{"1a"}, false},
			{"D", toD, []string{"1a", "2a", "2b", "2c", "3a"}, false},
			{"G", toG, []string{"1a", "2a", "2b", "2c", "3a", "3b", "3c", "4a", "4b", "4c", "5a"}, true},
		} {
			extra := map[string]any{}
			if tt.bias {
				extra["bias_check"] = map[string]any{"same": "yes", "reason": "The same facts would lead us here for anyone"}
			}
			res, body := create(t, manager, request(tt.answers, extra))
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("walk to %s: %d %s", tt.end, res.StatusCode, body)
			}
			a := decodeJSON[assessmentResponse](t, body)
			if a.Outcome != tt.end || !slices.Equal(a.Path, tt.path) || a.EndPoint == nil || a.EndPoint.ID != tt.end ||
				len(a.EndPoint.Actions) == 0 || a.EndPoint.SystemLearning == "" || a.Version != 1 || a.PreviousID != nil {
				t.Fatalf("walk to %s: %s", tt.end, body)
			}
			if a.Guide.ID != guideID || a.Guide.Version != 1 || a.Guide.Checksum != builtin.Checksum() || a.Person.EmployeeNumber != "1001" {
				t.Fatalf("walk to %s: guide or person %s", tt.end, body)
			}
			if res.Header.Get("Location") != fmt.Sprintf("/api/v1/assessments/%d", a.ID) {
				t.Fatalf("Location %q", res.Header.Get("Location"))
			}
			wantStatus := "awaiting_bias_check"
			if tt.bias {
				wantStatus = "complete"
				if a.BiasCheck == nil || a.BiasCheck.Same != "yes" || !a.SupportsFormalAction {
					t.Fatalf("bias check not recorded: %s", body)
				}
			}
			if a.Status != wantStatus {
				t.Fatalf("walk to %s: status %q, want %q", tt.end, a.Status, wantStatus)
			}
			ids[tt.end] = a.ID
		}

		// Refusals name the field, and store nothing.
		before := countAssessments(t, e)
		for _, tt := range []struct {
			name  string
			body  map[string]any
			field string
		}{
			{"off the path", request(answers("1a", true, "2a", false), nil), "answers.2a"},
			{"stopping early", request(answers("1a", false, "2a", false, "2b", false, "2c", false, "3a", true), nil), "answers.3b"},
			{"no answers at all", request(map[string]any{}, nil), "answers.1a"},
			{"missing reason", request(map[string]any{"1a": map[string]any{"answer": true, "reason": "  "}}, nil), "answers.1a"},
			{"missing answer", request(map[string]any{"1a": map[string]any{"reason": "We could not tell"}}, nil), "answers.1a"},
			{"unknown question", request(answers("1a", true, "9z", true), nil), "answers.9z"},
			{"concern not confirmed", request(toA, map[string]any{"concern_confirmed": nil}), "concern_confirmed"},
			{"concern denied", request(toA, map[string]any{"concern_confirmed": false}), "concern_confirmed"},
			{"unknown guide", request(toA, map[string]any{"guide": "no-such-guide"}), "guide"},
			{"unknown version", request(toA, map[string]any{"version": 7}), "version"},
			{"bad bias check", request(toA, map[string]any{"bias_check": map[string]any{"same": "maybe"}}), "bias_check.same"},
			{"bias check without reason", request(toA, map[string]any{"bias_check": map[string]any{"same": "no"}}), "bias_check.reason"},
			{"person who left", request(toA, map[string]any{"person": "1003"}), "person"},
			{"one participant", request(toA, map[string]any{"participants": []string{}}), "participants"},
		} {
			res, body := create(t, manager, tt.body)
			p := decodeJSON[problemResponse](t, body)
			if res.StatusCode != 422 || !slices.Contains(p.fields(), tt.field) {
				t.Errorf("%s: %d %s; want 422 naming %s", tt.name, res.StatusCode, body, tt.field)
			}
		}
		if res, body := create(t, manager, request(answers("1a", true, "2a", false), nil)); !strings.Contains(body, `question \"2a\"`) {
			t.Errorf("off-path problem does not name the question: %d %s", res.StatusCode, body)
		}
		if n := countAssessments(t, e); n != before {
			t.Fatalf("refused requests stored %d assessments", n-before)
		}
		if res, body := create(t, e.Token(t, authz.Staff), request(toA, nil)); res.StatusCode != http.StatusForbidden {
			t.Fatalf("staff creating an assessment: %d %s", res.StatusCode, body)
		}

		// Visibility: the participants and the safety team, nobody else.
		g := fmt.Sprintf("/api/v1/assessments/%d", ids["G"])
		for name, tok := range map[string]string{"participant": colleague, "safety": safety, "creator": manager} {
			res, body := e.API(t, "GET", g, tok, "", nil)
			a := decodeJSON[assessmentResponse](t, body)
			if res.StatusCode != 200 || a.ID != ids["G"] || len(a.Answers) != 11 || a.Answers["3a"].Reason == "" ||
				!a.Answers["3a"].Value || len(a.Participants) != 2 || a.BiasCheck == nil {
				t.Fatalf("%s reading G: %d %s", name, res.StatusCode, body)
			}
			_, body = e.API(t, "GET", "/api/v1/assessments", tok, "", nil)
			if l := decodeJSON[list](t, body); len(l.Items) != 3 {
				t.Fatalf("%s's list: %s", name, body)
			}
		}
		for name, tok := range map[string]string{"another manager": outsider, "staff": e.Token(t, authz.Staff), "hr": e.Token(t, authz.HR)} {
			if res, body := e.API(t, "GET", g, tok, "", nil); res.StatusCode != 404 {
				t.Fatalf("%s reading G: %d %s; want 404", name, res.StatusCode, body)
			}
			_, body := e.API(t, "GET", "/api/v1/assessments", tok, "", nil)
			if l := decodeJSON[list](t, body); len(l.Items) != 0 || l.Next != "" {
				t.Fatalf("%s's list: %s", name, body)
			}
		}
		if res, _ := e.API(t, "GET", "/api/v1/assessments/nope", manager, "", nil); res.StatusCode != 404 {
			t.Fatalf("bad id: %d", res.StatusCode)
		}

		// Revisit: a new version linked to the old, which stays as it was.
		revisit := func(t *testing.T, tok string, id int64, body map[string]any) (*http.Response, string) {
			t.Helper()
			return e.API(t, "POST", fmt.Sprintf("/api/v1/assessments/%d/revisit", id), tok, "application/json", jsonBody(t, body))
		}
		before = countAssessments(t, e)
		for _, tt := range []struct {
			name   string
			tok    string
			id     int64
			body   map[string]any
			status int
			field  string
		}{
			{"off the path", colleague, ids["G"], map[string]any{"answers": answers("1a", true, "2a", false)}, 422, "answers.2a"},
			{"not yet complete", manager, ids["A"], map[string]any{"answers": toA}, 422, "revisit"},
			{"by a reader who did not take part", safety, ids["G"], map[string]any{"answers": toD}, 403, ""},
			{"by someone who may not read it", outsider, ids["G"], map[string]any{"answers": toD}, 404, ""},
		} {
			res, body := revisit(t, tt.tok, tt.id, tt.body)
			p := decodeJSON[problemResponse](t, body)
			if res.StatusCode != tt.status || (tt.field != "" && !slices.Contains(p.fields(), tt.field)) {
				t.Errorf("revisit %s: %d %s; want %d naming %q", tt.name, res.StatusCode, body, tt.status, tt.field)
			}
		}
		if n := countAssessments(t, e); n != before {
			t.Fatalf("refused revisits stored %d assessments", n-before)
		}
		res, body := revisit(t, colleague, ids["G"], map[string]any{"answers": toD,
			"bias_check": map[string]any{"same": "unsure", "reason": "We should ask HR for a second view"}})
		v2 := decodeJSON[assessmentResponse](t, body)
		if res.StatusCode != http.StatusCreated || v2.Version != 2 || v2.PreviousID == nil || *v2.PreviousID != ids["G"] ||
			v2.Outcome != "D" || v2.Status != "complete" || v2.SupportsFormalAction || v2.ID == ids["G"] {
			t.Fatalf("revisit: %d %s", res.StatusCode, body)
		}
		_, body = e.API(t, "GET", g, manager, "", nil)
		if old := decodeJSON[assessmentResponse](t, body); old.Outcome != "G" || old.Version != 1 || len(old.Answers) != 11 {
			t.Fatalf("the revisited version changed: %s", body)
		}
		if res, body := revisit(t, manager, ids["G"], map[string]any{"answers": toD}); res.StatusCode != 422 {
			t.Fatalf("revisiting a superseded version: %d %s", res.StatusCode, body)
		}
	})
}

func TestGuidesThroughTheAPI(t *testing.T) {
	builtin, _ := guide.BuiltinByID(guideID)
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		staff := e.Token(t, authz.Staff)
		res, body := e.API(t, "GET", "/api/v1/guides", staff, "", nil)
		l := decodeJSON[list](t, body)
		if res.StatusCode != 200 || len(l.Items) != 1 || l.Next != "" {
			t.Fatalf("guides: %d %s", res.StatusCode, body)
		}
		it := l.Items[0]
		if it["id"] != guideID || it["version"] != 1.0 || it["checksum"] != builtin.Checksum() || it["builtin"] != true ||
			it["retired"] != false || it["current"] != true || it["definition_id"] == nil || it["title"] != builtin.Title() {
			t.Fatalf("guide list item: %s", body)
		}

		for _, path := range []string{"/api/v1/guides/" + guideID, "/api/v1/guides/" + guideID + "?version=1"} {
			res, body := e.API(t, "GET", path, staff, "", nil)
			sum := sha256.Sum256([]byte(body))
			if res.StatusCode != 200 || hex.EncodeToString(sum[:]) != builtin.Checksum() || res.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("%s: %d, body checksum %x, want %s", path, res.StatusCode, sum, builtin.Checksum())
			}
			g, err := guide.Parse([]byte(body))
			if err != nil || g.ID() != guideID || len(g.Questions()) != 11 || len(g.EndPoints()) != 7 {
				t.Fatalf("%s: %v %s", path, err, body)
			}
		}
		for path, want := range map[string]int{
			"/api/v1/guides/" + guideID + "?version=9":  404,
			"/api/v1/guides/no-such-guide":              404,
			"/api/v1/guides/" + guideID + "?version=x":  422,
			"/api/v1/guides/" + guideID + "?version=-1": 422,
		} {
			if res, body := e.API(t, "GET", path, staff, "", nil); res.StatusCode != want {
				t.Errorf("%s: %d %s; want %d", path, res.StatusCode, body, want)
			}
		}
		if res, _ := e.API(t, "GET", "/api/v1/guides", "", "", nil); res.StatusCode != 401 {
			t.Fatalf("guides without a token: %d", res.StatusCode)
		}
	})
}

// An assessment recorded without its bias check is completed through the
// bias-check endpoint, by a participant only.
func TestAssessmentBiasCheckLater(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		site, _ := e.App.Org.CreateSite(ctx, audit.System, org.Site{Code: "BC", Name: "Bias Check Site"})
		dep, _ := e.App.Org.CreateDepartment(ctx, audit.System, org.Department{SiteID: site.ID, Code: "BC1", Name: "Ward B", Kind: "ward"})
		if _, err := e.App.Org.SavePerson(ctx, audit.System, org.Person{EmployeeNumber: "BC001", Name: "Bea Checked", DepartmentID: dep.ID,
			StaffGroup: "nursing_midwifery", StartDate: "2020-01-01"}); err != nil {
			t.Fatal(err)
		}
		manager := e.Token(t, authz.Manager)
		body := `{"guide": "nhs-just-culture-2018", "action": "Did not escalate a high early warning score", "person": "BC001",
			"participants": ["` + e.Users[authz.Safety].Email + `"], "concern_confirmed": true,
			"answers": {"1a": {"answer": true, "reason": "The team agreed this after hearing everyone"}}}`
		res, out := e.API(t, "POST", "/api/v1/assessments", manager, "application/json", strings.NewReader(body))
		if res.StatusCode != 201 || !strings.Contains(out, `"status":"awaiting_bias_check"`) {
			t.Fatalf("create without bias check: %d %s", res.StatusCode, out)
		}
		var created struct{ ID int64 }
		json.Unmarshal([]byte(out), &created)
		path := "/api/v1/assessments/" + strconv.FormatInt(created.ID, 10) + "/bias-check"
		if res, out := e.API(t, "POST", path, manager, "application/json", strings.NewReader(`{"same": "maybe", "reason": ""}`)); res.StatusCode != 422 ||
			!strings.Contains(out, "bias_check.same") || !strings.Contains(out, "bias_check.reason") {
			t.Fatalf("bad bias check: %d %s", res.StatusCode, out)
		}
		if res, _ := e.API(t, "POST", path, e.Token(t, authz.HR), "application/json", strings.NewReader(`{"same": "yes", "reason": "x"}`)); res.StatusCode != 404 {
			t.Fatalf("someone who cannot read it: %d", res.StatusCode)
		}
		res, out = e.API(t, "POST", path, manager, "application/json", strings.NewReader(`{"same": "yes", "reason": "We would decide the same for any colleague"}`))
		if res.StatusCode != 200 || !strings.Contains(out, `"status":"complete"`) {
			t.Fatalf("bias check: %d %s", res.StatusCode, out)
		}
		if res, _ := e.API(t, "POST", path, manager, "application/json", strings.NewReader(`{"same": "yes", "reason": "Again"}`)); res.StatusCode != 422 {
			t.Fatalf("a second bias check: %d, want 422", res.StatusCode)
		}
	})
}
