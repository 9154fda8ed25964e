package demo

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"candour/internal/account"
	"candour/internal/actions"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/justculture"
	"candour/internal/learning"
	"candour/internal/library"
	"candour/internal/org"
	"candour/internal/report"
	"candour/internal/restore"
	"candour/internal/store"
)

// Deps are the services the demo is loaded through, so that it obeys the
// same rules and leaves the same audit trail as real use.
type Deps struct {
	DB       *store.DB
	Accounts *account.Accounts
	Org      *org.Directory
	Reports  *report.Service
	Culture  *justculture.Service
	Learning *learning.Service
	Restore  *restore.Service
	Actions  *actions.Service
	Library  *library.Service
	Cases    *casework.Service
	Now      func() time.Time
}

// Login is one demo sign-in.
type Login struct {
	Role     authz.Role
	Name     string
	Email    string
	Password string
}

// Domain is the demo organisation's email domain (.example is reserved for
// examples and never delivers mail).
const Domain = "northfield-vale.example"

// PeopleCount is how many people the demo directory holds.
const PeopleCount = 320

func actor() audit.Actor { return audit.Actor{Label: "demo loader"} }

type site struct{ code, name string }

type dept struct {
	site, code, name, kind string
	// groups are the staff groups that mostly work here, most common first.
	groups []string
}

func sites() []site {
	return []site{
		{"NGH", "Northfield General Hospital"},
		{"VCH", "Vale Community Hospital"},
		{"RMH", "Riverside Mental Health Centre"},
	}
}

func departments() []dept {
	nurse := []string{"nursing_midwifery", "additional_clinical", "medical_dental", "ahp"}
	return []dept{
		{"NGH", "NGH-ED", "Emergency Department", "department", []string{"nursing_midwifery", "medical_dental", "additional_clinical"}},
		{"NGH", "NGH-AMU", "Acute Medical Unit", "ward", nurse},
		{"NGH", "NGH-W7", "Ward 7 (General Surgery)", "ward", nurse},
		{"NGH", "NGH-W9", "Ward 9 (Care of Older People)", "ward", nurse},
		{"NGH", "NGH-ICU", "Intensive Care Unit", "ward", []string{"nursing_midwifery", "medical_dental", "ahp"}},
		{"NGH", "NGH-MAT", "Maternity Unit", "ward", []string{"nursing_midwifery", "medical_dental", "additional_clinical"}},
		{"NGH", "NGH-CHW", "Children's Ward", "ward", nurse},
		{"NGH", "NGH-THR", "Theatres", "department", []string{"nursing_midwifery", "medical_dental", "scientific_technical"}},
		{"NGH", "NGH-PHA", "Pharmacy", "department", []string{"scientific_technical", "additional_clinical"}},
		{"NGH", "NGH-RAD", "Radiology", "department", []string{"ahp", "healthcare_scientists", "admin_clerical"}},
		{"NGH", "NGH-PAT", "Pathology", "department", []string{"healthcare_scientists", "additional_clinical"}},
		{"NGH", "NGH-EST", "Estates and Facilities", "service", []string{"estates_ancillary"}},
		{"NGH", "NGH-HR", "People and Organisational Development", "team", []string{"admin_clerical"}},
		{"NGH", "NGH-PST", "Patient Safety and Quality", "team", []string{"admin_clerical", "nursing_midwifery"}},
		{"NGH", "NGH-EXE", "Trust Board and Executive Office", "team", []string{"admin_clerical"}},
		{"VCH", "VCH-REH", "Rehabilitation Ward", "ward", []string{"nursing_midwifery", "ahp", "additional_clinical"}},
		{"VCH", "VCH-PHY", "Physiotherapy", "department", []string{"ahp", "additional_clinical"}},
		{"VCH", "VCH-CNT", "Community Nursing Team", "team", []string{"nursing_midwifery", "additional_clinical"}},
		{"VCH", "VCH-OPD", "Outpatients", "department", []string{"nursing_midwifery", "admin_clerical"}},
		{"RMH", "RMH-ASH", "Ash Ward (Adult Acute Mental Health)", "ward", []string{"nursing_midwifery", "additional_clinical", "medical_dental"}},
		{"RMH", "RMH-OPM", "Willow Ward (Older People's Mental Health)", "ward", []string{"nursing_midwifery", "additional_clinical"}},
		{"RMH", "RMH-CRI", "Crisis Resolution and Home Treatment Team", "team", []string{"nursing_midwifery", "ahp", "medical_dental"}},
		{"RMH", "RMH-STU", "Student Placements", "team", []string{"students"}},
	}
}

