package report_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"candour/internal/report"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// valid reports whether ref is the reference of the report its number
// names: what a handler's typing must match to find a report.
func valid(ref string) bool {
	parts := strings.Split(ref, "-")
	if len(parts) != 3 {
		return false
	}
	var n int64
	if _, err := fmt.Sscanf(parts[1], "%d", &n); err != nil {
		return false
	}
	kind := report.SafetyEvent
	if parts[0] == "SU" {
		kind = report.Concern
	}
	return report.Reference(kind, n) == ref
}

func TestReferenceCheckDigitCatchesSlips(t *testing.T) {
	// Damm's own worked example: the check digit of 572 is 4.
	if got := report.Reference(report.SafetyEvent, 572); got != "SE-000572-4" {
		t.Fatalf("Reference(572) = %q, want SE-000572-4", got)
	}
	if got := report.Reference(report.Concern, 1234567); !strings.HasPrefix(got, "SU-1234567-") {
		t.Fatalf("Reference(1234567) = %q: want the whole number after SU-", got)
	}
	for id := int64(1); id < 300000; id += 997 {
		ref := report.Reference(report.SafetyEvent, id)
		if !valid(ref) {
			t.Fatalf("%s does not check", ref)
		}
		digits := []byte(strings.ReplaceAll(ref[3:], "-", ""))
		rebuild := func(d []byte) string {
			return "SE-" + string(d[:len(d)-1]) + "-" + string(d[len(d)-1])
		}
		for i := range digits {
			for c := byte('0'); c <= '9'; c++ {
				if c == digits[i] {
					continue
				}
				slip := append([]byte(nil), digits...)
				slip[i] = c
				if valid(rebuild(slip)) {
					t.Fatalf("%s with digit %d mistyped as %c still checks: %s", ref, i, c, rebuild(slip))
				}
			}
			if i+1 < len(digits) && digits[i] != digits[i+1] {
				swap := append([]byte(nil), digits...)
				swap[i], swap[i+1] = swap[i+1], swap[i]
				if valid(rebuild(swap)) {
					t.Fatalf("%s with digits %d and %d swapped still checks: %s", ref, i, i+1, rebuild(swap))
				}
			}
		}
	}
}

func TestConsecutiveReportsSortTogether(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		var recs []report.Receipt
		for i := 0; i < 4; i++ {
			sub := f.event(report.Anonymous)
			if i%2 == 1 {
				sub = f.concern(report.Anonymous)
			}
			rec, err := f.svc.Submit(ctx, sub, nil)
			if err != nil {
				t.Fatal(err)
			}
			recs = append(recs, rec)
		}
		var keys []string
		for i, rec := range recs {
			kind := report.SafetyEvent
			if i%2 == 1 {
				kind = report.Concern
			}
			if rec.Reference != report.Reference(kind, rec.ID) {
				t.Fatalf("report %d has reference %s, want %s", rec.ID, rec.Reference, report.Reference(kind, rec.ID))
			}
			if i > 0 && rec.ID != recs[i-1].ID+1 {
				t.Fatalf("ids %d then %d: want consecutive numbers", recs[i-1].ID, rec.ID)
			}
			var stored string
			if err := db.QueryRowContext(ctx, `SELECT access_code_hash FROM reports WHERE id = ?`, rec.ID).Scan(&stored); err != nil {
				t.Fatal(err)
			}
			locator := rec.AccessCode[len(rec.AccessCode)-4:]
			if !strings.HasPrefix(stored, locator+".") {
				t.Fatalf("stored key %q: want the code's locator %s in front", stored, locator)
			}
			for _, group := range strings.Split(rec.AccessCode, "-")[:4] {
				if strings.Contains(stored, group) {
					t.Fatalf("stored key %q holds part of the code's secret %s", stored, group)
				}
			}
			keys = append(keys, stored)
		}
		if !sort.StringsAreSorted(keys) {
			t.Fatalf("keys of consecutive reports do not sort in order: %q", keys)
		}
		// Every code still opens its own report and no other.
		for _, rec := range recs {
			_, fu, err := f.svc.StartFollowUp(ctx, rec.AccessCode, "10.0.0.1")
			if err != nil || fu.ReportID != rec.ID {
				t.Fatalf("code for report %d opened %d (%v)", rec.ID, fu.ReportID, err)
			}
		}
		// A code with another report's locator opens nothing.
		swapped := recs[0].AccessCode[:20] + recs[1].AccessCode[20:]
		if _, _, err := f.svc.StartFollowUp(ctx, swapped, "10.0.0.2"); !errors.Is(err, report.ErrBadCode) {
			t.Fatalf("secret of one report with the locator of another: %v, want ErrBadCode", err)
		}
		for _, junk := range []string{"A", "ACD", "ACDE", "----", "ACDE-FGHJ"} {
			if _, _, err := f.svc.StartFollowUp(ctx, junk, "10.0.0.3"); !errors.Is(err, report.ErrBadCode) {
				t.Fatalf("code %q: %v, want ErrBadCode", junk, err)
			}
		}
	})
}

