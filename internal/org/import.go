package org

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"candour/internal/audit"
	"candour/internal/store"
)

// Limits on an import file.
const (
	MaxImportRows  = 100_000
	MaxImportBytes = 64 << 20 // 64 MiB
	MaxLineBytes   = 32 << 10 // one physical line, 32 KiB
)

// ErrBadFile is wrapped by the error Import returns when the file as a whole
// cannot be imported: it is empty, not UTF-8 text, not CSV, too big, or lacks
// a required column. The error is a *BadFileError whose message tells the
// person what to do; no row has been stored.
var ErrBadFile = errors.New("the file cannot be imported")

// BadFileError explains why a whole file cannot be imported. It wraps
// ErrBadFile.
type BadFileError struct {
	// Reason is a sentence to show the person who chose the file.
	Reason string
}

// Error returns the reason.
func (e *BadFileError) Error() string { return e.Reason }

// Unwrap returns ErrBadFile.
func (e *BadFileError) Unwrap() error { return ErrBadFile }

func badFile(format string, args ...any) error {
	return &BadFileError{Reason: fmt.Sprintf(format, args...)}
}

// ImportOptions tune Import.
type ImportOptions struct {
	// SkipBadRows stores the good rows of a file that has bad ones; without
	// it any bad row means nothing is stored.
	SkipBadRows bool
}

// RowError is a problem with one row of an import file.
type RowError struct {
	// Line is the physical line in the file where the row starts; the
	// header is line 1.
	Line int
	// Column is the column's header as written in the file, or "" for a
	// problem with the whole row.
	Column  string
	Message string
}

// ImportResult says what Import found and did.
type ImportResult struct {
	Rows      int // data rows read (wholly blank rows are ignored)
	Created   int
	Updated   int
	Unchanged int
	Skipped   int // rows with errors, left out because of SkipBadRows
	Errors    []RowError
	// Applied reports whether rows were stored: false when there were errors
	// and SkipBadRows was not set, or no row was good.
	Applied bool
}

// The columns Import understands.
type column int

const (
	colEmployee column = iota
	colFirstName
	colLastName
	colFullName
	colName
	colEmail
	colOrganisation
	colStaffGroup
	colJobTitle
	colSupervisor
	colHireDate
	colTermination
	colEthnic
	colDisability
	numColumns
)

// headerAliases maps a header, lower-cased without spaces, underscores or
// hyphens, to its column.
func headerAliases() map[string]column {
	return map[string]column{
		"employeenumber": colEmployee, "employeeno": colEmployee,
		"firstname": colFirstName, "forename": colFirstName, "forenames": colFirstName,
		"lastname": colLastName, "surname": colLastName,
		"fullname":     colFullName,
		"name":         colName,
		"emailaddress": colEmail, "email": colEmail,
		"organisation": colOrganisation, "organization": colOrganisation, "department": colOrganisation,
		"staffgroup":    colStaffGroup,
		"positiontitle": colJobTitle, "jobtitle": colJobTitle,
		"supervisoremployeenumber": colSupervisor, "linemanageremployeenumber": colSupervisor,
		"hiredate": colHireDate, "startdate": colHireDate,
		"terminationdate": colTermination, "leavedate": colTermination, "leavingdate": colTermination,
		"ethnicorigin": colEthnic, "ethnicity": colEthnic, "ethnicgroup": colEthnic,
		"disability": colDisability, "disabilityflag": colDisability,
	}
}

