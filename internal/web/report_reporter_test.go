package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"candour/internal/app/apptest"
	"candour/internal/authz"
	"candour/internal/config"
	"candour/internal/report"
	"candour/internal/store/storetest"
)

// rrFile is a file to upload with a form.
type rrFile struct {
	name string
	data []byte
}

// rrPost sends a multipart form with files to path and returns the
// response, body read.
func rrPost(t *testing.T, e *apptest.Env, c *http.Client, path string, v url.Values, files ...rrFile) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range v {
		for _, s := range vs {
			mw.WriteField(k, s)
		}
	}
	if len(files) == 0 {
		// What a browser sends for a file input left empty.
		w, _ := mw.CreateFormFile("attachments", "")
		w.Write(nil)
	}
	for _, f := range files {
		w, err := mw.CreateFormFile("attachments", f.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.data)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, e.URL(path), &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// rrPNG is a small valid PNG.
func rrPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{0, 94, 184, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rrFind returns the first submatch of pattern in body, failing the test
// when there is none.
func rrFind(t *testing.T, what, pattern, body string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s: no match for %s in\n%s", what, pattern, body)
	}
	return m[len(m)-1]
}

// rrCount counts the reports stored.
func rrCount(t *testing.T, e *apptest.Env) int {
	t.Helper()
	var n int
	if err := e.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM reports`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// rrReportID finds a report's id by its reference.
func rrReportID(t *testing.T, e *apptest.Env, ref string) int64 {
	t.Helper()
	var id int64
	if err := e.DB.QueryRowContext(context.Background(), `SELECT id FROM reports WHERE reference = ?`, ref).Scan(&id); err != nil {
		t.Fatalf("report %s: %v", ref, err)
	}
	return id
}

// rrPrincipal is the principal of the test user holding role.
func rrPrincipal(e *apptest.Env, role authz.Role) *authz.Principal {
	u := e.Users[role]
	return &authz.Principal{UserID: u.ID, Email: u.Email, Name: u.Name, Roles: []authz.Role{role}}
}

// rrNoCookies fails the test if the response sets any cookie.
func rrNoCookies(t *testing.T, what string, res *http.Response) {
	t.Helper()
	if c := res.Header.Values("Set-Cookie"); len(c) > 0 {
		t.Errorf("%s sets cookies: %q", what, c)
	}
}

// rrEventForm is a valid anonymous safety event form for the fixture.
func rrEventForm(f orgFixture, key string) url.Values {
	day := time.Now().AddDate(0, 0, -1)
	return url.Values{
		"submission_key": {key}, "mode": {"anonymous"}, "event_type": {"incident"},
		"occurred_on-day": {fmt.Sprint(day.Day())}, "occurred_on-month": {fmt.Sprint(int(day.Month()))}, "occurred_on-year": {fmt.Sprint(day.Year())},
		"occurred_time": {"14:30"}, "department_id": {fmt.Sprint(f.ward.ID)},
		"description":   {"The patient in bay 3 was given insulin twice because the chart was not signed at handover."},
		"physical_harm": {"low"}, "psychological_harm": {"none"},
		"immediate_actions": {"Blood glucose checked hourly; the doctor was told."},
		"people-1-role":     {"patient"}, "people-1-description": {"Received the second dose"},
	}
}

const rrCodePattern = `id="access-code">([ACDEFGHJKMNPQRTWXY3467]{4}(?:-[ACDEFGHJKMNPQRTWXY3467]{4}){4})<`

func TestReportAnonymousEventAndFollowUp(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		f := newOrgFixture(t, e)
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

		status, body := e.Get(t, c, "/report")
		orgStatus(t, "GET /report", status, http.StatusOK, body)
		orgHas(t, "front door", body, "<h1>Report or speak up</h1>", `href="/report/safety-event"`, `href="/report/concern"`,
			"Patient safety event", "Speak-up concern", "Openly", "Confidentially", "Anonymously", `href="/follow-up"`, "cannot be recovered")
		orgLacks(t, "front door signed out", body, `href="/my-reports"`)

		status, body = e.Get(t, c, "/report/safety-event")
		orgStatus(t, "GET /report/safety-event", status, http.StatusOK, body)
		orgHas(t, "event form", body, `enctype="multipart/form-data"`, `<optgroup label="Northfield General Hospital">`,
			`>Ward 7</option>`, "You will need to sign in.", `id="occurred_on-day"`, `type="file" multiple`, "10 MB",
			"no names or NHS numbers", "Good care", "a lost code", `id="people-3-role"`)
		key := rrFind(t, "submission key", `name="submission_key" value="([A-Za-z0-9_-]{32})"`, body)

		res, body := rrPost(t, e, c, "/report/safety-event", rrEventForm(f, key), rrFile{"ward photo.png", rrPNG(t)})
		orgStatus(t, "anonymous event", res.StatusCode, http.StatusOK, body)
		rrNoCookies(t, "anonymous submission", res)
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("confirmation Cache-Control %q, want no-store", cc)
		}
		orgHas(t, "confirmation", body, "Thank you for speaking up", "the patient safety team", "cannot be recovered", `href="/follow-up"`)
		orgLacks(t, "anonymous confirmation", body, "/my-reports/", "confirmation email")
		ref := rrFind(t, "reference", `<strong>(SE-[0-9]{6,}-[0-9])</strong>`, body)
		code := rrFind(t, "access code", rrCodePattern, body)
		if strings.Contains(e.Logs.String(), code) {
			t.Error("the access code is in the logs")
		}
		id := rrReportID(t, e, ref)
		var mode string
		var reporter, files int
		e.DB.QueryRowContext(ctx, `SELECT mode, COALESCE(reporter_user_id, 0) FROM reports WHERE id = ?`, id).Scan(&mode, &reporter)
		e.DB.QueryRowContext(ctx, `SELECT count(*) FROM attachments WHERE report_id = ?`, id).Scan(&files)
		if mode != "anonymous" || reporter != 0 || files != 1 {
			t.Errorf("stored mode %q, reporter %d, %d files; want anonymous, none, 1", mode, reporter, files)
		}

		// Follow up with the code, typed loosely.
		res, body = e.PostForm(t, c, "/follow-up", url.Values{"code": {strings.ToLower(strings.ReplaceAll(code, "-", " "))}})
		orgStatus(t, "follow up", res.StatusCode, http.StatusOK, body)
		rrNoCookies(t, "follow-up", res)
		orgHas(t, "follow-up page", body, `Your report <span class="app-nowrap">`+ref, "given insulin twice", "Ward 7, Northfield General Hospital",
			"New", "photo-1.png", "Send a message")
		// The name the reporter's computer gave the file is not kept.
		orgLacks(t, "follow-up page", body, "ward photo")
		orgLacks(t, "follow-up page", body, code)
		token := html.UnescapeString(rrFind(t, "token", `name="token" value="([^"]+)"`, body))
		aid := rrFind(t, "attachment", `action="/follow-up/attachments/(\d+)"`, body)

		// Download the photo with the token.
		res, got := e.PostForm(t, c, "/follow-up/attachments/"+aid, url.Values{"token": {token}})
		orgStatus(t, "download", res.StatusCode, http.StatusOK, "")
		if res.Header.Get("Content-Type") != "image/png" || res.Header.Get("X-Content-Type-Options") != "nosniff" ||
			res.Header.Get("Cache-Control") != "no-store" || res.Header.Get("Content-Disposition") != `attachment; filename="photo-1.png"; filename*=UTF-8''photo-1.png` ||
			res.Header.Get("Content-Security-Policy") != "default-src 'none'; sandbox" {
			t.Errorf("download headers: %v", res.Header)
		}
		if _, err := png.Decode(strings.NewReader(got)); err != nil {
			t.Errorf("downloaded file is not a PNG: %v", err)
		}
		res, _ = e.PostForm(t, c, "/follow-up/attachments/"+aid, url.Values{"token": {"fu1.forged.token"}})
		orgStatus(t, "download with a forged token", res.StatusCode, http.StatusUnauthorized, "")

		// Reply with the token; an empty reply keeps the page and says why.
		res, body = rrPost(t, e, c, "/follow-up/messages", url.Values{"token": {token}, "message": {"  "}})
		orgStatus(t, "empty reply", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "empty reply", body, `href="#message"`, `Your report <span class="app-nowrap">`+ref)
		if strings.Contains(body, "choose your files again") {
			t.Error("empty reply without files: the page asks for files to be chosen again")
		}
		// With a file chosen, the page says it must be chosen again.
		res, body = rrPost(t, e, c, "/follow-up/messages", url.Values{"token": {token}, "message": {"  "}}, rrFile{"chart.png", rrPNG(t)})
		orgStatus(t, "empty reply with a file", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "empty reply with a file", body, `href="#message"`, "choose your files again")
		res, body = rrPost(t, e, c, "/follow-up/messages", url.Values{"token": {token}, "message": {"It happened again on the night shift."}})
		orgStatus(t, "reply", res.StatusCode, http.StatusOK, body)
		rrNoCookies(t, "reply", res)
		orgHas(t, "after reply", body, "Your message has been sent", "It happened again on the night shift.", "From you")
		// The team sees the reply under its day alone, the only part of its
		// time that is kept, not under a made-up "at 00:00".
		status, page := e.Get(t, e.SignIn(t, authz.Safety), fmt.Sprintf("/reports/%d", id))
		orgStatus(t, "handler's view", status, http.StatusOK, page)
		london, err := time.LoadLocation("Europe/London")
		if err != nil {
			t.Fatal(err)
		}
		today := time.Now().In(london).Format("2 January 2006")
		orgHas(t, "handler's view", page, "It happened again on the night shift.", "Message from the person who raised this, "+today+"<")
		orgLacks(t, "handler's view", page, "at 00:00", "at 01:00")

		// A wrong code: 401, the same message every time, and the code is not echoed.
		wrong := "ACDE-FGHJ-KMNP-QRTW-XY34"
		res, body = e.PostForm(t, c, "/follow-up", url.Values{"code": {wrong}})
		orgStatus(t, "wrong code", res.StatusCode, http.StatusUnauthorized, body)
		orgHas(t, "wrong code", body, "That access code does not match a report. Check it and try again", `href="#code"`)
		orgLacks(t, "wrong code", body, wrong, ref)

		// The handler replies and closes; the reporter sees both and gives feedback.
		safety := rrPrincipal(e, authz.Safety)
		if err := e.App.Reports.MessageReporter(ctx, safety, id, "Thank you. Which ward were you on when it happened again?", false, nil); err != nil {
			t.Fatal(err)
		}
		if err := e.App.Reports.Close(ctx, safety, id, "We found the chart was not signed; handover now includes a check of insulin charts."); err != nil {
			t.Fatal(err)
		}
		res, body = e.PostForm(t, c, "/follow-up", url.Values{"code": {code}})
		orgStatus(t, "follow up after closing", res.StatusCode, http.StatusOK, body)
		orgHas(t, "closed follow-up", body, "Which ward were you on", "What we found and what changed", "handover now includes a check",
			"Would you speak up again?", `action="/follow-up/feedback"`, "Closed", "help the patient safety team understand")
		token = html.UnescapeString(rrFind(t, "token", `name="token" value="([^"]+)"`, body))
		res, body = e.PostForm(t, c, "/follow-up/feedback", url.Values{"token": {token}, "speak_up_again": {"yes"}})
		orgStatus(t, "incomplete feedback", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "incomplete feedback", body, `href="#detriment"`, `value="yes" checked`)
		// Treated worse for speaking up: no green "Success", but an apology,
		// who has been told, and the way to tell them more.
		res, body = e.PostForm(t, c, "/follow-up/feedback", url.Values{"token": {token}, "speak_up_again": {"yes"}, "detriment": {"yes"}})
		orgStatus(t, "feedback", res.StatusCode, http.StatusOK, body)
		orgHas(t, "after feedback", body, "We are sorry this happened to you",
			"the patient safety team and the Freedom to Speak Up guardians have been told", `<a href="#message">`, "with your access code",
			"Thank you for your feedback. You told us")
		orgLacks(t, "after feedback", body, `action="/follow-up/feedback"`, "Success")
		var again string
		e.DB.QueryRowContext(ctx, `SELECT COALESCE(speak_up_again, '') FROM reports WHERE id = ?`, id).Scan(&again)
		if again != "yes" {
			t.Errorf("speak_up_again stored %q, want yes", again)
		}

		// Half an hour later the token has expired: enter the code again,
		// and what was being typed is carried over.
		e.App.Reports.Now = func() time.Time { return time.Now().Add(report.FollowUpTTL + time.Minute) }
		res, body = rrPost(t, e, c, "/follow-up/messages", url.Values{"token": {token}, "message": {"One more thing about the chart."}})
		orgStatus(t, "expired token", res.StatusCode, http.StatusUnauthorized, body)
		orgHas(t, "expired token", body, "Enter your access code again", `name="code"`, `value="One more thing about the chart."`)
		orgLacks(t, "expired token", body, "given insulin twice")
		res, body = e.PostForm(t, c, "/follow-up", url.Values{"code": {code}, "message": {"One more thing about the chart."}})
		orgStatus(t, "code again", res.StatusCode, http.StatusOK, body)
		orgHas(t, "code again", body, ">One more thing about the chart.</textarea>")
	})
}

