package report_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"candour/internal/report"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// TestReasonsStayWithTheReport gives a reason, each with a marker of its
// own, for revealing, reopening, passing on and redacting, and finds each
// reason where the team reads it and none of them in the audit log that
// administrators read, which holds a keyed hash of each instead.
func TestReasonsStayWithTheReport(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		g, staff := f.users["guardian"], f.users["staff"]
		rec, err := f.svc.Submit(ctx, f.concern(report.Confidential), staff)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Assign(ctx, g, rec.ID, g.UserID); err != nil {
			t.Fatal(err)
		}
		reasons := map[string]string{
			"report.reveal_identity": "Marker-reveal: they asked for a meeting in person.",
			"report.redact":          "Marker-redact: the ward can be told apart from this.",
			"report.reopen":          "Marker-reopen: the reporter wrote again about the rota.",
			"report.reroute":         "Marker-reroute: this is about a patient's care, not staffing.",
		}
		if _, err := f.svc.Reveal(ctx, g, rec.ID, reasons["report.reveal_identity"]); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Redact(ctx, g, rec.ID, "description", 0, "the ward", reasons["report.redact"]); err != nil {
			t.Fatal(err)
		}
		// And a name in one of the guardians' own notes.
		if err := f.svc.MessageReporter(ctx, g, rec.ID, "Spoke to the night manager, Sam Okafor, about the rota.", true, nil); err != nil {
			t.Fatal(err)
		}
		var noteID int64
		db.QueryRowContext(ctx, `SELECT max(id) FROM report_messages WHERE report_id = ? AND internal`, rec.ID).Scan(&noteID)
		if err := f.svc.Redact(ctx, g, rec.ID, "message", noteID, "Sam Okafor", "Names stay out of notes."); err != nil {
			t.Fatal(err)
		}
		if r, err := f.svc.Get(ctx, g, rec.ID); err != nil || len(r.RedactionLog) != 2 || r.RedactionLog[0].Reason != reasons["report.redact"] ||
			r.RedactionLog[1].MessageID != noteID || r.RedactionLog[0].By != g.Name || r.RedactionLog[0].OtherTeam {
			t.Fatalf("the guardians' redactions as they see them: %+v %v", r.RedactionLog, err)
		}
		if err := f.svc.Close(ctx, g, rec.ID, "Weekend staffing is now agreed with the staff side each month."); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Reopen(ctx, g, rec.ID, reasons["report.reopen"]); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Reroute(ctx, g, rec.ID, reasons["report.reroute"]); err != nil {
			t.Fatal(err)
		}

		for action, reason := range reasons {
			marker := reason[:strings.Index(reason, ":")]
			var leaked int
			db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM audit_log WHERE detail LIKE ?) + (SELECT count(*) FROM audit_pending WHERE detail LIKE ?)`,
				"%"+marker+"%", "%"+marker+"%").Scan(&leaked)
			if leaked != 0 {
				t.Errorf("%s: the reason is in the audit log", action)
			}
			var detail string
			db.QueryRowContext(ctx, `SELECT detail FROM audit_log WHERE action = ? AND entity_id = ? ORDER BY seq LIMIT 1`, action, fmt.Sprint(rec.ID)).Scan(&detail)
			m := regexp.MustCompile(`reason kept in (internal note|redaction) (\d+), keyed hash (\S+)$`).FindStringSubmatch(detail)
			if m == nil {
				t.Errorf("%s: audit detail %q does not say where the reason is kept", action, detail)
				continue
			}
			place, _ := strconv.ParseInt(m[2], 10, 64)
			if m[3] != f.svc.Keys.Hash("audit-reason", report.ReasonHashInput(m[1], place, reason)) {
				t.Errorf("%s: audit detail %q does not hold the reason's keyed hash", action, detail)
			}
			var kept int
			db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM report_messages WHERE report_id = ? AND internal AND body LIKE ?)
				+ (SELECT count(*) FROM report_redactions WHERE report_id = ? AND reason = ?)`, rec.ID, "%"+reason, rec.ID, reason).Scan(&kept)
			if kept != 1 {
				t.Errorf("%s: the reason is kept %d times with the report, want once", action, kept)
			}
		}
		// Passed on, the report shows the safety team that its description
		// was redacted, but not by whom or why, and nothing of the redaction
		// in a note they cannot read.
		r, err := f.svc.Get(ctx, f.users["safety"], rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.RedactionLog) != 1 || r.Redactions != 1 || !r.RedactionLog[0].OtherTeam || r.RedactionLog[0].Reason != "" ||
			r.RedactionLog[0].By != "" || r.RedactionLog[0].MessageID != 0 {
			t.Errorf("redactions as the safety team sees them: %+v", r.RedactionLog)
		}
	})
}
