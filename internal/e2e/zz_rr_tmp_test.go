package e2e

import (
	"bytes"
	"candour/internal/audit"
	"candour/internal/org"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"testing"

	"candour/internal/app/apptest"
	"candour/internal/authz"
	"candour/internal/report"
)

func TestZZReporterAxe(t *testing.T) {
	b := needBrowser(t)
	e := apptest.NewSQLite(t)
	ctx := context.Background()
	a := struct{ Label string }{"x"}
	_ = a
	s := &site{Env: e}
	_ = ctx
	// a site and department
	if _, err := e.App.Org.CreateSite(ctx, actorT(), orgSite()); err != nil {
		t.Fatal(err)
	}
	sites, _ := e.App.Org.Sites(ctx)
	if _, err := e.App.Org.CreateDepartment(ctx, actorT(), orgDept(sites[0].ID)); err != nil {
		t.Fatal(err)
	}
	deps, _ := e.App.Org.Departments(ctx)
	os.WriteFile("/tmp/rr_png.png", pngBytes(), 0o644)

	tab := s.tabFor(t, b, "", TabOptions{})
	for _, p := range []string{"/report", "/report/safety-event", "/report/concern", "/follow-up"} {
		if r := tab.Visit(t, p); r.Status != 200 {
			t.Fatalf("%s %d", p, r.Status)
		}
		tab.CheckPage(t, p, "empty")
	}
	tab.Visit(t, "/report/safety-event")
	r := tab.Submit(t, func(t testing.TB, tab *Tab) {
		tab.SetValue(t, "#description", "Dr Patel gave the patient 943 476 5919 insulin twice.")
		tab.Type(t, "#occurred_on-day", "31")
		tab.Type(t, "#occurred_on-month", "2")
		tab.Type(t, "#occurred_on-year", "2026")
		tab.UploadFile(t, "#attachments", "/tmp/rr_png.png")
	}, "form[action='/report/safety-event'] button[type=submit]")
	fmt.Println("errors status", r.Status)
	tab.CheckPage(t, "/report/safety-event", "errors-privacy")
	r = tab.Submit(t, func(t testing.TB, tab *Tab) {
		tab.Click(t, "#mode-3")
		tab.Click(t, "#event_type")
		tab.Click(t, "#confirm_privacy")
		tab.Type(t, "#occurred_on-day", "1")
		tab.Type(t, "#occurred_on-month", "11")
		tab.SetValue(t, "#department_id", fmt.Sprint(deps[0].ID))
		tab.Click(t, "#physical_harm-2")
		tab.Click(t, "#psychological_harm")
		tab.UploadFile(t, "#attachments", "/tmp/rr_png.png")
	}, "form[action='/report/safety-event'] button[type=submit]")
	fmt.Println("done status", r.Status)
	tab.CheckPage(t, "/report/safety-event", "received")
	code := tab.Text(t, "#access-code")
	tab.Visit(t, "/follow-up")
	r = tab.Submit(t, func(t testing.TB, tab *Tab) { tab.Type(t, "#code", "WRONG-CODE") }, "form[action='/follow-up'] button[type=submit]")
	fmt.Println("wrong status", r.Status)
	tab.CheckPage(t, "/follow-up", "wrong")
	r = tab.Submit(t, func(t testing.TB, tab *Tab) { tab.Type(t, "#code", code) }, "form[action='/follow-up'] button[type=submit]")
	fmt.Println("fu status", r.Status)
	tab.CheckPage(t, "/follow-up", "report")
	r = tab.Submit(t, nil, "form[action='/follow-up/messages'] button[type=submit]")
	fmt.Println("fu empty msg", r.Status)
	tab.CheckPage(t, "/follow-up/messages", "errors")
	var id int64
	e.DB.QueryRowContext(ctx, `SELECT id FROM reports`).Scan(&id)
	sp := s.principal(authz.Safety)
	e.App.Reports.MessageReporter(ctx, sp, id, "Thank you, which shift was it?", false, nil)
	e.App.Reports.Close(ctx, sp, id, "We changed the handover checklist to include insulin.")
	tab.Visit(t, "/follow-up")
	tab.Submit(t, func(t testing.TB, tab *Tab) { tab.Type(t, "#code", code) }, "form[action='/follow-up'] button[type=submit]")
	tab.CheckPage(t, "/follow-up", "closed")
	r = tab.Submit(t, nil, "form[action='/follow-up/feedback'] button[type=submit]")
	fmt.Println("fb errors", r.Status)
	tab.CheckPage(t, "/follow-up/feedback", "errors")

	st := s.tabFor(t, b, authz.Staff, TabOptions{})
	st.Visit(t, "/report/concern")
	r = st.Submit(t, func(t testing.TB, tab *Tab) {
		tab.Click(t, "#mode")
		tab.Click(t, "#elements-2")
		tab.SetValue(t, "#description", "Breaks are cancelled every week on the ward.")
	}, "form[action='/report/concern'] button[type=submit]")
	fmt.Println("concern", r.Status)
	st.CheckPage(t, "/report/concern", "received")
	var cid int64
	e.DB.QueryRowContext(ctx, `SELECT id FROM reports WHERE kind = 'concern'`).Scan(&cid)
	gp := s.principal(authz.Guardian)
	e.App.Reports.MessageReporter(ctx, gp, cid, "Thank you, can we meet?", false, nil)
	e.App.Reports.Close(ctx, gp, cid, "We met the manager and protected breaks on the rota.")
	for _, p := range []string{"/my-reports", fmt.Sprintf("/my-reports/%d", cid), "/notifications", "/report"} {
		if r := st.Visit(t, p); r.Status != 200 {
			t.Fatalf("%s %d", p, r.Status)
		}
		st.CheckPage(t, p, "full")
	}
	st.Visit(t, fmt.Sprintf("/my-reports/%d", cid))
	r = st.Submit(t, nil, "form[action$='/feedback'] button[type=submit]")
	fmt.Println("my fb errors", r.Status)
	st.CheckPage(t, "/my-reports/x/feedback", "errors")
	_ = report.New
}

func actorT() audit.Actor { return audit.Actor{Label: "t"} }
func orgSite() org.Site   { return org.Site{Code: "NGH", Name: "Northfield General Hospital"} }
func orgDept(site int64) org.Department {
	return org.Department{SiteID: site, Code: "W7", Name: "Ward 7", Kind: "ward"}
}
func pngBytes() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}
