package learning_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"candour/internal/account"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/learning"
	"candour/internal/store"
	"candour/internal/store/storetest"
	"candour/internal/validate"
)

type fixture struct {
	db    *store.DB
	svc   *learning.Service
	users map[string]*authz.Principal
	now   time.Time
	// events are safety event references: SE-AAAA-0001 ... on 8 April 2026
	// at 14:30; SU-AAAA-0001 is a concern; SE-DUPL-0001 is merged.
	events []string
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{db: db, svc: learning.NewService(db), users: map[string]*authz.Principal{},
		now: time.Date(2026, 4, 10, 9, 0, 0, 0, time.UTC)}
	f.svc.Now = func() time.Time { return f.now }
	acc := account.New(db)
	for name, role := range map[string]authz.Role{"safety": authz.Safety, "lead": authz.Safety, "manager": authz.Manager,
		"hr": authz.HR, "staff": authz.Staff, "admin": authz.Admin, "exec": authz.Exec, "union": authz.UnionRep, "nurse": authz.Staff} {
		u, err := acc.Create(ctx, audit.System, account.NewUser{Email: name + "@trust.example", Name: "User " + name, Roles: []authz.Role{role}})
		if err != nil {
			t.Fatal(err)
		}
		f.users[name] = &authz.Principal{UserID: u.ID, Email: u.Email, Name: u.Name, Roles: u.Roles}
	}
	insert := func(ref, kind string, dup any) {
		_, err := db.ExecContext(ctx, `INSERT INTO reports (reference, kind, mode, team, status, occurred_on, occurred_time, description, event_type,
			duplicate_of, received_on, created_at, updated_at, ack_due_on, feedback_due_on)
			VALUES (?, ?, 'anonymous', 'safety', 'new', '2026-04-08', '14:30', 'Something happened on the ward.', 'incident', ?,
			'2026-04-08', '2026-04-08T15:00:00.000000Z', '2026-04-08T15:00:00.000000Z', '2026-04-15', '2026-07-08')`, ref, kind, dup)
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 3; i++ {
		ref := "SE-AAAA-000" + string(rune('0'+i))
		insert(ref, "safety_event", nil)
		f.events = append(f.events, ref)
	}
	insert("SU-AAAA-0001", "concern", nil)
	insert("SE-DUPL-0001", "safety_event", 1)
	return f
}

func (f *fixture) open(t *testing.T, m learning.Method, refs ...string) learning.Response {
	t.Helper()
	r, _, err := f.svc.Open(context.Background(), f.users["safety"], learning.OpenInput{Method: m, Title: "Learning from the events on Ward 7", References: refs})
	if err != nil {
		t.Fatalf("open %s: %v", m, err)
	}
	return r
}

// fields returns the field names of a validation error, or fails.
func fields(t *testing.T, err error) []string {
	t.Helper()
	errs, ok := validate.As(err)
	if !ok {
		t.Fatalf("want field errors, got %v", err)
	}
	var out []string
	for _, e := range errs {
		out = append(out, e.Field)
	}
	return out
}

func hasField(t *testing.T, err error, field string) validate.FieldError {
	t.Helper()
	errs, ok := validate.As(err)
	if !ok {
		t.Fatalf("want a problem with %s, got %v", field, err)
	}
	for _, e := range errs {
		if e.Field == field {
			return e
		}
	}
	t.Fatalf("want a problem with %s, got %v", field, fields(t, err))
	return validate.FieldError{}
}

// signOff walks a response with a complete record through sign-off,
// checking the owner cannot sign off their own.
func (f *fixture) signOff(t *testing.T, r learning.Response, rec learning.Record) learning.Response {
	t.Helper()
	ctx := context.Background()
	safety, lead := f.users["safety"], f.users["lead"]
	if err := f.svc.SetStatus(ctx, safety, r.ID, learning.AwaitingSignOff); err == nil {
		t.Fatal("an empty record went for sign-off")
	}
	if _, err := f.svc.SaveRecord(ctx, safety, r.ID, learning.RecordInput{Record: rec}); err != nil {
		t.Fatalf("save record: %v", err)
	}
	got, err := f.svc.Get(ctx, safety, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != learning.InProgress {
		t.Fatalf("status after first save %s, want in progress", got.Status)
	}
	if _, err := f.svc.SignOff(ctx, lead, r.ID, "Good review, actions agreed.", false); err == nil {
		t.Fatal("signed off a response not awaiting sign-off")
	}
	if err := f.svc.SetStatus(ctx, safety, r.ID, learning.AwaitingSignOff); err != nil {
		t.Fatalf("ready for sign-off: %v", err)
	}
	if _, err := f.svc.SignOff(ctx, safety, r.ID, "I think this is good.", false); err == nil {
		t.Fatal("the owner signed off their own response")
	} else {
		hasField(t, err, "note")
	}
	hasField(t, func() error { _, err := f.svc.SignOff(ctx, lead, r.ID, "", false); return err }(), "note")
	if _, err := f.svc.SignOff(ctx, lead, r.ID, "The review looks at the system and the actions follow from it. Signed off.", false); err != nil {
		t.Fatalf("sign off: %v", err)
	}
	got, err = f.svc.Get(ctx, safety, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != learning.Closed || got.SignedOffBy != lead.UserID || got.ClosedAt.IsZero() || got.SignOffNote == "" {
		t.Fatalf("after sign-off: %+v", got)
	}
	if _, err := f.svc.SaveRecord(ctx, safety, r.ID, learning.RecordInput{Record: rec}); !errors.Is(err, learning.ErrClosed) {
		t.Fatalf("changed a closed record: %v", err)
	}
	return got
}

func TestLifecycleOfEachMethod(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		nurse := learning.Participant{Name: "Sam Nurse", Role: "Staff nurse", Email: "nurse@trust.example"}

		t.Run("aar", func(t *testing.T) {
			r := f.open(t, learning.AAR, f.events[0])
			if r.Status != learning.Open || !strings.HasPrefix(r.Reference, "LR-") || r.OwnerUserID != f.users["safety"].UserID {
				t.Fatalf("opened %+v", r)
			}
			got := f.signOff(t, r, learning.Record{Expected: "The dose is signed for as soon as it is given.", Actual: "The dose was given early and signed later.",
				Difference: "The paper chart and the new electronic record were both in use.", Learning: "One record during the move.",
				Participants: []learning.Participant{nurse, {Name: "Ward pharmacist"}}})
			if len(got.Participants) != 2 || got.Record.Learning == "" {
				t.Fatalf("record %+v", got)
			}
			var linked bool
			for _, pt := range got.Participants {
				linked = linked || pt.UserID == f.users["nurse"].UserID
			}
			if !linked {
				t.Fatalf("participant with an email not linked to the user: %+v", got.Participants)
			}
			// The participant who is a user can read it now; other staff cannot.
			if _, err := f.svc.Get(ctx, f.users["nurse"], r.ID); err != nil {
				t.Fatalf("participant read: %v", err)
			}
			if _, err := f.svc.Get(ctx, f.users["staff"], r.ID); !errors.Is(err, learning.ErrNotAllowed) {
				t.Fatalf("other staff read: %v", err)
			}
			if len(got.Timeline) < 4 {
				t.Fatalf("timeline %+v", got.Timeline)
			}
		})

		t.Run("swarm", func(t *testing.T) {
			r := f.open(t, learning.SWARM, f.events[1])
			_, err := f.svc.SaveRecord(ctx, f.users["safety"], r.ID, learning.RecordInput{Record: learning.Record{HeldAt: "2026-04-08T10:00"}})
			if e := hasField(t, err, "held_at"); !strings.Contains(e.Message, "after the event") {
				t.Fatalf("huddle before the event: %v", e)
			}
			hasField(t, func() error {
				_, err := f.svc.SaveRecord(ctx, f.users["safety"], r.ID, learning.RecordInput{Record: learning.Record{HeldAt: "2026-04-30T10:00"}})
				return err
			}(), "held_at")
			got := f.signOff(t, r, learning.Record{HeldAt: "2026-04-08T17:45", Findings: "The alarm had been silenced after repeated false alarms.",
				Participants: []learning.Participant{{Name: "Nurse in charge"}}})
			if got.Record.WithinHours == nil || *got.Record.WithinHours != 3 {
				t.Fatalf("within hours %v, want 3", got.Record.WithinHours)
			}
		})

		t.Run("psii", func(t *testing.T) {
			r := f.open(t, learning.PSII, f.events[0], f.events[2])
			if r.TargetDate != "2026-07-10" || r.AlertDate != "2026-10-10" {
				t.Fatalf("target %s alert %s, want 2026-07-10 and 2026-10-10", r.TargetDate, r.AlertDate)
			}
			if len(r.Events) != 2 {
				t.Fatalf("events %+v", r.Events)
			}
			if r.Overdue("2026-07-10") != "" || r.Overdue("2026-07-11") != "target" || r.Overdue("2026-10-11") != "alert" {
				t.Fatal("overdue tags wrong")
			}
			_, err := f.svc.SaveRecord(ctx, f.users["safety"], r.ID, learning.RecordInput{Record: learning.Record{TargetDate: "2026-12-01"}})
			hasField(t, err, "target_date")
			rec := learning.Record{TermsOfReference: "How the move to electronic prescribing affected dose recording.",
				TimescaleAgreed: "Four months, agreed with the patient's daughter on 12 April.", TargetDate: "2026-08-10",
				Factors: learning.Factors{Tasks: "Two records for one dose.", ToolsTechnology: "The new system did not show paper entries."},
				Report:  "The investigation found the two systems in use together made double doses easy."}
			got := f.signOff(t, r, rec)
			if got.TargetDate != "2026-08-10" || got.Record.TimescaleAgreed == "" || got.Record.Factors.ToolsTechnology == "" {
				t.Fatalf("psii record %+v", got)
			}
		})

		t.Run("thematic needs two events", func(t *testing.T) {
			_, _, err := f.svc.Open(ctx, f.users["safety"], learning.OpenInput{Method: learning.Thematic, Title: "Falls at night", References: []string{f.events[0]}})
			if e := hasField(t, err, "reports"); !strings.Contains(e.Message, "at least two") {
				t.Fatalf("message %q", e.Message)
			}
			_, _, err = f.svc.Open(ctx, f.users["safety"], learning.OpenInput{Method: learning.Thematic, Title: "Falls at night", References: []string{f.events[0], f.events[0]}})
			hasField(t, err, "reports")
			r := f.open(t, learning.Thematic, f.events[0], f.events[1], f.events[2])
			got := f.signOff(t, r, learning.Record{Themes: []string{"Alarms", "Night staffing", "alarms"}, Analysis: "Alarm fatigue across three wards."})
			if len(got.Record.Themes) != 2 {
				t.Fatalf("themes %v, want duplicates removed", got.Record.Themes)
			}
		})

		t.Run("mdt", func(t *testing.T) {
			r := f.open(t, learning.MDT, f.events[2])
			got := f.signOff(t, r, learning.Record{Findings: "The handover did not include the falls plan.",
				Participants: []learning.Participant{{Name: "Dr A", Role: "Consultant geriatrician"}, {Name: "B", Role: "Physiotherapist"}}})
			if got.Record.Findings == "" {
				t.Fatal("findings lost")
			}
		})
	})
}

func TestOpenRefusesBadInput(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		_, _, err := f.svc.Open(ctx, f.users["safety"], learning.OpenInput{Method: "rca", References: []string{"SU-AAAA-0001"}, OwnerUserID: f.users["manager"].UserID})
		got := strings.Join(fields(t, err), ",")
		for _, want := range []string{"method", "reports", "title", "owner"} {
			if !strings.Contains(got, want) {
				t.Errorf("fields %s lack %s", got, want)
			}
		}
		_, _, err = f.svc.Open(ctx, f.users["safety"], learning.OpenInput{Method: learning.AAR, Title: "x", References: []string{"SE-DUPL-0001"}})
		if e := hasField(t, err, "reports"); !strings.Contains(e.Message, "merged into") {
			t.Fatalf("merged event: %q", e.Message)
		}
		for _, who := range []string{"manager", "hr", "admin", "exec", "union", "staff"} {
			if _, _, err := f.svc.Open(ctx, f.users[who], learning.OpenInput{Method: learning.AAR, Title: "x", References: f.events[:1]}); !errors.Is(err, learning.ErrNotAllowed) {
				t.Errorf("%s opened a response: %v", who, err)
			}
		}
	})
}

