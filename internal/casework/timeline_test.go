package casework_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

func TestTimelineEntriesAndVisibility(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		c := w.open(t, casework.Disciplinary, false)
		if err := w.svc.RequestRepresentative(ctx, w.hr, c.ID, w.rep.Email, w.today()); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.SetEmployeeAccess(ctx, w.hr, c.ID, true); err != nil {
			t.Fatal(err)
		}
		add := func(who string, kind string, visible bool) error {
			_, err := w.svc.AddEntry(ctx, principal(w, who), c.ID, casework.EntryInput{Kind: kind, OccurredOn: w.today(),
				Body: who + " wrote a " + kind, VisibleToEmployee: visible})
			return err
		}
		for _, ok := range []struct {
			who, kind string
			visible   bool
		}{
			{"HR adviser", casework.EntryNote, false},
			{"HR adviser", casework.EntryUpdate, true},
			{"manager", casework.EntryMeeting, false},
			{"rep", casework.EntryRepNote, false},
		} {
			if err := add(ok.who, ok.kind, ok.visible); err != nil {
				t.Fatalf("%s adding a %s: %v", ok.who, ok.kind, err)
			}
		}
		// The update shared with the employee reaches the employee and their
		// representative; the representative's note reaches the adviser;
		// notes and meetings tell nobody. Notices carry no narrative.
		notices := func(who *authz.Principal, like string) int {
			return dbCount(t, db, `SELECT count(*) FROM notifications WHERE user_id = ? AND body LIKE ?`, who.UserID, "%"+like+"%")
		}
		for _, n := range []struct {
			name string
			who  *authz.Principal
			like string
			want int
		}{
			{"employee", w.employee, "new update on the case", 1},
			{"rep", w.rep, "new update on the case", 1},
			{"adviser", w.hr, "representative added a note", 1},
			{"adviser", w.hr, "new update", 0},
			{"manager", w.manager, c.Reference, 0},
			{"anyone", w.hr, "wrote a", 0},
		} {
			if got := notices(n.who, n.like); got != n.want {
				t.Errorf("%s's notices like %q: %d, want %d", n.name, n.like, got, n.want)
			}
		}
		if got := dbCount(t, db, `SELECT count(*) FROM notifications WHERE body LIKE '%wrote a%'`); got != 0 {
			t.Errorf("%d notices quote an entry", got)
		}
		wantField(t, add("rep", casework.EntryMeeting, false), "kind", "As the representative you can add notes")
		wantField(t, add("manager", casework.EntryNote, false), "kind")
		wantField(t, add("manager", casework.EntryDecision, false), "kind")
		wantField(t, add("HR adviser", casework.EntryRepNote, false), "kind")
		wantField(t, add("HR adviser", casework.EntryNote, true), "visible_to_employee", "never shown to the employee")
		for _, who := range []string{"employee", "other rep", "executive", "admin"} {
			if err := add(who, casework.EntryMeeting, false); !errors.Is(err, casework.ErrNotAllowed) {
				t.Errorf("%s adding an entry: %v", who, err)
			}
		}
		kinds := func(who string) int {
			opts, _ := w.svc.EntryKindsFor(ctx, principal(w, who), c.ID)
			return len(opts)
		}
		if kinds("HR adviser") != len(casework.EntryKinds()) || kinds("manager") != 3 || kinds("rep") != 1 || kinds("employee") != 0 {
			t.Errorf("kinds offered: adviser %d, manager %d, rep %d, employee %d", kinds("HR adviser"), kinds("manager"), kinds("rep"), kinds("employee"))
		}
		// Dates and body.
		_, err := w.svc.AddEntry(ctx, w.hr, c.ID, casework.EntryInput{Kind: casework.EntryMeeting, OccurredOn: w.on(1)})
		wantField(t, err, "occurred_on", "cannot be in the future")
		wantField(t, err, "body", "Enter what happened")
		_, err = w.svc.AddEntry(ctx, w.hr, c.ID, casework.EntryInput{Kind: casework.EntryMeeting, OccurredOn: w.on(-1), Body: "Earlier"})
		wantField(t, err, "occurred_on", "before the case was opened, on "+w.today())

		bodies := func(who string) []string {
			t.Helper()
			tl, err := w.svc.Timeline(ctx, principal(w, who), c.ID)
			if err != nil {
				t.Fatalf("%s: %v", who, err)
			}
			var out []string
			for _, e := range tl {
				if e.Body != "" && strings.Contains(e.Body, " wrote a ") {
					out = append(out, e.Body)
				}
			}
			slices.Sort(out)
			return out
		}
		want := map[string][]string{
			"HR adviser": {"HR adviser wrote a note", "HR adviser wrote a update", "manager wrote a meeting", "rep wrote a rep_note"},
			"ER lead":    {"HR adviser wrote a note", "HR adviser wrote a update", "manager wrote a meeting", "rep wrote a rep_note"},
			"manager":    {"HR adviser wrote a update", "manager wrote a meeting", "rep wrote a rep_note"},
			"rep":        {"HR adviser wrote a update", "manager wrote a meeting", "rep wrote a rep_note"},
			"employee":   {"HR adviser wrote a update"},
		}
		for who, w := range want {
			if got := bodies(who); !slices.Equal(got, w) {
				t.Errorf("%s sees %v, want %v", who, got, w)
			}
		}
		if n := auditCount(t, db, "case.timeline.read"); n < len(want) {
			t.Fatalf("%d timeline reads audited", n)
		}
	})
}

