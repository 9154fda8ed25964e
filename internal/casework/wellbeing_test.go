package casework

import (
	"context"
	"strings"
	"testing"

	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// supParty adds a party to a case.
func (w *supWorld) party(t *testing.T, id, caseID int64, role, name string, removed bool) {
	t.Helper()
	var gone any
	if removed {
		gone = store.T(w.now)
	}
	supExec(t, w.db, `INSERT INTO case_parties (id, case_id, role, name, added_by, added_at, removed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, caseID, role, name, w.hr.UserID, store.T(w.now), gone)
}

// Naming wellbeing contacts: for the employee or a current witness, a
// candour user other than the person looked after, a sensible frequency,
// one at a time per person.
func TestWellbeingContacts(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newSupWorld(t, db)
		s := w.svc
		w.party(t, 101, w.caseID, RoleWitness, "Wren Witness", false)
		w.party(t, 102, w.caseID, RoleWitness, "Gone Witness", true)
		w.party(t, 103, w.caseID, RoleInvestigator, "Ivy Investigator", false)
		w.party(t, 104, w.otherCase, RoleWitness, "Other Witness", false)

		for name, p := range map[string]*authz.Principal{"manager": w.manager, "other HR": w.hr2, "executive": w.exec1, "rep": w.rep} {
			_, err := s.AddWellbeing(ctx, p, w.caseID, WellbeingInput{Contact: w.contact.Email})
			supWantErr(t, name+" naming a contact", err, ErrNotAllowed)
		}
		_, err := s.AddWellbeing(ctx, w.hr, w.caseID, WellbeingInput{Contact: ""})
		supWantField(t, err, "contact", "Enter the email address")
		_, err = s.AddWellbeing(ctx, w.hr, w.caseID, WellbeingInput{Contact: "nobody@trust.test"})
		supWantField(t, err, "contact", "No one uses candour")
		_, err = s.AddWellbeing(ctx, w.hr, w.caseID, WellbeingInput{Contact: w.employee.Email})
		supWantField(t, err, "contact", "someone other than the person they look after")
		for _, f := range []string{"0", "91", "weekly", "-3"} {
			_, err = s.AddWellbeing(ctx, w.hr, w.caseID, WellbeingInput{Contact: w.contact.Email, FrequencyDays: f})
			supWantField(t, err, "frequency_days", "1 to 90")
		}
		for _, party := range []string{"102", "103", "104", "abc", "9999"} {
			_, err = s.AddWellbeing(ctx, w.hr, w.caseID, WellbeingInput{Party: party, Contact: w.contact.Email})
			supWantField(t, err, "party", "the employee or one of the witnesses")
		}
		if n := supCount(t, db, `SELECT count(*) FROM case_wellbeing`); n != 0 {
			t.Fatalf("%d contacts stored from refused input", n)
		}

		emp, err := s.AddWellbeing(ctx, w.hr, w.caseID, WellbeingInput{Contact: strings.ToUpper(w.contact.Email)})
		if err != nil {
			t.Fatalf("add for the employee: %v", err)
		}
		if emp.PartyID != 0 || emp.ForName != supEmployee || emp.ContactName != "Chris Contact" || emp.FrequencyDays != 7 ||
			emp.StartedOn != "2026-03-10" || emp.NextDueOn != "2026-03-17" || emp.Lapsed {
			t.Errorf("employee's contact = %+v", emp)
		}
		notes := supNotices(t, db, w.contact)
		if len(notes) != 1 || !strings.Contains(notes[0], w.ref) || !strings.Contains(notes[0], "Hana Adviser") || !strings.Contains(notes[0], "every 7 days") {
			t.Errorf("the contact was told %q", notes)
		}
		supNoNarrative(t, "the contact's notice", notes)

		wit, err := s.AddWellbeing(ctx, w.lead, w.caseID, WellbeingInput{Party: "101", Contact: w.manager.Email, FrequencyDays: "14"})
		if err != nil {
			t.Fatalf("add for a witness: %v", err)
		}
		if wit.PartyID != 101 || wit.ForName != "Wren Witness" || wit.FrequencyDays != 14 {
			t.Errorf("witness's contact = %+v", wit)
		}
		// A new contact for the employee replaces the old one.
		s.WellbeingFrequencyDays = 5
		w.days(2)
		emp2, err := s.AddWellbeing(ctx, w.hr, w.caseID, WellbeingInput{Contact: w.rep.Email})
		if err != nil {
			t.Fatalf("replace: %v", err)
		}
		if emp2.FrequencyDays != 5 {
			t.Errorf("default frequency %d, want the configured 5", emp2.FrequencyDays)
		}
		list, err := s.Wellbeing(ctx, w.manager, w.caseID)
		if err != nil {
			t.Fatalf("the manager listing: %v", err)
		}
		var got []string
		for _, x := range list {
			got = append(got, x.ForName+"/"+x.ContactName+"/"+x.EndedOn)
		}
		want := "Alex Nurse/Ray Rep/,Wren Witness/Morgan Manager/,Alex Nurse/Chris Contact/2026-03-12"
		if strings.Join(got, ",") != want {
			t.Errorf("wellbeing list = %v, want %s", got, want)
		}
		for name, p := range map[string]*authz.Principal{"other HR": w.hr2, "executive": w.exec1, "rep": w.rep, "admin": w.admin, "contact": w.contact} {
			_, err := s.Wellbeing(ctx, p, w.caseID)
			supWantErr(t, name+" listing", err, ErrNotAllowed)
		}
		if n := supCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'wellbeing.add'`); n != 3 {
			t.Errorf("%d wellbeing.add audits, want 3", n)
		}
		if n := supCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'wellbeing.read'`); n != 1 {
			t.Errorf("%d wellbeing.read audits, want 1", n)
		}
		supExec(t, db, `UPDATE cases SET status = 'closed' WHERE id = ?`, w.caseID)
		_, err = s.AddWellbeing(ctx, w.hr, w.caseID, WellbeingInput{Contact: w.contact.Email})
		supWantErr(t, "naming a contact on a closed case", err, ErrClosed)
	})
}

// Logging contacts: who may, on what dates and how; occupational health
// referrals reach the timeline; a gap longer than the frequency lapses.
func TestWellbeingLog(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newSupWorld(t, db) // 10 March 2026
		s := w.svc
		w.party(t, 101, w.caseID, RoleWitness, "Wren Witness", false)
		// The representative is the employee's contact (and can read the
		// case); Chris, who cannot read it, looks after the witness.
		emp, err := s.AddWellbeing(ctx, w.hr, w.caseID, WellbeingInput{Contact: w.rep.Email})
		if err != nil {
			t.Fatal(err)
		}
		wit, err := s.AddWellbeing(ctx, w.hr, w.caseID, WellbeingInput{Party: "101", Contact: w.contact.Email})
		if err != nil {
			t.Fatal(err)
		}
		good := func() ContactInput {
			return ContactInput{ContactedOn: w.today(), Method: "phone", Notes: "Sleeping badly; offered the staff support line"}
		}
		log := func(p *authz.Principal, wid int64, in ContactInput) error {
			return s.LogContact(ctx, p, w.caseID, wid, in)
		}

		supWantErr(t, "a contact who cannot read the case", log(w.contact, wit.ID, good()), ErrNotAllowed)
		supWantErr(t, "the rep logging for someone else's contact", log(w.rep, wit.ID, good()), ErrNotAllowed)
		supWantErr(t, "an executive", log(w.exec1, emp.ID, good()), ErrNotAllowed)
		supWantErr(t, "other HR", log(w.hr2, emp.ID, good()), ErrNotAllowed)
		supWantErr(t, "a contact on another case", s.LogContact(ctx, w.hrExec, w.otherCase, emp.ID, good()), ErrNotAllowed)

		bad := good()
		bad.ContactedOn = w.on(1)
		supWantField(t, log(w.hr, emp.ID, bad), "contacted_on", "future")
		bad.ContactedOn = w.on(-1)
		supWantField(t, log(w.hr, emp.ID, bad), "contacted_on", "10 March 2026")
		bad = good()
		bad.Method = "carrier pigeon"
		supWantField(t, log(w.hr, emp.ID, bad), "method", "Choose how")
		bad = good()
		bad.Notes = strings.Repeat("x", 2001)
		supWantField(t, log(w.hr, emp.ID, bad), "notes", "2,000")

		w.days(3) // 13 March
		if err := log(w.rep, emp.ID, good()); err != nil {
			t.Fatalf("the named contact logging: %v", err)
		}
		if err := log(w.manager, wit.ID, ContactInput{ContactedOn: w.on(-1), Method: "in_person", OHReferral: true}); err != nil {
			t.Fatalf("the manager logging with a referral: %v", err)
		}
		list, err := s.Wellbeing(ctx, w.hr, w.caseID)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[int64]Wellbeing{}
		for _, x := range list {
			byID[x.ID] = x
		}
		e, wt := byID[emp.ID], byID[wit.ID]
		if e.LastContactOn != "2026-03-13" || e.NextDueOn != "2026-03-20" || e.Lapsed || len(e.Contacts) != 1 ||
			e.Contacts[0].RecordedBy != "Ray Rep" || e.Contacts[0].Method != "phone" {
			t.Errorf("employee's contact after a call: %+v", e)
		}
		if wt.LastContactOn != "2026-03-12" || wt.NextDueOn != "2026-03-19" || len(wt.Contacts) != 1 || !wt.Contacts[0].OHReferral {
			t.Errorf("witness's contact after a visit: %+v", wt)
		}
		var title, body string
		var visible bool
		if err := db.QueryRowContext(ctx, `SELECT title, body, visible_to_employee FROM case_entries WHERE case_id = ? AND kind = ?`,
			w.caseID, EntryOHReferal).Scan(&title, &body, &visible); err != nil {
			t.Fatalf("no occupational health entry: %v", err)
		}
		if visible || !strings.Contains(body, "a witness") || strings.Contains(body, "Wren") {
			t.Errorf("referral entry %q / %q, visible %v", title, body, visible)
		}
		if n := supCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'wellbeing.contact'`); n != 2 {
			t.Errorf("%d contact audits, want 2", n)
		}

		// 20 March is the employee's due day, so their contact lapses on the
		// 21st; the witness's was due on the 19th.
		w.days(7)
		list, _ = s.Wellbeing(ctx, w.hr, w.caseID)
		for _, x := range list {
			if want := x.ID == wit.ID; x.Lapsed != want {
				t.Errorf("on 20 March, %s's contact lapsed = %v", x.ForName, x.Lapsed)
			}
		}
		w.days(1)
		list, _ = s.Wellbeing(ctx, w.hr, w.caseID)
		for _, x := range list {
			if !x.Lapsed {
				t.Errorf("on 21 March, %s's contact is not lapsed", x.ForName)
			}
		}
		// Replaced contacts take no more logs; closed cases take none.
		if _, err := s.AddWellbeing(ctx, w.hr, w.caseID, WellbeingInput{Contact: w.manager.Email}); err != nil {
			t.Fatal(err)
		}
		supWantErr(t, "logging against a replaced contact", log(w.hr, emp.ID, good()), ErrWellbeingEnded)
		supExec(t, db, `UPDATE cases SET status = 'closed' WHERE id = ?`, w.caseID)
		supWantErr(t, "logging on a closed case", log(w.hr, wit.ID, good()), ErrClosed)
	})
}

func TestWellbeingOptions(t *testing.T) {
	var got []string
	for _, o := range ContactMethods() {
		got = append(got, o.Label)
	}
	if strings.Join(got, ", ") != "Phone, Video call, In person, Email, Letter" {
		t.Errorf("contact methods %v", got)
	}
	if SuspensionKindLabel(KindExclusion) != "Exclusion" || len(SuspensionKinds()) != 2 {
		t.Errorf("suspension kinds %v", SuspensionKinds())
	}
}
