package org_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"candour/internal/audit"
	"candour/internal/org"
	"candour/internal/store"
	"candour/internal/store/storetest"
	"candour/internal/validate"
)

var admin = audit.Actor{UserID: 1, Label: "hr@example.nhs.uk"}

// today is the fixed clock of every test.
func today() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC) }

type fixture struct {
	dir                  *org.Directory
	north, south         org.Site
	ward10, ed, pharmacy org.Department
}

// setup makes a directory with two sites and three departments.
func setup(t *testing.T, db *store.DB) fixture {
	t.Helper()
	ctx := context.Background()
	d := org.New(db)
	d.Now = today
	f := fixture{dir: d}
	var err error
	if f.north, err = d.CreateSite(ctx, admin, org.Site{Code: "NTH", Name: "Northgate Hospital"}); err != nil {
		t.Fatal(err)
	}
	if f.south, err = d.CreateSite(ctx, admin, org.Site{Code: "STH", Name: "Southport Clinic"}); err != nil {
		t.Fatal(err)
	}
	if f.ward10, err = d.CreateDepartment(ctx, admin, org.Department{SiteID: f.north.ID, Code: "W10", Name: "Ward 10", Kind: "ward"}); err != nil {
		t.Fatal(err)
	}
	if f.ed, err = d.CreateDepartment(ctx, admin, org.Department{SiteID: f.north.ID, Code: "ED", Name: "Emergency Department", Kind: "department"}); err != nil {
		t.Fatal(err)
	}
	if f.pharmacy, err = d.CreateDepartment(ctx, admin, org.Department{SiteID: f.south.ID, Code: "PHARM", Name: "Pharmacy", Kind: "service"}); err != nil {
		t.Fatal(err)
	}
	return f
}

// fieldErrors returns err's field errors as field -> message, failing the
// test when err carries none.
func fieldErrors(t *testing.T, err error) map[string]string {
	t.Helper()
	fe, ok := validate.As(err)
	if !ok {
		t.Fatalf("error = %v, want validation errors", err)
	}
	out := map[string]string{}
	for _, e := range fe {
		out[e.Field] = e.Message
	}
	return out
}

