package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"candour/internal/app/apptest"
	"candour/internal/authz"
)

func libEvent(t *testing.T, e *apptest.Env, ref, kind, team, text string) int64 {
	t.Helper()
	var id int64
	err := e.DB.QueryRowContext(context.Background(), `INSERT INTO reports (reference, kind, mode, team, status, description, received_on, created_at, updated_at, ack_due_on, feedback_due_on)
		VALUES (?, ?, 'open', ?, 'new', ?, '2026-05-01', '2026-05-01T10:00:00.000000Z', '2026-05-01T10:00:00.000000Z', '2026-05-08', '2026-08-01') RETURNING id`,
		ref, kind, team, text).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestLessonsSearchAndSimilarAPI(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		safety, staff, guardian := e.Token(t, authz.Safety), e.Token(t, authz.Staff), e.Token(t, authz.Guardian)
		lesson := map[string]any{"title": "Keep bathroom floors dry", "summary": "Patients slipped on wet bathroom floors.",
			"body": "Mr Patel slipped on a wet bathroom floor at night.", "themes": []string{"falls"}}
		res, body := send(t, e, "/api/v1/lessons", staff, lesson)
		want(t, res, body, 403)
		res, body = send(t, e, "/api/v1/lessons", safety, map[string]any{"title": ""})
		want(t, res, body, 422)
		res, body = send(t, e, "/api/v1/lessons", safety, lesson)
		want(t, res, body, 201)
		var l struct {
			ID     int64   `json:"id"`
			Status string  `json:"status"`
			ReadAt *string `json:"read_at"`
		}
		json.Unmarshal([]byte(body), &l)
		path := fmt.Sprintf("/api/v1/lessons/%d", l.ID)
		if l.Status != "draft" {
			t.Fatalf("created: %s", body)
		}
		res, body = e.API(t, "GET", path, staff, "", nil)
		want(t, res, body, 404)

		res, body = send(t, e, path+"/publish", safety, nil)
		want(t, res, body, 422)
		var p struct {
			Title    string `json:"title"`
			Errors   []struct{ Field, Detail string }
			Findings []struct {
				Field, Kind string
				Passages    []string
			}
		}
		json.Unmarshal([]byte(body), &p)
		if len(p.Findings) != 1 || p.Findings[0].Kind != "personal_details" || p.Findings[0].Passages[0] != "Mr Patel" || p.Errors[0].Field != "body" {
			t.Fatalf("publish with a name: %s", body)
		}
		lesson["body"] = "A patient slipped on a wet bathroom floor at night."
		res, body = e.API(t, "PUT", path, safety, "application/json", strings.NewReader(mustJSON(lesson)))
		want(t, res, body, 200)
		res, body = send(t, e, path+"/publish", safety, nil)
		want(t, res, body, 200)
		res, body = e.API(t, "GET", "/api/v1/lessons", staff, "", nil)
		want(t, res, body, 200)
		if !strings.Contains(body, "Keep bathroom floors dry") {
			t.Fatalf("list: %s", body)
		}
		res, body = send(t, e, path+"/read", staff, nil)
		want(t, res, body, 200)
		json.Unmarshal([]byte(body), &l)
		if l.ReadAt == nil {
			t.Fatalf("read: %s", body)
		}
		res, body = e.API(t, "GET", path+"/reads", safety, "", nil)
		want(t, res, body, 200)
		if !strings.Contains(body, `"readers":1`) {
			t.Fatalf("reads: %s", body)
		}
		res, body = e.API(t, "GET", path+"/reads", staff, "", nil)
		want(t, res, body, 403)

		a := libEvent(t, e, "SE-AAAA-0001", "safety_event", "safety", "Patient slipped on the wet bathroom floor and fell, hitting her head.")
		b := libEvent(t, e, "SE-AAAA-0002", "safety_event", "safety", "Unwitnessed fall: found on the bathroom floor after slipping on water.")
		libEvent(t, e, "SE-AAAA-0003", "safety_event", "safety", "Insulin dose given twice; not signed on the chart.")
		c := libEvent(t, e, "SU-AAAA-0004", "concern", "guardian", "The bathroom floor is always wet and people keep slipping.")

		res, body = e.API(t, "GET", fmt.Sprintf("/api/v1/reports/%d/similar", a), safety, "", nil)
		want(t, res, body, 200)
		var sim struct {
			Items []struct {
				ReportID  int64   `json:"report_id"`
				Reference string  `json:"reference"`
				Score     float64 `json:"score"`
			} `json:"items"`
			Lessons []struct {
				LessonID int64 `json:"lesson_id"`
			} `json:"lessons"`
		}
		json.Unmarshal([]byte(body), &sim)
		if len(sim.Items) == 0 || sim.Items[0].ReportID != b || sim.Items[0].Reference != "SE-AAAA-0002" || sim.Items[0].Score <= 0 || len(sim.Lessons) != 1 {
			t.Fatalf("similar: %s", body)
		}
		for _, it := range sim.Items {
			if it.ReportID == c {
				t.Fatal("similar returned a concern")
			}
		}
		res, body = e.API(t, "GET", fmt.Sprintf("/api/v1/reports/%d/similar", a), guardian, "", nil)
		want(t, res, body, 404)
		res, body = e.API(t, "GET", fmt.Sprintf("/api/v1/reports/%d/similar", c), guardian, "", nil)
		want(t, res, body, 200)
		if !strings.Contains(body, `"items":[]`) {
			t.Fatalf("guardian similar: %s", body)
		}
		res, body = e.API(t, "GET", "/api/v1/reports/abc/similar", safety, "", nil)
		want(t, res, body, 404)

		for _, q := range []string{"bathroom floor", `"bathroom`, `floor)`, `NEAR(floor`, `floor*`, `-floor`, `body:floor`, `floor & | !`, `' OR 1=1 --`} {
			res, body := e.API(t, "GET", "/api/v1/search?q="+url.QueryEscape(q), safety, "", nil)
			if res.StatusCode != 200 && res.StatusCode != 422 {
				t.Fatalf("search %q: %d %s", q, res.StatusCode, body)
			}
		}
		res, body = e.API(t, "GET", "/api/v1/search?q=bathroom+floor", safety, "", nil)
		want(t, res, body, 200)
		if !strings.Contains(body, "SE-AAAA-0001") || !strings.Contains(body, `"events_searched":true`) || strings.Contains(body, "SU-AAAA") {
			t.Fatalf("safety search: %s", body)
		}
		res, body = e.API(t, "GET", "/api/v1/search?q=bathroom+floor", staff, "", nil)
		want(t, res, body, 200)
		if strings.Contains(body, "SE-AAAA") || !strings.Contains(body, "Keep bathroom floors dry") {
			t.Fatalf("staff search: %s", body)
		}
		res, body = e.API(t, "GET", "/api/v1/search?q=", staff, "", nil)
		want(t, res, body, 422)
		res, body = send(t, e, "/api/v1/lessons/similar", staff, map[string]string{"text": "I slipped on the wet bathroom floor"})
		want(t, res, body, 200)
		if !strings.Contains(body, "Keep bathroom floors dry") || strings.Contains(body, "SE-AAAA") {
			t.Fatalf("similar to text: %s", body)
		}
	})
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