func TestDocuments(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		c := w.open(t, casework.Grievance, false)
		if err := w.svc.SetEmployeeAccess(ctx, w.hr, c.ID, true); err != nil {
			t.Fatal(err)
		}
		_, err := w.svc.AddDocument(ctx, w.hr, c.ID, "run-me.exe", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), 0)
		wantField(t, err, "document")
		if _, err := w.svc.AddDocument(ctx, w.employee, c.ID, "mine.txt", []byte("My account of the shift."), 0); !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("the employee adding a document: %v", err)
		}
		d, err := w.svc.AddDocument(ctx, w.hr, c.ID, "statement.txt", []byte("Witness statement from the night coordinator."), 0)
		if err != nil {
			t.Fatal(err)
		}
		if d.ID == 0 || d.Filename != "statement.txt" || d.EntryID == 0 {
			t.Fatalf("stored %+v", d)
		}
		tl, _ := w.svc.Timeline(ctx, w.manager, c.ID)
		i := slices.IndexFunc(tl, func(e casework.Entry) bool { return e.Kind == casework.EntryDocument })
		if i < 0 || len(tl[i].Documents) != 1 || tl[i].Documents[0].ID != d.ID {
			t.Fatalf("the manager's timeline does not show the document: %+v", tl)
		}
		got, data, err := w.svc.Document(ctx, w.manager, c.ID, d.ID)
		if err != nil || string(data) != "Witness statement from the night coordinator." || got.ContentType == "" {
			t.Fatalf("manager reading: %+v %q %v", got, data, err)
		}
		if _, _, err := w.svc.Document(ctx, w.employee, c.ID, d.ID); !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("the employee reading a document not shared with them: %v", err)
		}
		if tl, _ := w.svc.Timeline(ctx, w.employee, c.ID); slices.ContainsFunc(tl, func(e casework.Entry) bool { return len(e.Documents) > 0 }) {
			t.Fatal("the employee's timeline lists the document")
		}
		other := w.open(t, casework.Grievance, false)
		if _, _, err := w.svc.Document(ctx, w.hr, other.ID, d.ID); !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("a document read through another case: %v", err)
		}
		if n := auditCount(t, db, "case.document.read"); n != 1 {
			t.Fatalf("%d document reads audited", n)
		}
	})
}