func TestReportFormErrorsKeepWhatWasTyped(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		f := newOrgFixture(t, e)
		c := e.Client()
		narrative := "The bed rails were left down overnight & the patient nearly fell."
		v := url.Values{
			"submission_key": {"abcdefghijklmnopqrstuv"}, "department_id": {fmt.Sprint(f.ward.ID)},
			"occurred_on-day": {"31"}, "occurred_on-month": {"2"}, "occurred_on-year": {"2026"}, "occurred_time": {"25:00"},
			"description": {narrative}, "people-3-description": {"Nearly fell"},
		}
		res, body := rrPost(t, e, c, "/report/safety-event", v)
		orgStatus(t, "event with errors", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "event with errors", body, "Error: Report a patient safety event", "There is a problem",
			">"+html.EscapeString(narrative)+"</textarea>",
			`<a href="#mode">Choose how you want to raise this`,
			`<a href="#event_type">`, `<a href="#occurred_on-day">The date it happened must be a real date</a>`,
			`<a href="#occurred_time">`, `<a href="#physical_harm">`, `<a href="#people-3-role">`,
			`value="Nearly fell"`, `value="abcdefghijklmnopqrstuv"`, `value="31"`, `value="`+fmt.Sprint(f.ward.ID)+`" selected`)
		// In page order: how to raise first, then the event type, then the date.
		if i, j := strings.Index(body, `href="#mode"`), strings.Index(body, `href="#occurred_on-day"`); i > j {
			t.Error("the error summary is not in page order")
		}
		if n := rrCount(t, e); n != 0 {
			t.Errorf("%d reports stored, want 0", n)
		}

		// A concern without what it is about.
		res, body = rrPost(t, e, c, "/report/concern", url.Values{"mode": {"anonymous"}, "description": {"Short"}, "desired_outcome": {"Someone to listen"}})
		orgStatus(t, "concern with errors", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "concern with errors", body, `<a href="#elements">`, `<a href="#description">Tell us a little more`, ">Short</textarea>", ">Someone to listen</textarea>")
	})
}

