package attach

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image/jpeg"
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

// cleanPart cleans one part as stripOfficeAuthors would, by its name; a
// part it would refuse comes back unchanged.
func cleanPart(name string, part []byte) ([]byte, bool) {
	rules, ok := officeRulesFor(strings.ToLower(name))
	if !ok {
		return part, false
	}
	out, changed, err := officeAuthorPart(rules, part)
	if err != nil {
		return part, false
	}
	return out, changed
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

// unpackAll is every part of an Office document, and of the Office files
// embedded in it, joined; and whether each part that was XML still is.
func unpackAll(t *testing.T, data []byte) []byte {
	t.Helper()
	var all []byte
	for name, part := range officeParts(t, data) {
		if k := detect(part); k == kDocx || k == kXlsx || k == kPptx {
			all = append(all, unpackAll(t, part)...)
			continue
		}
		if (strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels")) && wellFormed(part) != nil {
			t.Errorf("%s is no longer well-formed XML: %v\n%s", name, wellFormed(part), part)
		}
		all = append(all, part...)
	}
	return all
}

// jpegWithGPS is a small photo whose EXIF holds gpsMarker.
func jpegWithGPS(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(8, 8), nil); err != nil {
		t.Fatal(err)
	}
	orig := buf.Bytes()
	return append(append(append([]byte(nil), orig[:2]...), jpegSegment(0xE1, exifPayload(1, gpsMarker))...), orig[2:]...)
}

