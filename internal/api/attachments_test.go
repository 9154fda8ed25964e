package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"slices"
	"strings"
	"testing"

	"candour/internal/app/apptest"
	"candour/internal/authz"
	"candour/internal/config"
	"candour/internal/store/storetest"
)

// secretPlace stands for what a phone writes into a photo: where it was
// taken. A reporter's photo must not carry it past the server.
const secretPlace = "GPS 52.4862N 1.8904W taken by J Smith"

// photoWithMetadata is a small JPEG with an XMP segment naming secretPlace.
func photoWithMetadata(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	payload := "http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>" + secretPlace + "</x:xmpmeta>"
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	orig := buf.Bytes()
	return append(append(append([]byte(nil), orig[:2]...), seg...), orig[2:]...)
}

func smallPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.White)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

type attachmentView struct {
	ID          int64  `json:"id"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

type withAttachments struct {
	Attachments []attachmentView `json:"attachments"`
	Messages    []struct {
		From        string           `json:"from"`
		Internal    bool             `json:"internal"`
		Body        string           `json:"body"`
		Attachments []attachmentView `json:"attachments"`
	} `json:"messages"`
}

// download fetches a file and checks it comes as a download that is never
// shown in place.
func download(t *testing.T, e *apptest.Env, path, token, contentType string) []byte {
	t.Helper()
	res, body := e.API(t, "GET", path, token, "", nil)
	want(t, res, body, http.StatusOK)
	h := res.Header
	if h.Get("Content-Type") != contentType || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "no-store" ||
		h.Get("Content-Security-Policy") != "default-src 'none'; sandbox" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment; filename=") {
		t.Fatalf("GET %s: headers %v", path, h)
	}
	return []byte(body)
}

// Files go with a report, a message or a note through the API as through
// the web form: typed by their content, a reporter's stripped of metadata
// and renamed, fetched by the team and by the reporter with their
// follow-up token, and a note's files never reach the reporter.
func TestAttachmentsThroughTheAPI(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		depA, _ := seed(t, e)
		safety, guardian := e.Token(t, authz.Safety), e.Token(t, authz.Guardian)
		photo := photoWithMetadata(t)
		notes := "Bay 3 call bell, tested at 14:00 and 14:20: no sound at the desk.\n"

		ev := safetyEvent("anonymous", depA)
		ev["attachments"] = []map[string]string{
			{"filename": "IMG_20261127_bay3.jpg", "content": b64(photo)},
			// Unpadded base64, as some clients send it.
			{"filename": "bell test.txt", "content": base64.RawStdEncoding.EncodeToString([]byte(notes))},
		}
		res, body := send(t, e, "/api/v1/reports", "", ev)
		want(t, res, body, http.StatusCreated)
		rec := decodeJSON[receipt](t, body)
		if !strings.Contains(body, `"file_notes":[]`) {
			t.Fatalf("files that are what they say have notes: %s", body)
		}
		// A text file named as a PDF is kept as text, and the receipt says so.
		lie := safetyEvent("anonymous", depA)
		lie["attachments"] = []map[string]string{{"filename": "rota.pdf", "content": b64([]byte(notes))}}
		res, body = send(t, e, "/api/v1/reports", "", lie)
		want(t, res, body, http.StatusCreated)
		if !strings.Contains(body, `"file_notes":["rota.pdf is a text file, not what its name says, so it was kept as a text file."]`) {
			t.Fatalf("a text file named .pdf: %s", body)
		}

		// The team sees both files, renamed (the name a reporter's device
		// gave a file can say who they are) and typed by their content.
		path := fmt.Sprintf("/api/v1/reports/%d", rec.ID)
		res, body = e.API(t, "GET", path, safety, "", nil)
		want(t, res, body, http.StatusOK)
		got := decodeJSON[withAttachments](t, body).Attachments
		if len(got) != 2 || got[0].ContentType != "image/jpeg" || got[1].ContentType != "text/plain; charset=utf-8" ||
			strings.Contains(body, "IMG_2026") || strings.Contains(body, "bell test") || got[1].Size != int64(len(notes)) {
			t.Fatalf("the report's files as the team sees them: %s", body)
		}
		stored := download(t, e, fmt.Sprintf("%s/attachments/%d", path, got[0].ID), safety, "image/jpeg")
		if bytes.Contains(stored, []byte("GPS 52")) || bytes.Contains(stored, []byte("J Smith")) {
			t.Fatal("the reporter's photo kept its metadata")
		}
		if _, err := jpeg.Decode(bytes.NewReader(stored)); err != nil {
			t.Fatalf("the photo stored is no longer a JPEG: %v", err)
		}
		if text := download(t, e, fmt.Sprintf("%s/attachments/%d", path, got[1].ID), safety, "text/plain; charset=utf-8"); string(text) != notes {
			t.Fatalf("the text file came back as %q", text)
		}
		// The guardians do not handle safety events: to them the file does
		// not exist. Nor does one of another report, or a made-up id.
		for _, c := range []struct{ path, token string }{
			{fmt.Sprintf("%s/attachments/%d", path, got[0].ID), guardian},
			{fmt.Sprintf("/api/v1/reports/%d/attachments/%d", rec.ID+1000, got[0].ID), safety},
			{fmt.Sprintf("%s/attachments/%d", path, got[1].ID+1000), safety},
			{path + "/attachments/photo", safety},
		} {
			if res, body := e.API(t, "GET", c.path, c.token, "", nil); res.StatusCode != http.StatusNotFound ||
				res.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("GET %s: %d %s", c.path, res.StatusCode, body)
			}
		}

		// Another report's real file, asked for through this report's path.
		other := safetyEvent("anonymous", depA)
		other["attachments"] = []map[string]string{{"filename": "other.png", "content": b64(smallPNG(t))}}
		res, body = send(t, e, "/api/v1/reports", "", other)
		want(t, res, body, http.StatusCreated)
		otherRec := decodeJSON[receipt](t, body)
		res, body = e.API(t, "GET", fmt.Sprintf("/api/v1/reports/%d", otherRec.ID), safety, "", nil)
		want(t, res, body, http.StatusOK)
		otherFile := decodeJSON[withAttachments](t, body).Attachments[0].ID
		if res, body := e.API(t, "GET", fmt.Sprintf("%s/attachments/%d", path, otherFile), safety, "", nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("another report's file through this report's path: %d %s", res.StatusCode, body)
		}

		// A message to the reporter with a file, and a note with another.
		res, body = send(t, e, path+"/messages", safety, map[string]any{"body": "Estates replaced the bell. Is this the bay you meant?",
			"attachments": []map[string]string{{"filename": "new bell.png", "content": b64(smallPNG(t))}}})
		want(t, res, body, http.StatusOK)
		res, body = send(t, e, path+"/notes", safety, map[string]any{"body": "Estates job sheet attached: internal only.",
			"attachments": []map[string]string{{"filename": "job sheet.txt", "content": b64([]byte("Job 4471, bell unit swapped.\n"))}}})
		want(t, res, body, http.StatusOK)
		handlerView := decodeJSON[withAttachments](t, body)
		if len(handlerView.Messages) != 2 || len(handlerView.Messages[0].Attachments) != 1 || len(handlerView.Messages[1].Attachments) != 1 ||
			handlerView.Messages[0].Attachments[0].Filename != "new bell.png" || !handlerView.Messages[1].Internal {
			t.Fatalf("messages with files, as the team sees them: %s", body)
		}
		messageFile, noteFile := handlerView.Messages[0].Attachments[0].ID, handlerView.Messages[1].Attachments[0].ID

		// The reporter, with their code alone, sees their own files and the
		// message's, can fetch them, and cannot fetch the note's.
		res, body = send(t, e, "/api/v1/followup/session", "", map[string]string{"access_code": rec.AccessCode})
		want(t, res, body, http.StatusOK)
		fu := decodeJSON[struct {
			Token string `json:"token"`
		}](t, body).Token
		res, body = e.API(t, "GET", "/api/v1/followup", fu, "", nil)
		want(t, res, body, http.StatusOK)
		view := decodeJSON[withAttachments](t, body)
		if len(view.Attachments) != 2 || len(view.Messages) != 1 || len(view.Messages[0].Attachments) != 1 ||
			view.Messages[0].Attachments[0].ID != messageFile || strings.Contains(body, "job sheet") {
			t.Fatalf("the reporter's view of the files: %s", body)
		}
		if mine := download(t, e, fmt.Sprintf("/api/v1/followup/attachments/%d", view.Attachments[0].ID), fu, "image/jpeg"); !bytes.Equal(mine, stored) {
			t.Fatal("the reporter's photo differs from the team's copy")
		}
		if theirs := download(t, e, fmt.Sprintf("/api/v1/followup/attachments/%d", messageFile), fu, "image/png"); !bytes.Equal(theirs, smallPNG(t)) {
			t.Fatal("the team's picture reached the reporter changed")
		}
		for _, c := range []struct{ token string }{{fu}, {""}, {safety}} {
			res, body := e.API(t, "GET", fmt.Sprintf("/api/v1/followup/attachments/%d", noteFile), c.token, "", nil)
			if c.token == fu && res.StatusCode != http.StatusNotFound || c.token != fu && res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("a note's file fetched with the token %q: %d %s", c.token, res.StatusCode, body)
			}
		}
		if res, body := e.API(t, "GET", fmt.Sprintf("/api/v1/followup/attachments/%d", otherFile), fu, "", nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("another report's file with this report's follow-up token: %d %s", res.StatusCode, body)
		}

		// The reporter answers with a file; the team sees it on the message.
		res, body = send(t, e, "/api/v1/followup/messages", fu, map[string]any{"body": "Yes, bay 3. Here is the bell panel as it was.",
			"attachments": []map[string]string{{"filename": "panel.jpg", "content": b64(photo)}}})
		want(t, res, body, http.StatusOK)
		res, body = e.API(t, "GET", path, safety, "", nil)
		want(t, res, body, http.StatusOK)
		handlerView = decodeJSON[withAttachments](t, body)
		last := handlerView.Messages[len(handlerView.Messages)-1]
		if last.From != "reporter" || len(last.Attachments) != 1 || last.Attachments[0].ContentType != "image/jpeg" || strings.Contains(body, "panel.jpg") {
			t.Fatalf("the reporter's file on their message: %s", body)
		}
		if b := download(t, e, fmt.Sprintf("%s/attachments/%d", path, last.Attachments[0].ID), safety, "image/jpeg"); bytes.Contains(b, []byte("J Smith")) {
			t.Fatal("the reporter's second photo kept its metadata")
		}
	})
}

// Every problem with a request's files is named at once, with the rest of
// what is wrong, and nothing of the request is stored.
func TestBadAttachmentsAreRefusedWholeAndNamed(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		depA, _ := seed(t, e)
		before := countReports(t, e)
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), bytes.Repeat([]byte{0}, 64)...)
		ev := safetyEvent("anonymous", depA)
		ev["physical_harm"] = "a lot"
		ev["attachments"] = []map[string]string{
			{"filename": "", "content": b64(smallPNG(t))},
			{"filename": "scan.png", "content": "iVBORw0KGgo*AAAA"},
			{"filename": "scan2.png", "content": b64(smallPNG(t))[:21]},
			{"filename": "holiday.jpg", "content": b64(exe)},
			{"filename": "empty.pdf", "content": ""},
		}
		res, body := send(t, e, "/api/v1/reports", "", ev)
		want(t, res, body, http.StatusUnprocessableEntity)
		p := problemOf(t, body)
		byField := map[string]string{}
		for _, fe := range p.Errors {
			byField[fe.Field] = fe.Message
		}
		for field, want := range map[string][]string{
			"physical_harm":  {""},
			"attachments[0]": {"Give the file's name"},
			"attachments[1]": {"scan.png could not be read", "The '*' at offset 11 is not base64"},
			"attachments[2]": {"scan2.png could not be read", "its end is missing"},
			"attachments[3]": {"holiday.jpg is really"},
			"attachments[4]": {"empty.pdf is empty"},
		} {
			got, ok := byField[field]
			for _, w := range want {
				if !ok || !strings.Contains(got, w) {
					t.Errorf("%s: %q, want it to say %q", field, got, w)
				}
			}
		}
		if len(p.Errors) != 6 {
			t.Fatalf("problems with files: %s", body)
		}
		if n := countReports(t, e); n != before {
			t.Fatalf("a report with bad files was stored (%d reports, was %d)", n, before)
		}

		// Too many files: said plainly, not as a body too large.
		six := make([]map[string]string, 6)
		for i := range six {
			six[i] = map[string]string{"filename": fmt.Sprintf("p%d.png", i), "content": b64(smallPNG(t))}
		}
		ev = safetyEvent("anonymous", depA)
		ev["attachments"] = six
		res, body = send(t, e, "/api/v1/reports", "", ev)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Attach at most 5 files") {
			t.Fatalf("six files: %d %s", res.StatusCode, body)
		}

		// A message with a bad file keeps nothing of the message.
		res, body = send(t, e, "/api/v1/reports", "", concern("anonymous"))
		want(t, res, body, http.StatusCreated)
		rec := decodeJSON[receipt](t, body)
		guardian := e.Token(t, authz.Guardian)
		res, body = send(t, e, fmt.Sprintf("/api/v1/reports/%d/messages", rec.ID), guardian, map[string]any{"body": "Please see the attached.",
			"attachments": []map[string]string{{"filename": "policy.pdf", "content": b64([]byte("<html><script>alert(1)</script></html>"))}}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "policy.pdf is") ||
			!slices.Contains(fields(problemOf(t, body)), "attachments[0]") {
			t.Fatalf("a message with a web page called .pdf: %d %s", res.StatusCode, body)
		}
		var msgs int
		if err := e.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM report_messages WHERE report_id = ?`, rec.ID).Scan(&msgs); err != nil {
			t.Fatal(err)
		}
		if msgs != 0 {
			t.Fatalf("%d messages stored from a refused request", msgs)
		}
		// A file given where a string belongs is a type error, named.
		res, body = send(t, e, fmt.Sprintf("/api/v1/reports/%d/notes", rec.ID), guardian, map[string]any{"body": "x",
			"attachments": []map[string]any{{"filename": "a.png", "content": 12}}})
		if res.StatusCode != http.StatusUnprocessableEntity || !slices.Contains(fields(problemOf(t, body)), "attachments.content") {
			t.Fatalf("a number for content: %d %s", res.StatusCode, body)
		}
	})
}