func jobTitle(group string, r *rand.Rand) string {
	titles := map[string][]string{
		"nursing_midwifery":     {"Staff Nurse", "Staff Nurse", "Senior Staff Nurse", "Ward Sister", "Midwife", "Charge Nurse", "Nurse Practitioner"},
		"additional_clinical":   {"Healthcare Assistant", "Healthcare Assistant", "Nursing Associate", "Maternity Support Worker", "Pharmacy Assistant"},
		"medical_dental":        {"Foundation Year 1 Doctor", "Specialty Registrar", "Consultant", "Specialty Doctor"},
		"ahp":                   {"Physiotherapist", "Occupational Therapist", "Radiographer", "Paramedic", "Speech and Language Therapist"},
		"scientific_technical":  {"Pharmacist", "Operating Department Practitioner", "Pharmacy Technician"},
		"healthcare_scientists": {"Biomedical Scientist", "Clinical Scientist"},
		"admin_clerical":        {"Ward Clerk", "Medical Secretary", "HR Adviser", "Administrator", "Team Leader"},
		"estates_ancillary":     {"Porter", "Domestic Assistant", "Maintenance Technician", "Catering Assistant"},
		"students":              {"Student Nurse", "Student Midwife", "Student Paramedic"},
	}
	t := titles[group]
	return t[r.IntN(len(t))]
}

func firstNames() []string {
	return strings.Fields(`Olivia Amelia Isla Ava Mia Sophia Grace Lily Freya Emily Aisha Priya Fatima Zainab Chloe Ella
		Oliver George Noah Arthur Muhammad Leo Harry Oscar Jack Jacob Arjun Kwame Tomasz Sean Dylan Rhys Chidi Ngozi
		Mei Wei Kofi Ama Agnieszka Maria Joseph Samuel Hannah Rachel Daniel Ibrahim Yusuf Sana Anita Deepak Ravi Gemma
		Siobhan Niamh Callum Kieran Bethany Jade Marcus Tariq Adebayo Folake Imran Nadia Chen Lucy Helen David Paul`)
}

func lastNames() []string {
	return strings.Fields(`Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans
		Walker White Roberts Green Hall Wood Jackson Clarke Khan Ahmed Hussain Begum Ali Okafor Mensah Adeyemi Kowalski
		Nowak Murphy Kelly O'Brien Campbell Stewart Singh Kaur Sharma Chen Wong Li Nguyen Hughes Edwards Lewis Morgan
		Price Hughes-Lloyd Byrne Osei Boateng Mahmood Rahman Mistry Shah Fernandes Silva Costa`)
}

// ethnicCodes is a rough, fictional mix; a fifth of records unknown or not stated.
func ethnicCode(r *rand.Rand) string {
	codes := []string{"A", "A", "A", "A", "A", "A", "A", "A", "B", "C", "C", "D", "E", "F", "G",
		"H", "H", "J", "K", "L", "M", "N", "N", "P", "R", "S", "Z", "Z", "", "", ""}
	return codes[r.IntN(len(codes))]
}

func disability(r *rand.Rand) string {
	switch n := r.IntN(100); {
	case n < 5:
		return "Yes"
	case n < 75:
		return "No"
	case n < 80:
		return "Prefer not to say"
	}
	return ""
}

