package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"candour/internal/app/apptest"
	"candour/internal/authz"
)

// libReport stores a report directly, as the report service would.
func libReport(t *testing.T, e *apptest.Env, kind, team, text string) (int64, string) {
	t.Helper()
	var id int64
	ref := fmt.Sprintf("SE-TEST-%04d", len(text))
	err := e.DB.QueryRowContext(context.Background(), `INSERT INTO reports (reference, kind, mode, team, status, description, received_on, created_at, updated_at, ack_due_on, feedback_due_on)
		VALUES (?, ?, 'open', ?, 'new', ?, '2026-05-01', '2026-05-01T10:00:00.000000Z', '2026-05-01T10:00:00.000000Z', '2026-05-08', '2026-08-01') RETURNING id`,
		ref, kind, team, text).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id, ref
}

var lessonIDRE = regexp.MustCompile(`^/library/(\d+)$`)

func TestLibraryPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		safety, staff, guardian := e.SignIn(t, authz.Safety), e.SignIn(t, authz.Staff), e.SignIn(t, authz.Guardian)

		// Every page and state renders for its users.
		for _, c := range []struct {
			c    *http.Client
			path string
			want int
		}{
			{safety, "/library", 200}, {staff, "/library", 200}, {safety, "/library/new", 200}, {staff, "/library/new", 403},
			{safety, "/library?drafts=yes", 200}, {staff, "/library?unread=yes", 200}, {staff, "/library?theme=nonsense", 200},
			{staff, "/search", 200}, {staff, "/library/999999", 404}, {safety, "/library/abc", 404},
		} {
			if got, body := e.Get(t, c.c, c.path); got != c.want {
				t.Fatalf("GET %s: %d, want %d\n%s", c.path, got, c.want, body)
			}
		}

		form := url.Values{"title": {"Label blood samples at the bedside"}, "summary": {"Two samples were labelled with the wrong details away from the bedside."},
			"body":   {"Blood was taken from two patients and labelled at the desk.\nStaff nurse Sarah Jones noticed the mix-up."},
			"themes": {"identification"}, "publish": {"yes"}}
		res, body := e.PostForm(t, safety, "/library", form)
		page := html.UnescapeString(body)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "cannot be published yet") || !strings.Contains(page, "Sarah Jones") ||
			!strings.Contains(page, `href="#body"`) {
			t.Fatalf("publishing with a name: %d\n%s", res.StatusCode, page)
		}
		var id int64
		e.DB.QueryRowContext(ctx, `SELECT id FROM lessons WHERE title = ?`, form.Get("title")).Scan(&id)
		if id == 0 {
			t.Fatal("the refused lesson was not kept as a draft")
		}
		if got, _ := e.Get(t, staff, fmt.Sprintf("/library/%d", id)); got != 404 {
			t.Fatalf("staff see a draft: %d", got)
		}
		form.Set("body", "Blood was taken from two patients and labelled at the desk.\nA nurse noticed the mix-up.")
		loc := jcPost(t, e, safety, fmt.Sprintf("/library/%d", id), form)
		if !lessonIDRE.MatchString(loc) {
			t.Fatalf("after publishing: %s", loc)
		}
		_, body = e.Get(t, staff, "/library")
		if !strings.Contains(body, "Label blood samples at the bedside") {
			t.Fatal("the library does not list the published lesson")
		}
		if _, body = e.Get(t, staff, "/library?q=bedside+samples&theme=identification"); !strings.Contains(body, "Label blood samples at the bedside") {
			t.Fatal("searching the library does not find the lesson")
		}
		if got, body := e.Get(t, staff, "/library?q=%22%28%29"); got != 400 || !strings.Contains(html.UnescapeString(body), "Enter words to search for") {
			t.Fatalf("library search of symbols: %d", got)
		}
		_, body = e.Get(t, staff, loc)
		if !strings.Contains(body, "Mark as read") || strings.Contains(body, "For the patient safety team") {
			t.Fatalf("staff's lesson page:\n%s", body)
		}
		jcPost(t, e, staff, loc+"/read", url.Values{})
		if _, body = e.Get(t, staff, loc); !strings.Contains(body, "You marked this lesson as read") {
			t.Fatal("the read receipt is not shown")
		}
		if res, _ := e.PostForm(t, staff, "/library/999999/read", url.Values{}); res.StatusCode != 404 {
			t.Fatalf("read a missing lesson: %d", res.StatusCode)
		}

		// Sending: a ward with one linked account.
		person := jcPerson(t, e)
		var wardID int64
		e.DB.QueryRowContext(ctx, `SELECT department_id FROM people WHERE id = ?`, person.ID).Scan(&wardID)
		if _, err := e.DB.ExecContext(ctx, `UPDATE users SET person_id = ? WHERE id = ?`, person.ID, e.Users[authz.Manager].ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.Get(t, safety, loc+"/send"); got != 200 {
			t.Fatalf("send page: %d", got)
		}
		res, body = e.PostForm(t, safety, loc+"/send", url.Values{})
		if res.StatusCode != 422 || !strings.Contains(html.UnescapeString(body), "Choose at least one department") {
			t.Fatalf("send to nobody: %d", res.StatusCode)
		}
		to := jcPost(t, e, safety, loc+"/send", url.Values{"departments": {fmt.Sprint(wardID)}})
		_, body = e.Get(t, safety, to)
		if !strings.Contains(body, e.Users[authz.Manager].Email) || !strings.Contains(body, "0 of 1") {
			t.Fatalf("reads page:\n%s", body)
		}

		// Search: hostile syntax never fails; events for the safety team only.
		eventID, eventRef := libReport(t, e, "safety_event", "safety", "Blood sample labelled with the wrong wristband details in the emergency department.")
		concernID, _ := libReport(t, e, "concern", "guardian", "Managers ignore the wrong wristband labels on blood samples again and again.")
		for _, q := range []string{"blood", `"blood`, `blood)`, `(blood OR`, `NEAR(blood`, `blood*`, `-blood`, `label:blood`, `'; DROP TABLE lessons; --`, `&|!<->`} {
			for _, c := range []*http.Client{safety, staff} {
				got, body := e.Get(t, c, "/search?q="+url.QueryEscape(q))
				if got != 200 && got != 400 {
					t.Fatalf("search %q: %d\n%s", q, got, body)
				}
			}
		}
		_, body = e.Get(t, safety, "/search?q=wristband+blood")
		if !strings.Contains(body, eventRef) || !strings.Contains(body, "Patient safety events") {
			t.Fatalf("safety search lacks the event:\n%s", body)
		}
		_, body = e.Get(t, staff, "/search?q=wristband+blood")
		if strings.Contains(body, eventRef) || strings.Contains(body, "Patient safety events") {
			t.Fatal("staff search shows events")
		}
		got, body := e.Get(t, staff, "/search?q=")
		if got != 400 || !strings.Contains(html.UnescapeString(body), "Enter words to search for") {
			t.Fatalf("empty search: %d", got)
		}

		// Similar events: the report's handlers only.
		libReport(t, e, "safety_event", "safety", "Wristband details were wrong on a blood sample in the emergency department; the sample was rejected.")
		got, body = e.Get(t, safety, fmt.Sprintf("/reports/%d/similar", eventID))
		if got != 200 || !strings.Contains(body, "SE-TEST-") || !strings.Contains(body, "Label blood samples at the bedside") {
			t.Fatalf("similar page: %d\n%s", got, body)
		}
		if got, _ := e.Get(t, guardian, fmt.Sprintf("/reports/%d/similar", eventID)); got != 404 {
			t.Fatalf("guardian on a safety event: %d", got)
		}
		got, body = e.Get(t, guardian, fmt.Sprintf("/reports/%d/similar", concernID))
		if got != 200 || strings.Contains(body, eventRef) {
			t.Fatalf("guardian on a concern: %d", got)
		}
		var n int
		e.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'report.similar'`).Scan(&n)
		if n != 1 {
			t.Fatalf("%d report.similar audit entries", n)
		}
	})
}