func headerKey(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(h)) {
		if r != ' ' && r != '_' && r != '-' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// header is where each known column is in the file (-1 when absent) and its
// name as written there.
type header struct {
	index [numColumns]int
	name  [numColumns]string
	width int
}

func (h *header) has(c column) bool { return h.index[c] >= 0 }

func (h *header) value(rec []string, c column) string {
	if i := h.index[c]; i >= 0 && i < len(rec) {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

// nameColumn is the column a missing or bad name is reported against.
func (h *header) nameColumn() column {
	switch {
	case h.has(colLastName):
		return colLastName
	case h.has(colFullName):
		return colFullName
	}
	return colName
}

func readHeader(rec []string) (*header, error) {
	h := &header{width: len(rec)}
	for i := range h.index {
		h.index[i] = -1
	}
	if len(rec) == 1 && strings.ContainsAny(rec[0], ";\t") {
		return nil, badFile("The columns are separated by semicolons or tabs, not commas. Save the file as CSV UTF-8 (comma delimited) and try again")
	}
	aliases := headerAliases()
	for i, raw := range rec {
		c, ok := aliases[headerKey(raw)]
		if !ok {
			continue
		}
		name := strings.TrimSpace(raw)
		if h.index[c] >= 0 {
			return nil, badFile("The file has two columns for the same thing: %q and %q. Remove one and try again", h.name[c], name)
		}
		h.index[c], h.name[c] = i, name
	}
	var missing []string
	if !h.has(colEmployee) {
		missing = append(missing, "Employee Number")
	}
	if !h.has(colLastName) && !h.has(colFullName) && !h.has(colName) {
		missing = append(missing, "Last Name (with First Name) or Full Name")
	}
	if !h.has(colOrganisation) {
		missing = append(missing, "Organisation")
	}
	if !h.has(colStaffGroup) {
		missing = append(missing, "Staff Group")
	}
	if !h.has(colHireDate) {
		missing = append(missing, "Hire Date")
	}
	if len(missing) > 0 {
		return nil, badFile("The first row of the file must be a header naming the columns. These required columns are missing: %s", strings.Join(missing, ", "))
	}
	return h, nil
}

// checkEncoding rejects files that are not UTF-8 text and returns the data
// without a UTF-8 byte order mark.
func checkEncoding(data []byte) ([]byte, error) {
	const saveAs = "Save it as CSV UTF-8 (in Excel: File, Save As, CSV UTF-8 (Comma delimited)) and try again"
	if len(data) == 0 {
		return nil, badFile("The selected file is empty")
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil, badFile("The file is saved as UTF-16 (\"Unicode text\"), not UTF-8. %s", saveAs)
	}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, badFile("The selected file is empty")
	}
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, badFile("The file is a spreadsheet workbook, not a CSV file. %s", saveAs)
	case bytes.HasPrefix(data, []byte("%PDF")):
		return nil, badFile("The file is a PDF, not a CSV file. Export the staff list from ESR as CSV")
	}
	head := data[:min(len(data), 8192)]
	if nul := bytes.Count(head, []byte{0}); nul > 0 {
		// ASCII text in UTF-16 has a zero byte beside every character.
		if nul*3 >= len(head) {
			return nil, badFile("The file is saved as UTF-16 (\"Unicode text\"), not UTF-8. %s", saveAs)
		}
		return nil, badFile("The file is not a text file. Choose a CSV file exported from ESR")
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, badFile("The file is not a text file. Choose a CSV file exported from ESR")
	}
	if !utf8.Valid(data) {
		at := 0
		for at < len(data) {
			r, n := utf8.DecodeRune(data[at:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			at += n
		}
		line := 1 + bytes.Count(data[:at], []byte{'\n'})
		return nil, badFile("The file is not saved as UTF-8: line %d has characters that cannot be read (often an accented letter or a symbol). %s", line, saveAs)
	}
	lineNo, start := 1, 0
	for start <= len(data) {
		end := bytes.IndexByte(data[start:], '\n')
		if end < 0 {
			end = len(data) - start
		}
		if end > MaxLineBytes {
			return nil, badFile("Line %d is longer than %s characters, so this does not look like a staff list. Choose a CSV file exported from ESR", lineNo, thousands(MaxLineBytes))
		}
		start += end + 1
		lineNo++
	}
	return data, nil
}

// csvError explains a CSV syntax error.
func csvError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("read file: %w", err)
	}
	what := pe.Err.Error()
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		what = `a value contains a quote mark (") but is not itself in quotes`
	case errors.Is(pe.Err, csv.ErrQuote):
		what = `a quote mark (") is missing or out of place`
	}
	return badFile("The file cannot be read as CSV at line %d: %s. Check the file was saved as CSV from ESR or Excel", pe.Line, what)
}