// roleLogins are the demo's sign-ins: one per role, each a person in the
// directory who plausibly holds it.
func roleLogins() []struct {
	role           authz.Role
	first, last    string
	dept, group, t string
} {
	return []struct {
		role           authz.Role
		first, last    string
		dept, group, t string
	}{
		{authz.Staff, "Sam", "Okoro", "NGH-AMU", "nursing_midwifery", "Staff Nurse"},
		{authz.Manager, "Rebecca", "Hale", "NGH-AMU", "nursing_midwifery", "Ward Manager"},
		{authz.Guardian, "Jordan", "Ellis", "NGH-PST", "admin_clerical", "Freedom to Speak Up Guardian"},
		{authz.Safety, "Priya", "Raman", "NGH-PST", "nursing_midwifery", "Head of Patient Safety"},
		{authz.HR, "Morgan", "Fletcher", "NGH-HR", "admin_clerical", "Employee Relations Lead"},
		{authz.UnionRep, "Alex", "Doyle", "NGH-EST", "estates_ancillary", "UNISON Branch Secretary"},
		{authz.Exec, "Catherine", "Osei", "NGH-EXE", "admin_clerical", "Non-executive Director"},
		{authz.Admin, "Chris", "Lindqvist", "NGH-HR", "admin_clerical", "Systems Administrator"},
	}
}

// Load creates the demo organisation when it is not there yet, then gives
// every demo sign-in a new password and returns them. It is safe to run on
// every start.
func Load(ctx context.Context, d Deps) ([]Login, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	existing, err := d.Org.Sites(ctx)
	if err != nil {
		return nil, err
	}
	loaded := false
	for _, s := range existing {
		loaded = loaded || s.Code == sites()[0].code
	}
	if !loaded {
		if err := build(ctx, d); err != nil {
			return nil, err
		}
	}
	var logins []Login
	principals := map[authz.Role]*authz.Principal{}
	for i, l := range roleLogins() {
		email := fmt.Sprintf("%s@%s", l.role, Domain)
		email = strings.ReplaceAll(email, "_", "-")
		pw := account.GeneratePassword()
		u, err := d.Accounts.ByEmail(ctx, email)
		switch {
		case errors.Is(err, store.ErrNotFound):
			person, perr := d.Org.PersonByEmployeeNumber(ctx, loginEmployeeNumber(i))
			if perr != nil {
				return nil, perr
			}
			roles := []authz.Role{l.role}
			if l.role != authz.Staff && l.role != authz.Admin {
				roles = append(roles, authz.Staff)
			}
			created, err := d.Accounts.Create(ctx, actor(), account.NewUser{Email: email, Name: l.first + " " + l.last,
				Roles: roles, Password: pw, PersonID: person.ID})
			if err != nil {
				return nil, fmt.Errorf("create demo user %s: %w", email, err)
			}
			principals[l.role] = &authz.Principal{UserID: created.ID, Email: created.Email, Name: created.Name, Roles: created.Roles}
		case err != nil:
			return nil, err
		default:
			if err := d.Accounts.SetPassword(ctx, actor(), u.ID, pw); err != nil {
				return nil, fmt.Errorf("reset demo password for %s: %w", email, err)
			}
		}
		logins = append(logins, Login{Role: l.role, Name: l.first + " " + l.last, Email: email, Password: pw})
	}
	if !loaded && d.Reports != nil && d.Culture != nil {
		if err := loadReports(ctx, d, principals, d.Now()); err != nil {
			return nil, fmt.Errorf("demo reports: %w", err)
		}
	}
	return logins, nil
}

func loginEmployeeNumber(i int) string { return fmt.Sprintf("9%07d", i+1) }

