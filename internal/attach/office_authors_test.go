package attach

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

// officeParts unpacks an Office document's parts by name.
func officeParts(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		parts[f.Name] = b
	}
	return parts
}

// wellFormed reports an XML part that does not parse.
func wellFormed(part []byte) error {
	d := xml.NewDecoder(bytes.NewReader(part))
	for {
		if _, err := d.Token(); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// The people who commented on or changed a Word, Excel or PowerPoint file
// are named inside it, and so is the folder it was saved from; a
// reporter's copy loses all of them, and nothing else.
func TestOfficeAuthorsAreRemovedFromReportersFiles(t *testing.T) {
	const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	w := `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	docx := map[string][]byte{
		"[Content_Types].xml": contentTypes,
		"word/document.xml": []byte(xmlHead + `<w:document ` + w + `><w:body><w:p><w:ins w:id="1" w:author="Jane Smith" w:date="2026-11-20T10:00:00Z"><w:r><w:t>Rota for the week</w:t></w:r></w:ins>` +
			`<w:del w:id='2' w:author='Jane Smith'><w:r><w:delText>old</w:delText></w:r></w:del><w:commentRangeStart w:id="0"/></w:p></w:body></w:document>`),
		"word/comments.xml": []byte(xmlHead + `<w:comments ` + w + `><w:comment w:id="0" w:author="Jane Smith" w:date="2026-11-20T10:05:00Z" w:initials="JS"><w:p><w:r><w:t>Check the handover times</w:t></w:r></w:p></w:comment></w:comments>`),
		"word/people.xml": []byte(xmlHead + `<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"><w15:person w15:author="Jane Smith">` +
			`<w15:presenceInfo w15:providerId="AD" w15:userId="S::jane.smith@northfield.nhs.example::8d1c"/></w15:person></w15:people>`),
		"word/_rels/settings.xml.rels": []byte(xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="file:///C:\Users\jsmith\AppData\Roaming\Microsoft\Templates\Normal.dotm" TargetMode="External"/></Relationships>`),
		"word/_rels/document.xml.rels": []byte(xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.england.nhs.uk/patient-safety/" TargetMode="External"/></Relationships>`),
		"word/styles.xml": []byte(xmlHead + `<w:styles ` + w + `/>`),
	}
	x := `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	xlsx := map[string][]byte{
		"[Content_Types].xml": contentTypes,
		"xl/workbook.xml": []byte(xmlHead + `<workbook ` + x + ` xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac">` +
			`<x15ac:absPath url="C:\Users\jsmith\OneDrive - Northfield\Rotas\" xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"/><sheets/></workbook>`),
		"xl/comments1.xml": []byte(xmlHead + `<comments ` + x + `><authors><author>Jane Smith</author><author>tc={5A1B}</author></authors><commentList/></comments>`),
		"xl/persons/person.xml": []byte(xmlHead + `<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">` +
			`<person displayName="Jane Smith" id="{5A1B}" userId="jane.smith@northfield.nhs.example" providerId="AD"/></personList>`),
		"xl/revisions/userNames.xml":       []byte(xmlHead + `<users ` + x + ` count="1"><userInfo guid="{11}" name="Jane Smith" id="1" dateTime="2026-11-20T10:00:00"/></users>`),
		"xl/revisions/revisionHeaders.xml": []byte(xmlHead + `<headers ` + x + `><header guid="{22}" dateTime="2026-11-20T10:00:00" userName="Jane Smith" r:id="rId1"/></headers>`),
		"xl/externalLinks/_rels/externalLink1.xml.rels": []byte(xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" Target="\\nfs01\home\jsmith\Staffing.xlsx" TargetMode="External"/></Relationships>`),
		"xl/tables/table1.xml": []byte(xmlHead + `<table ` + x + ` id="1" name="Rota" displayName="Rota" ref="A1:C9"/>`),
	}
	p := `xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"`
	pptx := map[string][]byte{
		"[Content_Types].xml":    contentTypes,
		"ppt/presentation.xml":   []byte(xmlHead + `<p:presentation ` + p + `/>`),
		"ppt/commentAuthors.xml": []byte(xmlHead + `<p:cmAuthorLst ` + p + `><p:cmAuthor id="1" name="Jane Smith" initials="JS" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>`),
		"ppt/authors.xml": []byte(xmlHead + `<p188:authorLst xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/8/main">` +
			`<p188:author id="{7C}" name="Jane Smith" initials="JS" userId="jane.smith@northfield.nhs.example" providerId="AD"/></p188:authorLst>`),
		"ppt/slides/slide1.xml": []byte(xmlHead + `<p:sld ` + p + `><p:cSld name="Handover"/></p:sld>`),
	}
	for name, parts := range map[string]map[string][]byte{"statement.docx": docx, "rota.xlsx": xlsx, "handover.pptx": pptx} {
		t.Run(name, func(t *testing.T) {
			inspected, err := Inspect(name, buildZip(t, parts), 0)
			if err != nil {
				t.Fatal(err)
			}
			f, err := StripDocumentMetadata(inspected)
			if err != nil {
				t.Fatal(err)
			}
			if !f.MetadataRemoved || f.ContentType != inspected.ContentType {
				t.Errorf("removed=%v type %q", f.MetadataRemoved, f.ContentType)
			}
			got := officeParts(t, f.Data)
			if len(got) != len(parts) {
				t.Errorf("%d parts, want %d", len(got), len(parts))
			}
			for part, data := range got {
				for _, secret := range []string{"Jane Smith", `"JS"`, "jane.smith", "jsmith", `"AD"`, "OneDrive"} {
					if bytes.Contains(data, []byte(secret)) {
						t.Errorf("%s still holds %s: %s", part, secret, data)
					}
				}
				if err := wellFormed(data); err != nil {
					t.Errorf("%s is no longer well-formed XML: %v\n%s", part, err, data)
				}
			}
			// What the document says, its links to the web, its
			// tables' names and parts that name nobody are as they were.
			for part, want := range parts {
				if !bytes.Contains(want, []byte("Jane Smith")) && !bytes.Contains(want, []byte("jsmith")) && !bytes.Equal(got[part], want) {
					t.Errorf("%s changed though it names nobody:\n%s\nwas\n%s", part, got[part], want)
				}
			}
			var before, after []byte
			for part := range parts {
				before, after = append(before, parts[part]...), append(after, got[part]...)
			}
			for _, kept := range []string{"Rota for the week", "Check the handover times", "https://www.england.nhs.uk/patient-safety/",
				"Normal.dotm", "Staffing.xlsx", `displayName="Rota"`, `name="Handover"`, "tc={5A1B}"} {
				if bytes.Contains(before, []byte(kept)) && !bytes.Contains(after, []byte(kept)) {
					t.Errorf("%q was lost", kept)
				}
			}
			if again, err := Inspect(name, f.Data, 0); err != nil || !bytes.Equal(again.Data, f.Data) {
				t.Errorf("the cleaned document does not pass inspection unchanged: %v", err)
			}
			if again, err := StripDocumentMetadata(f); err != nil || !bytes.Equal(again.Data, f.Data) {
				t.Errorf("cleaning the cleaned document changed it again: %v", err)
			}
		})
	}
	// A document that names nobody is kept byte for byte.
	plain, err := Inspect("plain.docx", buildZip(t, map[string][]byte{"[Content_Types].xml": contentTypes, "word/styles.xml": docx["word/styles.xml"]}), 0)
	if err != nil {
		t.Fatal(err)
	}
	if f, err := StripDocumentMetadata(plain); err != nil || !bytes.Equal(f.Data, plain.Data) || f.MetadataRemoved {
		t.Errorf("a document naming nobody was changed (err %v)", err)
	}
}