// importRow is one data row as understood.
type importRow struct {
	line       int
	p          Person
	supervisor string // employee number, "" for none
	bad        bool
}

// storedPerson is a person as stored, for comparison with an import.
type storedPerson struct {
	Person
	managerNumber string
}

// importRefs is what rows are checked against.
type importRefs struct {
	depByCode     map[string]int64
	depByCodeFold map[string][]int64
	depByName     map[string][]int64
	groups        map[string]string // normalised code or name -> code
	people        map[string]storedPerson
}

func loadRefs(ctx context.Context, q store.Querier) (*importRefs, error) {
	r := &importRefs{
		depByCode: map[string]int64{}, depByCodeFold: map[string][]int64{},
		depByName: map[string][]int64{}, groups: map[string]string{},
	}
	rows, err := q.QueryContext(ctx, `SELECT id, code, name FROM departments`)
	if err != nil {
		return nil, fmt.Errorf("read departments: %w", err)
	}
	for rows.Next() {
		var id int64
		var code, name string
		if err := rows.Scan(&id, &code, &name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read departments: %w", err)
		}
		r.depByCode[code] = id
		r.depByCodeFold[strings.ToLower(code)] = append(r.depByCodeFold[strings.ToLower(code)], id)
		k := strings.ToLower(strings.TrimSpace(name))
		r.depByName[k] = append(r.depByName[k], id)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("read departments: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT code, name FROM staff_groups`)
	if err != nil {
		return nil, fmt.Errorf("read staff groups: %w", err)
	}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read staff groups: %w", err)
		}
		r.groups[normalise(code)] = code
		r.groups[normalise(name)] = code
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("read staff groups: %w", err)
	}
	// ESR abbreviates this national staff group's name.
	if code, ok := r.groups[normalise("Additional Professional Scientific and Technical")]; ok {
		r.groups[normalise("Add Prof Scientific and Technic")] = code
	}
	if r.people, err = loadPeople(ctx, q); err != nil {
		return nil, err
	}
	return r, nil
}

