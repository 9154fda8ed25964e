package casework_test

import (
	"context"
	"errors"
	"testing"

	"candour/internal/casework"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// formalCase makes a formal case of the type about Alex Nurse, today.
func (w *world) formalCase(t *testing.T, typ casework.Type) casework.Case {
	t.Helper()
	ctx := context.Background()
	c := w.ready(t, typ, false)
	if err := w.svc.SignOff(ctx, w.lead, c.ID, ""); err != nil {
		t.Fatal(err)
	}
	c, err := w.svc.MoveToFormal(ctx, w.hr, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAdvanceStage(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		early := w.open(t, casework.CapabilityPerformance, false)
		if err := w.svc.AdvanceStage(ctx, w.hr, early.ID, "improvement_period", w.today()); !errors.Is(err, casework.ErrNotFormal) {
			t.Fatalf("an early concern changing stage: %v", err)
		}
		c := w.formalCase(t, casework.CapabilityPerformance)
		started := w.today()
		w.days(10)

		// A required stage cannot be skipped; the error names it.
		err := w.svc.AdvanceStage(ctx, w.hr, c.ID, "review_meeting", w.today())
		wantField(t, err, "stage", "cannot skip Supported improvement period")
		// Dates out of order.
		wantField(t, w.svc.AdvanceStage(ctx, w.hr, c.ID, "improvement_period", w.on(-11)), "started_on", "before the current stage started, on "+started)
		wantField(t, w.svc.AdvanceStage(ctx, w.hr, c.ID, "improvement_period", w.on(1)), "started_on", "cannot be in the future")
		wantField(t, w.svc.AdvanceStage(ctx, w.hr, c.ID, "improvement_period", ""), "started_on", "Enter the date the stage started")
		wantField(t, w.svc.AdvanceStage(ctx, w.hr, c.ID, "nonsense", w.today()), "stage")
		wantField(t, w.svc.AdvanceStage(ctx, w.hr, c.ID, "first_meeting", w.today()), "stage", "already at")
		if err := w.svc.AdvanceStage(ctx, w.manager, c.ID, "improvement_period", w.today()); !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("the manager changing stage: %v", err)
		}

		if err := w.svc.AdvanceStage(ctx, w.hr, c.ID, "improvement_period", w.on(-2)); err != nil {
			t.Fatal(err)
		}
		wantField(t, w.svc.AdvanceStage(ctx, w.hr, c.ID, "first_meeting", w.today()), "stage", "comes before the current stage")
		stages, err := w.svc.Stages(ctx, w.hr, c.ID)
		if err != nil || len(stages) != 2 {
			t.Fatalf("history %+v %v", stages, err)
		}
		if stages[0].EndedOn != w.on(-2) || stages[1].StartedOn != w.on(-2) || stages[1].TargetOn != w.on(82) || stages[1].Name != "Supported improvement period" {
			t.Fatalf("history %+v", stages)
		}
		// Timeliness: overdue once past the target.
		if stages[0].Overdue {
			t.Fatal("an ended stage is never overdue")
		}
		w.days(85)
		got, _ := w.svc.Get(ctx, w.hr, c.ID)
		if got.Stage == nil || !got.Stage.Overdue || got.Stage.DaysOver != 3 {
			t.Fatalf("current stage %+v, want 3 days over", got.Stage)
		}
		if n := auditCount(t, db, "case.stage"); n != 1 {
			t.Fatalf("%d case.stage audit entries", n)
		}
	})
}

func TestOptionalStagesMayBeSkipped(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		c := w.formalCase(t, casework.Disciplinary)
		// The hearing is optional in the seeded disciplinary stages.
		if err := w.svc.AdvanceStage(ctx, w.hr, c.ID, "decision", w.today()); err != nil {
			t.Fatalf("skipping an optional stage: %v", err)
		}
	})
}

func TestSaveStageDefinitions(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		defs, err := w.svc.StageDefinitions(ctx, casework.Disciplinary)
		if err != nil || len(defs) != 3 || defs[0].Code != "investigation" || defs[0].TargetDays != 42 || !defs[0].Required || defs[1].Required {
			t.Fatalf("seeded stages %+v %v", defs, err)
		}
		good := []casework.StageDefinitionInput{
			{Code: "investigation", Name: "Investigation", TargetDays: "42", Required: true},
			{Name: "Disciplinary hearing", TargetDays: "28"},
			{Code: "decision", Name: "Decision and outcome letter", TargetDays: "7", Required: true},
		}
		if err := w.svc.SaveStageDefinitions(ctx, w.hr, casework.Disciplinary, good); !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("an adviser, not the ER lead: %v", err)
		}
		err = w.svc.SaveStageDefinitions(ctx, w.lead, casework.Disciplinary, []casework.StageDefinitionInput{
			{Code: "investigation", Name: "Investigation", TargetDays: "0"},
			{Code: "investigation", Name: "", TargetDays: "731"},
			{Code: "Bad Code!", Name: "Hearing", TargetDays: "soon"},
		})
		wantField(t, err, "stages-1-target_days", "between 1 and 730")
		wantField(t, err, "stages-2-code", "same code as stage 1")
		wantField(t, err, "stages-2-name", "Enter the name of stage 2")
		wantField(t, err, "stages-2-target_days", "between 1 and 730")
		wantField(t, err, "stages-3-code", "lower-case letters")
		wantField(t, err, "stages-3-target_days", "whole number")
		wantField(t, w.svc.SaveStageDefinitions(ctx, w.lead, casework.Disciplinary, nil), "stages", "at least one stage")

		// A stage an open case is in cannot be removed.
		w.formalCase(t, casework.Disciplinary)
		err = w.svc.SaveStageDefinitions(ctx, w.lead, casework.Disciplinary, []casework.StageDefinitionInput{
			{Code: "hearing", Name: "Hearing", TargetDays: "28", Required: true},
		})
		wantField(t, err, "stages", "Investigation cannot be removed: 1 open case is in it")

		// Rename, reorder, add and retire.
		err = w.svc.SaveStageDefinitions(ctx, w.lead, casework.Disciplinary, []casework.StageDefinitionInput{
			{Code: "investigation", Name: "Investigation", TargetDays: "35", Required: true},
			{Name: "Panel hearing", TargetDays: "21", Required: true},
			{Code: "decision", Name: "Outcome letter", TargetDays: "7", Required: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		defs, _ = w.svc.StageDefinitions(ctx, casework.Disciplinary)
		if len(defs) != 3 || defs[1].Code != "panel_hearing" || !defs[1].Required || defs[0].TargetDays != 35 || defs[2].Name != "Outcome letter" {
			t.Fatalf("saved stages %+v", defs)
		}
		if n := dbCount(t, db, `SELECT count(*) FROM case_stage_definitions WHERE case_type = 'disciplinary' AND code = 'hearing' AND retired = TRUE`); n != 1 {
			t.Fatal("the removed hearing stage was not kept as retired")
		}
		if n := auditCount(t, db, "case.stages.save"); n != 1 {
			t.Fatalf("%d case.stages.save audit entries", n)
		}
	})
}
