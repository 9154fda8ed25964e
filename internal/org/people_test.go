package org_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"candour/internal/org"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

func (f fixture) person(number, name string) org.Person {
	return org.Person{
		EmployeeNumber: number, Name: name, DepartmentID: f.ward10.ID,
		StaffGroup: "nursing_midwifery", JobTitle: "Staff Nurse", StartDate: "2020-01-01",
	}
}

func mustSave(t *testing.T, f fixture, p org.Person) org.Person {
	t.Helper()
	got, err := f.dir.SavePerson(context.Background(), admin, p)
	if err != nil {
		t.Fatalf("SavePerson(%s): %v", p.EmployeeNumber, err)
	}
	return got
}

func TestSavePerson(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		d := f.dir

		p := f.person(" 1001 ", "  Amira Khan ")
		p.Email = " Amira.Khan@Example.NHS.uk "
		p.EthnicGroup, p.Disability = "H", "no"
		amira := mustSave(t, f, p)
		if amira.ID == 0 || amira.EmployeeNumber != "1001" || amira.Name != "Amira Khan" || amira.Email != "amira.khan@example.nhs.uk" ||
			amira.DepartmentName != "Ward 10" || amira.SiteName != "Northgate Hospital" ||
			amira.StaffGroupName != "Nursing and Midwifery Registered" || amira.EthnicGroup != "H" || amira.Disability != "no" {
			t.Errorf("created person = %+v", amira)
		}

		tests := []struct {
			name   string
			change func(p *org.Person)
			field  string
			msg    string
		}{
			{"no employee number", func(p *org.Person) { p.EmployeeNumber = "" }, "employee_number", "Enter the employee number"},
			{"employee number with space", func(p *org.Person) { p.EmployeeNumber = "12 34" }, "employee_number", "only include letters, numbers and hyphens"},
			{"taken employee number", func(p *org.Person) { p.EmployeeNumber = "1001" }, "employee_number", "Someone else already has this employee number"},
			{"no name", func(p *org.Person) { p.Name = " " }, "name", "Enter the person's name"},
			{"name too long", func(p *org.Person) { p.Name = strings.Repeat("x", 201) }, "name", "200 characters or fewer"},
			{"bad email", func(p *org.Person) { p.Email = "not an email" }, "email", "Enter an email address in the correct format"},
			{"no department", func(p *org.Person) { p.DepartmentID = 0 }, "department_id", "Select the department"},
			{"missing department", func(p *org.Person) { p.DepartmentID = 999 }, "department_id", "Select a department from the list"},
			{"no staff group", func(p *org.Person) { p.StaffGroup = "" }, "staff_group", "Select the staff group"},
			{"unknown staff group", func(p *org.Person) { p.StaffGroup = "wizards" }, "staff_group", "Select a staff group from the list"},
			{"job title on two lines", func(p *org.Person) { p.JobTitle = "a\nb" }, "job_title", "must be on one line"},
			{"missing line manager", func(p *org.Person) { p.LineManagerID = 999 }, "line_manager", "Select a line manager from the list"},
			{"no start date", func(p *org.Person) { p.StartDate = "" }, "start_date", "Enter the start date"},
			{"impossible start date", func(p *org.Person) { p.StartDate = "2021-02-30" }, "start_date", "Start date must be a real date"},
			{"start date in wrong format", func(p *org.Person) { p.StartDate = "01/02/2021" }, "start_date", "Start date must be a real date"},
			{"leave before start", func(p *org.Person) { p.LeaveDate = "2019-12-31" }, "leave_date", "Leave date must be on or after the start date"},
			{"bad ethnic group", func(p *org.Person) { p.EthnicGroup = "Q" }, "ethnic_group", "Select an ethnic group"},
			{"bad disability", func(p *org.Person) { p.Disability = "maybe" }, "disability", "Select yes, no or prefer not to say"},
		}
		for _, tt := range tests {
			p := f.person("2000", "Test Person")
			tt.change(&p)
			_, err := d.SavePerson(ctx, admin, p)
			got := fieldErrors(t, err)
			if !strings.Contains(got[tt.field], tt.msg) {
				t.Errorf("%s: errors %v, want %s: %q", tt.name, got, tt.field, tt.msg)
			}
		}
		if _, err := d.PersonByEmployeeNumber(ctx, "2000"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a rejected person was stored: %v", err)
		}

		// Text that looks like SQL or script is just text.
		p = f.person("1002", `Robert'); DROP TABLE people;--`)
		p.JobTitle = `<script>alert("x")</script> 100% _done_`
		p.LineManagerID = amira.ID
		bobby := mustSave(t, f, p)
		got, err := d.PersonByEmployeeNumber(ctx, "1002")
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != `Robert'); DROP TABLE people;--` || got.JobTitle != `<script>alert("x")</script> 100% _done_` || got.LineManagerName != "Amira Khan" {
			t.Errorf("stored %+v; want the text exactly as entered", got)
		}

		// Line managers: not oneself, and no loops.
		amira.LineManagerID = amira.ID
		_, err = d.SavePerson(ctx, admin, amira)
		if got := fieldErrors(t, err); got["line_manager"] != "A person cannot be their own line manager" {
			t.Errorf("own line manager: %v", got)
		}
		carl := f.person("1003", "Carl Cole")
		carl.LineManagerID = bobby.ID
		carl = mustSave(t, f, carl) // Amira -> Bobby -> Carl
		amira.LineManagerID = carl.ID
		_, err = d.SavePerson(ctx, admin, amira)
		if got := fieldErrors(t, err); !strings.Contains(got["line_manager"], "is managed by this person") {
			t.Errorf("line manager loop: %v", got)
		}

		// An update, including equality data, audited without its values.
		amira.LineManagerID = 0
		amira.JobTitle = "Ward Manager"
		amira.EthnicGroup, amira.Disability = "Z", "prefer_not_to_say"
		amira.LeaveDate = "2026-06-30"
		updated := mustSave(t, f, amira)
		if updated.JobTitle != "Ward Manager" || updated.EthnicGroup != "Z" || updated.LeaveDate != "2026-06-30" {
			t.Errorf("updated = %+v", updated)
		}
		mustSave(t, f, updated) // unchanged: no audit entry
		if _, err := d.SavePerson(ctx, admin, org.Person{ID: 9999, EmployeeNumber: "9", Name: "N", DepartmentID: f.ed.ID,
			StaffGroup: "students", StartDate: "2020-01-01"}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("update of a missing person: %v, want ErrNotFound", err)
		}
		if _, err := d.Person(ctx, 9999); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Person(9999) = %v, want ErrNotFound", err)
		}

		if n := len(auditEntries(t, db, "person.create")); n != 3 {
			t.Errorf("person.create entries = %d, want 3", n)
		}
		upd := auditEntries(t, db, "person.update")
		if len(upd) != 1 || upd[0].Detail != "changed job_title, leave_date, equality_monitoring" || upd[0].EntityID != fmt.Sprint(amira.ID) {
			t.Errorf("person.update entries = %+v", upd)
		}
		for _, e := range auditEntries(t, db, "person.") {
			for _, secret := range []string{"Indian", "prefer_not_to_say", "ethnic", "disab", `"H"`, `"Z"`} {
				if strings.Contains(e.Detail, secret) {
					t.Errorf("audit detail %q holds equality data (%s)", e.Detail, secret)
				}
			}
		}
	})
}