func TestCloseAndTheLearningLog(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		early := w.open(t, casework.Disciplinary, false)
		// A sanction needs a formal process.
		err := w.svc.Close(ctx, w.hr, early.ID, casework.CloseInput{Outcome: "final_written_warning", ClosedOn: w.today(), NoLearningReason: "n/a"})
		wantField(t, err, "outcome", "can only follow a formal process")

		c := w.formalCase(t, casework.Disciplinary)
		w.days(20)
		err = w.svc.Close(ctx, w.hr, c.ID, casework.CloseInput{Outcome: "other", ClosedOn: w.on(1)})
		wantField(t, err, "outcome_detail", "Enter the outcome")
		wantField(t, err, "closed_on", "cannot be in the future")
		wantField(t, err, "learning", "Record at least one thing the organisation learned")
		err = w.svc.Close(ctx, w.hr, c.ID, casework.CloseInput{Outcome: "no_case_to_answer", ClosedOn: w.on(-21), NoLearningReason: "None"})
		wantField(t, err, "closed_on", "before it was opened")
		err = w.svc.Close(ctx, w.hr, c.ID, casework.CloseInput{Outcome: "no_case_to_answer", ClosedOn: w.today(),
			Learning: []casework.LearningInput{{Category: "feelings", Lesson: "x"}, {Category: "policy"}}})
		wantField(t, err, "learning-1-category", "process, policy or the system")
		wantField(t, err, "learning-2-lesson", "Enter lesson 2")
		if err := w.svc.Close(ctx, w.manager, c.ID, casework.CloseInput{Outcome: "no_case_to_answer", ClosedOn: w.today(), NoLearningReason: "x"}); !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("the manager closing: %v", err)
		}

		err = w.svc.Close(ctx, w.hr, c.ID, casework.CloseInput{Outcome: "no_case_to_answer", ClosedOn: w.today(),
			Learning: []casework.LearningInput{
				{Category: "system", Lesson: "Night shifts on Ward 9 had one registered nurse for 28 patients"},
				{Category: "process", Lesson: "Investigations should start within a week"},
				{},
			}})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := w.svc.Get(ctx, w.hr, c.ID)
		if got.Status != casework.Closed || got.ClosedOn != w.today() || got.Outcome != casework.NoCaseToAnswer || got.Stage != nil {
			t.Fatalf("closed case %+v (stage %+v)", got, got.Stage)
		}
		stages, _ := w.svc.Stages(ctx, w.hr, c.ID)
		if stages[len(stages)-1].EndedOn != w.today() {
			t.Fatalf("the open stage did not end: %+v", stages)
		}
		if _, err := w.svc.AddEntry(ctx, w.hr, c.ID, casework.EntryInput{Kind: "meeting", OccurredOn: w.today(), Body: "After"}); !errors.Is(err, casework.ErrClosed) {
			t.Fatalf("adding to a closed case: %v", err)
		}
		if err := w.svc.Close(ctx, w.hr, c.ID, casework.CloseInput{Outcome: "other", ClosedOn: w.today(), NoLearningReason: "x"}); !errors.Is(err, casework.ErrClosed) {
			t.Fatalf("closing twice: %v", err)
		}

		// The learning log: type, category, lesson and month only.
		from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
		log, err := w.svc.LearningLog(ctx, w.exec, from, to)
		if err != nil || len(log) != 2 {
			t.Fatalf("learning log %+v %v", log, err)
		}
		for _, l := range log {
			if l.Type != casework.Disciplinary || l.ClosedMonth != "2026-03" {
				t.Errorf("lesson %+v", l)
			}
			if strings.Contains(l.Lesson, c.Reference) || strings.Contains(l.Lesson, "Alex") {
				t.Errorf("lesson names the case: %+v", l)
			}
		}
		var cols []string
		rows, err := db.QueryContext(ctx, `SELECT * FROM case_learning LIMIT 1`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ = rows.Columns()
		rows.Close()
		for _, col := range cols {
			if strings.Contains(col, "case_id") || strings.Contains(col, "person") || strings.Contains(col, "user") || strings.Contains(col, "reference") {
				t.Errorf("the learning log has a column %s that links back", col)
			}
		}
		if n := dbCount(t, db, `SELECT count(*) FROM case_learning WHERE created_at <> ?`, store.T(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))); n != 0 {
			t.Errorf("%d lessons carry the moment they were written", n)
		}
		if log, _ := w.svc.LearningLog(ctx, w.exec, from, time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)); len(log) != 0 {
			t.Errorf("a period before the case closed: %+v", log)
		}
		for _, who := range []string{"staff", "manager", "rep", "admin"} {
			if _, err := w.svc.LearningLog(ctx, principal(w, who), from, to); !errors.Is(err, casework.ErrNotAllowed) {
				t.Errorf("%s reading the learning log: %v", who, err)
			}
		}
		dbExec(t, db, `INSERT INTO casework_designations (user_id, designation, created_at) VALUES (?, 'staff_side_lead', ?)`, w.rep.UserID, store.T(w.now))
		if log, err := w.svc.LearningLog(ctx, w.rep, from, to); err != nil || len(log) != 2 {
			t.Fatalf("the staff-side lead: %d %v", len(log), err)
		}
	})
}