// A name holding XML's special characters is replaced whole, and a value
// in single quotes keeps its quotes.
func TestOfficeAuthorValuesAreReplacedWhole(t *testing.T) {
	in := []byte(`<w:comment w:author="O&apos;Brien &amp; Co" w:initials='O&amp;B' w:id="3"/>`)
	out, changed := officeAuthorPart("word/comments.xml", in)
	want := `<w:comment w:author="Author" w:initials='' w:id="3"/>`
	if !changed || string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
	if _, changed := officeAuthorPart("word/media/image1.png", in); changed {
		t.Error("a part that is not XML was changed")
	}
	for _, target := range []string{"https://example.org/a\\b", "media/image1.png", "../customXml/item1.xml"} {
		rel := []byte(`<Relationship Id="rId1" Target="` + target + `"/>`)
		if out, changed := officeAuthorPart("word/_rels/document.xml.rels", rel); changed {
			t.Errorf("the relationship to %s was changed: %s", target, out)
		}
	}
	if out, _ := officeAuthorPart("word/_rels/settings.xml.rels", []byte(`<Relationship Target="/Users/jsmith/Templates/Letter.dotx"/>`)); !strings.Contains(string(out), `Target="Letter.dotx"`) {
		t.Errorf("a Mac path was kept: %s", out)
	}
}

// Whatever a part holds, a part that was well-formed XML stays so, and
// cleaning it twice changes nothing more.
func FuzzOfficeAuthorPart(f *testing.F) {
	for _, seed := range []string{
		`<w:comment w:author="Jane" w:initials="J"/>`,
		`<a xmlns:x="u"><x:person x:displayName='A &amp; B' userId="u" providerId="AD"/></a>`,
		`<Relationships><Relationship Target="C:\Users\a\b.dotm"/><Relationship Target="file:x"/></Relationships>`,
		`<comments><authors><author>Jane</author><author>tc={1}</author><author/></authors></comments>`,
		`<x:absPath url="C:\a\" xmlns:x="u"/>`,
		`<p:cmAuthor name = "J" initials= 'J'/>`,
	} {
		for _, part := range []string{"word/comments.xml", "xl/persons/person.xml", "word/_rels/settings.xml.rels",
			"xl/comments1.xml", "xl/workbook.xml", "ppt/commentauthors.xml", "xl/revisions/usernames.xml"} {
			f.Add(part, []byte(seed))
		}
	}
	f.Fuzz(func(t *testing.T, part string, data []byte) {
		out, _ := officeAuthorPart(part, data)
		if wellFormed(data) == nil {
			if err := wellFormed(out); err != nil {
				t.Fatalf("%s: %q became %q, which does not parse: %v", part, data, out, err)
			}
		}
		if again, changed := officeAuthorPart(part, out); changed {
			t.Fatalf("%s: cleaning %q again gave %q", part, out, again)
		}
	})
}
