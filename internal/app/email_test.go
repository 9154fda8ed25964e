package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"candour/internal/app/apptest"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/config"
	"candour/internal/notify/smtptest"
	"candour/internal/org"
	"candour/internal/report"
	"candour/internal/store/storetest"
)

// A signed-in reporter's thank-you email and the team's new-report alert
// travel through the outbox to a real SMTP server; an anonymous report sends
// nothing that could identify anyone.
func TestReportEmailsReachTheSMTPServer(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		mail := smtptest.New(t)
		e.App.Mail.Host, e.App.Mail.Port, e.App.Mail.TLS = mail.Host(), mail.Port(), "none"
		site, _ := e.App.Org.CreateSite(ctx, audit.System, org.Site{Code: "EM", Name: "Email General"})
		if _, err := e.App.Org.CreateDepartment(ctx, audit.System, org.Department{SiteID: site.ID, Code: "EM1", Name: "Ward E", Kind: "ward"}); err != nil {
			t.Fatal(err)
		}
		staff := e.Users[authz.Staff]
		p := &authz.Principal{UserID: staff.ID, Email: staff.Email, Name: staff.Name, Roles: staff.Roles}
		concern := report.Submission{Kind: report.Concern, Mode: report.Confidential, Elements: []string{"behaviours"},
			Description: "A colleague is repeatedly belittled in handover meetings."}
		rec, err := e.App.Reports.Submit(ctx, concern, p)
		if err != nil {
			t.Fatal(err)
		}
		concern.Mode = report.Anonymous
		concern.Description = "Something anonymous that must not be emailed anywhere."
		if _, err := e.App.Reports.Submit(ctx, concern, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := e.App.Reports.RunDeadlines(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := e.App.Mail.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
		// The thank-you to the reporter and one new-report alert per guardian
		// for each of the two reports.
		msgs, err := mail.WaitFor(3, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		var thanks, alerts int
		for _, m := range msgs {
			if strings.Contains(m.Data, "belittled") || strings.Contains(m.Data, "anonymous that must not") {
				t.Fatalf("an email carries a report's narrative:\n%s", m.Data)
			}
			switch {
			case m.To[0] == staff.Email && strings.Contains(m.Data, "Thank you for speaking up"):
				// Raised in confidence: the email must not say which
				// report, or what kind, the person raised.
				if strings.Contains(m.Data, rec.Reference) || strings.Contains(m.Data, "Speak Up guardians") {
					t.Errorf("a confidential reporter's thank-you names the report or its kind:\n%s", m.Data)
				}
				thanks++
			case m.To[0] == e.Users[authz.Guardian].Email:
				alerts++
			default:
				t.Errorf("unexpected email to %v", m.To)
			}
		}
		if thanks != 1 || alerts != 2 {
			t.Fatalf("%d thank-you and %d alert emails; want 1 and 2", thanks, alerts)
		}
		// Sent email leaves no address or text behind in the outbox.
		var sent, kept int
		e.App.DB.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(CASE WHEN to_addr <> '' OR subject <> '' OR body <> '' THEN 1 END)
			FROM outbox WHERE sent_at IS NOT NULL`).Scan(&sent, &kept)
		if sent != 3 || kept != 0 {
			t.Fatalf("outbox after sending: %d sent, %d still holding an address or text; want 3 and 0", sent, kept)
		}
	})
}

// The escalation contacts in the configuration hear of a missed deadline by
// email, through a real SMTP server, with the reference and date alone; the
// organisation's configured first day bounds the dates reports may give.
func TestConfiguredEscalationAndFirstDay(t *testing.T) {
	e := apptest.StartConfigured(t, storetest.SQLite(t), func(c *config.Config) {
		c.EscalateConcern = "ftsu.lead@trust.example"
		c.EscalateSafety = "safety.head@trust.example"
		c.Established = "2019-04-01"
	})
	ctx := context.Background()
	mail := smtptest.New(t)
	e.App.Mail.Host, e.App.Mail.Port, e.App.Mail.TLS = mail.Host(), mail.Port(), "none"
	concern := report.Submission{Kind: report.Concern, Mode: report.Anonymous, Elements: []string{"worker_safety"},
		Description: "Night shifts are left without a break for twelve hours.", OccurredOn: "2019-03-31"}
	if _, err := e.App.Reports.Submit(ctx, concern, nil); err == nil || !strings.Contains(err.Error(), "1 April 2019") {
		t.Fatalf("a concern dated before the organisation existed: %v", err)
	}
	concern.OccurredOn = "2019-04-01"
	rec, err := e.App.Reports.Submit(ctx, concern, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	e.App.Now = func() time.Time { return start.AddDate(0, 0, 9) } // past the 7 days to acknowledge
	if _, err := e.App.Reports.RunDeadlines(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Mail.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	msgs, err := mail.WaitFor(1, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	m := msgs[0]
	if len(msgs) != 1 || m.To[0] != "ftsu.lead@trust.example" || !strings.Contains(m.Data, rec.Reference) ||
		!strings.Contains(m.Data, "escalation contact for speak-up concerns") || strings.Contains(m.Data, "twelve hours") {
		t.Fatalf("%d emails; the first to %v:\n%s", len(msgs), m.To, m.Data)
	}
}
