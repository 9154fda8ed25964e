package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"candour/internal/app/apptest"
	"candour/internal/authz"
	"candour/internal/report"
)

// TestQueueShowsWhoIsWaitingForAReply: a report whose reporter sent the last
// message is marked in the queue, can be filtered to, and says so on its
// page and through the API, until the team answers; an internal note is not
// an answer.
func TestQueueShowsWhoIsWaitingForAReply(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		fx := newRHFixture(t, e)
		safety, guardian := e.SignIn(t, authz.Safety), e.SignIn(t, authz.Guardian)
		token := e.Token(t, authz.Safety)
		asked := fx.event(t, fx.ward, report.Open, "The syringe driver alarm on the ward did not sound when the line was blocked.")
		quiet := fx.event(t, fx.ward, report.Open, "The handover sheet for the night shift was missing two patients.")
		concern := fx.concern(t, report.Anonymous, "Staff on nights are told not to take breaks when the ward is short.")
		const tag = "Reply waiting"
		const inset = "The person who raised this sent the last message and is waiting for a reply."

		reporterSays := func(id int64, f *report.FollowUp, body string) {
			t.Helper()
			var p *authz.Principal
			if f == nil {
				p = fx.principal(authz.Staff)
			}
			if err := e.App.Reports.ReporterMessage(ctx, p, f, id, body, nil); err != nil {
				t.Fatal(err)
			}
		}
		teamSays := func(id int64, body string, internal bool) {
			t.Helper()
			if err := e.App.Reports.MessageReporter(ctx, fx.principal(authz.Safety), id, body, internal, nil); err != nil {
				t.Fatal(err)
			}
		}
		// apiWaiting returns awaiting_reply for each report in the API's
		// queue (with query), by reference, and for asked's own record.
		apiWaiting := func(query string) (map[string]bool, bool) {
			t.Helper()
			res, body := e.API(t, "GET", "/api/v1/reports"+query, token, "", nil)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET /api/v1/reports%s: %d %s", query, res.StatusCode, body)
			}
			var page struct {
				Items []struct {
					Reference     string `json:"reference"`
					AwaitingReply *bool  `json:"awaiting_reply"`
				} `json:"items"`
			}
			if err := json.Unmarshal([]byte(body), &page); err != nil {
				t.Fatal(err)
			}
			out := map[string]bool{}
			for _, it := range page.Items {
				if it.AwaitingReply == nil {
					t.Fatalf("queue item %s without awaiting_reply: %s", it.Reference, body)
				}
				out[it.Reference] = *it.AwaitingReply
			}
			res, body = e.API(t, "GET", fmt.Sprintf("/api/v1/reports/%d", asked.ID), token, "", nil)
			var one struct {
				AwaitingReply *bool `json:"awaiting_reply"`
			}
			if err := json.Unmarshal([]byte(body), &one); err != nil || res.StatusCode != http.StatusOK || one.AwaitingReply == nil {
				t.Fatalf("GET report %d: %d %s (%v)", asked.ID, res.StatusCode, body, err)
			}
			return out, *one.AwaitingReply
		}

		page := rhGet(t, e, safety, "/reports", http.StatusOK)
		orgLacks(t, "queue before any message", page, tag)
		orgHas(t, "queue filters", page, `name="awaiting_reply" type="checkbox" value="yes"`, "Only reports waiting for a reply")

		// The reporter asks something: the team owes an answer.
		reporterSays(asked.ID, nil, "Has anyone checked the other syringe drivers on the ward?")
		page = rhGet(t, e, safety, "/reports", http.StatusOK)
		if n := strings.Count(page, tag); n != 1 {
			t.Fatalf("queue after the reporter's message: %q %d times, want once", tag, n)
		}
		page = rhGet(t, e, safety, "/reports?awaiting_reply=yes", http.StatusOK)
		orgHas(t, "queue of reports waiting for a reply", page, asked.Reference, tag, "Reports matching the filters",
			`name="awaiting_reply" type="checkbox" value="yes" checked`)
		orgLacks(t, "queue of reports waiting for a reply", page, quiet.Reference)
		orgHas(t, "report waiting for a reply", rhGet(t, e, safety, reportPath(asked.ID, ""), http.StatusOK), inset, `href="#conversation"`)
		orgLacks(t, "report with no messages", rhGet(t, e, safety, reportPath(quiet.ID, ""), http.StatusOK), inset)
		byRef, one := apiWaiting("")
		if !byRef[asked.Reference] || byRef[quiet.Reference] || !one {
			t.Fatalf("API after the reporter's message: queue %v, report %v", byRef, one)
		}
		if byRef, _ = apiWaiting("?awaiting_reply=true"); len(byRef) != 1 || !byRef[asked.Reference] {
			t.Fatalf("API queue filtered to reports waiting for a reply: %v", byRef)
		}

		// A note inside the team is not an answer.
		teamSays(asked.ID, "Estates asked to check every syringe driver on the ward.", true)
		orgHas(t, "after an internal note", rhGet(t, e, safety, "/reports?awaiting_reply=yes", http.StatusOK), asked.Reference, tag)

		// A message to the reporter is, and the mark goes.
		teamSays(asked.ID, "Thank you. Every syringe driver on the ward has been checked and one more was replaced.", false)
		page = rhGet(t, e, safety, "/reports?awaiting_reply=yes", http.StatusOK)
		orgHas(t, "after the team's answer", page, "No reports match these filters")
		orgLacks(t, "after the team's answer", page, asked.Reference, tag)
		orgLacks(t, "report answered", rhGet(t, e, safety, reportPath(asked.ID, ""), http.StatusOK), inset)
		if byRef, one = apiWaiting(""); byRef[asked.Reference] || one {
			t.Fatalf("API after the team's answer: queue %v, report %v", byRef, one)
		}
		if byRef, _ = apiWaiting("?awaiting_reply=true"); len(byRef) != 0 {
			t.Fatalf("API queue filtered after the answer: %v", byRef)
		}

		// The reporter writes again: waiting again.
		reporterSays(asked.ID, nil, "Thank you. Will the other wards check theirs too?")
		orgHas(t, "after the reporter writes again", rhGet(t, e, safety, "/reports?awaiting_reply=yes", http.StatusOK), asked.Reference)

		// An anonymous reporter, with only their follow-up session, is
		// waited on the same way, in the guardians' queue.
		reporterSays(concern.ID, &report.FollowUp{ReportID: concern.ID, Expires: time.Now().Add(time.Hour)}, "It happened again last night.")
		page = rhGet(t, e, guardian, "/reports?awaiting_reply=yes", http.StatusOK)
		orgHas(t, "guardians' queue", page, concern.Reference, tag)
		orgLacks(t, "guardians' queue", page, asked.Reference)

		// Passed to the safety team, the concern is still waiting for a
		// reply: the message telling the reporter it moved answers nothing.
		if err := e.App.Reports.Reroute(ctx, fx.principal(authz.Guardian), concern.ID, "This is about a patient's care on nights"); err != nil {
			t.Fatal(err)
		}
		page = rhGet(t, e, safety, "/reports?awaiting_reply=yes", http.StatusOK)
		orgHas(t, "safety team's queue after the reroute", page, concern.Reference, tag)
		orgHas(t, "the rerouted report", rhGet(t, e, safety, reportPath(concern.ID, ""), http.StatusOK), inset)
	})
}
