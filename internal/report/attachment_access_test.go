package report_test

import (
	"context"
	"errors"
	"testing"

	"candour/internal/authz"
	"candour/internal/report"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// The team's way to a file and the reporter's are separate doors: each
// lets in its own people only, so a handler on a reporter's page is not
// given a note's file, nor recorded as the reporter, and a reporter on the
// team's page is given nothing.
func TestHandlersAndReportersFetchFilesThroughTheirOwnDoors(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		staff, guardian, guardian2 := f.users["staff"], f.users["guardian"], f.users["guardian2"]
		text := func(s string) []report.Upload {
			return []report.Upload{{Filename: "notes.txt", Data: []byte(s + "\n")}}
		}

		sub := f.concern(report.Open)
		sub.Attachments = text("The rota for week 47.")
		rec, err := f.svc.Submit(ctx, sub, staff)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.MessageReporter(ctx, guardian, rec.ID, "Here is our policy.", false, text("The escalation policy.")); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.MessageReporter(ctx, guardian, rec.ID, "For the team only.", true, text("The bank request was refused.")); err != nil {
			t.Fatal(err)
		}
		rep, err := f.svc.Get(ctx, guardian, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		own, reply, note := rep.Attachments[0].ID, rep.Messages[0].Attachments[0].ID, rep.Messages[1].Attachments[0].ID

		for _, c := range []struct {
			name    string
			fetch   func(int64) error
			id      int64
			allowed bool
		}{
			{"the reporter, their own file", reporterDoor(f, staff, rec.ID), own, true},
			{"the reporter, the team's reply", reporterDoor(f, staff, rec.ID), reply, true},
			{"the reporter, a note's file", reporterDoor(f, staff, rec.ID), note, false},
			{"a guardian, through the reporter's door", reporterDoor(f, guardian, rec.ID), own, false},
			{"a guardian, a note's file through the reporter's door", reporterDoor(f, guardian, rec.ID), note, false},
			{"a guardian, a note's file through the team's door", teamDoor(f, guardian, rec.ID), note, true},
			{"a second guardian, through the team's door", teamDoor(f, guardian2, rec.ID), own, true},
			{"the reporter, through the team's door", teamDoor(f, staff, rec.ID), own, false},
			{"the reporter, their own file on another report's path", reporterDoor(f, staff, rec.ID+1), own, false},
		} {
			err := c.fetch(c.id)
			if c.allowed && err != nil || !c.allowed && !errors.Is(err, report.ErrNotAllowed) {
				t.Errorf("%s: %v", c.name, err)
			}
		}
	})
}

func reporterDoor(f *fixture, p *authz.Principal, reportID int64) func(int64) error {
	return func(aid int64) error {
		_, _, err := f.svc.ReporterAttachment(context.Background(), p, nil, reportID, aid)
		return err
	}
}

func teamDoor(f *fixture, p *authz.Principal, reportID int64) func(int64) error {
	return func(aid int64) error {
		_, _, err := f.svc.AttachmentData(context.Background(), p, reportID, aid)
		return err
	}
}

// Files cost far more to check than words, so they are opened only for
// someone who may act on the report: anyone else is refused as for any
// other change, not told what is wrong with their file.
func TestFilesAreCheckedOnlyForThoseWhoMayAct(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		rec, err := f.svc.Submit(ctx, f.concern(report.Open), f.users["staff"])
		if err != nil {
			t.Fatal(err)
		}
		page := []report.Upload{{Filename: "policy.pdf", Data: []byte("<html><script>alert(1)</script></html>")}}
		if err := f.svc.MessageReporter(ctx, f.users["safety"], rec.ID, "Not our report.", false, page); !errors.Is(err, report.ErrNotAllowed) {
			t.Errorf("the safety team's message with a bad file on a concern: %v", err)
		}
		if err := f.svc.ReporterMessage(ctx, f.users["manager"], nil, rec.ID, "Not my report.", page); !errors.Is(err, report.ErrNotAllowed) {
			t.Errorf("someone else's message with a bad file on the reporter's side: %v", err)
		}
		if err := f.svc.MessageReporter(ctx, f.users["guardian"], rec.ID, "Our report.", false, page); errors.Is(err, report.ErrNotAllowed) || fields(err)["attachments"] == "" {
			t.Errorf("the guardian's message with a bad file: %v, want the file refused", err)
		}
	})
}