func TestReportPrivacyWarning(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		f := newOrgFixture(t, e)
		c := e.Client()
		v := rrEventForm(f, "privacy-check-key-0001")
		v.Set("description", "The patient with NHS number 943 476 5919 was given the wrong dose.")
		res, body := rrPost(t, e, c, "/report/safety-event", v, rrFile{"scan.png", rrPNG(t)})
		orgStatus(t, "narrative with an NHS number", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "privacy warning", body, "Check what you wrote before you send it", "In what happened: This looks like it contains an NHS number (943 476 5919)",
			`name="confirm_privacy"`, "I have checked: send it as it is", "943 476 5919 was given the wrong dose.</textarea>",
			`<a href="#attachments">Choose your files again: for your safety`, "<title>Error: ", `<a href="#confirm_privacy">Check what you wrote: it may say who someone is`,
			`id="confirm_privacy-error"`, "has not been sent yet")
		// A concern names the fields the names are in, and speaks of the
		// guardians, not of a "People involved" section it does not have.
		res, body = rrPost(t, e, c, "/report/concern", url.Values{"mode": {"anonymous"}, "elements": {"behaviours"},
			"description":     {"My supervisor shouts at the students on the ward every week."},
			"desired_outcome": {"Someone to talk to Dr Peter Brown about it."}, "raised_elsewhere": {"I told my manager Karen Smith in March."}})
		orgStatus(t, "concern naming people", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "concern naming people", body, "In what you would like to happen, and in where you have raised it before: ",
			"Peter Brown", "Karen Smith", "the guardians can ask you for names")
		orgLacks(t, "concern naming people", body, "People involved")
		// A name or number in how someone was involved is kept as
		// written (only the name box is sealed), so it is checked too.
		pv := rrEventForm(f, "privacy-check-key-0002")
		pv.Set("people-1-description", "Mrs Edith Jones, NHS number 943 476 5919, fell")
		res, body = rrPost(t, e, c, "/report/safety-event", pv)
		orgStatus(t, "person described by name", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "person described by name", body, "In how person 1 was involved: ", "943 476 5919", `name="confirm_privacy"`,
			`value="Mrs Edith Jones, NHS number 943 476 5919, fell"`)
		orgLacks(t, "person described by name", body, "In what happened")
		if n := rrCount(t, e); n != 0 {
			t.Fatalf("%d reports stored before confirming, want 0", n)
		}
		v.Set("confirm_privacy", "yes")
		res, body = rrPost(t, e, c, "/report/safety-event", v)
		orgStatus(t, "confirmed", res.StatusCode, http.StatusOK, body)
		orgHas(t, "confirmed", body, "Thank you for speaking up")
		if n := rrCount(t, e); n != 1 {
			t.Errorf("%d reports stored, want 1", n)
		}
	})
}

func TestReportDoubleSubmission(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		f := newOrgFixture(t, e)
		c := e.Client()
		v := rrEventForm(f, "double-submit-key-000001")
		res, first := rrPost(t, e, c, "/report/safety-event", v)
		orgStatus(t, "first send", res.StatusCode, http.StatusOK, first)
		ref := rrFind(t, "reference", `<strong>(SE-[0-9]{6,}-[0-9])</strong>`, first)
		code := rrFind(t, "access code", rrCodePattern, first)
		// Sent again at once (the first answer lost, say): the same code,
		// or the reporter would never see it.
		res, again := rrPost(t, e, c, "/report/safety-event", v)
		orgStatus(t, "second send", res.StatusCode, http.StatusOK, again)
		orgHas(t, "second send", again, "We already have this report", "<strong>"+ref+"</strong>", `id="access-code">`+code+`<`)
		orgLacks(t, "second send", again, "shown when you first sent it")
		// Sent again from the browser's history a quarter of an hour later,
		// perhaps by the next person at a shared computer: no code.
		e.App.Reports.Now = func() time.Time { return time.Now().Add(15 * time.Minute) }
		res, later := rrPost(t, e, c, "/report/safety-event", v)
		orgStatus(t, "later send", res.StatusCode, http.StatusOK, later)
		orgHas(t, "later send", later, "We already have this report", "<strong>"+ref+"</strong>", "shown when you first sent it")
		orgLacks(t, "later send", later, `id="access-code"`, code)
		if n := rrCount(t, e); n != 1 {
			t.Errorf("%d reports stored, want 1", n)
		}
	})
}

