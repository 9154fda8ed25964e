package org_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

	"candour/internal/org"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// goodFile is an ESR-shaped export: managers named before and after their
// staff, dates as ESR writes them, an ignored multi-line Notes column.
const goodFile = "\ufeffEmployee Number,First Name,Last Name,Email Address,Organisation,Staff Group,Position Title,Supervisor Employee Number,Hire Date,Termination Date,Ethnic Origin,Disability Flag,Notes\r\n" +
	"1001,Amira,Khan,Amira.Khan@example.nhs.uk,W10,Nursing and Midwifery Registered,Ward Manager,,01/04/2015,,H Asian or Asian British - Indian,No,\r\n" +
	"1002,Ben,Okafor,,Ward 10,nursing_midwifery,Staff Nurse,1001,15/09/2020,,N Black or Black British - African,Yes,\r\n" +
	"1003,Cara,Jones,,ED,Medical and Dental,Consultant,1004,03/01/2019,31/03/2026,White - British,Not Declared,\r\n" +
	"1004,Dev,Patel,,ed,MEDICAL AND DENTAL,Clinical Director,,1/2/2010,,Z Not Stated,Prefer Not To Answer,\"line one\r\nline two\"\r\n" +
	"1005,Eve,Smith,,PHARM,Add Prof Scientific and Technic,'; DELETE FROM people; --,1004,2024-05-20,,,,\r\n"

func importString(t *testing.T, d *org.Directory, file string, opt org.ImportOptions) org.ImportResult {
	t.Helper()
	res, err := d.Import(context.Background(), admin, strings.NewReader(file), opt)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return res
}

func countPeople(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), `SELECT count(*) FROM people`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportGoodFileAndReimport(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		d := f.dir

		res := importString(t, d, goodFile, org.ImportOptions{})
		if len(res.Errors) > 0 {
			t.Fatalf("errors: %+v", res.Errors)
		}
		if !res.Applied || res.Rows != 5 || res.Created != 5 || res.Updated != 0 || res.Unchanged != 0 || res.Skipped != 0 {
			t.Fatalf("result = %+v, want 5 rows created", res)
		}
		get := func(n string) org.Person {
			t.Helper()
			p, err := d.PersonByEmployeeNumber(ctx, n)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		tests := []struct {
			number string
			check  func(p org.Person) bool
		}{
			{"1001", func(p org.Person) bool {
				return p.Name == "Amira Khan" && p.Email == "amira.khan@example.nhs.uk" && p.DepartmentID == f.ward10.ID &&
					p.StartDate == "2015-04-01" && p.LeaveDate == "" && p.EthnicGroup == "H" && p.Disability == "no" && p.LineManagerID == 0
			}},
			{"1002", func(p org.Person) bool {
				return p.LineManagerName == "Amira Khan" && p.DepartmentID == f.ward10.ID && p.StartDate == "2020-09-15" &&
					p.EthnicGroup == "N" && p.Disability == "yes"
			}},
			{"1003", func(p org.Person) bool {
				return p.LineManagerName == "Dev Patel" && p.StartDate == "2019-01-03" && p.LeaveDate == "2026-03-31" &&
					p.EthnicGroup == "A" && p.Disability == "" && p.StaffGroup == "medical_dental"
			}},
			{"1004", func(p org.Person) bool {
				return p.DepartmentID == f.ed.ID && p.StartDate == "2010-02-01" && p.EthnicGroup == "Z" && p.Disability == "prefer_not_to_say"
			}},
			{"1005", func(p org.Person) bool {
				return p.JobTitle == "'; DELETE FROM people; --" && p.StaffGroup == "scientific_technical" &&
					p.StartDate == "2024-05-20" && p.EthnicGroup == "" && p.LineManagerName == "Dev Patel"
			}},
		}
		for _, tt := range tests {
			if p := get(tt.number); !tt.check(p) {
				t.Errorf("person %s stored as %+v", tt.number, p)
			}
		}
		entries := auditEntries(t, db, "people.import")
		if len(entries) != 1 || entries[0].Detail != "imported 5 rows: 5 created, 0 updated, 0 unchanged, 0 skipped" {
			t.Fatalf("audit = %+v", entries)
		}

		// Re-import with one job title changed: updated in place.
		changed := strings.Replace(goodFile, "Ben,Okafor,,Ward 10,nursing_midwifery,Staff Nurse", "Ben,Okafor,,Ward 10,nursing_midwifery,Senior Staff Nurse", 1)
		res = importString(t, d, changed, org.ImportOptions{})
		if !res.Applied || res.Created != 0 || res.Updated != 1 || res.Unchanged != 4 || len(res.Errors) != 0 {
			t.Fatalf("re-import = %+v, want 1 updated, 4 unchanged", res)
		}
		if p := get("1002"); p.JobTitle != "Senior Staff Nurse" || p.LineManagerName != "Amira Khan" {
			t.Errorf("after re-import 1002 = %+v", p)
		}
		if n := countPeople(t, db); n != 5 {
			t.Errorf("people = %d after re-import, want 5", n)
		}

		// A file without the optional columns leaves them alone; a changed
		// supervisor counts as an update.
		slim := "employee_number,FULL NAME,organisation,staff_group,hire_date,supervisor_employee_number\n" +
			"1002,Ben Okafor,W10,Nursing and Midwifery Registered,15/09/2020,1004\n" +
			"1001,Amira Khan,W10,Nursing and Midwifery Registered,01/04/2015,\n"
		res = importString(t, d, slim, org.ImportOptions{})
		if !res.Applied || res.Updated != 1 || res.Unchanged != 1 {
			t.Fatalf("slim import = %+v, want 1 updated, 1 unchanged", res)
		}
		if p := get("1002"); p.JobTitle != "Senior Staff Nurse" || p.EthnicGroup != "N" || p.Disability != "yes" || p.LineManagerName != "Dev Patel" {
			t.Errorf("after slim import 1002 = %+v", p)
		}
		for _, e := range auditEntries(t, db, "people.") {
			if strings.Contains(e.Detail, "Indian") || strings.Contains(e.Detail, "African") {
				t.Errorf("audit detail holds equality data: %q", e.Detail)
			}
		}
	})
}