// The people who commented on or changed a Word, Excel or PowerPoint file
// are named inside it, and so is the folder it was saved from; a
// reporter's copy loses all of them, and nothing else.
func TestOfficeAuthorsAreRemovedFromReportersFiles(t *testing.T) {
	const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	rels := func(target string) []byte {
		return []byte(xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="` + target + `" TargetMode="External"/></Relationships>`)
	}
	x := `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	xlsx := map[string][]byte{
		"[Content_Types].xml": contentTypes,
		"docProps/core.xml":   []byte(xmlHead + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jane Smith</dc:creator></cp:coreProperties>`),
		"xl/workbook.xml": []byte(xmlHead + `<workbook ` + x + ` xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac">` +
			`<fileVersion appName="xl"/><fileSharing readOnlyRecommended="1" userName="Jane Smith"/>` +
			`<x15ac:absPath url="C:\Users\jsmith\OneDrive - Northfield\Rotas\" xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"/><sheets/></workbook>`),
		"xl/comments1.xml": []byte(xmlHead + `<comments ` + x + `><authors><author>Jane Smith</author><author>tc={5A1B}</author></authors><commentList>` +
			`<comment ref="B2" authorId="0"><text><r><rPr><b/><sz val="9"/></rPr><t>Jane Smith:</t></r><r><rPr><sz val="9"/></rPr><t xml:space="preserve">` + "\n" + `Two staff short on nights</t></r></text></comment>` +
			`<comment ref="C3" authorId="1"><text><t>[Threaded comment] Rota checked</t></text></comment></commentList></comments>`),
		"xl/persons/person.xml": []byte(xmlHead + `<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">` +
			`<person displayName="Jane Smith" id="{5A1B}" userId="jane.smith@northfield.nhs.example" providerId="AD"/></personList>`),
		"xl/revisions/userNames.xml":       []byte(xmlHead + `<users ` + x + ` count="1"><userInfo guid="{11}" name="Jane Smith" id="1" dateTime="2026-11-20T10:00:00"/></users>`),
		"xl/revisions/revisionHeaders.xml": []byte(xmlHead + `<headers ` + x + `><header guid="{22}" dateTime="2026-11-20T10:00:00" userName="Jane Smith"/></headers>`),
		"xl/revisions/revisionLog1.xml": []byte(xmlHead + `<revisions ` + x + `><rcmt sheetId="1" cell="B2" guid="{33}" action="add" author="Jane Smith"/>` +
			`<rdn rId="4" localSheetId="1" customView="0" name="StaffOnNights" function="0"/></revisions>`),
		"xl/externalLinks/_rels/externalLink1.xml.rels": []byte(xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" Target="\\nfs01\home\jsmith\Staffing.xlsx" TargetMode="External"/></Relationships>`),
		"xl/tables/table1.xml": []byte(xmlHead + `<table ` + x + ` id="1" name="Rota" displayName="Rota" ref="A1:C9"/>`),
		"xl/media/image1.jpeg": jpegWithGPS(t),
	}
	w := `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	docx := map[string][]byte{
		"[Content_Types].xml": contentTypes,
		"word/document.xml": []byte(xmlHead + `<w:document ` + w + ` xmlns:author="urn:example:author"><w:body><w:p><w:bookmarkStart w:id="0" w:name="handover"/>` +
			`<w:ins w:id="1" w:author="Jane Smith" w:date="2026-11-20T10:00:00Z"><w:r><w:t>Rota for the week</w:t></w:r></w:ins>` +
			`<w:r><w:t xml:space="preserve">The author="</w:t></w:r><w:r w:rsidR="00A1"><w:t>quoted</w:t></w:r><!-- w:author="Kept in a comment" --><![CDATA[ w:author="x" ]]>` +
			`<w:del w:id='2' w:author='Jane Smith'><w:r><w:delText>old</w:delText></w:r></w:del><w:commentRangeStart w:id="0"/></w:p></w:body></w:document>`),
		"word/comments.xml": []byte(xmlHead + `<w:comments ` + w + `><w:comment w:id="0" w:author="Jane Smith" w:date="2026-11-20T10:05:00Z" w:initials="JS"><w:p><w:r><w:t>Check the handover times</w:t></w:r></w:p></w:comment></w:comments>`),
		"word/people.xml": []byte(xmlHead + `<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"><w15:person w15:author="Jane Smith">` +
			`<w15:presenceInfo w15:providerId="AD" w15:userId="S::jane.smith@northfield.nhs.example::8d1c"/></w15:person></w15:people>`),
		"word/_rels/settings.xml.rels": rels(`file:///C:\Users\jsmith\AppData\Roaming\Microsoft\Templates\Normal.dotm`),
		"word/_rels/header1.xml.rels":  rels(`https://northfield-my.sharepoint.com/personal/jane_smith_nhs_net/Documents/Letterhead.dotx`),
		"word/_rels/footer1.xml.rels":  rels(`file:///C:/Users/jsmith/Documents/`),
		"word/_rels/document.xml.rels": []byte(xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.england.nhs.uk/patient-safety/" TargetMode="External"/></Relationships>`),
		"word/styles.xml": []byte(xmlHead + `<w:styles ` + w + `/>`),
		"customXml/item1.xml": []byte(xmlHead + `<p:properties xmlns:p="http://schemas.microsoft.com/office/2006/metadata/properties"><documentManagement>` +
			`<SharedWithUsers><UserInfo><DisplayName>Jane Smith</DisplayName><AccountId>12</AccountId><AccountType/></UserInfo></SharedWithUsers></documentManagement></p:properties>`),
		"word/media/image1.jpeg":                         jpegWithGPS(t),
		"word/embeddings/Microsoft_Excel_Worksheet.xlsx": buildZip(t, xlsx),
	}
	p := `xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"`
	pptx := map[string][]byte{
		"[Content_Types].xml":    contentTypes,
		"ppt/presentation.xml":   []byte(xmlHead + `<p:presentation ` + p + `/>`),
		"ppt/commentAuthors.xml": []byte(xmlHead + `<p:cmAuthorLst ` + p + `><p:cmAuthor id="1" name="Jane Smith" initials="JS" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>`),
		"ppt/authors.xml": []byte(xmlHead + `<p188:authorLst xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/8/main">` +
			`<p188:author id="{7C}" name="Jane Smith" initials="JS" userId="jane.smith@northfield.nhs.example" providerId="AD"/></p188:authorLst>`),
		"ppt/changesInfos/changesInfo1.xml": []byte(xmlHead + `<pc:chgInfo xmlns:pc="http://schemas.microsoft.com/office/powerpoint/2013/main/command">` +
			`<pc:docChgLst><pc:chgData name="Jane Smith" userId="S::jane.smith@northfield.nhs.example::8d1c" providerId="AD"/><pc:docChg chg="modSld"/></pc:docChgLst></pc:chgInfo>`),
		"ppt/slides/slide1.xml": []byte(xmlHead + `<p:sld ` + p + `><p:cSld name="Handover"/></p:sld>`),
	}
	for name, parts := range map[string]map[string][]byte{"statement.docx": docx, "rota.xlsx": xlsx, "handover.pptx": pptx} {
		t.Run(name, func(t *testing.T) {
			in := buildZip(t, parts)
			inspected, err := Inspect(name, in, 0)
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
			after := unpackAll(t, f.Data)
			for _, secret := range []string{"Jane Smith", `"JS"`, "jane.smith", "jane_smith", "jsmith", `"AD"`, "OneDrive", ">12<", gpsMarker} {
				if bytes.Contains(after, []byte(secret)) {
					t.Errorf("%s still holds %s", name, secret)
				}
			}
			// What the document says, its links to the web, its
			// tables' and bookmarks' names and parts that name nobody
			// are as they were.
			for part, want := range parts {
				names := false
				for _, s := range []string{"Jane", "jane", "jsmith", gpsMarker} {
					names = names || bytes.Contains(want, []byte(s))
				}
				if !names && !strings.Contains(part, "embeddings/") && !bytes.Equal(got[part], want) {
					t.Errorf("%s changed though it names nobody:\n%s\nwas\n%s", part, got[part], want)
				}
			}
			before := unpackAll(t, in)
			for _, kept := range []string{"Rota for the week", "Check the handover times", "https://www.england.nhs.uk/patient-safety/",
				"Normal.dotm", "Letterhead.dotx", "Staffing.xlsx", `displayName="Rota"`, `name="Handover"`, "tc={5A1B}",
				`w:name="handover"`, `name="StaffOnNights"`, `xmlns:author="urn:example:author"`, `The author="</w:t>`, `<w:r w:rsidR="00A1">`,
				`<!-- w:author="Kept in a comment" -->`, `<![CDATA[ w:author="x" ]]>`, "Two staff short on nights",
				"[Threaded comment] Rota checked", `<pc:docChg chg="modSld"/>`} {
				if bytes.Contains(before, []byte(kept)) && !bytes.Contains(after, []byte(kept)) {
					t.Errorf("%q is not in the cleaned %s", kept, name)
				}
			}
			// A note keeps its "author:" opening, without the name; a
			// path to a folder keeps a placeholder for a name.
			for doc, want := range map[string]string{"rota.xlsx": "<t>Author:</t>", "statement.docx": `Target="file"`} {
				if doc == name && !bytes.Contains(after, []byte(want)) {
					t.Errorf("%q is not in the cleaned %s", want, name)
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
	out, changed := cleanPart("word/comments.xml", in)
	want := `<w:comment w:author="Author" w:initials='A' w:id="3"/>`
	if !changed || string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
	if _, changed := cleanPart("word/media/image1.png", in); changed {
		t.Error("a part that is not XML was changed")
	}
	for _, target := range []string{"https://example.org/a\\b", "media/image1.png", "../customXml/item1.xml"} {
		rel := []byte(`<Relationship Id="rId1" Target="` + target + `"/>`)
		if out, changed := cleanPart("word/_rels/document.xml.rels", rel); changed {
			t.Errorf("the relationship to %s was changed: %s", target, out)
		}
	}
	if out, _ := cleanPart("word/_rels/settings.xml.rels", []byte(`<Relationship Target="/Users/jsmith/Templates/Letter.dotx"/>`)); !strings.Contains(string(out), `Target="Letter.dotx"`) {
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
		`<a><b> author="</b><c d="e"/></a>`,
		`<w:t xml:space="preserve">The author="</w:t></w:r><w:r w:rsidR="00A1">`,
		`<comments><authors><author>J &amp; K</author></authors><commentList><comment><text><t>J &amp; K: a&lt;b` + "\n" + `</t></text></comment></commentList></comments>`,
		`<x><!-- <a author="J"> --><![CDATA[<a author="J">]]><?pi author="J"?><a xmlns:author="u" author:x="1" author='J'/></x>`,
		`<p><UserInfo><DisplayName>J</DisplayName><AccountId>12</AccountId></UserInfo></p>`,
		`<pc:chgData name="J" userId="S::j" providerId="AD"/>`,
		`<comments><authors><author>J</author></authors><commentList><comment authorId="0"><text><t>J:&#x80;&#65;` + "\t" + `</t></text></comment></commentList></comments>`,
		`<comments><authors><author>J</author></authors><commentList><comment authorId="0"><text><t>Author:&#65;</t></text></comment></commentList></comments>`,
		`<!DOCTYPE x [<!ENTITY e "1>2 <DisplayName>J">]><x/>`,
		`<Relationship Target="https://a-my.sharepoint.com/:w:/g/personal/j_s/E?e=1#x"/>`,
	} {
		for _, part := range []string{"word/comments.xml", "xl/persons/person.xml", "word/_rels/settings.xml.rels",
			"xl/comments1.xml", "xl/workbook.xml", "ppt/commentauthors.xml", "xl/revisions/usernames.xml",
			"ppt/changesinfos/changesinfo1.xml", "customxml/item1.xml"} {
			f.Add(part, []byte(seed))
		}
	}
	f.Fuzz(func(t *testing.T, part string, data []byte) {
		// The quick check may let through a part with no names, but
		// never skip one the scan would change.
		if rules, ok := officeRulesFor(strings.ToLower(part)); ok && !rules.mayApply(data) {
			if scanned, changed, _ := scanOfficePart(rules, data); changed {
				t.Fatalf("%s: the quick check skips %q, which the scan changes to %q", part, data, scanned)
			}
		}
		out, _ := cleanPart(part, data)
		if wellFormed(data) == nil {
			if err := wellFormed(out); err != nil {
				t.Fatalf("%s: %q became %q, which does not parse: %v", part, data, out, err)
			}
		}
		if again, changed := cleanPart(part, out); changed {
			t.Fatalf("%s: cleaning %q again gave %q", part, out, again)
		}
	})
}

// BenchmarkStripOfficeAuthors cleans a Word document with a large body of
// ordinary runs and some tracked changes: the scan's time grows with the
// part's size, at a rate b.SetBytes reports.
func BenchmarkStripOfficeAuthors(b *testing.B) {
	var body strings.Builder
	body.WriteString(`<w:document xmlns:w="w"><w:body>`)
	for i := 0; body.Len() < 8<<20; i++ {
		fmt.Fprintf(&body, `<w:p w:rsidR="00A1%04X"><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Line %d of the handover, checked twice. </w:t></w:r>`, i%65536, i)
		if i%50 == 0 {
			body.WriteString(`<w:ins w:id="7" w:author="Jane Smith" w:date="2026-11-20T10:00:00Z"><w:r><w:t>added</w:t></w:r></w:ins>`)
		}
		body.WriteString(`</w:p>`)
	}
	body.WriteString(`</w:body></w:document>`)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, part := range map[string]string{"[Content_Types].xml": string(contentTypes), "word/document.xml": body.String()} {
		w, _ := zw.Create(name)
		io.WriteString(w, part)
	}
	zw.Close()
	data := buf.Bytes()
	b.SetBytes(int64(body.Len()))
	for b.Loop() {
		if _, err := stripOfficeAuthors(data); err != nil {
			b.Fatal(err)
		}
	}
}

// An Excel note opens with its own author's name, which goes; the rest of
// its text is kept exactly as written, character references and all.
func TestExcelNotesLoseTheirAuthorsName(t *testing.T) {
	in := `<comments><authors><author>Jane &amp; Co</author><author>Sam Okoro</author><author/></authors><commentList>` +
		`<comment ref="A1" authorId="1"><text><r><t>Sam Okoro:</t></r><r><t>&#x80; two short` + "\n" + `</t></r></text></comment>` +
		`<comment ref="A2" authorId="0"><text><t>Jane &#38; Co: &#x80;x</t></text></comment>` +
		`<comment ref="A3" authorId="0"><text><t>Sam Okoro: not the author of this note</t></text></comment>` +
		`<comment ref="A4" authorId="2"><text><t>:empty author</t></text></comment></commentList></comments>`
	out, changed := cleanPart("xl/comments1.xml", []byte(in))
	want := `<comments><authors><author>Author</author><author>Author</author><author/></authors><commentList>` +
		`<comment ref="A1" authorId="1"><text><r><t>Author:</t></r><r><t>&#x80; two short` + "\n" + `</t></r></text></comment>` +
		`<comment ref="A2" authorId="0"><text><t>Author: &#x80;x</t></text></comment>` +
		`<comment ref="A3" authorId="0"><text><t>Sam Okoro: not the author of this note</t></text></comment>` +
		`<comment ref="A4" authorId="2"><text><t>:empty author</t></text></comment></commentList></comments>`
	if !changed || string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	if again, changed := cleanPart("xl/comments1.xml", out); changed {
		t.Errorf("cleaning again changed it: %s", again)
	}
}

// A link to a file in someone's OneDrive or on their own computer keeps
// only the file's name; a shared web address is kept whole.
func TestLocalAndPersonalPathsKeepOnlyTheFileName(t *testing.T) {
	for target, want := range map[string]string{
		`https://nhs-my.sharepoint.com/:w:/g/personal/jane_smith_nhs_net/EaBc?e=x`:                                      "EaBc",
		`https://nhs-my.sharepoint.com/personal/jane_smith/Documents/Forms/AllItems.aspx?id=%2Fpersonal%2Fjane%5Fsmith`: "AllItems.aspx",
		`https://d.docs.live.net/8c1f/Documents/Rota.xlsx`:                                                              "Rota.xlsx",
		`C:\Users\jsmith\Documents\Rota.xlsx`:                                                                           "Rota.xlsx",
		`file:///C:/Users/jsmith/Documents/`:                                                                            "file",
		`https://www.england.nhs.uk/a/b?x=1`:                                                                            `https://www.england.nhs.uk/a/b?x=1`,
		`https://northfield.sharepoint.com/sites/Safety/Shared%20Documents/Rota.xlsx`:                                   `https://northfield.sharepoint.com/sites/Safety/Shared%20Documents/Rota.xlsx`,
	} {
		out, _ := cleanPart("xl/externalLinks/_rels/externalLink1.xml.rels", []byte(`<Relationship Id="rId1" Target="`+target+`"/>`))
		if got := string(out); got != `<Relationship Id="rId1" Target="`+want+`"/>` {
			t.Errorf("%s became %s, want %s", target, got, want)
		}
	}
	out, _ := cleanPart("xl/connections.xml", []byte(`<connection id="1" odcFile="C:\Users\jsmith\Documents\My Data Sources\Beds.odc" name="Beds"/>`))
	if want := `<connection id="1" odcFile="Beds.odc" name="Beds"/>`; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
	out, _ = cleanPart("word/document.xml", []byte(`<w:permStart w:id="1" w:ed="NHS\jsmith"/><w:permStart w:id="2" w:edGrp="everyone"/>`))
	if want := `<w:permStart w:id="1" w:ed="Author"/><w:permStart w:id="2" w:edGrp="everyone"/>`; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
}

// A document is refused, not kept with names, when something in it cannot
// be cleaned: a part with a document type declaration, an embedded file
// with macros, an Office file inside an embedded one, or an embedded
// archive with too many parts to read safely.
func TestOfficeFilesThatCannotBeCleanedAreRefused(t *testing.T) {
	xlsx := func(extra map[string][]byte) []byte {
		parts := map[string][]byte{"[Content_Types].xml": contentTypes, "xl/workbook.xml": []byte(`<workbook/>`)}
		for k, v := range extra {
			parts[k] = v
		}
		return buildZip(t, parts)
	}
	// An archive whose directory has more entries than its end record
	// admits to (it claims none).
	tooMany := func(n int) []byte {
		b := []byte("PK\x03\x04")
		b = append(b, bytes.Repeat([]byte("PK\x01\x02"+strings.Repeat("\x00", 42)), n)...)
		return append(b, "PK\x05\x06"+strings.Repeat("\x00", 18)...)
	}
	// A real document with too many parts: a few too many are read and
	// refused as such, far too many are refused before being read.
	manyParts := func(n int) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for i := range n {
			name := "[Content_Types].xml"
			if i > 0 {
				name = fmt.Sprintf("word/p%d", i)
			}
			if _, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store}); err != nil {
				t.Fatal(err)
			}
		}
		zw.Close()
		return buf.Bytes()
	}
	if _, err := Inspect("big.docx", manyParts(MaxZipEntries+1), 0); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a document with %d parts: %v, want it refused as too large", MaxZipEntries+1, err)
	}
	if _, err := Inspect("big.docx", manyParts(4*MaxZipEntries+1), 0); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("a document with %d parts: %v, want it refused before its directory is read", 4*MaxZipEntries+1, err)
	}
	macro := buildZip(t, map[string][]byte{"[Content_Types].xml": contentTypes, "xl/workbook.xml": []byte(`<workbook/>`), "xl/vbaProject.bin": []byte("macro")})
	for name, doc := range map[string][]byte{
		"a document type declaration": xlsx(map[string][]byte{"xl/comments1.xml": []byte(`<!DOCTYPE c [<!ENTITY e "> <">]><comments><authors><author>Jane Smith</author></authors></comments>`)}),
		"an embedded workbook with macros": buildZip(t, map[string][]byte{"[Content_Types].xml": contentTypes, "word/document.xml": []byte(`<w:document/>`),
			"word/embeddings/Microsoft_Excel_Macro-Enabled_Worksheet.xlsm": macro}),
		"an Office file two deep": buildZip(t, map[string][]byte{"[Content_Types].xml": contentTypes, "word/document.xml": []byte(`<w:document/>`),
			"word/embeddings/Workbook.xlsx": xlsx(map[string][]byte{"xl/embeddings/Inner.xlsx": xlsx(nil)})}),
		"an embedded archive with too many parts": buildZip(t, map[string][]byte{"[Content_Types].xml": contentTypes, "word/document.xml": []byte(`<w:document/>`),
			"word/embeddings/oleObject1.zip": tooMany(MaxZipEntries + 1)}),
	} {
		inspected, err := Inspect("statement.docx", doc, 0)
		if err != nil {
			if name == "a document type declaration" {
				inspected, err = Inspect("rota.xlsx", doc, 0)
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		_, err = StripDocumentMetadata(inspected)
		e, ok := errors.AsType[*Error](err)
		if !ok || !errors.Is(err, ErrNotAllowed) || !strings.Contains(e.Message, "Save it as a PDF") {
			t.Errorf("%s: got %v, want a refusal that says what to do", name, err)
		}
	}
}

// BenchmarkExcelNotes cleans a comments part with as many notes as
// authors, each note checked against its own author only, so the time a
// note takes does not grow with the number of authors.
func BenchmarkExcelNotes(b *testing.B) {
	var part strings.Builder
	const n = 20000
	part.WriteString(`<comments><authors>`)
	for i := range n {
		fmt.Fprintf(&part, `<author>Author number %d</author>`, i)
	}
	part.WriteString(`</authors><commentList>`)
	for i := range n {
		fmt.Fprintf(&part, `<comment ref="A%d" authorId="%d"><text><r><t>Author number %d:</t></r><r><t>note</t></r></text></comment>`, i, i, i)
	}
	part.WriteString(`</commentList></comments>`)
	data := []byte(part.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := officeAuthorPart(notesRules, data); err != nil {
			b.Fatal(err)
		}
	}
}