func loadPeople(ctx context.Context, q store.Querier) (map[string]storedPerson, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.employee_number, p.name, COALESCE(p.email, ''), p.department_id,
		p.staff_group, p.job_title, COALESCE(p.line_manager_id, 0), COALESCE(m.employee_number, ''), p.start_date,
		COALESCE(p.leave_date, ''), COALESCE(p.ethnic_group, ''), COALESCE(p.disability, '')
		FROM people p LEFT JOIN people m ON m.id = p.line_manager_id`)
	if err != nil {
		return nil, fmt.Errorf("read people: %w", err)
	}
	defer rows.Close()
	out := map[string]storedPerson{}
	for rows.Next() {
		var s storedPerson
		if err := rows.Scan(&s.ID, &s.EmployeeNumber, &s.Name, &s.Email, &s.DepartmentID, &s.StaffGroup, &s.JobTitle,
			&s.LineManagerID, &s.managerNumber, &s.StartDate, &s.LeaveDate, &s.EthnicGroup, &s.Disability); err != nil {
			return nil, fmt.Errorf("read people: %w", err)
		}
		out[s.EmployeeNumber] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read people: %w", err)
	}
	return out, nil
}

// parseESRDate reads DD/MM/YYYY (as ESR writes it; one-digit day and month
// allowed), DD-Mon-YYYY or YYYY-MM-DD, with any time of day ignored, and
// returns it as YYYY-MM-DD.
func parseESRDate(s string) (string, bool) {
	if d, t, ok := strings.Cut(s, " "); ok && strings.Count(t, ":") >= 1 {
		s = d
	}
	for _, layout := range []string{store.DateLayout, "2/1/2006", "2-Jan-2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1900 || t.Year() > 2200 {
				return "", false
			}
			return t.Format(store.DateLayout), true
		}
	}
	return "", false
}

// checkRow reads one data row into an importRow, collecting its problems.
func checkRow(h *header, rec []string, line int, refs *importRefs, errs *[]RowError) importRow {
	row := importRow{line: line}
	fail := func(c column, format string, args ...any) {
		*errs = append(*errs, RowError{Line: line, Column: h.name[c], Message: fmt.Sprintf(format, args...)})
		row.bad = true
	}
	p := &row.p
	p.EmployeeNumber = h.value(rec, colEmployee)
	if h.has(colLastName) {
		p.Name = strings.TrimSpace(h.value(rec, colFirstName) + " " + h.value(rec, colLastName))
	} else if h.has(colFullName) {
		p.Name = h.value(rec, colFullName)
	} else {
		p.Name = h.value(rec, colName)
	}
	p.Email = h.value(rec, colEmail)
	p.JobTitle = h.value(rec, colJobTitle)
	reported := map[string]bool{"start_date": true, "leave_date": true}

	switch org := h.value(rec, colOrganisation); {
	case org == "":
		fail(colOrganisation, "Enter the department code or name")
		reported["department_id"] = true
	default:
		id, problem := refs.department(org)
		if problem != "" {
			fail(colOrganisation, "%s", problem)
			reported["department_id"] = true
		}
		p.DepartmentID = id
	}
	switch g := h.value(rec, colStaffGroup); {
	case g == "":
		fail(colStaffGroup, "Enter the staff group")
		reported["staff_group"] = true
	default:
		code, ok := refs.groups[normalise(g)]
		if !ok {
			fail(colStaffGroup, "Staff group %q is not a national staff group; use a name such as \"Nursing and Midwifery Registered\" or \"Administrative and Clerical\"", g)
			reported["staff_group"] = true
		}
		p.StaffGroup = code
	}
	hire, hireOK := "", false
	switch v := h.value(rec, colHireDate); {
	case v == "":
		fail(colHireDate, "Enter the hire date")
	default:
		if hire, hireOK = parseESRDate(v); !hireOK {
			fail(colHireDate, "Hire date %q is not a real date; use DD/MM/YYYY, like 27/03/2024", v)
		}
	}
	p.StartDate = hire
	if v := h.value(rec, colTermination); v != "" {
		leave, ok := parseESRDate(v)
		switch {
		case !ok:
			fail(colTermination, "Termination date %q is not a real date; use DD/MM/YYYY, like 27/03/2024", v)
		case hireOK && leave < hire:
			fail(colTermination, "Termination date must be on or after the hire date")
		}
		p.LeaveDate = leave
	}
	if v := h.value(rec, colEthnic); v != "" {
		code, ok := parseEthnicOrigin(v)
		if !ok {
			fail(colEthnic, "Ethnic origin %q is not recognised; use an ESR ethnic origin such as \"A White - British\", its code letter, or leave it blank", v)
			reported["ethnic_group"] = true
		}
		p.EthnicGroup = code
	}
	if v := h.value(rec, colDisability); v != "" {
		d, ok := parseDisability(v)
		if !ok {
			fail(colDisability, "Disability %q is not recognised; use Yes, No, Prefer not to say, or leave it blank", v)
			reported["disability"] = true
		}
		p.Disability = d
	}
	for _, fe := range checkPerson(p) {
		if reported[fe.Field] {
			continue
		}
		reported[fe.Field] = true
		fail(fieldColumn(h, fe.Field), "%s", fe.Message)
	}
	if s := h.value(rec, colSupervisor); s != "" {
		switch {
		case !isEmployeeNumber(s) || len(s) > maxEmployeeLen:
			fail(colSupervisor, "Supervisor employee number %q must only include letters, numbers and hyphens", s)
		case s == p.EmployeeNumber:
			fail(colSupervisor, "Supervisor employee number is this person's own employee number; a person cannot be their own line manager")
		default:
			row.supervisor = s
		}
	}
	return row
}

// fieldColumn maps a Person field name to the import column it came from.
func fieldColumn(h *header, field string) column {
	switch field {
	case "employee_number":
		return colEmployee
	case "name":
		return h.nameColumn()
	case "email":
		return colEmail
	case "department_id":
		return colOrganisation
	case "staff_group":
		return colStaffGroup
	case "job_title":
		return colJobTitle
	case "line_manager":
		return colSupervisor
	case "start_date":
		return colHireDate
	case "leave_date":
		return colTermination
	case "ethnic_group":
		return colEthnic
	case "disability":
		return colDisability
	}
	return colEmployee
}

// department finds a department by code (exactly, then ignoring case) or by
// exact name, ignoring case; problem explains a failure.
func (r *importRefs) department(v string) (id int64, problem string) {
	if id, ok := r.depByCode[v]; ok {
		return id, ""
	}
	if ids := r.depByCodeFold[strings.ToLower(v)]; len(ids) == 1 {
		return ids[0], ""
	}
	switch ids := r.depByName[strings.ToLower(v)]; len(ids) {
	case 0:
		return 0, fmt.Sprintf("No department has the code or name %q; add the department first, or correct the value", v)
	case 1:
		return ids[0], ""
	}
	return 0, fmt.Sprintf("More than one department is called %q; use the department code instead", v)
}

// Import reads a CSV staff export from ESR and creates or updates people,
// matched by employee number.
//
// Every row is checked first. Problems with rows are returned in
// ImportResult.Errors, each with the physical line where its row starts
// (header is line 1), the column's header and a message; the error is nil.
// If any row is bad and opt.SkipBadRows is false nothing is stored
// (Applied is false). Otherwise the good rows are stored in one transaction
// with one "people.import" audit entry: people are created or updated (or
// counted unchanged when nothing differs), then line managers are set from
// Supervisor Employee Number, which may name someone in the file or already
// stored. A row whose supervisor is on a bad row and not already stored,
// or whose supervisor would make a loop of line managers, is itself bad.
//
// Optional columns that are absent from the file leave the stored values as
// they are; a blank value in a present column clears the stored value.
// Wholly blank rows are ignored. Supervisor and loop checks use the people
// stored when the import starts.
//
// A file that cannot be imported at all (empty, not UTF-8 text, binary,
// not CSV, a required column missing, more than MaxImportRows rows, a line
// longer than MaxLineBytes, bigger than MaxImportBytes) gives a
// *BadFileError wrapping ErrBadFile, with nothing stored.
func (d *Directory) Import(ctx context.Context, actor audit.Actor, r io.Reader, opt ImportOptions) (ImportResult, error) {
	var res ImportResult
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return res, fmt.Errorf("import: read file: %w", err)
	}
	if len(data) > MaxImportBytes {
		return res, badFile("The file is larger than %d MB. Split it into smaller files", MaxImportBytes>>20)
	}
	if data, err = checkEncoding(data); err != nil {
		return res, err
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	rec, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return res, badFile("The selected file is empty")
	}
	if err != nil {
		return res, csvError(err)
	}
	h, err := readHeader(rec)
	if err != nil {
		return res, err
	}
	refs, err := loadRefs(ctx, d.DB)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}

	var rows []importRow
	first := map[string]int{} // employee number -> index of its first row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return ImportResult{}, csvError(err)
		}
		if blank(rec) {
			continue
		}
		res.Rows++
		if res.Rows > MaxImportRows {
			return ImportResult{}, badFile("The file has more than %s rows. Split it into smaller files", thousands(MaxImportRows))
		}
		line, _ := cr.FieldPos(0)
		if len(rec) < h.width || !blank(rec[h.width:]) {
			res.Errors = append(res.Errors, RowError{Line: line, Message: fmt.Sprintf(
				"This row has %d values but the header has %d columns; check for a comma in a value that is not in quotes", len(rec), h.width)})
			rows = append(rows, importRow{line: line, bad: true})
			continue
		}
		row := checkRow(h, rec, line, refs, &res.Errors)
		if n := row.p.EmployeeNumber; n != "" {
			if i, dup := first[n]; dup {
				res.Errors = append(res.Errors, RowError{Line: line, Column: h.name[colEmployee],
					Message: fmt.Sprintf("Employee number %s is already on line %d; each person must be on one row only", n, rows[i].line)})
				row.bad = true
			} else {
				first[n] = len(rows)
			}
		}
		rows = append(rows, row)
	}
	if res.Rows == 0 {
		return ImportResult{}, badFile("The file has a header row but no rows of staff")
	}
	checkManagers(h, rows, first, refs, &res.Errors)
	slices.SortStableFunc(res.Errors, func(a, b RowError) int { return a.Line - b.Line })
	good := 0
	for _, row := range rows {
		if row.bad {
			res.Skipped++
		} else {
			good++
		}
	}
	if len(res.Errors) > 0 && !opt.SkipBadRows {
		res.Skipped = 0
		return res, nil
	}
	if good == 0 {
		return res, nil
	}
	now := d.Now()
	err = d.DB.InTx(ctx, func(tx *store.Tx) error {
		res.Created, res.Updated, res.Unchanged = 0, 0, 0
		return applyImport(ctx, tx, h, rows, now, &res, actor)
	})
	if err != nil {
		return ImportResult{Rows: res.Rows, Errors: res.Errors}, fmt.Errorf("import: %w", err)
	}
	res.Applied = true
	return res, nil
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// checkManagers checks every Supervisor Employee Number: it must name a good
// row of the file or someone already stored, and must not make a loop of line
// managers. Rows that fail become bad, which can make further rows bad, so it
// repeats until nothing changes.
func checkManagers(h *header, rows []importRow, first map[string]int, refs *importRefs, errs *[]RowError) {
	if !h.has(colSupervisor) {
		return
	}
	fail := func(i int, format string, args ...any) {
		*errs = append(*errs, RowError{Line: rows[i].line, Column: h.name[colSupervisor], Message: fmt.Sprintf(format, args...)})
		rows[i].bad = true
	}
	for i := range rows {
		s := rows[i].supervisor
		if rows[i].bad || s == "" {
			continue
		}
		if _, inFile := first[s]; !inFile {
			if _, stored := refs.people[s]; !stored {
				fail(i, "No one with employee number %s is in this file or already stored", s)
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for i := range rows {
			s := rows[i].supervisor
			if rows[i].bad || s == "" {
				continue
			}
			if j, inFile := first[s]; inFile && rows[j].bad {
				if _, stored := refs.people[s]; !stored {
					fail(i, "Supervisor employee number %s is on line %d, which has errors; fix that row first", s, rows[j].line)
					changed = true
				}
			}
		}
		// The line managers there would be after the import.
		manager := map[string]string{}
		for n, p := range refs.people {
			if p.managerNumber != "" {
				manager[n] = p.managerNumber
			}
		}
		for _, row := range rows {
			if !row.bad {
				if row.supervisor == "" {
					delete(manager, row.p.EmployeeNumber)
				} else {
					manager[row.p.EmployeeNumber] = row.supervisor
				}
			}
		}
		for _, loop := range managerLoops(manager) {
			for _, n := range loop {
				if i, inFile := first[n]; inFile && !rows[i].bad && rows[i].supervisor != "" {
					fail(i, "Supervisor employee number %s would make a loop of line managers (%s)", rows[i].supervisor, loopText(loop, n))
					changed = true
				}
			}
		}
	}
}

// managerLoops finds the loops in a person -> line manager map, each as the
// employee numbers on it. It visits each person once.
func managerLoops(manager map[string]string) [][]string {
	const (
		unseen = iota
		onPath
		done
	)
	state := map[string]int{}
	var loops [][]string
	keys := make([]string, 0, len(manager))
	for k := range manager {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, start := range keys {
		var path []string
		n := start
		for state[n] == unseen {
			state[n] = onPath
			path = append(path, n)
			next, ok := manager[n]
			if !ok {
				break
			}
			n = next
		}
		if state[n] == onPath {
			if i := slices.Index(path, n); i >= 0 {
				loops = append(loops, slices.Clone(path[i:]))
			}
		}
		for _, p := range path {
			state[p] = done
		}
	}
	return loops
}

// loopText shows a loop starting from one person: "1 → 2 → 1".
func loopText(loop []string, from string) string {
	i := max(slices.Index(loop, from), 0)
	parts := append(slices.Clone(loop[i:]), loop[:i]...)
	if len(parts) > 8 {
		parts = append(parts[:7], "…")
	}
	return strings.Join(append(parts, from), " → ")
}

// applyImport stores the good rows: people first, then line managers.
func applyImport(ctx context.Context, tx *store.Tx, h *header, rows []importRow, now time.Time, res *ImportResult, actor audit.Actor) error {
	stored, err := loadPeople(ctx, tx)
	if err != nil {
		return err
	}
	ids := map[string]int64{}
	changed := make([]bool, len(rows))
	isNew := make([]bool, len(rows))
	for i, row := range rows {
		if row.bad {
			continue
		}
		p := row.p
		old, exists := stored[p.EmployeeNumber]
		if !exists {
			if err := insertPerson(ctx, tx, &p, now); err != nil {
				return fmt.Errorf("line %d: %w", row.line, err)
			}
			ids[p.EmployeeNumber], isNew[i] = p.ID, true
			continue
		}
		p.ID, p.LineManagerID = old.ID, old.LineManagerID
		if !h.has(colEmail) {
			p.Email = old.Email
		}
		if !h.has(colJobTitle) {
			p.JobTitle = old.JobTitle
		}
		if !h.has(colTermination) {
			p.LeaveDate = old.LeaveDate
		}
		if !h.has(colEthnic) {
			p.EthnicGroup = old.EthnicGroup
		}
		if !h.has(colDisability) {
			p.Disability = old.Disability
		}
		ids[p.EmployeeNumber] = p.ID
		if len(changedFields(old.Person, p)) > 0 {
			if err := updatePerson(ctx, tx, p, now); err != nil {
				return fmt.Errorf("line %d: %w", row.line, err)
			}
			changed[i] = true
		}
	}
	if h.has(colSupervisor) {
		for i, row := range rows {
			if row.bad {
				continue
			}
			var want int64
			if s := row.supervisor; s != "" {
				id, ok := ids[s]
				if !ok {
					id, ok = stored[s].ID, stored[s].ID != 0
				}
				if !ok {
					return fmt.Errorf("line %d: supervisor %s is no longer stored", row.line, s)
				}
				want = id
			}
			if isNew[i] && want == 0 || !isNew[i] && stored[row.p.EmployeeNumber].LineManagerID == want {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE people SET line_manager_id = ?, updated_at = ? WHERE id = ?`,
				nullID(want), store.T(now), ids[row.p.EmployeeNumber]); err != nil {
				return fmt.Errorf("line %d: set line manager: %w", row.line, err)
			}
			if !isNew[i] {
				changed[i] = true
			}
		}
	}
	for i, row := range rows {
		switch {
		case row.bad:
		case isNew[i]:
			res.Created++
		case changed[i]:
			res.Updated++
		default:
			res.Unchanged++
		}
	}
	detail := fmt.Sprintf("imported %d rows: %d created, %d updated, %d unchanged, %d skipped",
		res.Rows, res.Created, res.Updated, res.Unchanged, res.Skipped)
	return audit.Record(ctx, tx, now, actor, "people.import", "people", "", detail)
}

// thousands formats n with commas, like 100,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
