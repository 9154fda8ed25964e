package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"candour/internal/app/apptest"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/org"
	"candour/internal/store/storetest"
)

// The proof that anonymous means anonymous: a signed-in member of staff
// sends anonymous reports through the web form and through the API, from a
// distinctive address and browser; afterwards neither the database files nor
// the server's logs hold the address, the user agent, the session cookie, the
// API token or the account id anywhere near the reports.
func TestAnonymousReportsLeaveNoTrace(t *testing.T) {
	db := storetest.SQLite(t)
	e := apptest.New(t, db)
	ctx := context.Background()
	site, _ := e.App.Org.CreateSite(ctx, audit.System, org.Site{Code: "AN", Name: "Anonymity General"})
	dep, err := e.App.Org.CreateDepartment(ctx, audit.System, org.Department{SiteID: site.ID, Code: "AN1", Name: "Ward A", Kind: "ward"})
	if err != nil {
		t.Fatal(err)
	}

	// Serve on one loopback address and connect from another, so that the
	// client's address is unmistakable.
	const clientIP = "127.0.0.77"
	const userAgent = "PrivacyProbe/9.9 (candour anonymity test; ua-5c1e7d)"
	ln, err := net.Listen("tcp", "127.0.0.3:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.3: %v", err)
	}
	srv := httptest.NewUnstartedServer(e.App.Handler())
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	defer srv.Close()
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(clientIP)}}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Transport: &http.Transport{DialContext: dialer.DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(req *http.Request) (*http.Response, string) {
		t.Helper()
		req.Header.Set("User-Agent", userAgent)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}

	// Sign in as a member of staff: the browser now carries a session cookie.
	staff := e.Users[authz.Staff]
	req, _ := http.NewRequest("POST", srv.URL+"/sign-in", strings.NewReader(url.Values{"email": {staff.Email}, "password": {apptest.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res, _ := do(req); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", res.StatusCode)
	}
	u, _ := url.Parse(srv.URL)
	var sessionCookie string
	for _, c := range jar.Cookies(u) {
		if c.Name == "candour_session" {
			sessionCookie = c.Value
		}
	}
	if sessionCookie == "" {
		t.Fatal("no session cookie after signing in")
	}

	// 1. The web form, anonymously, from the signed-in browser.
	res, body := do(mustGet(t, srv.URL+"/report/safety-event"))
	if res.StatusCode != 200 {
		t.Fatalf("form: %d", res.StatusCode)
	}
	key := regexp.MustCompile(`name="submission_key" value="([^"]+)"`).FindStringSubmatch(body)
	if key == nil {
		t.Fatal("the form has no submission key")
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	for k, v := range map[string]string{
		"submission_key": key[1], "mode": "anonymous", "event_type": "incident", "department_id": strconv.FormatInt(dep.ID, 10),
		"occurred_on-day": "1", "occurred_on-month": "2", "occurred_on-year": "2026", "occurred_time": "",
		"description":   "A medicine fridge on the ward was found unlocked overnight with the keys left in it.",
		"physical_harm": "none", "psychological_harm": "none",
	} {
		mw.WriteField(k, v)
	}
	mw.Close()
	req, _ = http.NewRequest("POST", srv.URL+"/report/safety-event", &form)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, body = do(req)
	if res.StatusCode != 200 || !strings.Contains(body, "SE-") {
		t.Fatalf("anonymous web report: %d\n%s", res.StatusCode, body)
	}
	if len(res.Header.Values("Set-Cookie")) != 0 {
		t.Fatalf("the anonymous report's answer set cookies: %v", res.Header.Values("Set-Cookie"))
	}

	// 2. The API, anonymously, with the staff member's own token attached.
	token := e.Token(t, authz.Staff)
	req, _ = http.NewRequest("POST", srv.URL+"/api/v1/reports", strings.NewReader(`{"kind": "concern", "mode": "anonymous",
		"description": "Staff are told not to report short staffing because it makes the ward look bad.", "elements": ["worker_safety"]}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	// A UUIDv7 idempotency key spells the millisecond the client made it.
	const idempotencyKey = "019cade2-123b-7c41-9a57-3f0c2d8e4b61"
	req.Header.Set("Idempotency-Key", idempotencyKey)
	res, body = do(req)
	if res.StatusCode != 201 || !strings.Contains(body, "access_code") {
		t.Fatalf("anonymous API report: %d %s", res.StatusCode, body)
	}
	var rec struct {
		AccessCode string `json:"access_code"`
	}
	json.Unmarshal([]byte(body), &rec)

	// 3. The reporter follows up with the code, still from the same browser.
	req, _ = http.NewRequest("POST", srv.URL+"/follow-up", strings.NewReader(url.Values{"code": {rec.AccessCode}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res, _ := do(req); res.StatusCode != 200 {
		t.Fatalf("follow-up: %d", res.StatusCode)
	}

	// Nothing links the reports to the person: look in the reports' rows...
	var linked int
	db.QueryRowContext(ctx, `SELECT count(*) FROM reports WHERE reporter_user_id IS NOT NULL OR reporter_key IS NOT NULL
		OR reporter_sealed IS NOT NULL OR created_at NOT LIKE '%T00:00:00.000000Z'`).Scan(&linked)
	if linked != 0 {
		t.Fatalf("%d anonymous reports hold reporter data or a precise time", linked)
	}
	db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE entity = 'report' AND actor_id IS NOT NULL`).Scan(&linked)
	if linked != 0 {
		t.Fatalf("%d audit entries tie a report to an account", linked)
	}
	// ...nor their place in the audit chain, whose other entries carry exact
	// times: what an anonymous reporter does waits out its day first.
	db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE actor = 'reporter (anonymous)'`).Scan(&linked)
	var held int
	db.QueryRowContext(ctx, `SELECT count(*) FROM audit_pending WHERE actor = 'reporter (anonymous)'`).Scan(&held)
	if linked != 0 || held < 3 {
		t.Fatalf("%d entries by the anonymous reporter in the audit chain the same day and %d held back; want none and at least 3 (two reports, a follow-up)", linked, held)
	}
	var used string
	db.QueryRowContext(ctx, `SELECT COALESCE(last_used_at, '') FROM api_tokens WHERE user_id = ?`, staff.ID).Scan(&used)
	if used != "" {
		t.Fatalf("the anonymous submission marked the sender's token as used at %s", used)
	}
	var outbox int
	db.QueryRowContext(ctx, `SELECT count(*) FROM outbox`).Scan(&outbox)
	if outbox != 0 {
		t.Fatalf("%d emails queued about anonymous reports", outbox)
	}

	// ...then in every byte of the database files and the logs.
	path := strings.TrimPrefix(db.Location, "sqlite:")
	var everything bytes.Buffer
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		b, err := os.ReadFile(f)
		if err == nil {
			everything.Write(b)
		}
	}
	everything.WriteString(e.Logs.String())
	if everything.Len() < 10000 {
		t.Fatalf("read only %d bytes of database and logs; the search would prove nothing", everything.Len())
	}
	for what, needle := range map[string]string{
		"client address": clientIP, "user agent": "ua-5c1e7d", "session cookie": sessionCookie, "API token": token,
		"access code": rec.AccessCode, "access code without dashes": strings.ReplaceAll(rec.AccessCode, "-", ""),
		"form's submission key": key[1], "API idempotency key": idempotencyKey, "idempotency key's time": "019cade2-123b",
	} {
		if bytes.Contains(everything.Bytes(), []byte(needle)) {
			t.Errorf("the %s (%q) appears in the database or the logs", what, needle)
		}
	}
	// The request log has no line for any of it: a line timed to the
	// millisecond would say when each anonymous report arrived. (The
	// sign-in before it is logged, so the log is being written.)
	logs := e.Logs.String()
	for _, route := range []string{`"route":"POST /report/safety-event"`, `"route":"POST /api/v1/reports"`, `"route":"POST /follow-up"`, `"route":"GET /report/safety-event"`} {
		if strings.Contains(logs, route) {
			t.Errorf("the request log has a line for %s", route)
		}
	}
	if !strings.Contains(logs, `"route":"POST /sign-in"`) {
		t.Fatal("the request log has no line for the sign-in either; the check above proves nothing")
	}
	// The search itself works: something we did store is found.
	if !bytes.Contains(everything.Bytes(), []byte("medicine fridge")) {
		t.Fatal("the search did not find the report's own text; it cannot prove absence")
	}
}

func mustGet(t *testing.T, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
