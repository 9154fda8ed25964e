package attach

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// testPDF builds a small, valid PDF whose information dictionary and XMP
// packet name its author, with a correct cross-reference table.
func testPDF() []byte {
	xmp := `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" pdf:Producer="Jane's Laptop PDF 2.1">
<dc:creator><rdf:Seq><rdf:li>Jane Smith</rdf:li></rdf:Seq></dc:creator>
<xmp:CreateDate>2026-03-01T21:14:05Z</xmp:CreateDate>
<dc:creatorship>kept</dc:creatorship>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`
	content := "BT /F1 12 Tf 72 712 Td (Statement about the night shift) Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R /Outlines 7 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		fmt.Sprintf("<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream", len(xmp), xmp),
		`<< /Author (Jane \(JS\) Smith) /Title <FEFF004A0061006E0065> /Creator<4a616e65> /Authority (kept) /CreationDate (D:20260301211405Z) /Producer (Word (for Jane)) >>`,
		"<< /Title (What happened on the night shift) /Parent 8 0 R >>",
		"<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>",
	}
	return buildPDF(objs, "/Info 6 0 R")
}

// buildPDF writes objs as objects 1, 2, ... of a PDF with a correct
// cross-reference table, and a trailer naming object 1 as the root and
// holding extra.
func buildPDF(objs []string, extra string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := []int{}
	for i, o := range objs {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, extra, xref)
	return b.Bytes()
}

