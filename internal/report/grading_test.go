package report_test

import (
	"context"
	"strings"
	"testing"

	"candour/internal/report"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// The reporter reads back what they told us. When the team grades a report
// again, or passes it to the other team, the reporter's own account is
// kept: their view and "My reports" show it, handlers see both, and later
// changes never overwrite it. Saving a grading unchanged keeps nothing.
func TestReporterKeepsTheirOwnGrading(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		staff, safety, g := f.users["staff"], f.users["safety"], f.users["guardian"]

		ev := f.event(report.Confidential)
		ev.PhysicalHarm, ev.PsychologicalHarm = "severe", "moderate"
		rec, err := f.svc.Submit(ctx, ev, staff)
		if err != nil {
			t.Fatal(err)
		}
		// Saved as it was: nothing to keep.
		if err := f.svc.Classify(ctx, safety, rec.ID, report.Classification{EventType: "incident", PhysicalHarm: "severe", PsychologicalHarm: "moderate"}); err != nil {
			t.Fatal(err)
		}
		if got, err := f.svc.Get(ctx, safety, rec.ID); err != nil || got.ReporterGrading != nil {
			t.Fatalf("a grading saved unchanged kept a reporter's grading: %+v (%v)", got.ReporterGrading, err)
		}
		for _, c := range []report.Classification{
			{EventType: "incident", PhysicalHarm: "low", PsychologicalHarm: "none"},
			{EventType: "poor_outcome", PhysicalHarm: "moderate", PsychologicalHarm: "low"},
		} {
			if err := f.svc.Classify(ctx, safety, rec.ID, c); err != nil {
				t.Fatal(err)
			}
		}
		got, err := f.svc.Get(ctx, safety, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := "Patient safety event: patient safety incident, severe physical harm, moderate psychological harm"
		if got.EventType != "poor_outcome" || got.PhysicalHarm != "moderate" || got.ReporterGrading == nil ||
			got.ReporterGrading.Describe() != want {
			t.Fatalf("handler's view: %s/%s/%s, reporter's grading %+v", got.EventType, got.PhysicalHarm, got.PsychHarm, got.ReporterGrading)
		}
		view, err := f.svc.ForReporter(ctx, staff, nil, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if view.EventType != "incident" || view.PhysicalHarm != "severe" || view.PsychHarm != "moderate" || view.ReporterGrading != nil {
			t.Fatalf("the reporter reads %s/%s/%s, want what they told us (incident/severe/moderate)", view.EventType, view.PhysicalHarm, view.PsychHarm)
		}

		// A concern passed to the safety team and graded there: the reporter
		// still reads a concern about what they chose.
		cn, err := f.svc.Submit(ctx, f.concern(report.Open), staff)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Reroute(ctx, g, cn.ID, "A medication error, for the patient safety team"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Classify(ctx, safety, cn.ID, report.Classification{EventType: "incident", PhysicalHarm: "low", PsychologicalHarm: "none"}); err != nil {
			t.Fatal(err)
		}
		if got, err = f.svc.Get(ctx, safety, cn.ID); err != nil {
			t.Fatal(err)
		}
		if got.Kind != report.SafetyEvent || got.ReporterGrading == nil ||
			got.ReporterGrading.Describe() != "Speak-up concern: patient safety or quality; worker safety or wellbeing" {
			t.Fatalf("after passing on: kind %s, reporter's grading %+v", got.Kind, got.ReporterGrading)
		}
		view, err = f.svc.ForReporter(ctx, staff, nil, cn.ID)
		if err != nil {
			t.Fatal(err)
		}
		if view.Kind != report.Concern || strings.Join(view.Elements, ",") != "patient_safety,worker_safety" || view.EventType != "" {
			t.Fatalf("the reporter of a passed-on concern reads kind %s, elements %v, event type %q", view.Kind, view.Elements, view.EventType)
		}
		mine, err := f.svc.MyReports(ctx, staff)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[int64]report.Kind{}
		for _, m := range mine {
			kinds[m.ID] = m.Kind
		}
		if kinds[cn.ID] != report.Concern || kinds[rec.ID] != report.SafetyEvent {
			t.Fatalf("My reports lists kinds %v, want the concern as a concern", kinds)
		}

		// The guardians grade a concern again without passing it on; an
		// anonymous reporter, with the access code, reads their own choice.
		anon, err := f.svc.Submit(ctx, f.concern(report.Anonymous), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Classify(ctx, g, anon.ID, report.Classification{Elements: []string{"patient_safety", "worker_safety"}}); err != nil {
			t.Fatal(err)
		}
		if got, err := f.svc.Get(ctx, g, anon.ID); err != nil || got.ReporterGrading != nil {
			t.Fatalf("the same elements in another order kept a reporter's grading: %+v (%v)", got.ReporterGrading, err)
		}
		if err := f.svc.Classify(ctx, g, anon.ID, report.Classification{Elements: []string{"bullying_harassment"}}); err != nil {
			t.Fatal(err)
		}
		got, err = f.svc.Get(ctx, g, anon.ID)
		if err != nil || got.ReporterGrading == nil || strings.Join(got.ReporterGrading.Elements, ",") != "patient_safety,worker_safety" ||
			strings.Join(got.Elements, ",") != "bullying_harassment" {
			t.Fatalf("guardians' view after grading a concern again: %v, reporter's %+v (%v)", got.Elements, got.ReporterGrading, err)
		}
		_, fu, err := f.svc.StartFollowUp(ctx, anon.AccessCode, "10.0.0.9")
		if err != nil {
			t.Fatal(err)
		}
		view, err = f.svc.ForReporter(ctx, nil, &fu, anon.ID)
		if err != nil || strings.Join(view.Elements, ",") != "patient_safety,worker_safety" {
			t.Fatalf("the anonymous reporter reads %v (%v), want what they chose", view.Elements, err)
		}

		// Passed there and back, ungraded: as the reporter raised it again,
		// so handlers are not shown a "reporter's grading" equal to theirs.
		back, err := f.svc.Submit(ctx, f.event(report.Anonymous), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Reroute(ctx, safety, back.ID, "This sounds like a concern about how staff are treated"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Reroute(ctx, g, back.ID, "It is a medication incident after all, for the safety team"); err != nil {
			t.Fatal(err)
		}
		if got, err := f.svc.Get(ctx, safety, back.ID); err != nil || got.Kind != report.SafetyEvent || got.ReporterGrading != nil {
			t.Fatalf("passed there and back: kind %s, reporter's grading %+v (%v)", got.Kind, got.ReporterGrading, err)
		}
	})
}

// Describe puts a grading in words, including the two that say what is
// missing.
func TestGradingDescribe(t *testing.T) {
	for _, c := range []struct {
		g    report.Grading
		want string
	}{
		{report.Grading{Kind: report.SafetyEvent, EventType: "incident", PhysicalHarm: "moderate", PsychologicalHarm: "none"},
			"Patient safety event: patient safety incident, moderate physical harm, no psychological harm"},
		{report.Grading{Kind: report.SafetyEvent, EventType: "poor_outcome", PhysicalHarm: "fatal", PsychologicalHarm: "severe"},
			"Patient safety event: poor patient outcome, fatal harm, severe psychological harm"},
		{report.Grading{Kind: report.SafetyEvent}, "Patient safety event (no event type or harm given)"},
		{report.Grading{Kind: report.Concern, Elements: []string{"bullying_harassment", "other"}},
			"Speak-up concern: bullying or harassment; something else"},
		{report.Grading{Kind: report.Concern}, "Speak-up concern (nothing chosen that it is about)"},
	} {
		if got := c.g.Describe(); got != c.want {
			t.Errorf("Describe(%+v) = %q, want %q", c.g, got, c.want)
		}
	}
}