// badRows has a quoted two-line value on lines 3-4, so that every later row
// starts one line further on than its record number suggests.
const badRows = "Employee Number,Full Name,Organisation,Staff Group,Hire Date,Notes\n" +
	"2001,Alice Adams,W10,Nursing and Midwifery Registered,01/02/2020,\n" + // 2
	"2002,Bob Brown,W10,Nursing and Midwifery Registered,01/02/2020,\"a note\n" + // 3
	"over two lines\"\n" + // 4
	"2003,Carol Cole,Ward 99,Nursing and Midwifery Registered,01/02/2020,\n" + // 5 unknown department
	"2004,Dan Dare,ED,Medical and Dental,31/02/2020,\n" + // 6 not a date
	"2001,Alice Again,W10,Nursing and Midwifery Registered,01/02/2020,\n" + // 7 duplicate
	"2005,,ED,Medical and Dental,01/02/2020,\n" + // 8 no name
	",,,,,\n" + // 9 blank: ignored
	"2006,Erin Evans,ED,Wizards,01/02/2020,\n" + // 10 unknown staff group
	"2007,Fay Fox,PHARM,Students,2021-09-01,\n" // 11

func TestImportBadRows(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		d := f.dir
		want := []org.RowError{
			{Line: 5, Column: "Organisation", Message: `No department has the code or name "Ward 99"; add the department first, or correct the value`},
			{Line: 6, Column: "Hire Date", Message: `Hire date "31/02/2020" is not a real date; use DD/MM/YYYY, like 27/03/2024`},
			{Line: 7, Column: "Employee Number", Message: "Employee number 2001 is already on line 2; each person must be on one row only"},
			{Line: 8, Column: "Full Name", Message: "Enter the person's name"},
			{Line: 10, Column: "Staff Group", Message: `Staff group "Wizards" is not a national staff group; use a name such as "Nursing and Midwifery Registered" or "Administrative and Clerical"`},
		}
		check := func(res org.ImportResult) {
			t.Helper()
			if len(res.Errors) != len(want) {
				t.Fatalf("errors = %+v\nwant %+v", res.Errors, want)
			}
			for i := range want {
				if res.Errors[i] != want[i] {
					t.Errorf("error %d = %+v\nwant      %+v", i, res.Errors[i], want[i])
				}
			}
			if res.Rows != 8 {
				t.Errorf("rows = %d, want 8", res.Rows)
			}
		}

		res := importString(t, d, badRows, org.ImportOptions{})
		check(res)
		if res.Applied || res.Created != 0 || countPeople(t, db) != 0 || len(auditEntries(t, db, "people.import")) != 0 {
			t.Fatalf("a file with bad rows stored something: %+v", res)
		}

		res = importString(t, d, badRows, org.ImportOptions{SkipBadRows: true})
		check(res)
		if !res.Applied || res.Created != 3 || res.Skipped != 5 || countPeople(t, db) != 3 {
			t.Fatalf("SkipBadRows: %+v, people %d; want 3 created, 5 skipped", res, countPeople(t, db))
		}
		if p, err := d.PersonByEmployeeNumber(context.Background(), "2001"); err != nil || p.Name != "Alice Adams" {
			t.Errorf("2001 = %+v, %v; want the first row's Alice Adams", p, err)
		}
		entries := auditEntries(t, db, "people.import")
		if len(entries) != 1 || entries[0].Detail != "imported 8 rows: 3 created, 0 updated, 0 unchanged, 5 skipped" {
			t.Errorf("audit = %+v", entries)
		}
	})
}