// build creates the sites and departments and imports the people through
// the same ESR import that real organisations use.
func build(ctx context.Context, d Deps) error {
	siteIDs := map[string]int64{}
	for _, s := range sites() {
		created, err := d.Org.CreateSite(ctx, actor(), org.Site{Code: s.code, Name: s.name})
		if err != nil {
			return fmt.Errorf("create demo site %s: %w", s.code, err)
		}
		siteIDs[s.code] = created.ID
	}
	for _, dep := range departments() {
		if _, err := d.Org.CreateDepartment(ctx, actor(), org.Department{SiteID: siteIDs[dep.site], Code: dep.code, Name: dep.name, Kind: dep.kind}); err != nil {
			return fmt.Errorf("create demo department %s: %w", dep.code, err)
		}
	}
	csvData, err := peopleCSV(d.Now())
	if err != nil {
		return err
	}
	res, err := d.Org.Import(ctx, actor(), bytes.NewReader(csvData), org.ImportOptions{})
	if err != nil {
		return fmt.Errorf("import demo people: %w", err)
	}
	if !res.Applied {
		return fmt.Errorf("import demo people: %d rows refused, first: line %d %s", len(res.Errors), res.Errors[0].Line, res.Errors[0].Message)
	}
	return nil
}

// peopleCSV writes the demo staff as an ESR-style export: each department
// has a manager, and everyone else reports to their department's manager.
func peopleCSV(now time.Time) ([]byte, error) {
	r := rand.New(rand.NewPCG(2016, 2026)) // fixed seed: the same trust every time
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"Employee Number", "First Name", "Last Name", "Email Address", "Organisation", "Staff Group",
		"Position Title", "Supervisor Employee Number", "Hire Date", "Termination Date", "Ethnic Origin", "Disability Flag"})
	deps := departments()
	managers := map[string]string{}
	first, last := firstNames(), lastNames()
	usedEmail := map[string]bool{}
	n := 0
	write := func(num, fn, ln, dep, group, title, manager string, hire time.Time, leave string) {
		email := strings.ToLower(strings.ReplaceAll(fn+"."+ln, "'", ""))
		for i := 2; usedEmail[email]; i++ {
			email = strings.ToLower(strings.ReplaceAll(fmt.Sprintf("%s.%s%d", fn, ln, i), "'", ""))
		}
		usedEmail[email] = true
		w.Write([]string{num, fn, ln, email + "@" + Domain, dep, group, title, manager,
			hire.Format("02/01/2006"), leave, ethnicCode(r), disability(r)})
		n++
	}
	hire := func() time.Time { return now.AddDate(0, 0, -r.IntN(365*15)-30) }
	// One manager per department first, so that supervisors exist.
	for i, dep := range deps {
		num := fmt.Sprintf("1%07d", i+1)
		managers[dep.code] = num
		write(num, first[r.IntN(len(first))], last[r.IntN(len(last))], dep.code, dep.groups[0], managerTitle(dep), "", hire(), "")
	}
	// The demo sign-ins are people too.
	for i, l := range roleLogins() {
		manager := managers[l.dept]
		switch l.role {
		case authz.Manager:
			manager = ""
		case authz.Staff:
			manager = loginEmployeeNumber(1) // Sam reports to Rebecca, the demo manager
		}
		write(loginEmployeeNumber(i), l.first, l.last, l.dept, l.group, l.t, manager, hire(), "")
	}
	for i := 0; n < PeopleCount; i++ {
		dep := deps[r.IntN(len(deps))]
		group := dep.groups[0]
		if r.IntN(3) == 0 {
			group = dep.groups[r.IntN(len(dep.groups))]
		}
		h := hire()
		leave := ""
		if r.IntN(12) == 0 { // some leavers, so headcount over time moves
			l := h.AddDate(0, 0, 60+r.IntN(365*3))
			if l.Before(now) {
				leave = l.Format("02/01/2006")
			}
		}
		write(fmt.Sprintf("2%07d", i+1), first[r.IntN(len(first))], last[r.IntN(len(last))], dep.code, group,
			jobTitle(group, r), managers[dep.code], h, leave)
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func managerTitle(d dept) string {
	switch d.kind {
	case "ward":
		return "Ward Manager"
	case "team":
		return "Team Lead"
	}
	return "Service Manager"
}

func orgQuery() org.PeopleQuery { return org.PeopleQuery{Search: "", Limit: 5} }