func TestAccessAndAudit(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		r, _, err := f.svc.Open(ctx, f.users["safety"], learning.OpenInput{Method: learning.AAR, Title: "Insulin pens", References: f.events[:1],
			OwnerUserID: f.users["lead"].UserID})
		if err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"safety", "lead"} {
			if _, err := f.svc.Get(ctx, f.users[who], r.ID); err != nil {
				t.Errorf("%s read: %v", who, err)
			}
		}
		for _, who := range []string{"manager", "hr", "admin", "exec", "union", "staff", "nurse"} {
			if _, err := f.svc.Get(ctx, f.users[who], r.ID); !errors.Is(err, learning.ErrNotAllowed) {
				t.Errorf("%s read: %v", who, err)
			}
			if list, err := f.svc.List(ctx, f.users[who], learning.Filter{}); err != nil || len(list) != 0 {
				t.Errorf("%s list: %d, %v", who, len(list), err)
			}
			if _, err := f.svc.SaveRecord(ctx, f.users[who], r.ID, learning.RecordInput{}); !errors.Is(err, learning.ErrNotAllowed) {
				t.Errorf("%s changed the record: %v", who, err)
			}
		}
		if _, err := f.svc.Get(ctx, f.users["safety"], 999999); !errors.Is(err, learning.ErrNotAllowed) {
			t.Errorf("missing response: %v", err)
		}
		list, err := f.svc.List(ctx, f.users["safety"], learning.Filter{Method: learning.AAR, Status: learning.Open})
		if err != nil || len(list) != 1 || len(list[0].Events) != 1 {
			t.Fatalf("list %+v %v", list, err)
		}
		if list, _ := f.svc.List(ctx, f.users["safety"], learning.Filter{Method: learning.PSII}); len(list) != 0 {
			t.Fatalf("method filter: %d", len(list))
		}
		entries, _, err := audit.List(ctx, db, audit.Filter{Entity: "learning_response", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, e := range entries {
			seen[e.Action]++
		}
		if seen["learning.open"] != 1 || seen["learning.read"] != 2 || seen["learning.list"] < 2 {
			t.Fatalf("audit %v", seen)
		}
	})
}