func TestPeoplePagesAndSearch(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		d := f.dir

		names := []string{"zoe Young", "Adam Ant", "Ann 100% Bloggs", "Anne_Marie Smith", "AnneXMarie Jones",
			"Émile Zola", "Bea Smith", "bea smith", "Carl Leaver", "Dee Future"}
		for i, n := range names {
			p := f.person(fmt.Sprint(3000+i), n)
			p.Email = fmt.Sprintf("person%d@example.nhs.uk", i)
			switch n {
			case "Carl Leaver":
				p.LeaveDate = "2026-06-14" // last working day was yesterday: a leaver
			case "Dee Future":
				p.LeaveDate = "2026-06-15" // last working day is today: still here
			case "Bea Smith":
				p.DepartmentID, p.StaffGroup = f.ed.ID, "medical_dental"
			}
			mustSave(t, f, p)
		}

		// Page through everyone, three at a time.
		var got []string
		after := ""
		for pages := 0; ; pages++ {
			if pages > 10 {
				t.Fatal("pagination does not end")
			}
			page, next, err := d.People(ctx, org.PeopleQuery{After: after, Limit: 3, IncludeLeavers: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(page) > 3 {
				t.Fatalf("page of %d, want at most 3", len(page))
			}
			for _, p := range page {
				got = append(got, p.Name)
			}
			if next == "" {
				break
			}
			if strings.Contains(next, "Bloggs") || strings.Contains(next, "bloggs") {
				t.Errorf("cursor %q shows a name", next)
			}
			after = next
		}
		want := "Adam Ant|Ann 100% Bloggs|Anne_Marie Smith|AnneXMarie Jones|Bea Smith|bea smith|Carl Leaver|Dee Future|zoe Young|Émile Zola"
		if strings.Join(got, "|") != want {
			t.Errorf("all pages = %s\nwant        %s", strings.Join(got, "|"), want)
		}

		search := func(q org.PeopleQuery) string {
			t.Helper()
			page, _, err := d.People(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, p := range page {
				s = append(s, p.Name)
			}
			return strings.Join(s, "|")
		}
		tests := []struct {
			q    org.PeopleQuery
			want string
		}{
			{org.PeopleQuery{Search: "%"}, "Ann 100% Bloggs"},
			{org.PeopleQuery{Search: "0%"}, "Ann 100% Bloggs"},
			{org.PeopleQuery{Search: "_"}, "Anne_Marie Smith"},
			{org.PeopleQuery{Search: "anne_m"}, "Anne_Marie Smith"},
			{org.PeopleQuery{Search: "SMITH"}, "Anne_Marie Smith|Bea Smith|bea smith"},
			{org.PeopleQuery{Search: "émile"}, "Émile Zola"},
			{org.PeopleQuery{Search: "3001"}, "Adam Ant"},
			{org.PeopleQuery{Search: "PERSON2@example"}, "Ann 100% Bloggs"},
			{org.PeopleQuery{Search: `\`}, ""},
			{org.PeopleQuery{Search: "leaver"}, ""},
			{org.PeopleQuery{Search: "leaver", IncludeLeavers: true}, "Carl Leaver"},
			{org.PeopleQuery{Search: "future"}, "Dee Future"},
			{org.PeopleQuery{Search: "smith", DepartmentID: f.ed.ID}, "Bea Smith"},
			{org.PeopleQuery{StaffGroup: "medical_dental"}, "Bea Smith"},
			{org.PeopleQuery{Search: "'; DROP TABLE people; --"}, ""},
		}
		for _, tt := range tests {
			if got := search(tt.q); got != tt.want {
				t.Errorf("People(%+v) = %q, want %q", tt.q, got, tt.want)
			}
		}

		page, next, err := d.People(ctx, org.PeopleQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != 9 || next != "" {
			t.Errorf("default page: %d people, next %q; want 9 (no leaver), no next page", len(page), next)
		}
		for _, bad := range []string{"nonsense!", "cDE6OTk5OTk", "eDox"} {
			if _, _, err := d.People(ctx, org.PeopleQuery{After: bad}); !errors.Is(err, org.ErrBadCursor) {
				t.Errorf("People(After: %q) = %v, want ErrBadCursor", bad, err)
			}
		}
	})
}