func TestReportAttachmentThatLies(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		f := newOrgFixture(t, e)
		c := e.Client()
		v := rrEventForm(f, "lying-attachment-key-01")
		res, body := rrPost(t, e, c, "/report/safety-event", v, rrFile{"photo.png", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")})
		orgStatus(t, "HTML named .png", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "HTML named .png", body, `<a href="#attachments">photo.png is really`, `id="attachments-error"`,
			"given insulin twice", "choose your files again")
		if n := rrCount(t, e); n != 0 {
			t.Errorf("%d reports stored, want 0", n)
		}
	})
}

func TestReportOpenConcernMyReportsAndNotifications(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		newOrgFixture(t, e)
		staff := e.SignIn(t, authz.Staff)

		status, body := e.Get(t, staff, "/report")
		orgStatus(t, "GET /report signed in", status, http.StatusOK, body)
		orgHas(t, "front door signed in", body, `href="/my-reports"`)
		status, body = e.Get(t, staff, "/report/concern")
		orgStatus(t, "GET /report/concern", status, http.StatusOK, body)
		orgHas(t, "concern form", body, "Bullying or harassment", `name="elements"`, "What would you like to happen?")
		orgLacks(t, "concern form signed in", body, "You will need to sign in.")
		key := rrFind(t, "submission key", `name="submission_key" value="([A-Za-z0-9_-]{32})"`, body)

		res, body := rrPost(t, e, staff, "/report/concern", url.Values{
			"submission_key": {key}, "mode": {"open"}, "elements": {"worker_safety", "behaviours"},
			"description":     {"Breaks are being cancelled on the ward every week and people are exhausted."},
			"desired_outcome": {"A fair break rota"}, "raised_elsewhere": {"With the ward manager in March"},
		})
		orgStatus(t, "open concern", res.StatusCode, http.StatusOK, body)
		orgHas(t, "open concern", body, "Thank you for speaking up", "the Freedom to Speak Up guardians")
		// Email is off here (no SMTP host): the page promises no email.
		orgLacks(t, "open concern, email off", body, "confirmation email")
		orgLacks(t, "open concern", body, `id="access-code"`)
		ref := rrFind(t, "reference", `<strong>(SU-[0-9]{6,}-[0-9])</strong>`, body)
		id := rrReportID(t, e, ref)
		mine := fmt.Sprintf("/my-reports/%d", id)
		orgHas(t, "open concern", body, `href="`+mine+`"`)

		status, body = e.Get(t, staff, "/my-reports")
		orgStatus(t, "GET /my-reports", status, http.StatusOK, body)
		orgHas(t, "my reports", body, `<a class="app-nowrap" href="`+mine+`">`+ref+`</a>`, "Speak-up concern", "Openly", ">New<")
		orgLacks(t, "my reports", body, "Feedback wanted")

		status, body = e.Get(t, staff, mine)
		orgStatus(t, "GET "+mine, status, http.StatusOK, body)
		orgHas(t, "my report", body, "Breaks are being cancelled", "Worker safety or wellbeing, Inappropriate attitudes or behaviours",
			"A fair break rota", `action="`+mine+`/messages"`)
		orgLacks(t, "my report", body, `name="token"`)

		// Someone else's report is not found.
		other := e.SignIn(t, authz.Manager)
		status, _ = e.Get(t, other, mine)
		orgStatus(t, "someone else's report", status, http.StatusNotFound, "")
		res, _ = rrPost(t, e, other, mine+"/messages", url.Values{"message": {"Not mine"}})
		orgStatus(t, "message on someone else's report", res.StatusCode, http.StatusNotFound, "")

		// A reply with a photo reaches the guardian.
		res, body = rrPost(t, e, staff, mine+"/messages", url.Values{"message": {"It happened again yesterday."}}, rrFile{"rota.png", rrPNG(t)})
		orgStatus(t, "reply", res.StatusCode, http.StatusSeeOther, body)
		status, body = e.Get(t, staff, res.Header.Get("Location"))
		orgStatus(t, "after reply", status, http.StatusOK, body)
		orgHas(t, "after reply", body, "Your message has been sent", "It happened again yesterday.", "Download rota.png")
		guardian := rrPrincipal(e, authz.Guardian)
		got, err := e.App.Reports.Get(ctx, guardian, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Messages) != 1 || !got.Messages[0].FromReporter || got.Messages[0].Body != "It happened again yesterday." || len(got.Messages[0].Attachments) != 1 {
			t.Fatalf("guardian sees messages %+v", got.Messages)
		}
		href := rrFind(t, "attachment link", `href="(`+mine+`/attachments/\d+)"`, body)
		res, err = staff.Get(e.URL(href))
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		orgStatus(t, "download", res.StatusCode, http.StatusOK, "")
		if _, err := png.Decode(bytes.NewReader(data)); err != nil || res.Header.Get("Content-Type") != "image/png" {
			t.Errorf("download: %v, Content-Type %q", err, res.Header.Get("Content-Type"))
		}
		status, _ = e.Get(t, other, href)
		orgStatus(t, "someone else's download", status, http.StatusNotFound, "")

		// The guardian replies: a notice for the reporter.
		if err := e.App.Reports.MessageReporter(ctx, guardian, id, "Thank you for telling us. Could we meet this week?", false, nil); err != nil {
			t.Fatal(err)
		}
		status, body = e.Get(t, staff, "/notifications")
		orgStatus(t, "GET /notifications", status, http.StatusOK, body)
		orgHas(t, "notifications", body, "There is a new message about your report "+ref, `href="`+mine+`"`, ">Unread<", "Mark all as read")
		noticeID := rrFind(t, "notice id", `name="id" value="(\d+)"`, body)
		_, body = orgFollow(t, e, staff, "/notifications/read", url.Values{"id": {noticeID}})
		orgHas(t, "after marking read", body, "The notification is marked as read", "You have read all your notifications")
		orgLacks(t, "after marking read", body, ">Unread<")
		res, _ = e.PostForm(t, other, "/notifications/read", url.Values{"id": {noticeID}})
		orgStatus(t, "someone else's notice", res.StatusCode, http.StatusNotFound, "")

		status, body = e.Get(t, staff, mine)
		orgStatus(t, "my report after the guardian's reply", status, http.StatusOK, body)
		orgHas(t, "my report after the guardian's reply", body, "Could we meet this week?", "Test Freedom to Speak Up guardian")

		// Closed: feedback is wanted.
		if err := e.App.Reports.Close(ctx, guardian, id, "We met the ward manager and breaks are now protected on the rota."); err != nil {
			t.Fatal(err)
		}
		_, body = e.Get(t, staff, "/my-reports")
		orgHas(t, "my reports after closing", body, "Feedback wanted", ">Closed<")
		_, body = e.Get(t, staff, mine)
		orgHas(t, "my report after closing", body, "breaks are now protected", "Would you speak up again?", `action="`+mine+`/feedback"`)
		res, body = e.PostForm(t, staff, mine+"/feedback", url.Values{"detriment": {"no"}})
		orgStatus(t, "incomplete feedback", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "incomplete feedback", body, `<a href="#speak_up_again">`)
		orgHas(t, "my report after closing", body, "help the Freedom to Speak Up guardians understand")
		_, body = orgFollow(t, e, staff, mine+"/feedback", url.Values{"speak_up_again": {"maybe"}, "detriment": {"no"}})
		orgHas(t, "after feedback", body, "Success", "Thank you for your feedback")
		orgLacks(t, "after feedback", body, "We are sorry")
		var again, detriment string
		e.DB.QueryRowContext(ctx, `SELECT COALESCE(speak_up_again, ''), COALESCE(detriment, '') FROM reports WHERE id = ?`, id).Scan(&again, &detriment)
		if again != "maybe" || detriment != "no" {
			t.Errorf("feedback stored %q, %q", again, detriment)
		}

		// Mark all as read.
		_, body = orgFollow(t, e, staff, "/notifications/read", url.Values{"all": {"yes"}})
		orgLacks(t, "after marking all read", body, ">Unread<")
	})
}

