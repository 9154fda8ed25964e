package report_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"candour/internal/report"
	"candour/internal/store/storetest"
)

// A Word document names the people who commented on it; the copies a
// reporter attaches, raising a report or following it up, keep the
// comments but not the names, and a handler's copy is kept as it is.
func TestReportersOfficeFilesLoseTheirCommentersNames(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   `<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Statement about the night shift</w:t></w:r></w:p></w:body></w:document>`,
		"word/comments.xml":   `<w:comments xmlns:w="w"><w:comment w:id="0" w:author="Sam Okoro" w:initials="SO"><w:p><w:r><w:t>Times checked</w:t></w:r></w:p></w:comment></w:comments>`,
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	docx := buf.Bytes()

	sub := f.event(report.Anonymous)
	sub.Attachments = []report.Upload{{Filename: "statement.docx", Data: docx}}
	rec, err := f.svc.Submit(ctx, sub, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, fu, err := f.svc.StartFollowUp(ctx, rec.AccessCode, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ReporterMessage(ctx, nil, &fu, rec.ID, "The signed copy.", []report.Upload{{Filename: "statement.docx", Data: docx}}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.MessageReporter(ctx, f.users["safety"], rec.ID, "The ward's copy.", true, []report.Upload{{Filename: "statement.docx", Data: docx}}); err != nil {
		t.Fatal(err)
	}
	rows, err := f.db.QueryContext(ctx, `SELECT data FROM attachments WHERE report_id = ? ORDER BY id`, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var named []bool
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("a stored document does not open: %v", err)
		}
		var all []byte
		for _, e := range zr.File {
			rc, err := e.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			all = append(all, b...)
		}
		if !bytes.Contains(all, []byte("Statement about the night shift")) || !bytes.Contains(all, []byte("Times checked")) {
			t.Errorf("a stored document lost its text or its comment: %s", all)
		}
		named = append(named, bytes.Contains(all, []byte("Sam Okoro")))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(named) != 3 || named[0] || named[1] || !named[2] {
		t.Errorf("commenter's name kept in (reporter's, reporter's follow-up, handler's) = %v, want (false, false, true)", named)
	}
}

// A document holding something whose names cannot be removed is refused
// with a message saying what to do, not stored with them.
func TestReportersUncleanableOfficeFilesAreRefused(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	zipOf := func(parts map[string][]byte) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, name := range []string{"[Content_Types].xml", "word/document.xml", "xl/workbook.xml", "xl/vbaProject.bin", "word/embeddings/Book.xlsm"} {
			if body, ok := parts[name]; ok {
				w, _ := zw.Create(name)
				w.Write(body)
			}
		}
		zw.Close()
		return buf.Bytes()
	}
	types := []byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	macros := zipOf(map[string][]byte{"[Content_Types].xml": types, "xl/workbook.xml": []byte(`<workbook/>`), "xl/vbaProject.bin": []byte("macro")})
	docx := zipOf(map[string][]byte{"[Content_Types].xml": types, "word/document.xml": []byte(`<w:document xmlns:w="w"/>`), "word/embeddings/Book.xlsm": macros})
	sub := f.event(report.Anonymous)
	sub.Attachments = []report.Upload{{Filename: "statement.docx", Data: docx}}
	_, err := f.svc.Submit(ctx, sub, nil)
	if msg := fields(err)["attachments"]; !strings.Contains(msg, "statement.docx") || !strings.Contains(msg, "Save it as a PDF") {
		t.Fatalf("got %v, want the attachment refused with what to do", err)
	}
	var n int
	f.db.QueryRowContext(ctx, `SELECT count(*) FROM reports`).Scan(&n)
	if n != 0 {
		t.Errorf("%d reports stored from a refused submission", n)
	}
}
