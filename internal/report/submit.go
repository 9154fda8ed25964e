package report

import (
	"context"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"candour/internal/attach"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/notify"
	"candour/internal/store"
	"candour/internal/validate"
)

// Submission is what a reporter sends.
type Submission struct {
	Kind Kind
	Mode Mode
	// DepartmentID is where it happened (optional for concerns).
	DepartmentID int64
	// OccurredOn is the date, YYYY-MM-DD; OccurredTime optional HH:MM.
	OccurredOn   string
	OccurredTime string
	Description  string
	// Safety events.
	ImmediateActions  string
	EventType         string
	PhysicalHarm      string
	PsychologicalHarm string
	People            []Involved
	// Concerns.
	Elements        []string
	DesiredOutcome  string
	RaisedElsewhere string
	// StaffGroup is the reporter's national staff group (a code from
	// org's staff groups), optional: the guardians' quarterly return
	// counts cases by professional group.
	StaffGroup  string
	Attachments []Upload
	// SubmissionKey makes a double-submitted form idempotent: the second
	// send returns the first report's reference. Only a keyed hash of it is
	// stored (idempotency.go).
	SubmissionKey string
}

// Receipt is what the reporter gets back.
type Receipt struct {
	ID        int64
	Reference string
	// AccessCode is set for anonymous reports only, and only here: it is
	// never stored and cannot be shown again.
	AccessCode    string
	AckDueOn      string
	FeedbackDueOn string
	// Repeat is true when this submission had already been received.
	Repeat bool
	// FileNotes tell the sender about files that were not what their
	// names said (a text file named .pdf), which are kept as what they
	// are: someone who meant to attach a PDF most likely picked the wrong
	// file, and should know.
	FileNotes []string
}

// timeGrace is how far ahead of now a time reported for today may be.
const timeGrace = 5 * time.Minute

// Limits on what a report may hold.
const (
	MaxDescription = 20000
	MinDescription = 10
	MaxShortText   = 4000
	MaxPeople      = 20
)