func TestReportSignedOutIsAskedToSignInAndKeepsTheDraft(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		newOrgFixture(t, e)
		c := e.Client()
		_, form := e.Get(t, c, "/report/concern")
		key := rrFind(t, "submission key", `name="submission_key" value="([^"]+)"`, form)
		draft := url.Values{"submission_key": {key}, "mode": {"confidential"}, "elements": {"other", "behaviours"},
			"description": {"Something is not right with how rotas are set & shared."}}
		with := func(extra ...string) url.Values {
			v := url.Values{}
			for k, vs := range draft {
				v[k] = vs
			}
			for i := 0; i+1 < len(extra); i += 2 {
				v.Set(extra[i], extra[i+1])
			}
			return v
		}
		escaped := html.EscapeString(draft.Get("description"))

		// Sent confidentially without signing in (with a file): asked to
		// sign in, the draft carried in the page, nothing stored or set.
		res, body := rrPost(t, e, c, "/report/concern", draft, rrFile{"rota.png", rrPNG(t)})
		orgStatus(t, "confidential signed out", res.StatusCode, http.StatusOK, body)
		orgHas(t, "sign-in step", body, "Sign in to raise this confidentially", "Choose your files again",
			`name="description" value="`+escaped+`"`, `name="elements" value="behaviours"`, `name="elements" value="other"`,
			`name="submission_key" value="`+key+`"`, `action="/report/concern"`)
		rrNoCookies(t, "sign-in step", res)

		// A wrong password: said plainly, the draft still carried.
		res, body = e.PostForm(t, c, "/report/concern", with("sign_in_step", "sign-in", "sign_in_email", e.Users[authz.Staff].Email, "sign_in_password", "wrong"))
		orgStatus(t, "wrong password", res.StatusCode, http.StatusUnauthorized, body)
		orgHas(t, "wrong password", body, "Your email address or password is not correct", `name="description" value="`+escaped+`"`,
			`value="`+e.Users[authz.Staff].Email+`"`)
		orgLacks(t, "wrong password", body, `value="wrong"`)
		rrNoCookies(t, "wrong password", res)
		res, body = e.PostForm(t, c, "/report/concern", with("sign_in_step", "sign-in"))
		orgStatus(t, "sign-in sent empty", res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "sign-in sent empty", body, "Enter your email address", "Enter your password")

		// Going back shows the report form as typed, to raise it anonymously instead.
		res, body = e.PostForm(t, c, "/report/concern", with("sign_in_step", "back"))
		orgStatus(t, "go back", res.StatusCode, http.StatusOK, body)
		orgHas(t, "go back", body, escaped+"</textarea>", "Speak up about a concern")
		if n := rrCount(t, e); n != 0 {
			t.Fatalf("%d reports stored before anyone sent one", n)
		}

		// Signing in: a session starts, and the form comes back filled in,
		// not yet sent.
		res, body = e.PostForm(t, c, "/report/concern", with("sign_in_step", "sign-in", "sign_in_email", e.Users[authz.Staff].Email, "sign_in_password", apptest.Password))
		orgStatus(t, "signed in", res.StatusCode, http.StatusOK, body)
		orgHas(t, "signed in", body, "Your report has not been sent yet", escaped+"</textarea>", `value="confidential" checked`,
			`name="submission_key" value="`+key+`"`)
		if len(res.Header.Values("Set-Cookie")) == 0 {
			t.Fatal("signing in on the way did not start a session")
		}
		if n := rrCount(t, e); n != 0 {
			t.Fatalf("signing in sent the report (%d stored) before the reporter checked it", n)
		}

		// Sent again, signed in now: stored as theirs, confidentially.
		res, body = rrPost(t, e, c, "/report/concern", draft)
		orgStatus(t, "send after signing in", res.StatusCode, http.StatusOK, body)
		ref := rrFind(t, "reference", `(SU-[0-9A-Z-]+)`, body)
		if _, mine := e.Get(t, c, "/my-reports"); !strings.Contains(mine, ref) {
			t.Fatalf("My reports does not list %s", ref)
		}
		var mode string
		e.DB.QueryRowContext(context.Background(), `SELECT mode FROM reports WHERE reference = ?`, ref).Scan(&mode)
		if mode != "confidential" {
			t.Fatalf("report stored as %q, want confidential", mode)
		}
		for _, p := range []string{"/my-reports", "/notifications"} {
			status, _ := e.Get(t, e.Client(), p)
			orgStatus(t, "GET "+p+" signed out", status, http.StatusSeeOther, "")
		}
	})
}