// A body larger than the files allowed could fill is refused while it is
// still arriving, and says what the limits are; a file over the size limit
// inside a body that fits is refused by name.
func TestAttachmentSizeLimits(t *testing.T) {
	e := apptest.StartConfigured(t, storetest.SQLite(t), func(c *config.Config) {
		c.MaxUploadBytes = 4096
		c.MaxAttachments = 2
	})
	ev := concern("anonymous")
	ev["attachments"] = []map[string]string{{"filename": "big.txt", "content": b64(bytes.Repeat([]byte("a line of text\n"), 400))}}
	res, body := send(t, e, "/api/v1/reports", "", ev)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "big.txt is 6 KB, which is more than the 4 KB limit") {
		t.Fatalf("a file over the limit: %d %s", res.StatusCode, body)
	}
	ev["attachments"] = []map[string]string{{"filename": "huge.txt", "content": strings.Repeat("QUJD", 300_000)}}
	res, body = send(t, e, "/api/v1/reports", "", ev)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "at most 2 files of up to 4096 bytes each before base64") {
		t.Fatalf("a body past the limit: %d %s", res.StatusCode, body)
	}
	var n int
	if err := e.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM reports`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d reports stored from refused bodies", n)
	}
}

// A member of staff who raised a concern openly or confidentially follows it
// up with their own token, as an anonymous reporter does with a follow-up
// token: the replies and files, never the notes; their own message with a
// file; and feedback once it is closed. Nobody else's token opens it, not
// even a guardian's through these paths.
func TestSignedInReporterFollowsUpThroughTheAPI(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		staff, guardian, manager := e.Token(t, authz.Staff), e.Token(t, authz.Guardian), e.Token(t, authz.Manager)
		c := concern("confidential")
		c["attachments"] = []map[string]string{{"filename": "rota week 47.txt", "content": b64([]byte("Nights: 2 nurses for 28 beds.\n"))}}
		res, body := send(t, e, "/api/v1/reports", staff, c)
		want(t, res, body, http.StatusCreated)
		rec := decodeJSON[receipt](t, body)
		path := fmt.Sprintf("/api/v1/reports/%d", rec.ID)
		mine := fmt.Sprintf("/api/v1/my-reports/%d", rec.ID)

		res, body = send(t, e, path+"/messages", guardian, map[string]any{"body": "Thank you. Here is the escalation policy we will follow.",
			"attachments": []map[string]string{{"filename": "escalation.txt", "content": b64([]byte("Escalate unsafe staffing to the site manager.\n"))}}})
		want(t, res, body, http.StatusOK)
		res, body = send(t, e, path+"/notes", guardian, map[string]any{"body": "Matron says the bank request was refused.",
			"attachments": []map[string]string{{"filename": "bank.txt", "content": b64([]byte("Bank request 118 refused.\n"))}}})
		want(t, res, body, http.StatusOK)
		team := decodeJSON[withAttachments](t, body)
		noteFile := team.Messages[1].Attachments[0].ID

		res, body = e.API(t, "GET", mine, staff, "", nil)
		want(t, res, body, http.StatusOK)
		view := decodeJSON[withAttachments](t, body)
		if len(view.Attachments) != 1 || len(view.Messages) != 1 || len(view.Messages[0].Attachments) != 1 ||
			strings.Contains(body, "bank request") || strings.Contains(body, "Matron") || strings.Contains(body, "session_expires_at") {
			t.Fatalf("the reporter's own view: %s", body)
		}
		if got := download(t, e, fmt.Sprintf("%s/attachments/%d", mine, view.Messages[0].Attachments[0].ID), staff, "text/plain; charset=utf-8"); !strings.Contains(string(got), "site manager") {
			t.Fatalf("the policy the team sent: %q", got)
		}
		download(t, e, fmt.Sprintf("%s/attachments/%d", mine, view.Attachments[0].ID), staff, "text/plain; charset=utf-8")
		// The note's file, to the reporter and to the guardian through the
		// reporter's path; the report, to someone else; both are 404.
		for _, c := range []struct{ path, token string }{
			{fmt.Sprintf("%s/attachments/%d", mine, noteFile), staff},
			{fmt.Sprintf("%s/attachments/%d", mine, noteFile), guardian},
			{mine, manager},
			{mine, guardian},
			{fmt.Sprintf("%s/attachments/%d", mine, view.Attachments[0].ID), manager},
		} {
			if res, body := e.API(t, "GET", c.path, c.token, "", nil); res.StatusCode != http.StatusNotFound {
				t.Fatalf("GET %s: %d %s", c.path, res.StatusCode, body)
			}
		}
		if res, body := e.API(t, "GET", mine, "", "", nil); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("GET %s without a token: %d %s", mine, res.StatusCode, body)
		}

		// A body well over the 1 MiB of plain JSON, with a file of 1.5 MB:
		// taken whole.
		rota := bytes.Repeat([]byte("Nights: 2 nurses for 30 beds; bank request refused.\n"), 30_000)
		res, body = send(t, e, mine+"/messages", staff, map[string]any{"body": "It happened again last night. The rota for the month is attached.",
			"attachments": []map[string]string{{"filename": "month.txt", "content": b64(rota)}}})
		want(t, res, body, http.StatusOK)
		view = decodeJSON[withAttachments](t, body)
		if len(view.Messages) != 2 || view.Messages[1].From != "reporter" || len(view.Messages[1].Attachments) != 1 ||
			view.Messages[1].Attachments[0].Size != int64(len(rota)) {
			t.Fatalf("after the reporter's message: %s", body)
		}
		if got := download(t, e, fmt.Sprintf("%s/attachments/%d", mine, view.Messages[1].Attachments[0].ID), staff, "text/plain; charset=utf-8"); !bytes.Equal(got, rota) {
			t.Fatalf("the rota came back as %d bytes, want %d", len(got), len(rota))
		}

		// The same person's anonymous report is linked to nobody, them
		// included: not theirs to open here. Nor is the file of another of
		// their reports through this one's path.
		res, body = send(t, e, "/api/v1/reports", staff, concern("anonymous"))
		want(t, res, body, http.StatusCreated)
		anon := fmt.Sprintf("/api/v1/my-reports/%d", decodeJSON[receipt](t, body).ID)
		second := concern("open")
		second["attachments"] = []map[string]string{{"filename": "second.txt", "content": b64([]byte("A second concern.\n"))}}
		res, body = send(t, e, "/api/v1/reports", staff, second)
		want(t, res, body, http.StatusCreated)
		res, body = e.API(t, "GET", fmt.Sprintf("/api/v1/my-reports/%d", decodeJSON[receipt](t, body).ID), staff, "", nil)
		want(t, res, body, http.StatusOK)
		secondFile := decodeJSON[withAttachments](t, body).Attachments[0].ID
		for _, c := range []struct{ method, path string }{
			{"GET", anon}, {"GET", anon + "/attachments/1"}, {"POST", anon + "/messages"},
			{"GET", fmt.Sprintf("%s/attachments/%d", mine, secondFile)},
		} {
			var res *http.Response
			var body string
			if c.method == "POST" {
				res, body = send(t, e, c.path, staff, map[string]any{"body": "Is this mine?"})
			} else {
				res, body = e.API(t, c.method, c.path, staff, "", nil)
			}
			if res.StatusCode != http.StatusNotFound {
				t.Fatalf("%s %s: %d %s", c.method, c.path, res.StatusCode, body)
			}
		}
		if res, body := send(t, e, mine+"/messages", manager, map[string]any{"body": "Not mine to add to."}); res.StatusCode != http.StatusNotFound {
			t.Fatalf("a message on someone else's report: %d %s", res.StatusCode, body)
		}

		feedback := map[string]string{"speak_up_again": "maybe", "detriment": "no"}
		if res, body := send(t, e, mine+"/feedback", staff, feedback); res.StatusCode != http.StatusConflict {
			t.Fatalf("feedback before closure: %d %s", res.StatusCode, body)
		}
		res, body = send(t, e, path+"/close", guardian, map[string]string{"outcome": "Night staffing on the ward is now set at three nurses, with bank cover booked a week ahead."})
		want(t, res, body, http.StatusOK)
		res, body = send(t, e, mine+"/feedback", staff, feedback)
		want(t, res, body, http.StatusOK)
		closed := decodeJSON[followUpView](t, body)
		if closed.Feedback == nil || closed.Feedback.SpeakUpAgain != "maybe" || closed.CanGiveFeedback || !strings.Contains(closed.Outcome, "three nurses") {
			t.Fatalf("after feedback: %s", body)
		}
		if res, body := send(t, e, mine+"/feedback", staff, feedback); res.StatusCode != http.StatusConflict {
			t.Fatalf("feedback twice: %d %s", res.StatusCode, body)
		}
	})
}