func TestDisciplinaryRecommendationRefused(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		r := f.open(t, learning.AAR, f.events[0])
		for _, text := range []string{
			"The nurse should face disciplinary action.",
			"We recommend the nurse is suspended pending review.",
			"Refer her to the NMC.",
			"The locum should be dismissed.",
		} {
			_, err := f.svc.SaveRecord(ctx, f.users["safety"], r.ID, learning.RecordInput{Record: learning.Record{Learning: text}, Confirmed: true})
			e := hasField(t, err, "learning")
			if !strings.Contains(e.Message, "/assessments/new?report="+f.events[0]) {
				t.Errorf("%q: message %q does not point to the just culture guide", text, e.Message)
			}
		}
		_, _, err := f.svc.Open(ctx, f.users["safety"], learning.OpenInput{Method: learning.AAR, Title: "Suspension of the nurse", References: f.events[:1]})
		hasField(t, err, "title")
		_, _, err = f.svc.AddEngagement(ctx, f.users["safety"], r.ID, learning.EngagementInput{Group: "staff", Name: "Ward manager", ContactedOn: "2026-04-09",
			How: "in_person", Told: "We told them she would be referred to the NMC.", Confirmed: true})
		hasField(t, err, "told")
		// Saying that nobody is being disciplined is fine, and so are the
		// family's own questions.
		if _, err := f.svc.SaveRecord(ctx, f.users["safety"], r.ID, learning.RecordInput{Record: learning.Record{
			Learning: "No disciplinary action is appropriate: this review is separate from any disciplinary process."}}); err != nil {
			t.Fatalf("negated mention refused: %v", err)
		}
		if _, _, err := f.svc.AddEngagement(ctx, f.users["safety"], r.ID, learning.EngagementInput{Group: "family", Name: "Mrs Patel", Relationship: "Daughter",
			ContactedOn: "2026-04-09", How: "phone", Questions: "Will the nurse be suspended? Who is to blame?", Told: "The review looks at how care was organised."}); err != nil {
			t.Fatalf("family's questions refused: %v", err)
		}
	})
}