func TestFollowUpWrongCodesAreRateLimited(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		c := e.Client()
		for i := 0; i < 10; i++ {
			res, body := e.PostForm(t, c, "/follow-up", url.Values{"code": {"AAAA-AAAA-AAAA-AAAA-AAAA"}, "message": {"Still worried"}})
			orgStatus(t, "wrong code", res.StatusCode, http.StatusUnauthorized, body)
		}
		res, body := e.PostForm(t, c, "/follow-up", url.Values{"code": {"AAAA-AAAA-AAAA-AAAA-AAAA"}, "message": {"Still worried"}})
		orgStatus(t, "eleventh wrong code", res.StatusCode, http.StatusTooManyRequests, body)
		orgHas(t, "rate-limited page", body, "nhsuk-error-summary", "Too many wrong access codes have been tried. Wait ", " and try again", "Still worried")
		if wait, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || wait < 1 || wait > 900 {
			t.Fatalf("Retry-After %q, want the seconds left in the window", res.Header.Get("Retry-After"))
		}
	})
}

// Good care is not a problem to be investigated: its confirmation says so.
func TestReportGoodCareConfirmation(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		f := newOrgFixture(t, e)
		c := e.Client()
		_, body := e.Get(t, c, "/report/safety-event")
		key := rrFind(t, "submission key", `name="submission_key" value="([A-Za-z0-9_-]{32})"`, body)
		form := rrEventForm(f, key)
		form.Set("event_type", "good_care")
		form.Set("description", "The night team on ward 7 stayed late to settle a frightened patient and her family.")
		form.Del("physical_harm")
		form.Del("psychological_harm")
		res, body := rrPost(t, e, c, "/report/safety-event", form)
		orgStatus(t, "good care", res.StatusCode, http.StatusOK, body)
		orgHas(t, "good care confirmation", body, "Thank you for speaking up", "how it has been shared", "recognise good care")
		orgLacks(t, "good care confirmation", body, "what was found and what changed", "treated worse")
	})
}

// A reporter whose report is past its dates reads an apology, not a date
// that quietly went by.
func TestReporterSeesLateDatesWithAnApology(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		newOrgFixture(t, e)
		rec, err := e.App.Reports.Submit(context.Background(), report.Submission{Kind: report.Concern, Mode: report.Open,
			Description: "Breaks on the night shift are cut short whenever the ward is busy.", Elements: []string{"worker_safety"}},
			rrPrincipal(e, authz.Staff))
		if err != nil {
			t.Fatal(err)
		}
		staff := e.SignIn(t, authz.Staff)
		mine := fmt.Sprintf("/my-reports/%d", rec.ID)
		status, body := e.Get(t, staff, mine)
		orgStatus(t, "on time", status, http.StatusOK, body)
		orgHas(t, "on time", body, "Not yet: due by")
		orgLacks(t, "on time", body, "sorry it is late")

		clock := e.App.Web.Now
		defer func() { e.App.Web.Now = clock }()
		e.App.Web.Now = func() time.Time { return clock().AddDate(0, 0, 10) }
		_, body = e.Get(t, staff, mine)
		orgHas(t, "acknowledgement late", body, "Not yet. It was due by", "we are sorry it is late, and the team has been told")
		// And the team has been: the deadline job, run that day, tells
		// the guardians.
		reportsClock := e.App.Reports.Now
		defer func() { e.App.Reports.Now = reportsClock }()
		e.App.Reports.Now = e.App.Web.Now
		if _, err := e.App.Reports.RunDeadlines(context.Background()); err != nil {
			t.Fatal(err)
		}
		var told int
		e.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM notifications WHERE user_id = ? AND report_id = ? AND body LIKE 'Overdue:%'`,
			e.Users[authz.Guardian].ID, rec.ID).Scan(&told)
		if told != 1 {
			t.Errorf("the guardian has %d overdue notices for the report, want 1", told)
		}
		e.App.Web.Now = func() time.Time { return clock().AddDate(0, 4, 0) }
		_, body = e.Get(t, staff, mine)
		if n := strings.Count(body, "we are sorry it is late"); n != 2 {
			t.Errorf("both dates late: %d apologies, want 2", n)
		}
	})
}

// The apology to a reporter treated worse for speaking up names the teams
// told: the team that has the report now, which after it was passed on is
// not the one its kind first went to.
func TestTreatedWorseNamesTheTeamsTold(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		f := newOrgFixture(t, e)
		ctx := context.Background()
		rec, err := e.App.Reports.Submit(ctx, report.Submission{Kind: report.SafetyEvent, Mode: report.Open, DepartmentID: f.ward.ID,
			OccurredOn: time.Now().AddDate(0, 0, -1).Format("2006-01-02"), EventType: "incident", PhysicalHarm: "none", PsychologicalHarm: "low",
			Description: "The charge nurse shouts at the students at every handover."}, rrPrincipal(e, authz.Staff))
		if err != nil {
			t.Fatal(err)
		}
		if err := e.App.Reports.Reroute(ctx, rrPrincipal(e, authz.Safety), rec.ID, "This is about behaviour, not a patient safety event"); err != nil {
			t.Fatal(err)
		}
		if err := e.App.Reports.Close(ctx, rrPrincipal(e, authz.Guardian), rec.ID, "We met the charge nurse and the practice educator."); err != nil {
			t.Fatal(err)
		}
		staff := e.SignIn(t, authz.Staff)
		mine := fmt.Sprintf("/my-reports/%d", rec.ID)
		_, body := e.Get(t, staff, mine)
		orgHas(t, "feedback card", body, "help the Freedom to Speak Up guardians understand")
		_, body = orgFollow(t, e, staff, mine+"/feedback", url.Values{"speak_up_again": {"no"}, "detriment": {"yes"}})
		orgHas(t, "after feedback", body, "We are sorry this happened to you", "you have been, and the Freedom to Speak Up guardians have been told")
		orgLacks(t, "after feedback", body, "the patient safety team and")
	})
}

// The confirmation page promises an email only when email is on, and the
// confidential reporter's says it names no report.
func TestConfirmationPromisesEmailOnlyWhenEmailIsOn(t *testing.T) {
	db := storetest.SQLite(t)
	e := apptest.NewConfigured(t, db, func(c *config.Config) { c.SMTPHost, c.SMTPPort = "127.0.0.1", 2525 })
	newOrgFixture(t, e)
	staff := e.SignIn(t, authz.Staff)
	for _, tc := range []struct{ mode, says string }{
		{"open", "We are also sending you a confirmation email with your reference."},
		{"confidential", "it does not give the reference or say what kind of report it is"},
	} {
		_, body := e.Get(t, staff, "/report/concern")
		key := rrFind(t, "submission key", `name="submission_key" value="([A-Za-z0-9_-]{32})"`, body)
		res, body := rrPost(t, e, staff, "/report/concern", url.Values{
			"submission_key": {key}, "mode": {tc.mode}, "elements": {"worker_safety"},
			"description": {"Breaks are being cancelled on the ward every week and people are exhausted."},
		})
		orgStatus(t, tc.mode+" concern", res.StatusCode, http.StatusOK, body)
		orgHas(t, tc.mode+" concern, email on", body, tc.says)
	}
}

// Times are taken as people write them on the 24-hour clock and stored as
// HH:MM; anything else is refused by name, with what was typed kept.
func TestReportTimeAsPeopleWriteIt(t *testing.T) {
	e := apptest.NewSQLite(t)
	f := newOrgFixture(t, e)
	c := e.Client()
	for i, tc := range []struct{ typed, stored string }{
		{"14:30", "14:30"}, {"9:05", "09:05"}, {"1430", "14:30"}, {"14.30", "14:30"}, {" 0905 ", "09:05"}, {"7.45", "07:45"},
	} {
		v := rrEventForm(f, fmt.Sprintf("time-as-written-key-%04d", i))
		v.Set("occurred_time", tc.typed)
		res, body := rrPost(t, e, c, "/report/safety-event", v)
		orgStatus(t, "time "+tc.typed, res.StatusCode, http.StatusOK, body)
		ref := rrFind(t, "reference", `<strong>(SE-[0-9]{6,}-[0-9])</strong>`, body)
		var stored string
		if err := e.DB.QueryRowContext(context.Background(), `SELECT occurred_time FROM reports WHERE reference = ?`, ref).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored != tc.stored {
			t.Errorf("time typed %q stored as %q, want %q", tc.typed, stored, tc.stored)
		}
	}
	for i, typed := range []string{"24:00", "14:60", "2pm", "143", "14:3", "1:2:3"} {
		v := rrEventForm(f, fmt.Sprintf("time-refused-key-%04d", i))
		v.Set("occurred_time", typed)
		res, body := rrPost(t, e, c, "/report/safety-event", v)
		orgStatus(t, "time "+typed, res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, "time "+typed, body, `<a href="#occurred_time">Enter the time as hours and minutes on the 24-hour clock`,
			`value="`+html.EscapeString(typed)+`"`)
	}
}

// Feedback sent after the follow-up session ended is not lost: the answers
// wait through the access-code form and are chosen again on the report.
func TestFollowUpFeedbackSurvivesTheSessionEnding(t *testing.T) {
	e := apptest.NewSQLite(t)
	f := newOrgFixture(t, e)
	ctx := context.Background()
	c := e.Client()
	rec := rrAnonymousConcern(t, e, f)
	if err := e.App.Reports.Close(ctx, rrPrincipal(e, authz.Guardian), rec.ID, "Break cover is now on the night rota."); err != nil {
		t.Fatal(err)
	}
	res, body := e.PostForm(t, c, "/follow-up", url.Values{"code": {rec.AccessCode}})
	orgStatus(t, "follow up", res.StatusCode, http.StatusOK, body)
	token := html.UnescapeString(rrFind(t, "token", `name="token" value="([^"]+)"`, body))
	closing := rrFind(t, "closing", `name="closing" value="([^"]*)"`, body)

	e.App.Reports.Now = func() time.Time { return time.Now().Add(report.FollowUpTTL + time.Minute) }
	res, body = e.PostForm(t, c, "/follow-up/feedback", url.Values{"token": {token}, "closing": {closing},
		"speak_up_again": {"maybe"}, "detriment": {"prefer_not_to_say"}})
	orgStatus(t, "feedback after the session ended", res.StatusCode, http.StatusUnauthorized, body)
	orgHas(t, "feedback after the session ended", body, "Enter your access code again", "Your feedback has not been sent yet",
		`<input type="hidden" name="speak_up_again" value="maybe">`, `<input type="hidden" name="detriment" value="prefer_not_to_say">`)
	var stored string
	e.DB.QueryRowContext(ctx, `SELECT COALESCE(speak_up_again, '') FROM reports WHERE id = ?`, rec.ID).Scan(&stored)
	if stored != "" {
		t.Fatalf("feedback stored with an ended session: %q", stored)
	}

	res, body = e.PostForm(t, c, "/follow-up", url.Values{"code": {rec.AccessCode}, "speak_up_again": {"maybe"}, "detriment": {"prefer_not_to_say"}})
	orgStatus(t, "code again", res.StatusCode, http.StatusOK, body)
	orgHas(t, "code again", body, `name="speak_up_again" type="radio" value="maybe" checked`,
		`name="detriment" type="radio" value="prefer_not_to_say" checked`, `action="/follow-up/feedback"`)
	orgLacks(t, "code again", body, "Your feedback has not been sent yet")
}