func auditEntries(t *testing.T, db *store.DB, action string) []audit.Entry {
	t.Helper()
	entries, _, err := audit.List(context.Background(), db, audit.Filter{Action: action, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func TestSites(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		d := f.dir

		tests := []struct {
			name  string
			site  org.Site
			field string
			msg   string
		}{
			{"no code", org.Site{Name: "X"}, "code", "Enter the site code"},
			{"blank code", org.Site{Code: "  ", Name: "X"}, "code", "Enter the site code"},
			{"code with space", org.Site{Code: "A B", Name: "X"}, "code", "Site code must only include"},
			{"code too long", org.Site{Code: strings.Repeat("A", 31), Name: "X"}, "code", "30 characters or fewer"},
			{"no name", org.Site{Code: "NEW"}, "name", "Enter the site name"},
			{"name with control character", org.Site{Code: "NEW", Name: "Bad\x07Name"}, "name", "control characters"},
			{"name on two lines", org.Site{Code: "NEW", Name: "Two\nLines"}, "name", "must be on one line"},
			{"invalid UTF-8", org.Site{Code: "NEW", Name: "Caf\xe9"}, "name", "cannot be read"},
			{"duplicate code", org.Site{Code: "NTH", Name: "Another"}, "code", "A site with this code already exists"},
		}
		for _, tt := range tests {
			_, err := d.CreateSite(ctx, admin, tt.site)
			got := fieldErrors(t, err)
			if !strings.Contains(got[tt.field], tt.msg) {
				t.Errorf("%s: errors %v, want %s: %q", tt.name, got, tt.field, tt.msg)
			}
		}

		if err := d.UpdateSite(ctx, admin, org.Site{ID: f.north.ID, Code: "NTH", Name: "Northgate General Hospital"}); err != nil {
			t.Fatal(err)
		}
		err := d.UpdateSite(ctx, admin, org.Site{ID: f.north.ID, Code: "STH", Name: "Clash"})
		if got := fieldErrors(t, err); got["code"] != "A site with this code already exists" {
			t.Errorf("update to a taken code: %v", got)
		}
		if err := d.UpdateSite(ctx, admin, org.Site{ID: 9999, Code: "ZZZ", Name: "Nowhere"}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("update missing site: %v, want ErrNotFound", err)
		}
		sites, err := d.Sites(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(sites) != 2 || sites[0].Name != "Northgate General Hospital" || sites[1].Code != "STH" {
			t.Errorf("Sites = %+v", sites)
		}
		if n := len(auditEntries(t, db, "site.create")); n != 2 {
			t.Errorf("site.create entries = %d, want 2", n)
		}
		upd := auditEntries(t, db, "site.update")
		if len(upd) != 1 || upd[0].EntityID != "1" || !strings.Contains(upd[0].Detail, "Northgate General Hospital") {
			t.Errorf("site.update entries = %+v, want one for the rename", upd)
		}
	})
}

func TestDepartments(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		d := f.dir

		tests := []struct {
			name  string
			dep   org.Department
			field string
			msg   string
		}{
			{"no site", org.Department{Code: "X1", Name: "X", Kind: "ward"}, "site_id", "Select the site"},
			{"missing site", org.Department{SiteID: 999, Code: "X1", Name: "X", Kind: "ward"}, "site_id", "Select a site from the list"},
			{"no code", org.Department{SiteID: f.north.ID, Name: "X", Kind: "ward"}, "code", "Enter the department code"},
			{"no name", org.Department{SiteID: f.north.ID, Code: "X1", Kind: "ward"}, "name", "Enter the department name"},
			{"no kind", org.Department{SiteID: f.north.ID, Code: "X1", Name: "X"}, "kind", "Select whether this is a ward"},
			{"bad kind", org.Department{SiteID: f.north.ID, Code: "X1", Name: "X", Kind: "wing"}, "kind", "Select a ward, team"},
			{"duplicate code", org.Department{SiteID: f.south.ID, Code: "W10", Name: "X", Kind: "ward"}, "code", "A department with this code already exists"},
		}
		for _, tt := range tests {
			_, err := d.CreateDepartment(ctx, admin, tt.dep)
			got := fieldErrors(t, err)
			if !strings.Contains(got[tt.field], tt.msg) {
				t.Errorf("%s: errors %v, want %s: %q", tt.name, got, tt.field, tt.msg)
			}
		}

		// Move the pharmacy to the northern site and rename it.
		dep := f.pharmacy
		dep.SiteID, dep.Name = f.north.ID, "Aseptic Pharmacy"
		if err := d.UpdateDepartment(ctx, admin, dep); err != nil {
			t.Fatal(err)
		}
		got, err := d.Department(ctx, f.pharmacy.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.SiteName != "Northgate Hospital" || got.Name != "Aseptic Pharmacy" || got.Kind != "service" {
			t.Errorf("Department after update = %+v", got)
		}
		if _, err := d.Department(ctx, 9999); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Department(9999) = %v, want ErrNotFound", err)
		}
		if err := d.UpdateDepartment(ctx, admin, org.Department{ID: 9999, SiteID: f.north.ID, Code: "Q", Name: "Q", Kind: "team"}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("update missing department: %v, want ErrNotFound", err)
		}
		extra, err := d.CreateDepartment(ctx, admin, org.Department{SiteID: f.south.ID, Code: "CT", Name: "Community Team", Kind: "team"})
		if err != nil {
			t.Fatal(err)
		}
		if extra.SiteName != "Southport Clinic" || extra.ID == 0 {
			t.Errorf("created department = %+v", extra)
		}

		deps, err := d.Departments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, dep := range deps {
			names = append(names, dep.SiteName+"/"+dep.Name)
		}
		want := "Northgate Hospital/Aseptic Pharmacy,Northgate Hospital/Emergency Department,Northgate Hospital/Ward 10,Southport Clinic/Community Team"
		if strings.Join(names, ",") != want {
			t.Errorf("Departments order = %s\nwant %s", strings.Join(names, ","), want)
		}
		if n := len(auditEntries(t, db, "department.create")); n != 4 {
			t.Errorf("department.create entries = %d, want 4", n)
		}
		if n := len(auditEntries(t, db, "department.update")); n != 1 {
			t.Errorf("department.update entries = %d, want 1", n)
		}

		groups, err := d.StaffGroups(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(groups) != 9 || groups[0].Code != "additional_clinical" || groups[7].Name != "Nursing and Midwifery Registered" {
			t.Errorf("StaffGroups = %+v", groups)
		}
	})
}

func TestEthnicCategory(t *testing.T) {
	tests := map[string]string{
		"A": "white", "B": "white", "C": "white",
		"D": "ethnic_minority", "H": "ethnic_minority", "N": "ethnic_minority", "R": "ethnic_minority", "S": "ethnic_minority",
		"": "unknown", "Z": "unknown", "Q": "unknown", "a": "unknown",
	}
	for code, want := range tests {
		if got := org.EthnicCategory(code); got != want {
			t.Errorf("EthnicCategory(%q) = %q, want %q", code, got, want)
		}
	}
	groups := org.EthnicGroups()
	var codes string
	for _, g := range groups {
		codes += g.Value
	}
	if codes != "ABCDEFGHJKLMNPRSZ" {
		t.Errorf("EthnicGroups codes = %s", codes)
	}
}