func TestBlamePromptsAreNotBlocking(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		r := f.open(t, learning.AAR, f.events[0])
		in := learning.RecordInput{Record: learning.Record{Actual: "The nurse failed to check the chart. Human error."}}
		_, err := f.svc.SaveRecord(ctx, f.users["safety"], r.ID, in)
		var pe *learning.PromptsError
		if !errors.As(err, &pe) || len(pe.Prompts) != 2 || pe.Prompts[0].Field != "actual" {
			t.Fatalf("want two prompts on actual, got %v", err)
		}
		got, _ := f.svc.Get(ctx, f.users["safety"], r.ID)
		if got.Record.Actual != "" {
			t.Fatal("saved before the prompts were confirmed")
		}
		in.Confirmed = true
		prompts, err := f.svc.SaveRecord(ctx, f.users["safety"], r.ID, in)
		if err != nil || len(prompts) != 2 {
			t.Fatalf("save anyway: %v %v", prompts, err)
		}
		got, _ = f.svc.Get(ctx, f.users["safety"], r.ID)
		if got.Record.Actual == "" {
			t.Fatal("not saved after confirming")
		}
	})
}

func TestEngagementAndDutyOfCandour(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		safety := f.users["safety"]
		r := f.open(t, learning.PSII, f.events[0])
		_, _, err := f.svc.AddEngagement(ctx, safety, r.ID, learning.EngagementInput{Group: "cousin", ContactedOn: "2026-05-01", How: "pigeon"})
		got := strings.Join(fields(t, err), ",")
		if got != "who,name,contacted_on,how" {
			t.Fatalf("engagement fields %s", got)
		}
		_, _, err = f.svc.AddEngagement(ctx, safety, r.ID, learning.EngagementInput{Group: "family", Name: "Mr Jones", ContactedOn: "2026-04-01", How: "phone"})
		hasField(t, err, "contacted_on")
		if _, _, err := f.svc.AddEngagement(ctx, safety, r.ID, learning.EngagementInput{Group: "family", Name: "Mr Jones", Relationship: "Son",
			ContactedOn: "2026-04-09", How: "phone", Questions: "Why was the dose given twice?", Told: "We are looking at how the two records were used."}); err != nil {
			t.Fatal(err)
		}
		yes, no := true, false
		err = f.svc.SetDutyOfCandour(ctx, safety, r.ID, learning.CandourInput{})
		hasField(t, err, "notifiable")
		err = f.svc.SetDutyOfCandour(ctx, safety, r.ID, learning.CandourInput{Notifiable: &yes, NotifiedOn: "2026-04-07"})
		if e := hasField(t, err, "notified_on"); !strings.Contains(e.Message, "day of the event") {
			t.Fatalf("before the event: %q", e.Message)
		}
		hasField(t, f.svc.SetDutyOfCandour(ctx, safety, r.ID, learning.CandourInput{Notifiable: &yes, NotifiedOn: "2026-04-11"}), "notified_on")
		hasField(t, f.svc.SetDutyOfCandour(ctx, safety, r.ID, learning.CandourInput{Notifiable: &yes, NotifiedOn: "2026-04-09", WrittenFollowUp: "2026-04-08"}), "written_follow_up")
		hasField(t, f.svc.SetDutyOfCandour(ctx, safety, r.ID, learning.CandourInput{Notifiable: &no, NotifiedOn: "2026-04-09"}), "notified_on")
		if err := f.svc.SetDutyOfCandour(ctx, safety, r.ID, learning.CandourInput{Notifiable: &yes, NotifiedOn: "2026-04-09", ApologyGiven: true, WrittenFollowUp: "2026-04-10"}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetDutyOfCandour(ctx, safety, r.ID, learning.CandourInput{Notifiable: &yes, NotifiedOn: "2026-04-09", ApologyGiven: true, WrittenFollowUp: "2026-04-10", Notes: "Letter sent by post."}); err != nil {
			t.Fatal("updating the duty of candour:", err)
		}
		resp, err := f.svc.Get(ctx, safety, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Engagements) != 1 || resp.Engagements[0].Group != "family" || resp.Engagements[0].Name != "Mr Jones" {
			t.Fatalf("engagements %+v", resp.Engagements)
		}
		if c := resp.Candour; c == nil || !c.Notifiable || !c.ApologyGiven || c.NotifiedOn != "2026-04-09" || c.WrittenFollowUp != "2026-04-10" || c.Notes == "" {
			t.Fatalf("candour %+v", resp.Candour)
		}
		if _, _, err := f.svc.AddEngagement(ctx, f.users["manager"], r.ID, learning.EngagementInput{}); !errors.Is(err, learning.ErrNotAllowed) {
			t.Fatalf("manager added an engagement: %v", err)
		}
	})
}

func TestBlameFlags(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"The nurse failed to check the chart.", []string{"failed to"}},
		{"This was human error.", []string{"human error"}},
		{"Staff should have noticed the alarm.", []string{"should have"}},
		{"The doctor did not follow the policy.", []string{"did not follow"}},
		{"She was negligent and careless.", []string{"negligent", "careless"}},
		{"The porter is to blame; it was the fault of the agency.", []string{"to blame", "fault of"}},
		{"Carelessness on the night shift.", []string{"Carelessness"}},
		{"The root cause was a nurse's error.", []string{"root cause", "nurse's error"}},
		{"Nobody was to blame and no one was careless.", nil},
		{"The pump's alarm was silenced after three false alarms in an hour.", nil},
		{"", nil},
	} {
		var got []string
		for _, f := range learning.BlameFlags(tc.text) {
			if f.Suggestion == "" {
				t.Errorf("%q: flag %q has no suggestion", tc.text, f.Phrase)
			}
			got = append(got, f.Phrase)
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("BlameFlags(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