func TestImportSupervisors(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		d := f.dir
		mustSave(t, f, f.person("900", "Stored Manager"))
		file := "Employee Number,Last Name,Organisation,Staff Group,Hire Date,Supervisor Employee Number\n" +
			"1,One,W10,Students,01/01/2020,2\n" + // 2: loop 1 -> 2 -> 1
			"2,Two,W10,Students,01/01/2020,1\n" + // 3
			"3,Three,W10,Students,01/01/2020,4\n" + // 4: supervisor's row is bad
			"4,Four,W10,Students,01/13/2020,\n" + // 5: bad date
			"5,Five,W10,Students,01/01/2020,5\n" + // 6: self
			"6,Six,W10,Students,01/01/2020,777\n" + // 7: unknown
			"7,Seven,W10,Students,01/01/2020,900\n" // 8: stored manager
		res := importString(t, d, file, org.ImportOptions{SkipBadRows: true})
		wantLines := map[int]string{
			2: "would make a loop of line managers (1 → 2 → 1)",
			3: "would make a loop of line managers (2 → 1 → 2)",
			4: "Supervisor employee number 4 is on line 5, which has errors",
			5: "is not a real date",
			6: "a person cannot be their own line manager",
			7: "No one with employee number 777 is in this file or already stored",
		}
		if len(res.Errors) != len(wantLines) {
			t.Fatalf("errors = %+v", res.Errors)
		}
		for _, e := range res.Errors {
			if !strings.Contains(e.Message, wantLines[e.Line]) {
				t.Errorf("line %d: %q, want %q", e.Line, e.Message, wantLines[e.Line])
			}
		}
		if res.Created != 1 || res.Skipped != 6 {
			t.Errorf("result = %+v, want 1 created, 6 skipped", res)
		}
		p, err := d.PersonByEmployeeNumber(context.Background(), "7")
		if err != nil || p.LineManagerName != "Stored Manager" {
			t.Errorf("7 = %+v, %v; want managed by the stored manager", p, err)
		}
	})
}

func utf16LE(s string, bom bool) string {
	var b []byte
	if bom {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}

func TestImportBadFiles(t *testing.T) {
	header := "Employee Number,First Name,Last Name,Organisation,Staff Group,Hire Date\n"
	row := "1001,Amira,Khan,W10,Students,01/04/2015\n"
	var many strings.Builder
	many.WriteString(header)
	for i := range org.MaxImportRows + 1 {
		fmt.Fprintf(&many, "%d,A,B,W10,Students,01/04/2015\n", i+1)
	}
	tests := []struct {
		name string
		file string
		msg  string
	}{
		{"empty", "", "The selected file is empty"},
		{"only a byte order mark and blank lines", "\ufeff\n\n", "The selected file is empty"},
		{"header only", header, "header row but no rows of staff"},
		{"Windows-1252", header + "1001,Zo\xeb,Bront\xeb,W10,Students,01/04/2015\n", "not saved as UTF-8: line 2"},
		{"Windows-1252 says what to do", header + "1001,Zo\xeb,B,W10,Students,01/04/2015\n", "Save it as CSV UTF-8"},
		{"UTF-16 with byte order mark", utf16LE(header+row, true), "saved as UTF-16"},
		{"UTF-16 without byte order mark", utf16LE(header+row, false), "saved as UTF-16"},
		{"UTF-16 big-endian", "\xfe\xff\x00E\x00m", "saved as UTF-16"},
		{"Excel workbook", "PK\x03\x04\x14\x00\x06\x00rest of a zip", "spreadsheet workbook"},
		{"binary", "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00\x01\x00\x00\x00" + strings.Repeat("x", 200), "not a text file"},
		{"missing columns", "Employee Number,Name,Staff Group\n" + "1,A,Students\n", "required columns are missing: Organisation, Hire Date"},
		{"no name column", "Employee Number,First Name,Organisation,Staff Group,Hire Date\n1,A,W10,Students,01/01/2020\n", "Last Name (with First Name) or Full Name"},
		{"semicolons", "Employee Number;Name;Organisation;Staff Group;Hire Date\n1;A;W10;Students;01/01/2020\n", "semicolons or tabs"},
		{"same column twice", "Employee Number,Name,Organisation,Staff Group,Hire Date,Start Date\n1,A,W10,Students,01/01/2020,01/01/2020\n", `two columns for the same thing: "Hire Date" and "Start Date"`},
		{"broken quotes", header + "1001,\"Amira,Khan,W10,Students,01/04/2015\n", "cannot be read as CSV at line 2"},
		{"line too long", header + "1001,Amira," + strings.Repeat("x", org.MaxLineBytes) + ",W10,Students,01/04/2015\n", "Line 2 is longer than 32,768 characters"},
		{"too many rows", many.String(), "more than 100,000 rows"},
	}
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		for _, tt := range tests {
			res, err := f.dir.Import(context.Background(), admin, strings.NewReader(tt.file), org.ImportOptions{SkipBadRows: true})
			if !errors.Is(err, org.ErrBadFile) {
				t.Errorf("%s: err = %v, result %+v; want ErrBadFile", tt.name, err, res)
				continue
			}
			var bf *org.BadFileError
			if !errors.As(err, &bf) || !strings.Contains(bf.Reason, tt.msg) {
				t.Errorf("%s: %q, want it to say %q", tt.name, err, tt.msg)
			}
			if res.Applied {
				t.Errorf("%s: Applied", tt.name)
			}
		}
		if n := countPeople(t, db); n != 0 {
			t.Errorf("bad files stored %d people", n)
		}
	})
}
