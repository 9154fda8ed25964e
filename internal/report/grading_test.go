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
		if got, _ := f.svc.Get(ctx, safety, rec.ID); got.ReporterGrading != nil {
			t.Fatalf("a grading saved unchanged kept a reporter's grading: %+v", got.ReporterGrading)
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
		got, _ = f.svc.Get(ctx, safety, cn.ID)
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
	})
}