// The message forms carry a send key: the same page sent twice (a double
// click, or Reload on the page a message was sent from) keeps one message.
func TestMessageFormsSentTwiceKeepOneMessage(t *testing.T) {
	e := apptest.NewSQLite(t)
	f := newOrgFixture(t, e)
	ctx := context.Background()
	c := e.Client()
	rec := rrAnonymousConcern(t, e, f)
	messages := func() int {
		t.Helper()
		var n int
		if err := e.DB.QueryRowContext(ctx, `SELECT count(*) FROM report_messages WHERE report_id = ?`, rec.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	res, body := e.PostForm(t, c, "/follow-up", url.Values{"code": {rec.AccessCode}})
	orgStatus(t, "follow up", res.StatusCode, http.StatusOK, body)
	token := html.UnescapeString(rrFind(t, "token", `name="token" value="([^"]+)"`, body))
	key := rrFind(t, "send key", `name="send_key" value="([A-Za-z0-9_-]{32})"`, body)
	for range 2 {
		res, body = rrPost(t, e, c, "/follow-up/messages", url.Values{"token": {token}, "send_key": {key}, "message": {"It happened again last night."}})
		orgStatus(t, "message", res.StatusCode, http.StatusOK, body)
		orgHas(t, "message", body, "Your message has been sent", "It happened again last night.")
	}
	if n := messages(); n != 1 {
		t.Fatalf("%d messages after the same page was sent twice, want 1", n)
	}
	if next := rrFind(t, "next send key", `name="send_key" value="([A-Za-z0-9_-]{32})"`, body); next == key {
		t.Fatal("the page after a message reuses its send key: the next message would be taken for a repeat")
	}

	guardian := e.SignIn(t, authz.Guardian)
	page := rhGet(t, e, guardian, reportPath(rec.ID, ""), http.StatusOK)
	keys := regexp.MustCompile(`name="send_key" value="([A-Za-z0-9_-]{32})"`).FindAllStringSubmatch(page, -1)
	if len(keys) != 2 || keys[0][1] == keys[1][1] {
		t.Fatalf("the report page's message and note forms carry send keys %v, want two different ones", keys)
	}
	for range 2 {
		rhPost(t, e, guardian, rec.ID, "messages", url.Values{"send_key": {keys[0][1]}, "message": {"Thank you. Which ward was it?"}})
	}
	if n := messages(); n != 2 {
		t.Fatalf("%d messages after the handler's page was sent twice, want 2", n)
	}
}

// A file that is not what its name says is kept as what it is, and the
// confirmation page says so: someone who meant to attach a PDF most likely
// picked the wrong file.
func TestConfirmationSaysWhichFilesWereNotWhatTheySaid(t *testing.T) {
	e := apptest.NewSQLite(t)
	f := newOrgFixture(t, e)
	v := rrEventForm(f, "renamed-file-key-000001")
	res, body := rrPost(t, e, e.Client(), "/report/safety-event", v, rrFile{"ward rota.pdf", []byte("Nights: two nurses short on Tuesday.\n")}, rrFile{"chart.png", rrPNG(t)})
	orgStatus(t, "report with a text file named .pdf", res.StatusCode, http.StatusOK, body)
	orgHas(t, "confirmation", html.UnescapeString(body), "We checked the files you attached",
		"ward rota.pdf is a text file, not what its name says, so it was kept as a text file.",
		"add the right one with a message when you follow up with your access code")
	orgLacks(t, "confirmation", body, "chart.png is")
	v = rrEventForm(f, "renamed-file-key-000002")
	_, body = rrPost(t, e, e.Client(), "/report/safety-event", v, rrFile{"chart.png", rrPNG(t)})
	orgLacks(t, "confirmation with files as they say", body, "We checked the files you attached")
}

// A report closed as a duplicate keeps its two-way channel: the team can
// still write to its reporter, and the reporter can answer and add to it.
func TestDuplicateReporterCanStillWrite(t *testing.T) {
	e := apptest.NewSQLite(t)
	f := newOrgFixture(t, e)
	ctx := context.Background()
	sub := report.Submission{Kind: report.Concern, Mode: report.Anonymous, DepartmentID: f.ward.ID,
		Description: "Breaks on nights are cancelled every week and nobody will say why.", Elements: []string{"worker_safety"}}
	orig, err := e.App.Reports.Submit(ctx, sub, nil)
	if err != nil {
		t.Fatal(err)
	}
	sub.Description = "Night staff on ward 7 have had no breaks for a month."
	dup, err := e.App.Reports.Submit(ctx, sub, nil)
	if err != nil {
		t.Fatal(err)
	}
	g := rrPrincipal(e, authz.Guardian)
	if err := e.App.Reports.MarkDuplicate(ctx, g, dup.ID, orig.Reference); err != nil {
		t.Fatal(err)
	}
	if err := e.App.Reports.MessageReporter(ctx, g, dup.ID, "Thank you. Was this on ward 7 only?", false, nil); err != nil {
		t.Fatal(err)
	}
	c := e.Client()
	res, body := e.PostForm(t, c, "/follow-up", url.Values{"code": {dup.AccessCode}})
	orgStatus(t, "a duplicate's follow-up", res.StatusCode, http.StatusOK, body)
	orgHas(t, "a duplicate's follow-up", body, "Was this on ward 7 only?", `action="/follow-up/messages"`)
	token := html.UnescapeString(rrFind(t, "token", `name="token" value="([^"]+)"`, body))
	res, body = rrPost(t, e, c, "/follow-up/messages", url.Values{"token": {token}, "message": {"Ward 7 and the admissions unit."}})
	orgStatus(t, "a duplicate's reporter answering", res.StatusCode, http.StatusOK, body)
	orgHas(t, "a duplicate's reporter answering", body, "Ward 7 and the admissions unit.")
}

// rrAnonymousConcern submits an anonymous concern about the ward.
func rrAnonymousConcern(t *testing.T, e *apptest.Env, f orgFixture) report.Receipt {
	t.Helper()
	rec, err := e.App.Reports.Submit(context.Background(), report.Submission{Kind: report.Concern, Mode: report.Anonymous, DepartmentID: f.ward.ID,
		Description: "Breaks on nights are cancelled every week and nobody will say why.", Elements: []string{"worker_safety"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// A date with one part wrong marks that part alone and the error summary
// links to it; a date wrong as a whole (in the future) marks all three.
func TestReportDateErrorsPointAtThePartAtFault(t *testing.T) {
	e := apptest.NewSQLite(t)
	f := newOrgFixture(t, e)
	c := e.Client()
	for _, tc := range []struct {
		name, day, month, year, href, message string
		marked                                []string
	}{
		{"no month", "5", "", "2026", "occurred_on-month", "The date it happened must include a month", []string{"month"}},
		{"two-digit year", "5", "3", "26", "occurred_on-year", "The date it happened must have a year with 4 numbers", []string{"year"}},
		{"month 13", "5", "13", "2026", "occurred_on-month", "The date it happened must be a real date", []string{"month"}},
		{"31 February", "31", "2", "2026", "occurred_on-day", "The date it happened must be a real date", []string{"day", "month", "year"}},
		{"in the future", "5", "3", fmt.Sprint(time.Now().Year() + 1), "occurred_on-day", "", []string{"day", "month", "year"}},
	} {
		v := rrEventForm(f, "date-part-key-"+strings.ReplaceAll(tc.name, " ", "-")+"-0000")
		v.Set("occurred_on-day", tc.day)
		v.Set("occurred_on-month", tc.month)
		v.Set("occurred_on-year", tc.year)
		res, body := rrPost(t, e, c, "/report/safety-event", v)
		orgStatus(t, tc.name, res.StatusCode, http.StatusUnprocessableEntity, body)
		orgHas(t, tc.name, body, `<a href="#`+tc.href+`">`+tc.message)
		for _, part := range []string{"day", "month", "year"} {
			marked := strings.Contains(body, `nhsuk-input--error nhsuk-input--width-`) &&
				regexp.MustCompile(`class="nhsuk-input nhsuk-input--error[^"]*" id="occurred_on-`+part+`"`).MatchString(body)
			if want := slices.Contains(tc.marked, part); marked != want {
				t.Errorf("%s: the %s marked %v, want %v", tc.name, part, marked, want)
			}
		}
	}
}
