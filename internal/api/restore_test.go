package api_test

import (
	"context"
	"net/http"
	"strconv"
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

// restoreFixture is a nurse involved in a fall, her line manager and a peer
// supporter, each with a token, and the event.
type restoreFixture struct {
	eventID                                      int64
	eventRef                                     string
	nurse, supporter, lineManager, safety, other string
	supporterEmail                               string
}

func newRestoreFixture(t *testing.T, e *apptest.Env) restoreFixture {
	t.Helper()
	ctx := context.Background()
	a := audit.Actor{Label: "test"}
	depA, _ := seed(t, e)
	lead, err := e.App.Org.SavePerson(ctx, a, org.Person{EmployeeNumber: "2001", Name: "Morgan Lead", DepartmentID: depA, StaffGroup: "nursing_midwifery", StartDate: "2015-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	ada, err := e.App.Org.PersonByEmployeeNumber(ctx, "1001")
	if err != nil {
		t.Fatal(err)
	}
	ada.LineManagerID = lead.ID
	if _, err := e.App.Org.SavePerson(ctx, a, ada); err != nil {
		t.Fatal(err)
	}
	token := func(email string, person int64, roles ...authz.Role) string {
		u, err := e.App.Accounts.Create(ctx, a, account.NewUser{Email: email, Name: email, Roles: roles, Password: apptest.Password, PersonID: person})
		if err != nil {
			t.Fatal(err)
		}
		_, tok, err := e.App.Accounts.CreateToken(ctx, a, u.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	f := restoreFixture{supporterEmail: "peer@test.example"}
	f.nurse = token("ada@test.example", ada.ID, authz.Staff)
	f.supporter = token(f.supporterEmail, 0, authz.Staff)
	f.lineManager = token("lead@test.example", lead.ID, authz.Manager)
	f.safety = e.Token(t, authz.Safety)
	f.other = e.Token(t, authz.Staff)
	rec, err := e.App.Reports.Submit(ctx, report.Submission{Kind: report.SafetyEvent, Mode: report.Anonymous, DepartmentID: depA,
		OccurredOn: time.Now().AddDate(0, 0, -1).Format("2006-01-02"), Description: "A patient fell at night on the way to the bathroom.",
		EventType: "incident", PhysicalHarm: "low", PsychologicalHarm: "none"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.eventID, f.eventRef = rec.ID, rec.Reference
	return f
}

func put(t *testing.T, e *apptest.Env, path, token string, v any) (*http.Response, string) {
	t.Helper()
	return e.API(t, "PUT", path, token, "application/json", jsonBody(t, v))
}

func TestRestorativeRecordsThroughTheAPI(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		f := newRestoreFixture(t, e)
		const base = "/api/v1/restorative-records"

		res, body := send(t, e, base, f.safety, map[string]any{"report": "SE-NOPE"})
		want(t, res, body, 422)
		if p := decodeJSON[problemResponse](t, body); strings.Join(p.fields(), ",") != "report" {
			t.Errorf("fields %v", p.fields())
		}
		res, body = send(t, e, base, f.safety, map[string]any{"report": f.eventRef, "blame": "nurse"})
		want(t, res, body, 422)
		res, body = send(t, e, base, f.lineManager, map[string]any{"report": f.eventRef})
		want(t, res, body, 403)

		res, body = send(t, e, base, f.safety, map[string]any{"report": f.eventRef})
		want(t, res, body, 201)
		type recordJSON struct {
			ID     int64                `json:"id"`
			Report string               `json:"report"`
			Needs  []struct{ ID int64 } `json:"needs"`
			Goals  []struct {
				Key      string `json:"key"`
				Achieved *bool  `json:"achieved"`
			} `json:"goals"`
			Progress struct {
				Acknowledged  bool `json:"acknowledged"`
				NeedsMet      int  `json:"needs_met"`
				GoalsAchieved int  `json:"goals_achieved"`
			} `json:"progress"`
		}
		rec := decodeJSON[recordJSON](t, body)
		if rec.Report != f.eventRef || len(rec.Goals) != 4 || rec.Needs == nil || rec.Progress.Acknowledged {
			t.Fatalf("record %s", body)
		}
		path := base + "/" + strconv.FormatInt(rec.ID, 10)
		if res.Header.Get("Location") != path {
			t.Errorf("Location %q", res.Header.Get("Location"))
		}

		res, body = send(t, e, path+"/needs", f.safety, map[string]any{"who": "hero", "description": ""})
		want(t, res, body, 422)
		if p := decodeJSON[problemResponse](t, body); strings.Join(p.fields(), ",") != "who,description" {
			t.Errorf("fields %v", p.fields())
		}
		res, body = send(t, e, path+"/needs", f.safety, map[string]any{"who": "staff", "description": "The nurse looking after the patient"})
		want(t, res, body, 201)
		need := decodeJSON[struct{ ID int64 }](t, body)
		res, body = put(t, e, path+"/needs/"+strconv.FormatInt(need.ID, 10), f.safety, map[string]any{"needs": "Peer support", "obligation": "Ward manager", "met": true})
		want(t, res, body, 200)
		res, body = put(t, e, path+"/needs/999999", f.safety, map[string]any{"needs": "x"})
		want(t, res, body, 404)

		res, body = put(t, e, path+"/goals", f.safety, map[string]any{"reintegration": map[string]any{"achieved": true}})
		want(t, res, body, 422)
		if p := decodeJSON[problemResponse](t, body); strings.Join(p.fields(), ",") != "reintegration_note" {
			t.Errorf("fields %v", p.fields())
		}
		res, body = put(t, e, path+"/goals", f.safety, map[string]any{"reintegration": map[string]any{"achieved": true, "note": "Back on shift with a buddy"},
			"organisational_learning": map[string]any{"achieved": false, "note": "Alarm reset not changed yet"}})
		want(t, res, body, 200)
		rec = decodeJSON[recordJSON](t, body)
		if rec.Progress.GoalsAchieved != 1 || rec.Progress.NeedsMet != 1 || !rec.Progress.Acknowledged || rec.Goals[3].Achieved == nil || *rec.Goals[3].Achieved {
			t.Errorf("after goals: %s", body)
		}

		res, body = e.API(t, "GET", path, f.safety, "", nil)
		want(t, res, body, 200)
		res, body = e.API(t, "GET", base, f.safety, "", nil)
		want(t, res, body, 200)
		if l := decodeJSON[list](t, body); len(l.Items) != 1 || l.Items[0]["report"] != f.eventRef {
			t.Errorf("list %s", body)
		}
		for _, tok := range []string{f.nurse, f.supporter, f.lineManager, e.Token(t, authz.HR), e.Token(t, authz.Admin), e.Token(t, authz.Guardian)} {
			res, body = e.API(t, "GET", path, tok, "", nil)
			want(t, res, body, 403)
		}
		res, body = e.API(t, "GET", base+"/999999", f.safety, "", nil)
		want(t, res, body, 404)
	})
}

func TestSupportPlansThroughTheAPI(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		f := newRestoreFixture(t, e)
		const base = "/api/v1/support-plans"

		res, body := send(t, e, base, f.safety, map[string]any{"person": "1003", "supporter": f.supporterEmail, "frequency_days": 0, "offered": []string{"spa_day"}})
		want(t, res, body, 422)
		if p := decodeJSON[problemResponse](t, body); strings.Join(p.fields(), ",") != "frequency_days" {
			t.Errorf("fields %v", p.fields())
		}
		res, body = send(t, e, base, f.safety, map[string]any{"person": "1003", "supporter": f.supporterEmail, "offered": []string{"spa_day"}})
		want(t, res, body, 422)
		if p := decodeJSON[problemResponse](t, body); strings.Join(p.fields(), ",") != "person,offered" {
			t.Errorf("fields %v", p.fields())
		}
		res, body = send(t, e, base, f.supporter, map[string]any{"person": "1001", "supporter": f.supporterEmail})
		want(t, res, body, 403)

		res, body = send(t, e, base, f.safety, map[string]any{"person": "1001", "supporter": f.supporterEmail, "offered": []string{"counselling", "restorative_conversation"},
			"report": f.eventRef})
		want(t, res, body, 201)
		type planJSON struct {
			ID             int64    `json:"id"`
			PersonName     string   `json:"person_name"`
			Supporter      string   `json:"supporter"`
			FrequencyDays  int      `json:"frequency_days"`
			Offered        []string `json:"offered"`
			OwnView        string   `json:"own_view"`
			Status         string   `json:"status"`
			NextCheckInDue string   `json:"next_check_in_due"`
			Lapsed         bool     `json:"check_in_lapsed"`
			CheckIns       []struct {
				HeldOn string `json:"held_on"`
			} `json:"check_ins"`
			Viewer struct {
				StaffMember bool `json:"staff_member"`
				Supporter   bool `json:"supporter"`
			} `json:"viewer"`
		}
		plan := decodeJSON[planJSON](t, body)
		if plan.PersonName != "Ada Byron" || plan.FrequencyDays != 7 || len(plan.Offered) != 2 || plan.Status != "active" || plan.NextCheckInDue == "" || plan.CheckIns == nil {
			t.Fatalf("plan %s", body)
		}
		path := base + "/" + strconv.FormatInt(plan.ID, 10)

		// The role table over the API.
		for _, row := range []struct {
			who   string
			token string
			sees  bool
		}{
			{"staff member", f.nurse, true}, {"supporter", f.supporter, true}, {"safety lead", f.safety, true},
			{"line manager", f.lineManager, false}, {"HR", e.Token(t, authz.HR), false}, {"admin", e.Token(t, authz.Admin), false},
			{"guardian", e.Token(t, authz.Guardian), false}, {"another member of staff", f.other, false},
		} {
			res, body := e.API(t, "GET", path, row.token, "", nil)
			if (res.StatusCode == 200) != row.sees || (!row.sees && res.StatusCode != 404) {
				t.Errorf("%s reads the plan: %d", row.who, res.StatusCode)
			}
			if !row.sees && strings.Contains(body, "Ada") {
				t.Errorf("%s learns the name", row.who)
			}
			res, body = e.API(t, "GET", base, row.token, "", nil)
			want(t, res, body, 200)
			if l := decodeJSON[list](t, body); (len(l.Items) == 1) != row.sees {
				t.Errorf("%s lists %d plans", row.who, len(l.Items))
			}
		}
		res, body = e.API(t, "GET", path, f.nurse, "", nil)
		if p := decodeJSON[planJSON](t, body); !p.Viewer.StaffMember || p.Viewer.Supporter {
			t.Errorf("nurse's viewer %s", body)
		}

		// Check-ins.
		tomorrow := time.Now().AddDate(0, 0, 2).Format("2006-01-02")
		res, body = send(t, e, path+"/check-ins", f.supporter, map[string]any{"held_on": tomorrow})
		want(t, res, body, 422)
		res, body = send(t, e, path+"/check-ins", f.nurse, map[string]any{"held_on": time.Now().Format("2006-01-02")})
		want(t, res, body, 403)
		res, body = send(t, e, path+"/check-ins", f.lineManager, map[string]any{"held_on": time.Now().Format("2006-01-02")})
		want(t, res, body, 404)
		res, body = send(t, e, path+"/check-ins", f.supporter, map[string]any{"held_on": time.Now().AddDate(0, 0, -1).Format("2006-01-02"), "notes": "Walk round the car park"})
		want(t, res, body, 201)

		// Own view: the staff member only.
		res, body = put(t, e, path+"/own-view", f.supporter, map[string]any{"own_view": "not mine to write"})
		want(t, res, body, 403)
		res, body = put(t, e, path+"/own-view", f.safety, map[string]any{"own_view": "not mine to write"})
		want(t, res, body, 403)
		res, body = put(t, e, path+"/own-view", f.lineManager, map[string]any{"own_view": "not mine to write"})
		want(t, res, body, 404)
		res, body = put(t, e, path+"/own-view", f.nurse, map[string]any{"own_view": "I felt listened to."})
		want(t, res, body, 200)
		if p := decodeJSON[planJSON](t, body); p.OwnView != "I felt listened to." || len(p.CheckIns) != 1 {
			t.Errorf("after own view %s", body)
		}

		// Close.
		res, body = send(t, e, path+"/close", f.nurse, map[string]any{})
		want(t, res, body, 403)
		res, body = e.API(t, "POST", path+"/close", f.safety, "", nil)
		want(t, res, body, 200)
		if p := decodeJSON[planJSON](t, body); p.Status != "closed" || p.NextCheckInDue != "" {
			t.Errorf("closed %s", body)
		}
		res, body = e.API(t, "POST", path+"/close", f.safety, "", nil)
		want(t, res, body, 409)
		res, body = send(t, e, path+"/check-ins", f.supporter, map[string]any{"held_on": time.Now().Format("2006-01-02")})
		want(t, res, body, 409)
	})
}