// isTimeOfDay reports whether v is a time on the 24-hour clock, HH:MM.
// (Every submission is checked, so these two are loops, not expressions.)
func isTimeOfDay(v string) bool {
	if len(v) != 5 || v[2] != ':' {
		return false
	}
	for _, i := range []int{0, 1, 3, 4} {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return (v[0] < '2' || v[0] == '2' && v[1] <= '3') && v[3] <= '5'
}

// isSubmissionKey reports whether v is an acceptable idempotency key: 16
// to 64 ASCII letters, digits, hyphens or underscores.
func isSubmissionKey(v string) bool {
	if len(v) < 16 || len(v) > 64 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// prepared is a validated submission ready to store.
type prepared struct {
	sub      Submission
	files    []attach.File
	reporter *authz.Principal
	// secret is the random part of an anonymous report's access code.
	secret string
	// keyHashes are the submission key's hashes, the one to store first
	// (submissionHashes); none without a key.
	keyHashes  []string
	now        time.Time
	receivedOn time.Time
	// Set when the report gets its id, inside the storing transaction.
	id        int64
	reference string
	code      string
}

// validate checks a submission and returns every problem at once, with
// field names that match the form's inputs.
func (s *Service) validate(ctx context.Context, sub *Submission, p *authz.Principal) (validate.Errors, []attach.File, error) {
	var errs validate.Errors
	switch sub.Kind {
	case SafetyEvent, Concern:
	default:
		errs.Add("kind", "Choose whether this is a patient safety event or a speak-up concern")
	}
	switch sub.Mode {
	case Open, Confidential:
		if p == nil {
			errs.Add("mode", "Sign in to raise this openly or confidentially, or choose to raise it anonymously")
		}
	case Anonymous:
	default:
		errs.Add("mode", "Choose how you want to raise this: openly, confidentially or anonymously")
	}
	label := "What happened"
	if sub.Kind == Concern {
		label = "Your concern"
	}
	sub.Description = errs.Text("description", label, sub.Description, true, MaxDescription)
	if sub.Kind == Concern {
		if fe := errs; len(fe) > 0 && fe[len(fe)-1].Field == "description" && fe[len(fe)-1].Message == "Enter your concern" {
			errs[len(errs)-1].Message = "Tell us what your concern is about"
		}
	}
	if !errs.Has("description") && !validate.LongEnough(sub.Description, MinDescription) {
		errs.Add("description", fmt.Sprintf("Tell us a little more: at least %d characters", MinDescription))
	}
	sub.ImmediateActions = errs.Text("immediate_actions", "Actions taken", sub.ImmediateActions, false, MaxShortText)
	sub.DesiredOutcome = errs.Text("desired_outcome", "What you would like to happen", sub.DesiredOutcome, false, MaxShortText)
	sub.RaisedElsewhere = errs.Text("raised_elsewhere", "Where you have raised it before", sub.RaisedElsewhere, false, MaxShortText)

	today := s.today()
	if sub.OccurredOn == "" {
		if sub.Kind == SafetyEvent {
			errs.Add("occurred_on-day", "Enter the date it happened")
		}
	} else if d, err := time.Parse(store.DateLayout, sub.OccurredOn); err != nil {
		errs.Add("occurred_on-day", "The date it happened must be a real date")
	} else if d.After(today) {
		errs.Add("occurred_on-day", "The date it happened must be today or in the past")
	} else if d.Before(s.Earliest) {
		errs.Add("occurred_on-day", "The date it happened cannot be before "+s.Earliest.Format("2 January 2006")+", when the organisation was established")
	}
	if sub.OccurredTime != "" && !isTimeOfDay(sub.OccurredTime) {
		errs.Add("occurred_time", "Enter the time as hours and minutes on the 24-hour clock, like 14:30")
	} else if sub.OccurredTime != "" && sub.OccurredOn == today.Format(store.DateLayout) {
		// A few minutes' grace for a watch or ward clock that runs fast.
		soon := s.Now().In(london()).Add(timeGrace)
		if soon.Format(store.DateLayout) == sub.OccurredOn && sub.OccurredTime > soon.Format("15:04") {
			errs.Add("occurred_time", "The time it happened must be now or earlier: it is "+s.Now().In(london()).Format("15:04")+" now")
		}
	}
	if sub.DepartmentID != 0 {
		exists, err := s.departmentExists(ctx, sub.DepartmentID)
		if err != nil {
			return nil, nil, fmt.Errorf("check department: %w", err)
		}
		if !exists {
			errs.Add("department_id", "Choose a department from the list")
		}
	} else if sub.Kind == SafetyEvent {
		errs.Add("department_id", "Choose where it happened")
	}

	switch sub.Kind {
	case SafetyEvent:
		if !valid(EventTypes(), sub.EventType) {
			errs.Add("event_type", "Choose what kind of event this is")
		}
		if sub.EventType == "good_care" || sub.EventType == "risk" {
			// Nothing went wrong for anyone: no harm to grade.
			if sub.PhysicalHarm == "" {
				sub.PhysicalHarm = "none"
			}
			if sub.PsychologicalHarm == "" {
				sub.PsychologicalHarm = "none"
			}
			if sub.EventType == "good_care" && (sub.PhysicalHarm != "none" || sub.PsychologicalHarm != "none") &&
				valid(PhysicalHarms(), sub.PhysicalHarm) && valid(PsychologicalHarms(), sub.PsychologicalHarm) {
				errs.Add("event_type", "Good care cannot have caused harm. If someone was harmed, choose patient safety incident or poor patient outcome instead")
			}
		}
		if !valid(PhysicalHarms(), sub.PhysicalHarm) {
			errs.Add("physical_harm", "Choose the level of physical harm, or no physical harm")
		}
		if !valid(PsychologicalHarms(), sub.PsychologicalHarm) {
			errs.Add("psychological_harm", "Choose the level of psychological harm, or no psychological harm")
		}
		if len(sub.Elements) > 0 {
			errs.Add("elements", "Elements apply to speak-up concerns only")
		}
		if sub.DesiredOutcome != "" {
			errs.Add("desired_outcome", "What you would like to happen applies to speak-up concerns only")
		}
		if sub.RaisedElsewhere != "" {
			errs.Add("raised_elsewhere", "Where you have raised it before applies to speak-up concerns only")
		}
	case Concern:
		if len(sub.Elements) == 0 {
			errs.Add("elements", "Choose at least one thing your concern is about")
		}
		seen := map[string]bool{}
		for _, e := range sub.Elements {
			if !valid(Elements(), e) {
				errs.Add("elements", fmt.Sprintf("%q is not one of the choices", e))
				break
			}
			seen[e] = true
		}
		sub.Elements = sub.Elements[:0]
		for _, o := range Elements() {
			if seen[o.Value] {
				sub.Elements = append(sub.Elements, o.Value)
			}
		}
		if sub.EventType != "" || sub.PhysicalHarm != "" || sub.PsychologicalHarm != "" {
			errs.Add("event_type", "Event type and harm apply to patient safety events only")
		}
		// A concern's form has neither: a concern is told to the guardians
		// in its own words, and names stay out of it.
		if sub.ImmediateActions != "" {
			errs.Add("immediate_actions", "Actions taken straight away apply to patient safety events only")
		}
		if len(sub.People) > 0 {
			errs.Add("people", "People involved apply to patient safety events only")
		}
	}
	if sub.StaffGroup != "" {
		if sub.Kind != Concern {
			errs.Add("staff_group", "Staff group applies to speak-up concerns only")
		} else if !utf8.ValidString(sub.StaffGroup) || len(sub.StaffGroup) > 64 {
			errs.Add("staff_group", "Choose your staff group from the list, or leave it blank")
		} else if known, err := s.staffGroupExists(ctx, sub.StaffGroup); err != nil {
			return nil, nil, fmt.Errorf("check staff group: %w", err)
		} else if !known {
			errs.Add("staff_group", "Choose your staff group from the list, or leave it blank")
		}
	}
	if len(sub.People) > MaxPeople {
		errs.Add("people", fmt.Sprintf("Record at most %d people", MaxPeople))
	}
	for i := range sub.People {
		pp := &sub.People[i]
		if !valid(PersonRoles(), pp.Role) {
			errs.Add(fmt.Sprintf("people-%d-role", i+1), "Choose whether this person is a patient, member of staff, visitor or someone else")
		}
		pp.Description = errs.Text(fmt.Sprintf("people-%d-description", i+1), "How they were involved", pp.Description, false, 500)
		pp.Name = errs.Text(fmt.Sprintf("people-%d-name", i+1), "Their name", pp.Name, false, 200)
	}
	if sub.SubmissionKey != "" && !isSubmissionKey(sub.SubmissionKey) {
		errs.Add("submission_key", "The form has expired; reload the page and send it again")
	}
	files := s.checkFiles(&errs, sub.Attachments, true)
	return errs, files, nil
}

// Submit validates and stores a report. p is the signed-in reporter, or nil.
// For an anonymous report p is ignored entirely: nothing about the sender is
// passed on or stored, whoever is signed in.
func (s *Service) Submit(ctx context.Context, sub Submission, p *authz.Principal) (Receipt, error) {
	if sub.Mode == Anonymous {
		p = nil
	}
	errs, files, err := s.validate(ctx, &sub, p)
	if err != nil {
		return Receipt{}, err
	}
	if len(errs) > 0 {
		return Receipt{}, errs
	}
	now := s.Now().UTC()
	pr := prepared{sub: sub, files: files, reporter: p, now: now, receivedOn: s.today()}
	var keyed string
	if sub.SubmissionKey != "" {
		// The key names this content: the same key sent with something
		// else (a form sent, then changed with Back and sent again) is a
		// different report, stored as one, not a repeat of the first.
		keyed = sub.SubmissionKey + "\x00" + contentDigest(sub, files)
		pr.keyHashes = s.submissionHashes(p, sub.Mode, keyed)
	}
	if sub.Mode == Anonymous {
		pr.secret = newCode(codeSecretGroups)
		if keyed != "" {
			pr.secret = s.keyedSecret(keyed, replayWindow(now))
		}
	}
	rec, err := s.store(ctx, pr) // through the group-commit writer when one runs
	if store.IsUniqueViolation(err) && len(pr.keyHashes) > 0 {
		// Two sends of one form raced on PostgreSQL; the other one won.
		rec, err = s.repeat(ctx, pr.keyHashes[0])
	}
	if err == nil && rec.Repeat && sub.Mode == Anonymous && keyed != "" {
		rec.AccessCode, err = s.replayCode(ctx, rec.ID, keyed, now)
	}
	if err == nil {
		rec.FileNotes = fileNotes(files)
	}
	return rec, err
}

// fileNotes says, for each file whose name did not match what it is, what
// it was kept as.
func fileNotes(files []attach.File) []string {
	var out []string
	for _, f := range files {
		if f.Renamed {
			out = append(out, f.NamedAs+" is "+f.Kind+", not what its name says, so it was kept as "+f.Kind+".")
		}
	}
	return out
}

// An anonymous report sent with a submission key gets an access code
// derived from that key, its content and the few minutes it was sent in
// (keyedSecret), instead of a random one. A send repeated within those
// minutes, because the first answer was lost or the button pressed twice,
// can then be given the code again (replayCode), which only its own
// sender could ask for: the key is random, sent by the reporter's browser
// or client alone, and never stored. Later repeats get no code, so a form
// sent again from a shared computer's history does not hand it to the
// next person to use it.
const codeReplayWindow = 5 * time.Minute

// replayWindow numbers the codeReplayWindow that t falls in.
func replayWindow(t time.Time) int64 { return t.Unix() / int64(codeReplayWindow/time.Second) }

// keyedSecret derives an access code's random groups from a submission key
// with its content (keyed) and a replayWindow: as unpredictable as random
// groups to anyone without both the key ring and the key.
func (s *Service) keyedSecret(keyed string, window int64) string {
	var stream []byte
	round := 0
	return spellCode(codeSecretGroups, func() byte {
		if len(stream) == 0 {
			h := s.Keys.Hash("access-code-secret", keyed+"\x00"+strconv.FormatInt(window, 10)+"\x00"+strconv.Itoa(round))
			_, digits, _ := strings.Cut(h, ":")
			stream, _ = hex.DecodeString(digits)
			round++
		}
		c := stream[0]
		stream = stream[1:]
		return c
	})
}

// replayCode is the access code of report id, sent again at now with the
// same key and content as when it was stored, if that was in this
// codeReplayWindow or the one before; otherwise "". The code is checked
// against the one stored, so a report stored with a random code (by an
// earlier version, or in another window) never gets a wrong one.
func (s *Service) replayCode(ctx context.Context, id int64, keyed string, now time.Time) (string, error) {
	var stored string
	if err := s.DB.QueryRowContext(ctx, `SELECT COALESCE(access_code_hash, '') FROM reports WHERE id = ?`, id).Scan(&stored); err != nil {
		return "", fmt.Errorf("read repeated report's code: %w", err)
	}
	for _, w := range []int64{replayWindow(now), replayWindow(now) - 1} {
		code := accessCode(s.keyedSecret(keyed, w), id)
		for _, h := range s.Keys.Hashes("access-code", code) {
			if subtle.ConstantTimeCompare([]byte(codeKey(code, h)), []byte(stored)) == 1 {
				return code, nil
			}
		}
	}
	return "", nil
}

// repeat returns the receipt for a submission already stored under the
// submission key hash.
func (s *Service) repeat(ctx context.Context, hash string) (Receipt, error) {
	var rec Receipt
	err := s.DB.QueryRowContext(ctx, `SELECT id, reference, ack_due_on, feedback_due_on FROM reports WHERE submission_hash = ?`, hash).
		Scan(&rec.ID, &rec.Reference, &rec.AckDueOn, &rec.FeedbackDueOn)
	if err != nil {
		return Receipt{}, fmt.Errorf("read repeated submission: %w", err)
	}
	rec.Repeat = true
	return rec, nil
}

// sealedReporter is what a confidential report seals about its reporter.
type sealedReporter struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
	Email  string `json:"email"`
}

// insert writes one prepared report inside tx; rk is as for insertMany.
func (s *Service) insert(ctx context.Context, tx *store.Tx, rk *recentKeys, pr prepared) (Receipt, error) {
	recs, err := s.insertMany(ctx, tx, rk, []prepared{pr})
	if err != nil {
		return Receipt{}, err
	}
	return recs[0], nil
}

// insertMany writes prepared reports inside tx, with as few statements as
// it can: one look-up of their submission keys, multi-row INSERTs for the
// reports and for their audit entries. Only people involved, attachments
// and confirmation emails take statements of their own per report. A
// submission key already stored, or sent twice among prs, gives a repeat
// receipt for the first report with it, as a second Submit would. The
// receipts are in the order of prs. On SQLite rk is the key memory, locked
// by the caller (lockKeys); on PostgreSQL it is nil and the database looks.
func (s *Service) insertMany(ctx context.Context, tx *store.Tx, rk *recentKeys, prs []prepared) ([]Receipt, error) {
	recs := make([]Receipt, len(prs))
	// first[i] is the index of the earlier report in prs with the same
	// submission key, or -1.
	first := make([]int, len(prs))
	byKey := make(map[string]int, len(prs))
	keyed := make([]int, 0, len(prs))
	for i, pr := range prs {
		first[i] = -1
		if len(pr.keyHashes) == 0 {
			continue
		}
		k := pr.keyHashes[0]
		if j, ok := byKey[k]; ok {
			first[i] = j
			continue
		}
		byKey[k] = i
		keyed = append(keyed, i)
	}
	stored, err := s.storedKeys(ctx, tx, rk, prs, keyed)
	if err != nil {
		return nil, err
	}
	fresh := make([]int, 0, len(prs))
	for i := range prs {
		if first[i] >= 0 {
			continue
		}
		if rec, ok := stored[i]; ok {
			recs[i] = rec
			continue
		}
		fresh = append(fresh, i)
	}

	ids, err := nextReportIDs(ctx, tx, len(fresh))
	if err != nil {
		return nil, err
	}
	for k, i := range fresh {
		pr := &prs[i]
		pr.id = ids[k]
		pr.reference = Reference(pr.sub.Kind, pr.id)
		if pr.sub.Mode == Anonymous {
			pr.code = accessCode(pr.secret, pr.id)
		}
	}
	const cols = 27
	args := make([]any, 0, min(len(fresh), store.MaxRowsPerStatement)*cols)
	created := make([]time.Time, len(prs))
	for rest := fresh; len(rest) > 0; {
		n := store.RowsChunk(len(rest))
		args = args[:0]
		for _, i := range rest[:n] {
			var a []any
			a, recs[i], created[i] = s.reportRow(prs[i])
			args = append(args, a...)
		}
		res, err := tx.ExecContext(ctx, reportsSQL.get(n), args...)
		if err != nil {
			return nil, fmt.Errorf("store report: %w", err)
		}
		if got, err := res.RowsAffected(); err != nil || got != int64(n) {
			return nil, fmt.Errorf("store report: %d of %d reports stored (%v)", got, n, err)
		}
		rest = rest[n:]
	}
	// What anonymous reporters do waits out its day before joining the audit
	// chain (audit.Hold), so that its place there cannot time it.
	events := make([]audit.Event, 0, len(fresh))
	var held []audit.Event
	for _, i := range fresh {
		pr, rec := prs[i], recs[i]
		for _, person := range pr.sub.People {
			var sealed any
			if person.Name != "" {
				sealed = s.Keys.Seal([]byte(person.Name), []byte("report:"+pr.reference+":person"))
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO report_people (report_id, role, description, name_sealed) VALUES (?, ?, ?, ?)`,
				rec.ID, person.Role, person.Description, sealed); err != nil {
				return nil, fmt.Errorf("store people involved: %w", err)
			}
		}
		if err := s.storeFiles(ctx, tx, rec.ID, 0, pr.files, created[i], pr.sub.Mode != Open); err != nil {
			return nil, err
		}
		ev := audit.Event{At: created[i], Actor: reporterActor(pr.sub.Mode, pr.reporter),
			Action: "report.submit", Entity: "report", EntityID: id(rec.ID),
			Detail: KindLabel(pr.sub.Kind) + " raised " + ModeLabel(pr.sub.Mode)}
		if pr.sub.Mode != Open {
			// Anonymous and confidential reporters' entries wait for
			// their day to end (audit.Hold): beside the sign-ins and
			// other entries in the log, their time could name them.
			held = append(held, ev)
		} else {
			events = append(events, ev)
		}
	}
	if err := audit.RecordAll(ctx, tx, events); err != nil {
		return nil, err
	}
	if err := audit.Hold(ctx, tx, held); err != nil {
		return nil, err
	}
	var emails []notify.Queued
	for _, i := range fresh {
		pr, rec := prs[i], recs[i]
		if pr.reporter != nil && pr.reporter.Email != "" {
			subject := "Thank you for speaking up: " + pr.reference
			if pr.sub.Mode == Confidential {
				subject = "Thank you for speaking up"
			}
			emails = append(emails, notify.Queued{At: pr.now, Message: notify.Message{
				To:      pr.reporter.Email,
				Subject: subject,
				Body:    s.thankYou(pr.sub, rec),
			}})
		}
	}
	if err := notify.EnqueueAll(ctx, tx, emails); err != nil {
		return nil, fmt.Errorf("confirmation email: %w", err)
	}
	for i, j := range first {
		if j >= 0 {
			// Sent twice in one batch: the second is a repeat of the first.
			recs[i] = Receipt{ID: recs[j].ID, Reference: recs[j].Reference, AckDueOn: recs[j].AckDueOn,
				FeedbackDueOn: recs[j].FeedbackDueOn, Repeat: true}
		}
	}
	return recs, nil
}

// storedKeys returns the receipts (marked as repeats) of the reports
// already stored under the submission keys of prs[i] for i in keyed, by i.
func (s *Service) storedKeys(ctx context.Context, tx *store.Tx, rk *recentKeys, prs []prepared, keyed []int) (map[int]Receipt, error) {
	var out map[int]Receipt
	found := func(i int, rec Receipt) {
		if out == nil {
			out = map[int]Receipt{}
		}
		out[i] = rec
	}
	if rk != nil {
		for _, i := range keyed {
			id, ok := rk.find(prs[i].keyHashes)
			if !ok {
				continue
			}
			rec := Receipt{ID: id, Repeat: true}
			if err := tx.QueryRowContext(ctx, `SELECT reference, ack_due_on, feedback_due_on FROM reports WHERE id = ?`, id).
				Scan(&rec.Reference, &rec.AckDueOn, &rec.FeedbackDueOn); err != nil {
				return nil, fmt.Errorf("check repeat: %w", err)
			}
			found(i, rec)
		}
		return out, nil
	}
	// Every hash of every key, each pointing back to its report in prs.
	owner := make(map[string]int, len(keyed))
	hashes := make([]string, 0, len(keyed))
	for _, i := range keyed {
		for _, h := range prs[i].keyHashes {
			owner[h] = i
			hashes = append(hashes, h)
		}
	}
	args := make([]any, 0, min(len(hashes), store.MaxRowsPerStatement))
	for rest := hashes; len(rest) > 0; {
		n := store.RowsChunk(len(rest))
		args = args[:0]
		for _, h := range rest[:n] {
			args = append(args, h)
		}
		rows, err := tx.QueryContext(ctx, keysSQL.get(n), args...)
		if err != nil {
			return nil, fmt.Errorf("check repeat: %w", err)
		}
		for rows.Next() {
			var h string
			rec := Receipt{Repeat: true}
			if err := rows.Scan(&h, &rec.ID, &rec.Reference, &rec.AckDueOn, &rec.FeedbackDueOn); err != nil {
				rows.Close()
				return nil, fmt.Errorf("check repeat: %w", err)
			}
			found(owner[h], rec)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("check repeat: %w", err)
		}
		rest = rest[n:]
	}
	return out, nil
}

// nextReportIDs takes n new report ids inside tx. On SQLite the
// transaction holds the database's only write lock, so the ids after the
// largest stored are free; on PostgreSQL they come from the column's
// identity sequence, as they would for a plain INSERT, so replicas never
// take the same one.
func nextReportIDs(ctx context.Context, tx *store.Tx, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if n == 0 {
		return ids, nil
	}
	if tx.Dialect() == store.SQLite {
		var last int64
		// Never below what the search index has reached: a number at or
		// under indexed_upto would never be indexed (search_index.go).
		if err := tx.QueryRowContext(ctx, `SELECT max(coalesce(max(id), 0), (SELECT indexed_upto FROM search_progress)) FROM reports`).Scan(&last); err != nil {
			return nil, fmt.Errorf("number report: %w", err)
		}
		for i := range n {
			ids = append(ids, last+1+int64(i))
		}
		return ids, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence('reports', 'id')) FROM generate_series(1, ?)`, n)
	if err != nil {
		return nil, fmt.Errorf("number report: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("number report: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("number report: %w", err)
	}
	if len(ids) != n {
		return nil, fmt.Errorf("number report: %d ids for %d reports", len(ids), n)
	}
	return ids, nil
}

// reportRow is a prepared report's row in reports, in the column order of
// reportsSQL, with its receipt and the time it is stored as created. The
// report must have its id.
func (s *Service) reportRow(pr prepared) ([]any, Receipt, time.Time) {
	sub := pr.sub
	ackDue := pr.receivedOn.AddDate(0, 0, s.Deadlines.AckDays[sub.Kind]).Format(store.DateLayout)
	feedbackDue := pr.receivedOn.AddDate(0, 0, s.Deadlines.FeedbackDays[sub.Kind]).Format(store.DateLayout)
	createdAt := pr.now
	var reporterUserID, reporterKey, reporterSealed, codeHash, subKey, department, occurredOn, occurredTime, eventType, phys, psych, group any
	switch sub.Mode {
	case Open:
		reporterUserID = pr.reporter.UserID
		reporterKey = s.Keys.Hash("reporter", id(pr.reporter.UserID))
	case Confidential:
		reporterKey = s.Keys.Hash("reporter", id(pr.reporter.UserID))
		b, _ := json.Marshal(sealedReporter{pr.reporter.UserID, pr.reporter.Name, pr.reporter.Email})
		reporterSealed = s.Keys.Seal(b, []byte("report:"+pr.reference+":reporter"))
	case Anonymous:
		codeHash = codeKey(pr.code, s.Keys.Hash("access-code", pr.code))
		// The day is all an anonymous report keeps of when it arrived.
		createdAt = pr.receivedOn
	}
	if len(pr.keyHashes) > 0 {
		subKey = pr.keyHashes[0]
	}
	if sub.DepartmentID != 0 {
		department = sub.DepartmentID
	}
	if sub.OccurredOn != "" {
		occurredOn = sub.OccurredOn
	}
	if sub.OccurredTime != "" {
		occurredTime = sub.OccurredTime
	}
	if sub.Kind == SafetyEvent {
		eventType, phys, psych = sub.EventType, sub.PhysicalHarm, sub.PsychologicalHarm
	}
	if sub.StaffGroup != "" {
		group = sub.StaffGroup
	}
	rec := Receipt{ID: pr.id, Reference: pr.reference, AccessCode: pr.code, AckDueOn: ackDue, FeedbackDueOn: feedbackDue}
	args := []any{
		pr.id, pr.reference, string(sub.Kind), string(sub.Mode), string(TeamFor(sub.Kind)), string(New), department, occurredOn, occurredTime,
		sub.Description, sub.ImmediateActions, eventType, phys, psych, strings.Join(sub.Elements, ","), sub.DesiredOutcome, sub.RaisedElsewhere,
		reporterUserID, reporterKey, reporterSealed, codeHash, subKey, pr.receivedOn.Format(store.DateLayout), store.T(createdAt), store.T(createdAt),
		ackDue, feedbackDue, group,
	}
	return args, rec, createdAt
}

// multiRow holds the texts of one multi-row statement for each chunk size
// store.RowsChunk can give, built once.
type multiRow []string

func newMultiRow(prefix string, cols int, suffix string) multiRow {
	m := make(multiRow, store.MaxRowsPerStatement+1)
	for n := 1; n <= store.MaxRowsPerStatement; n *= 2 {
		m[n] = prefix + store.Placeholders(n, cols) + suffix
	}
	return m
}

func (m multiRow) get(n int) string { return m[n] }

var (
	reportsSQL = newMultiRow(`INSERT INTO reports (id, reference, kind, mode, team, status, department_id, occurred_on, occurred_time,
		description, immediate_actions, event_type, physical_harm, psychological_harm, elements, desired_outcome, raised_elsewhere,
		reporter_user_id, reporter_key, reporter_sealed, access_code_hash, submission_hash, received_on, created_at, updated_at,
		ack_due_on, feedback_due_on, staff_group) VALUES `, 28, ``)
	keysSQL = inList(`SELECT submission_hash, id, reference, ack_due_on, feedback_due_on FROM reports WHERE submission_hash IN (`)
)

// inList is like newMultiRow for "IN (?, ?, ...)".
func inList(prefix string) multiRow {
	m := make(multiRow, store.MaxRowsPerStatement+1)
	for n := 1; n <= store.MaxRowsPerStatement; n *= 2 {
		m[n] = prefix + strings.TrimSuffix(strings.TrimPrefix(store.Placeholders(1, n), "("), ")") + ")"
	}
	return m
}

func (s *Service) storeFiles(ctx context.Context, tx *store.Tx, reportID, messageID int64, files []attach.File, at time.Time, renamed bool) error {
	first := 1
	if renamed && len(files) > 0 && messageID != 0 {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) + 1 FROM attachments WHERE report_id = ?`, reportID).Scan(&first); err != nil {
			return fmt.Errorf("number attachments: %w", err)
		}
	}
	for i, f := range files {
		var msg any
		if messageID != 0 {
			msg = messageID
		}
		name := f.Filename
		if renamed {
			name = plainName(f, first+i)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO attachments (report_id, message_id, filename, content_type, size, sha256, data, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, reportID, msg, name, f.ContentType, len(f.Data), f.SHA256, f.Data, store.T(at)); err != nil {
			return fmt.Errorf("store attachment: %w", err)
		}
	}
	return nil
}

// plainName is the name an anonymous or confidential reporter's file is
// stored under: "photo-2.jpg", "document-3.pdf". The name their computer
// gave can say who they are ("Statement - Sam Okoro.pdf") or, from a phone,
// the second the photo was taken ("IMG_20261129_140233.jpg").
func plainName(f attach.File, n int) string {
	what := "document"
	if strings.HasPrefix(f.ContentType, "image/") {
		what = "photo"
	}
	return what + "-" + strconv.Itoa(n) + path.Ext(f.Filename)
}

// thankYou is the confirmation email: it says what happens next and by
// when, and carries no narrative (email is not a safe place for it). For a
// confidential report it names neither the report nor its kind, so that
// the outbox and the mail system hold no link between the person and it.
func (s *Service) thankYou(sub Submission, rec Receipt) string {
	team := "the patient safety team"
	if sub.Kind == Concern {
		team = "the Freedom to Speak Up guardians"
	}
	report := "Your report " + rec.Reference
	if sub.Mode == Confidential {
		report, team = "The report you raised in confidence", "the team that handles it"
	}
	ack, _ := time.Parse(store.DateLayout, rec.AckDueOn)
	fb, _ := time.Parse(store.DateLayout, rec.FeedbackDueOn)
	return fmt.Sprintf(`Thank you for speaking up. %s has reached %s.

What happens next:
- Someone will acknowledge it by %s.
- You will hear what was found and what changed by %s at the latest.
- You can read replies and add information at any time under "My reports": %s/my-reports

Speaking up is welcome here. If you are treated worse because you spoke up, tell a Freedom to Speak Up guardian.
`, report, team, ack.Format("2 January 2006"), fb.Format("2 January 2006"), s.BaseURL)
}

// errorsAs is a small helper for callers that need validation errors.
func errorsAs(err error) (validate.Errors, bool) {
	var v validate.Errors
	ok := errors.As(err, &v)
	return v, ok
}
