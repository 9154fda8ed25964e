package library_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"candour/internal/authz"
	"candour/internal/library"
	"candour/internal/store"
	"candour/internal/store/storetest"
	"candour/internal/validate"
)

func goodInput() library.Input {
	return library.Input{
		Title:   "Check the wristband before every blood sample",
		Summary: "Two samples were labelled with the wrong patient's details when the wristband was not checked at the bedside.",
		Body:    "A nurse took blood from two patients in the same bay and labelled the tubes at the desk. Labels were swapped. We now label at the bedside and check the wristband against the request every time.",
		Themes:  []string{"identification"},
	}
}

func findings(t *testing.T, err error) []library.Finding {
	t.Helper()
	var np *library.NotPublishableError
	if !errors.As(err, &np) {
		t.Fatalf("err = %v, want a NotPublishableError", err)
	}
	return np.Findings
}

func TestPublishingChecks(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		safety := f.user(t, "Safety Lead", 0, authz.Safety)
		staff := f.user(t, "Staff Member", 0, authz.Staff)

		if _, err := f.svc.Create(ctx, staff, goodInput()); !errors.Is(err, library.ErrNotAllowed) {
			t.Fatalf("staff create: %v, want ErrNotAllowed", err)
		}
		if _, err := f.svc.Create(ctx, safety, library.Input{}); err == nil {
			t.Fatal("empty lesson saved")
		} else if errs, ok := validate.As(err); !ok || !errs.Has("title") || !errs.Has("themes") {
			t.Fatalf("empty lesson: %v", err)
		}

		cases := []struct {
			name  string
			edit  func(in *library.Input)
			kind  string
			field string
			says  string
		}{
			{"a name", func(in *library.Input) { in.Body += " Staff nurse Sarah Jones noticed the mistake." }, library.FindingPersonal, "body", "Sarah Jones"},
			{"an NHS number", func(in *library.Input) { in.Summary += " NHS number 943 476 5919." }, library.FindingPersonal, "summary", "NHS number"},
			{"the only pharmacist", func(in *library.Input) { in.Body += " The only pharmacist on nights was busy." }, library.FindingSmallGroup, "body", "only pharmacist"},
			{"the one nurse on the ward", func(in *library.Input) { in.Body += " The one agency nurse on the ward was not told." }, library.FindingSmallGroup, "body", "one agency nurse"},
		}
		for _, c := range cases {
			in := goodInput()
			c.edit(&in)
			l, err := f.svc.Create(ctx, safety, in)
			if err != nil {
				t.Fatalf("%s: create: %v", c.name, err)
			}
			fs := findings(t, f.svc.Publish(ctx, safety, l.ID))
			if len(fs) == 0 || fs[0].Kind != c.kind || fs[0].Field != c.field || !strings.Contains(fs[0].Message, c.says) {
				t.Fatalf("%s: findings %+v", c.name, fs)
			}
			got, _ := f.svc.Get(ctx, safety, l.ID)
			if got.Status != library.Draft {
				t.Fatalf("%s: refused lesson is %s", c.name, got.Status)
			}
			if _, err := f.svc.Get(ctx, staff, l.ID); !library.IsNotFound(err) {
				t.Fatalf("%s: staff read a draft: %v", c.name, err)
			}
			// Fixed, it publishes.
			if err := f.svc.Update(ctx, safety, l.ID, goodInput()); err != nil {
				t.Fatalf("%s: update: %v", c.name, err)
			}
			if err := f.svc.Publish(ctx, safety, l.ID); err != nil {
				t.Fatalf("%s: publish after fixing: %v", c.name, err)
			}
			if got, err := f.svc.Get(ctx, staff, l.ID); err != nil || got.Status != library.Published {
				t.Fatalf("%s: staff read published: %+v %v", c.name, got, err)
			}
			// A published lesson cannot be edited back into a name.
			in = goodInput()
			in.Title = "Dr Okafor's lesson"
			if fs := findings(t, f.svc.Update(ctx, safety, l.ID, in)); fs[0].Field != "title" {
				t.Fatalf("%s: edit of published lesson: %+v", c.name, fs)
			}
		}

		// A small department, tagged or named, blocks publishing.
		small := f.department(t, "SML", "Hand Therapy Clinic")
		big := f.department(t, "BIG", "Ward 9")
		for i := 0; i < 2; i++ {
			f.person(t, "Small Person", small, "ahp")
		}
		for i := 0; i < 8; i++ {
			f.person(t, "Big Person", big, "nursing_midwifery")
		}
		in := goodInput()
		in.DepartmentIDs = []int64{small}
		l, err := f.svc.Create(ctx, safety, in)
		if err != nil {
			t.Fatal(err)
		}
		fs := findings(t, f.svc.Publish(ctx, safety, l.ID))
		if fs[0].Field != "departments" || !strings.Contains(fs[0].Message, "Hand Therapy Clinic") || !strings.Contains(fs[0].Message, "fewer than 5") {
			t.Fatalf("small department: %+v", fs)
		}
		in = goodInput()
		in.Body += " It happened in the hand therapy clinic."
		in.DepartmentIDs = []int64{big}
		if err := f.svc.Update(ctx, safety, l.ID, in); err != nil {
			t.Fatal(err)
		}
		if fs := findings(t, f.svc.Publish(ctx, safety, l.ID)); fs[0].Field != "body" || fs[0].Kind != library.FindingSmallGroup {
			t.Fatalf("small department named: %+v", fs)
		}
		in.Body = goodInput().Body
		if err := f.svc.Update(ctx, safety, l.ID, in); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Publish(ctx, safety, l.ID); err != nil {
			t.Fatalf("big department: %v", err)
		}

		// A lesson from a learning response needs the response closed.
		resp := f.id(t, `INSERT INTO learning_responses (reference, method, title, status, created_by, created_at, updated_at)
			VALUES ('LR-0001', 'aar', 'Blood sample labels', 'open', ?, ?, ?) RETURNING id`, safety.UserID, store.T(f.now), store.T(f.now))
		in = goodInput()
		in.Response = "LR-9999"
		if _, err := f.svc.Create(ctx, safety, in); err == nil {
			t.Fatal("lesson linked to a missing response saved")
		}
		in.Response = "LR-0001"
		l, err = f.svc.Create(ctx, safety, in)
		if err != nil || l.ResponseID != resp {
			t.Fatalf("linked lesson: %+v %v", l, err)
		}
		if fs := findings(t, f.svc.Publish(ctx, safety, l.ID)); fs[0].Kind != library.FindingResponse || !strings.Contains(fs[0].Message, "LR-0001") {
			t.Fatalf("open response: %+v", fs)
		}
		f.exec(t, `UPDATE learning_responses SET status = 'closed', closed_at = ? WHERE id = ?`, store.T(f.now), resp)
		if err := f.svc.Publish(ctx, safety, l.ID); err != nil {
			t.Fatalf("closed response: %v", err)
		}
		var audits int
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'lesson.publish'`).Scan(&audits)
		if audits != len(cases)+2 {
			t.Fatalf("%d lesson.publish audit entries, want %d", audits, len(cases)+2)
		}
	})
}

func TestSendAndReadReceipts(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		safety := f.user(t, "Safety Lead", 0, authz.Safety)
		ward := f.department(t, "W7", "Ward 7")
		theatre := f.department(t, "TH", "Theatres")
		var onWard []*authz.Principal
		for i := 0; i < 6; i++ {
			onWard = append(onWard, f.user(t, "Ward Nurse", f.person(t, "Ward Nurse", ward, "nursing_midwifery"), authz.Staff))
		}
		porter := f.user(t, "Theatre Porter", f.person(t, "Theatre Porter", theatre, "estates_ancillary"), authz.Staff)
		doctor := f.user(t, "Theatre Doctor", f.person(t, "Theatre Doctor", theatre, "medical_dental"), authz.Staff)
		left := f.person(t, "Gone", ward, "nursing_midwifery")
		f.exec(t, `UPDATE people SET leave_date = '2026-01-01' WHERE id = ?`, left)
		f.user(t, "Gone", left, authz.Staff)

		l, err := f.svc.Create(ctx, safety, goodInput())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Send(ctx, safety, l.ID, library.SendInput{DepartmentIDs: []int64{ward}}); err == nil {
			t.Fatal("a draft was sent")
		}
		if err := f.svc.Publish(ctx, safety, l.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Send(ctx, onWard[0], l.ID, library.SendInput{DepartmentIDs: []int64{ward}}); !errors.Is(err, library.ErrNotAllowed) {
			t.Fatalf("staff send: %v", err)
		}
		if _, err := f.svc.Send(ctx, safety, l.ID, library.SendInput{}); err == nil {
			t.Fatal("sent to nobody")
		}
		res, err := f.svc.Send(ctx, safety, l.ID, library.SendInput{DepartmentIDs: []int64{ward}, StaffGroups: []string{"medical_dental"}})
		if err != nil || res.Added != 7 || res.Already != 0 {
			t.Fatalf("send: %+v %v (want 6 on the ward and the doctor, not the leaver or the porter)", res, err)
		}
		res, err = f.svc.Send(ctx, safety, l.ID, library.SendInput{DepartmentIDs: []int64{ward, theatre}})
		if err != nil || res.Added != 1 || res.Already != 7 {
			t.Fatalf("send again: %+v %v", res, err)
		}
		var notices int
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE link = ?`, "/library/"+idStr(l.ID)).Scan(&notices)
		if notices != 8 {
			t.Fatalf("%d notices, want 8", notices)
		}
		if got, _ := f.svc.Get(ctx, porter, l.ID); !got.SentToYou || !got.ReadAt.IsZero() {
			t.Fatalf("porter's view: %+v", got)
		}
		for _, p := range []*authz.Principal{onWard[0], onWard[1], porter, porter} {
			if err := f.svc.MarkRead(ctx, p, l.ID); err != nil {
				t.Fatal(err)
			}
		}
		reader := f.user(t, "Curious", 0, authz.Staff)
		if err := f.svc.MarkRead(ctx, reader, l.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Reads(ctx, porter, l.ID); !errors.Is(err, library.ErrNotAllowed) {
			t.Fatalf("staff saw receipts: %v", err)
		}
		r, err := f.svc.Reads(ctx, safety, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Sent != 8 || r.SentRead != 3 || r.Readers != 4 || len(r.People) != 9 {
			t.Fatalf("reads: sent %d read %d readers %d people %d", r.Sent, r.SentRead, r.Readers, len(r.People))
		}
		if r.People[0].Read() || !r.People[8].SentAt.IsZero() || r.People[8].Name != "Curious" {
			t.Fatalf("order: unread recipients first, readers not sent it last: %+v", r.People)
		}
		if list, _ := f.svc.List(ctx, doctor, library.ListQuery{Unread: true}); len(list) != 1 {
			t.Fatalf("doctor's unread: %+v", list)
		}
		if list, _ := f.svc.List(ctx, porter, library.ListQuery{Unread: true}); len(list) != 0 {
			t.Fatalf("porter's unread: %+v", list)
		}
	})
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestSearchAccessAndHostileSyntax(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		safety := f.user(t, "Safety Lead", 0, authz.Safety)
		staff := f.user(t, "Staff", 0, authz.Staff)
		guardian := f.user(t, "Guardian", 0, authz.Guardian)
		event := f.report(t, "safety_event", "safety", "Insulin given twice because the first dose was not signed for; blood glucose fell to 2.1.")
		concern := f.report(t, "concern", "guardian", "Insulin errors keep happening and managers ignore them.")
		l, err := f.svc.Create(ctx, safety, library.Input{Title: "Sign for insulin straight away", Summary: "An unsigned insulin dose was given again.",
			Body: "Sign the chart as soon as the dose is given.", Themes: []string{"medication"}})
		if err != nil {
			t.Fatal(err)
		}
		draft, err := f.svc.Create(ctx, safety, library.Input{Title: "Insulin draft", Summary: "Draft about insulin.", Body: "Insulin.", Themes: []string{"medication"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Publish(ctx, safety, l.ID); err != nil {
			t.Fatal(err)
		}

		res, err := f.svc.Search(ctx, safety, "insulin dose", 10)
		if err != nil || len(res.Lessons) != 1 || res.Lessons[0].LessonID != l.ID || len(res.Events) != 1 || res.Events[0].ReportID != event {
			t.Fatalf("safety search: %+v %v", res, err)
		}
		for _, p := range []*authz.Principal{staff, guardian} {
			res, err := f.svc.Search(ctx, p, "insulin", 10)
			if err != nil || len(res.Lessons) != 1 || res.EventsSearched || len(res.Events) != 0 {
				t.Fatalf("%s search: %+v %v", p.Name, res, err)
			}
		}
		for _, h := range res.Events {
			if h.ReportID == concern {
				t.Fatal("a concern was found")
			}
		}
		for _, h := range res.Lessons {
			if h.LessonID == draft.ID {
				t.Fatal("a draft was found")
			}
		}
		// Stemming: "doses" finds "dose".
		if res, err := f.svc.Search(ctx, safety, "DOSES", 10); err != nil || len(res.Events) != 1 {
			t.Fatalf("stemmed search: %+v %v", res, err)
		}

		hostile := []string{`"insulin`, `insulin"`, `(insulin`, `insulin)`, `insulin AND`, `OR insulin`, `NEAR(insulin dose)`,
			`insulin*`, `*`, `-insulin`, `insulin -dose`, `description:insulin`, `insulin:*`, `'insulin'`, `insulin & | !`, `insulin <-> dose`,
			`\"; DROP TABLE reports; --`, `^insulin`, `{description}: insulin`, "insulin\x00dose", "ins\xffulin", `a:b:c`, `NOT`, `(((`,
			strings.Repeat("insulin ", 500), `😀 insulin`}
		for _, q := range hostile {
			res, err := f.svc.Search(ctx, safety, q, 10)
			if errs, ok := validate.As(err); ok {
				if !errs.Has("q") {
					t.Fatalf("%q: %v", q, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			// Words are ANDed: "description:insulin" also needs "description".
			if strings.Contains(strings.ToLower(q), "insulin") && !strings.Contains(q, "description") && len(res.Lessons) != 1 {
				t.Errorf("%q found %d lessons, want 1", q, len(res.Lessons))
			}
		}
		for q, want := range map[string]string{"": library.EmptyQueryMessage, "   ": library.EmptyQueryMessage, `"" () * - :`: library.NoTermsMessage, "the and of": library.NoTermsMessage} {
			_, err := f.svc.Search(ctx, staff, q, 10)
			if errs, ok := validate.As(err); !ok || len(errs) != 1 || errs[0].Message != want {
				t.Errorf("%q: %v, want %q", q, err, want)
			}
		}
	})
}

func TestSimilarAccess(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		safety := f.user(t, "Safety", 0, authz.Safety)
		guardian := f.user(t, "Guardian", 0, authz.Guardian)
		staff := f.user(t, "Staff", 0, authz.Staff)
		a := f.report(t, "safety_event", "safety", "Patient slipped on a wet floor in the bathroom and fell, hitting her head.")
		b := f.report(t, "safety_event", "safety", "Unwitnessed fall: patient found on the bathroom floor after slipping.")
		c := f.report(t, "concern", "guardian", "Nobody cleans the wet bathroom floor; patients keep slipping and falling.")
		l, _ := f.svc.Create(ctx, safety, library.Input{Title: "Keep bathroom floors dry", Summary: "Falls on wet bathroom floors.",
			Body: "Patients slipped on wet floors in bathrooms.", Themes: []string{"falls"}})
		if err := f.svc.Publish(ctx, safety, l.ID); err != nil {
			t.Fatal(err)
		}
		sim, err := f.svc.Similar(ctx, safety, a, 5)
		if err != nil || len(sim.Events) != 1 || sim.Events[0].ReportID != b || sim.Events[0].Score <= 0 || len(sim.Lessons) != 1 {
			t.Fatalf("safety similar: %+v %v", sim, err)
		}
		if _, err := f.svc.Similar(ctx, guardian, a, 5); !library.IsNotFound(err) {
			t.Fatalf("guardian on a safety event: %v", err)
		}
		if _, err := f.svc.Similar(ctx, staff, a, 5); !library.IsNotFound(err) {
			t.Fatalf("staff: %v", err)
		}
		sim, err = f.svc.Similar(ctx, guardian, c, 5)
		if err != nil || sim.EventsSearched || len(sim.Events) != 0 || len(sim.Lessons) != 1 {
			t.Fatalf("guardian on a concern: %+v %v", sim, err)
		}
		if _, err := f.svc.Similar(ctx, safety, 999999, 5); !library.IsNotFound(err) {
			t.Fatalf("missing report: %v", err)
		}
		lessons, err := f.svc.SimilarToText(ctx, staff, "She slipped on the wet floor of the bathroom", 5)
		if err != nil || len(lessons) != 1 || lessons[0].LessonID != l.ID {
			t.Fatalf("similar to text: %+v %v", lessons, err)
		}
		var audits int
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'report.similar' AND entity_id = ?`, itoa(a)).Scan(&audits)
		if audits != 1 {
			t.Fatalf("%d report.similar audit entries", audits)
		}
	})
}

// A search made only of words in many events lists the newest first on
// SQLite (bm25 would first count every event holding them, which is slow
// and adds little: see searchEventsSQLite); a search with any rarer word is
// still ranked by bm25.
func TestSearchCommonWordsNewestFirst(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.svc.Budget = 4 // words in more than 25 × 4 = 100 events together are common
		safety := f.user(t, "Safety Lead", 0, authz.Safety)
		best := f.report(t, "safety_event", "safety", "Wristband missing. Wristband not replaced. Wristband.")
		var falls []int64
		for i := range 120 {
			falls = append(falls, f.report(t, "safety_event", "safety", fmt.Sprintf("The patient had a fall in bay %d and was helped back to bed by two nurses after checks for injury.", i)))
		}
		f.report(t, "safety_event", "safety", "A long account of a transfer to radiology in which the porter noticed at the lift that the wristband was loose, and the nurse in charge was told.")
		f.report(t, "safety_event", "safety", "Observations were late on the night shift and the early warning score was not escalated; the wristband was also found to be faded.")

		res, err := f.svc.Search(ctx, safety, "wristband", 10)
		if err != nil || len(res.Events) != 3 || res.Events[0].ReportID != best || res.Events[0].Score <= res.Events[2].Score {
			t.Fatalf("wristband: %+v %v; want the short event that repeats it first, ranked", res.Events, err)
		}
		// A rare word beside a common one keeps the bm25 order: the short
		// event that repeats both comes before a newer, longer one.
		mixedBest := f.report(t, "safety_event", "safety", "Patient wristband missing. Patient wristband replaced. Wristband checked.")
		f.report(t, "safety_event", "safety", "A long note about a patient moved between wards overnight, in which the wristband was mentioned once among many other details of the handover and the bed.")
		res, err = f.svc.Search(ctx, safety, "patient wristband", 10)
		if err != nil || len(res.Events) != 2 || res.Events[0].ReportID != mixedBest || res.Events[0].Score <= res.Events[1].Score {
			t.Fatalf("patient wristband: %+v %v; want the short event that repeats both first, ranked", res.Events, err)
		}
		res, err = f.svc.Search(ctx, safety, "fall", 10)
		if err != nil || len(res.Events) == 0 {
			t.Fatalf("fall: %+v %v; want events", res.Events, err)
		}
		if db.Engine != store.SQLite {
			return // PostgreSQL ranks the first budget matches it finds
		}
		if len(res.Events) != 10 {
			t.Fatalf("fall found %d events, want 10", len(res.Events))
		}
		for i, h := range res.Events {
			if want := falls[len(falls)-1-i]; h.ReportID != want || h.Score != 0 {
				t.Fatalf("fall result %d = report %d score %v, want report %d (newest first) with score 0", i, h.ReportID, h.Score, want)
			}
		}
	})
}
