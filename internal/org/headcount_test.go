package org_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"candour/internal/org"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// The headcount fixture, worked by hand:
//
//	who  department      staff group          ethnic  disability  start       leave
//	P1   Ward 10 (NTH)   nursing_midwifery    A       no          2020-01-01
//	P2   Ward 10 (NTH)   nursing_midwifery    H       yes         2021-06-01  2026-03-31
//	P3   ED (NTH)        medical_dental       Z       prefer      2019-01-01
//	P4   ED (NTH)        medical_dental       -       -           2026-07-01
//	P5   Pharmacy (STH)  scientific_technical N       -           2018-05-05  2026-06-14
//	P6   Pharmacy (STH)  admin_clerical       C       no          2026-06-15
//
// Leave dates are last working days, as in ESR.
// On 2026-06-15: P1, P3, P6 (P2 has left, P5 worked their last day the day
// before, P4 has not
// started, P6 starts that day). On 2026-01-01: P1, P2, P3, P5. On
// 2026-07-01: P1, P3, P4, P6. On 2017-01-01: nobody.
func TestHeadcount(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		people := []struct {
			dep                         int64
			group, ethnic, disab, start string
			leave                       string
		}{
			{f.ward10.ID, "nursing_midwifery", "A", "no", "2020-01-01", ""},
			{f.ward10.ID, "nursing_midwifery", "H", "yes", "2021-06-01", "2026-03-31"},
			{f.ed.ID, "medical_dental", "Z", "prefer_not_to_say", "2019-01-01", ""},
			{f.ed.ID, "medical_dental", "", "", "2026-07-01", ""},
			{f.pharmacy.ID, "scientific_technical", "N", "", "2018-05-05", "2026-06-14"},
			{f.pharmacy.ID, "admin_clerical", "C", "no", "2026-06-15", ""},
		}
		for i, p := range people {
			mustSave(t, f, org.Person{EmployeeNumber: fmt.Sprint("P", i+1), Name: fmt.Sprint("Person ", i+1),
				DepartmentID: p.dep, StaffGroup: p.group, EthnicGroup: p.ethnic, Disability: p.disab,
				StartDate: p.start, LeaveDate: p.leave})
		}

		day := func(s string) time.Time {
			t, _ := time.Parse(store.DateLayout, s)
			return t
		}
		// want lists the non-zero counts; every other value must be zero.
		tests := []struct {
			date string
			by   org.Dimension
			want map[string]int
		}{
			{"2026-06-15", "total", map[string]int{"total": 3}},
			{"2026-06-15", "site", map[string]int{"NTH": 2, "STH": 1}},
			{"2026-06-15", "department", map[string]int{"W10": 1, "ED": 1, "PHARM": 1}},
			{"2026-06-15", "staff_group", map[string]int{"nursing_midwifery": 1, "medical_dental": 1, "admin_clerical": 1}},
			{"2026-06-15", "ethnic_group", map[string]int{"A": 1, "C": 1, "Z": 1}},
			{"2026-06-15", "ethnic_category", map[string]int{"white": 2, "": 1}},
			{"2026-06-15", "disability", map[string]int{"no": 2, "prefer_not_to_say": 1}},

			{"2026-01-01", "total", map[string]int{"total": 4}},
			{"2026-01-01", "site", map[string]int{"NTH": 3, "STH": 1}},
			{"2026-01-01", "department", map[string]int{"W10": 2, "ED": 1, "PHARM": 1}},
			{"2026-01-01", "staff_group", map[string]int{"nursing_midwifery": 2, "medical_dental": 1, "scientific_technical": 1}},
			{"2026-01-01", "ethnic_group", map[string]int{"A": 1, "H": 1, "N": 1, "Z": 1}},
			{"2026-01-01", "ethnic_category", map[string]int{"white": 1, "ethnic_minority": 2, "": 1}},
			{"2026-01-01", "disability", map[string]int{"yes": 1, "no": 1, "prefer_not_to_say": 1, "": 1}},

			{"2026-07-01", "total", map[string]int{"total": 4}},
			{"2026-07-01", "site", map[string]int{"NTH": 3, "STH": 1}},
			{"2026-07-01", "ethnic_group", map[string]int{"A": 1, "C": 1, "Z": 1, "": 1}},
			{"2026-07-01", "ethnic_category", map[string]int{"white": 2, "": 2}},
			{"2026-07-01", "disability", map[string]int{"no": 2, "prefer_not_to_say": 1, "": 1}},

			{"2017-01-01", "total", map[string]int{}},
			{"2017-01-01", "ethnic_group", map[string]int{}},
		}
		for _, tt := range tests {
			got, err := f.dir.Headcount(ctx, day(tt.date), tt.by)
			if err != nil {
				t.Fatalf("Headcount(%s, %s): %v", tt.date, tt.by, err)
			}
			seen := map[string]bool{}
			for _, c := range got {
				if seen[c.Key] {
					t.Errorf("%s by %s: key %q twice", tt.date, tt.by, c.Key)
				}
				seen[c.Key] = true
				if c.N != tt.want[c.Key] {
					t.Errorf("%s by %s: %q (%s) = %d, want %d", tt.date, tt.by, c.Key, c.Label, c.N, tt.want[c.Key])
				}
				if c.Key == "" && c.Label != "Not known" {
					t.Errorf("%s by %s: unknown labelled %q", tt.date, tt.by, c.Label)
				}
			}
			for k := range tt.want {
				if !seen[k] {
					t.Errorf("%s by %s: no row for %q in %+v", tt.date, tt.by, k, got)
				}
			}
		}

		// Rows come in display order, every value listed, not known last.
		got, err := f.dir.Headcount(ctx, day("2026-06-15"), "department")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0].Label != "Emergency Department" || got[1].Label != "Ward 10" || got[2].Label != "Pharmacy" {
			t.Errorf("departments = %+v", got)
		}
		got, err = f.dir.Headcount(ctx, day("2026-06-15"), "ethnic_group")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 18 || got[0].Key != "A" || got[16].Key != "Z" || got[17].Key != "" {
			t.Errorf("ethnic groups = %+v", got)
		}
		if _, err := f.dir.Headcount(ctx, day("2026-06-15"), "shoe_size"); !errors.Is(err, org.ErrUnknownDimension) {
			t.Errorf("unknown dimension: %v", err)
		}
		if len(org.Dimensions()) != 7 {
			t.Errorf("Dimensions = %+v", org.Dimensions())
		}
	})
}