func TestAccessCodesIssuedBeforeLocatorsStillWork(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		rec, err := f.svc.Submit(ctx, f.event(report.Anonymous), nil)
		if err != nil {
			t.Fatal(err)
		}
		// As stored before locators: five random groups, the bare keyed hash.
		legacy := "KQM7-4XTA-CH3W-PRDY-6GNE"
		if _, err := db.ExecContext(ctx, `UPDATE reports SET access_code_hash = ?, reference = ? WHERE id = ?`,
			f.svc.Keys.Hash("access-code", legacy), "SE-7KQM-4XTA-CH3W", rec.ID); err != nil {
			t.Fatal(err)
		}
		_, fu, err := f.svc.StartFollowUp(ctx, strings.ToLower(legacy), "10.0.0.1")
		if err != nil || fu.ReportID != rec.ID {
			t.Fatalf("an access code issued before locators: report %d, %v", fu.ReportID, err)
		}
		if _, _, err := f.svc.StartFollowUp(ctx, rec.AccessCode, "10.0.0.1"); !errors.Is(err, report.ErrBadCode) {
			t.Fatalf("the replaced code: %v, want ErrBadCode", err)
		}
		// New reports go on numbering after it, whatever its reference.
		next, err := f.svc.Submit(ctx, f.event(report.Anonymous), nil)
		if err != nil {
			t.Fatal(err)
		}
		if next.ID != rec.ID+1 || next.Reference != report.Reference(report.SafetyEvent, next.ID) {
			t.Fatalf("next report %d %s after %d", next.ID, next.Reference, rec.ID)
		}
	})
}

func TestNormalReferenceReadsWhatPeopleType(t *testing.T) {
	ref := report.Reference(report.SafetyEvent, 4512) // SE-004512-5 by Damm's algorithm
	for _, typed := range []string{ref, "se-004512-5", " se 004512 5 ", "SE0045125", "SE 0045125", "Se 00004512-5",
		"SE\u2013004512\u20135", "SE\u2011004512\u2212" + "5\u200b", "SE 0045 12 5"} {
		if got, ok, _ := report.NormalReference(typed); !ok || got != ref {
			t.Errorf("NormalReference(%q) = %q, %v; want %q", typed, got, ok, ref)
		}
	}
	for typed, want := range map[string]string{"su-7kqm 4xta-ch3w": "SU-7KQM-4XTA-CH3W", "SE7KQM4XTACH3W": "SE-7KQM-4XTA-CH3W"} {
		if got, ok, _ := report.NormalReference(typed); !ok || got != want {
			t.Errorf("an older random reference %q: %q, %v", typed, got, ok)
		}
	}
	// A check digit that does not match: told apart from rubbish.
	for _, slip := range []string{"SE-004512-6", "SE-004521-5", "SE0045215"} {
		if got, ok, checkFailed := report.NormalReference(slip); ok || !checkFailed {
			t.Errorf("NormalReference(%q) = %q, %v, check failed %v; want refused for its check digit", slip, got, ok, checkFailed)
		}
	}
	// A reference without its check digit, or with a digit of the number
	// lost, must not be read as another report's, whatever its digits.
	for id := int64(1); id < 30000; id += 7 {
		full := report.Reference(report.Concern, id)
		bare := full[:len(full)-2] // SU-000013
		for _, typed := range []string{bare, strings.ReplaceAll(bare, "-", " "), strings.Replace(full, "0", "", 1)} {
			if typed == full {
				continue
			}
			if got, ok, _ := report.NormalReference(typed); ok && got != full {
				t.Fatalf("NormalReference(%q) = %q: a slip opens another report", typed, got)
			}
		}
	}
	// Past a million reports: a seven-digit number run together without its
	// check digit is not read as a six-digit number and a check digit.
	for id := int64(1000000); id < 1003000; id++ {
		full := report.Reference(report.SafetyEvent, id)
		bare := strings.ReplaceAll(full[:len(full)-2], "-", "")
		if got, ok, _ := report.NormalReference(bare); ok {
			t.Fatalf("NormalReference(%q) = %q: a seven-digit number without its check digit opens another report", bare, got)
		}
		if got, ok, _ := report.NormalReference(full); !ok || got != full {
			t.Fatalf("NormalReference(%q) = %q, %v", full, got, ok)
		}
	}
	if got, ok, _ := report.NormalReference("se 123456 1"); ok != (report.Reference(report.SafetyEvent, 123456) == "SE-123456-1") || (ok && got != "SE-123456-1") {
		t.Errorf("a number with no leading zero, its check digit apart: %q, %v", got, ok)
	}
	for _, bad := range []string{"", "SE", "SE-004512", "SE 004512", "SU-000013", "SE-00412-5", "SE-4512-5", "SE1234567", "XX-004512-5", "SE-7KQM-4XTA",
		"SE-004512-5; DROP", "SE-ÅBCD-EFGH-IJKL", "SE-" + strings.Repeat("1", 60)} {
		if got, ok, _ := report.NormalReference(bad); ok {
			t.Errorf("NormalReference(%q) accepted as %q", bad, got)
		}
	}
}