func TestPDFMetadataIsBlankedInPlace(t *testing.T) {
	in := testPDF()
	inspected, err := Inspect("statement.pdf", in, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(inspected.Data, in) {
		t.Fatal("Inspect changed the PDF: casework documents keep their metadata")
	}
	f, err := StripDocumentMetadata(inspected)
	if err != nil {
		t.Fatal(err)
	}
	out := f.Data
	if sum := sha256.Sum256(out); f.SHA256 != hex.EncodeToString(sum[:]) {
		t.Error("the checksum is not of the cleaned file")
	}
	if len(out) != len(in) {
		t.Fatalf("cleaning changed the length from %d to %d, which would break the cross-reference table", len(in), len(out))
	}
	for _, gone := range []string{"Jane", "JS", "4a616e65", "004A0061006E0065", "2026-03-01T21:14:05Z", "D:20260301211405Z", "Laptop", "Word"} {
		if bytes.Contains(out, []byte(gone)) {
			t.Errorf("%q is still in the cleaned PDF", gone)
		}
	}
	for _, kept := range []string{"Statement about the night shift", "/Authority (kept)", "<dc:creatorship>kept</dc:creatorship>",
		"<dc:creator><rdf:Seq><rdf:li>", "</rdf:li></rdf:Seq></dc:creator>", "/Title <FEFF0020002000200020>", "/Creator<20202020>",
		"/Title (What happened on the night shift)"} {
		if !bytes.Contains(out, []byte(kept)) {
			t.Errorf("%q is not in the cleaned PDF", kept)
		}
	}
	// Every cross-reference entry still points at its object.
	m := regexp.MustCompile(`(?m)^(\d{10}) 00000 n `).FindAllSubmatch(out, -1)
	if len(m) != 8 {
		t.Fatalf("%d cross-reference entries, want 8", len(m))
	}
	for i, e := range m {
		off, _ := strconv.Atoi(string(e[1]))
		if want := fmt.Sprintf("%d 0 obj", i+1); !strings.HasPrefix(string(out[off:]), want) {
			t.Errorf("entry %d points at %q, want %q", i+1, out[off:off+10], want)
		}
	}
	if !bytes.HasSuffix(out, []byte("%%EOF\n")) {
		t.Error("the file no longer ends with its end-of-file marker")
	}
}

func TestPDFBlankingLeavesOddValuesAlone(t *testing.T) {
	for _, in := range []string{
		"%PDF-1.4\n1 0 obj << /Author 7 0 R >> endobj trailer << /Info 1 0 R >>",      // by reference
		"%PDF-1.4\n1 0 obj << /Author (never closed endobj trailer << /Info 1 0 R >>", // truncated
		"%PDF-1.4\n1 0 obj << /Author <not hex> >> endobj trailer << /Info 1 0 R >>",
		"%PDF-1.4\n1 0 obj << /Author <<>> >> endobj trailer << /Info 1 0 R >>",
		"%PDF-1.4\n1 0 obj << /Author (Jane) >> endobj",                                                   // no trailer names it
		"%PDF-1.4\n11 0 obj << /Author (Jane) >> endobj trailer << /Info 1 0 R >>",                        // another object
		"%PDF-1.4\n1 0 obj << /Author (Jane) /ByteRange [0 10 20 30] >> endobj trailer << /Info 1 0 R >>", // signed
		"%PDF-1.4\n<dc:creator>Jane</dc:creator>",                                                         // not in an XMP packet
	} {
		f, err := StripDocumentMetadata(File{ContentType: "application/pdf", Data: []byte(in)})
		if err != nil || string(f.Data) != in {
			t.Errorf("StripDocumentMetadata(%q) = %q; want it unchanged", in, f.Data)
		}
	}
	photo := File{ContentType: "image/png", Data: []byte("1 0 obj << /Author (Jane) >> endobj /Info 1 0 R")}
	if got, err := StripDocumentMetadata(photo); err != nil || !bytes.Equal(got.Data, photo.Data) {
		t.Error("a file that is not a PDF was changed")
	}
}

// A file made to be costly to clean (ten megabytes of unclosed strings,
// information references and XMP tags) is cleaned in one pass, not one pass
// per match: were it quadratic, this test would run for hours.
func TestPDFBlankingOfHostileFilesStaysLinear(t *testing.T) {
	for _, unit := range []string{"/Author(", "/Info 1 0 R\n1 0 obj /Title(", "<?xpacket begin <dc:creator>", "<?xpacket begin <?xpacket end", "1 0 obj /Author<414243",
		"1 0 obj << /Subtype/Text/T(/T(", "1 0 obj << /Subtype /Text /T<4a4a endobj ", "1 0 obj << /A [<< /B [", "<< /Subtype /Ink /P 1 0 R "} {
		in := []byte("%PDF-1.7\n" + strings.Repeat(unit, 10<<20/len(unit)) + "\ntrailer << /Info 1 0 R >>")
		blankPDFMetadata(in)
	}
	// The same, inside information objects that do end: sixteen named
	// objects whose headers all open before one long body, and one hex
	// string of ten megabytes.
	var heads, infos strings.Builder
	for n := 1; n <= 16; n++ {
		fmt.Fprintf(&heads, "%d 0 obj ", n)
		fmt.Fprintf(&infos, "trailer << /Info %d 0 R >>\n", n)
	}
	body := strings.Repeat("/Author(/Title(/Subject(", 10<<20/24)
	blankPDFMetadata([]byte("%PDF-1.7\n" + heads.String() + body + " endobj\n" + infos.String()))
	hex := "%PDF-1.7\n1 0 obj << /Author<" + strings.Repeat("4a", 5<<20) + "> >> endobj\ntrailer << /Info 1 0 R >>"
	if out := blankPDFMetadata([]byte(hex)); !bytes.Contains(out, []byte("/Author<2020")) || bytes.Contains(out, []byte("4a")) {
		t.Error("a long hex author was not blanked")
	}
}

// FuzzBlankPDFMetadata checks that cleaning never panics, never changes a
// file's length (every offset in it must stay right), and only ever writes
// the bytes a blanked value is made of.
func FuzzBlankPDFMetadata(f *testing.F) {
	f.Add(testPDF())
	f.Add([]byte("%PDF-1.4\n1 0 obj << /Author <FEFF004A> /Title (a\\)b) >> endobj trailer << /Info 1 0 R >>"))
	f.Add([]byte("%PDF-1.4\n4 0 obj <</Subtype/Text/T(Jane)/Subtype /Widget /T<4a>>> endobj 5 0 obj<</Subtype/Ink/T(a\\(b>>endobj"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out := blankPDFMetadata(data)
		if len(out) != len(data) {
			t.Fatalf("length %d became %d", len(data), len(out))
		}
		for i := range out {
			if out[i] != data[i] && out[i] != ' ' && out[i] != '0' && out[i] != '2' {
				t.Fatalf("byte %d became %q", i, out[i])
			}
		}
	})
}

// A comment, highlight or stamp in a PDF carries its author's name, which
// readers fill in from the computer's user name; a reporter's copy loses
// it, and a form field keeps its own name, which is not a person's.
func TestPDFCommentAuthorsAreBlanked(t *testing.T) {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [4 0 R 5 0 R 6 0 R 7 0 R] >>",
		"<</Type/Annot/Subtype/Text/Rect[10 10 30 30]/T(Jane Smith)/Contents(Times checked against the rota)/NM(c1)>>",
		"<< /Type /Annot /Subtype /Highlight /Rect [40 40 90 50] /T <FEFF004A0061006E0065> /Contents (Wrong dose) >>",
		"<< /Type /Annot /Subtype /Widget /FT /Tx /Rect [0 0 100 20] /T (Ward name) /V (Ward 7) >>",
		"<< /Type /Annot /Subtype /Popup /Parent 4 0 R /Rect [0 0 50 50] >>",
		// A comment whose author comes after a reference, an array and a
		// nested dictionary holding a /T of its own.
		"<< /Type /Annot /P 3 0 R /Rect [1 2 3 4] /BS << /W 1 /T (nested) >> /Subtype /StrikeOut % a comment\n /T (Sam Okoro) >>",
		// A page listing its annotations inline: a form field's name is
		// never taken for an author.
		"<< /Type /Page /Parent 2 0 R /Annots [<< /Subtype /Widget /T (Bed number) >> << /Subtype /Text /T (Inline Author) >>] >>",
		// Stream data is never read as the object's dictionary.
		"<< /Type /EmbeddedFile /Length 37 >>\nstream\n<< /Subtype /Text /T (Stream data) >>\nendstream",
		"<< /Type /ObjStm /N 1 /First 4 /Length 38 >>\nstream\n1 0 << /Subtype /Ink /T (In a stream) >>\nendstream",
	}
	in := buildPDF(objs, "")
	f, err := StripDocumentMetadata(File{ContentType: "application/pdf", Data: in})
	if err != nil {
		t.Fatal(err)
	}
	out := f.Data
	if len(out) != len(in) || !f.MetadataRemoved {
		t.Fatalf("length %d, want %d; removed %v", len(out), len(in), f.MetadataRemoved)
	}
	for _, gone := range []string{"Jane Smith", "004A0061006E0065", "Sam Okoro"} {
		if bytes.Contains(out, []byte(gone)) {
			t.Errorf("%q is still in the cleaned PDF", gone)
		}
	}
	for _, kept := range []string{"/T(          )/Contents(Times checked against the rota)/NM(c1)", "/T <FEFF0020002000200020> /Contents (Wrong dose)",
		"/T (Ward name) /V (Ward 7)", "/BS << /W 1 /T (nested) >>", "/T (Bed number)", "/T (Stream data)", "/T (In a stream)"} {
		if !bytes.Contains(out, []byte(kept)) {
			t.Errorf("%q is not in the cleaned PDF:\n%s", kept, out)
		}
	}
	// Handlers' and casework copies keep the author: Inspect alone does
	// not touch a PDF.
	if inspected, err := Inspect("annotated.pdf", in, 0); err != nil || !bytes.Equal(inspected.Data, in) {
		t.Errorf("Inspect changed an annotated PDF (err %v)", err)
	}
}
