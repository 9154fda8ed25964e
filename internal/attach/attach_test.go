package attach

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

func testImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 7), uint8(y * 5), 120, 255})
		}
	}
	return img
}

func jpegSegment(marker byte, payload string) []byte {
	b := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(b[2:], uint16(len(payload)+2))
	return append(b, payload...)
}

// exifPayload builds an APP1 EXIF payload with an Orientation tag and a
// GPS-looking string in an ASCII tag.
func exifPayload(orientation uint16, text string) string {
	b := []byte("Exif\x00\x00II*\x00")
	b = binary.LittleEndian.AppendUint32(b, 8)
	b = binary.LittleEndian.AppendUint16(b, 2)
	b = binary.LittleEndian.AppendUint16(b, 0x0112)
	b = binary.LittleEndian.AppendUint16(b, 3)
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = binary.LittleEndian.AppendUint16(b, orientation)
	b = append(b, 0, 0)
	b = binary.LittleEndian.AppendUint16(b, 0x010E) // ImageDescription, ASCII
	b = binary.LittleEndian.AppendUint16(b, 2)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(text)+1))
	b = binary.LittleEndian.AppendUint32(b, 8+2+2*12+4)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = append(b, text...)
	b = append(b, 0)
	return string(b)
}

const gpsMarker = "GPSLatitude 51.5072N GPSLongitude 0.1276W"

func TestJPEGMetadataRemoved(t *testing.T) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(40, 30), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	orig := buf.Bytes()
	var in []byte
	in = append(in, orig[:2]...)
	in = append(in, jpegSegment(0xE0, "JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")...)
	in = append(in, jpegSegment(0xE1, exifPayload(6, gpsMarker))...)
	in = append(in, jpegSegment(0xE1, "http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>Jane Smith</x:xmpmeta>")...)
	in = append(in, jpegSegment(0xED, "Photoshop 3.0\x008BIM IPTC byline Jane Smith")...)
	in = append(in, jpegSegment(0xFE, "Taken by Jane Smith on Ward 7")...)
	in = append(in, jpegSegment(0xEE, "Adobe\x00\x64\x00\x00\x00\x00\x01")...)
	in = append(in, orig[2:]...)
	in = append(in, "trailing secret after EOI"...)

	f, err := Inspect("IMG_0001.JPG", in, 0)
	if err != nil {
		t.Fatal(err)
	}
	if f.ContentType != "image/jpeg" || f.Filename != "IMG_0001.JPG" || f.Renamed || !f.MetadataRemoved {
		t.Errorf("got %q %q renamed=%v removed=%v", f.Filename, f.ContentType, f.Renamed, f.MetadataRemoved)
	}
	for _, s := range []string{"GPSLatitude", "Jane Smith", "Ward 7", "xmpmeta", "8BIM", "trailing secret"} {
		if bytes.Contains(f.Data, []byte(s)) {
			t.Errorf("cleaned JPEG still contains %q", s)
		}
	}
	if !bytes.Contains(f.Data, []byte("JFIF\x00")) || !bytes.Contains(f.Data, []byte("Adobe")) {
		t.Error("JFIF or Adobe segment was dropped")
	}
	if got := orientationOf(t, f.Data); got != 6 {
		t.Errorf("orientation = %d, want 6 kept", got)
	}
	if !bytes.HasSuffix(f.Data, orig[bytes.Index(orig, []byte{0xFF, 0xDA}):]) {
		t.Error("scan data not kept byte for byte")
	}
	img, format, err := image.Decode(bytes.NewReader(f.Data))
	if err != nil || format != "jpeg" || img.Bounds().Dx() != 40 || img.Bounds().Dy() != 30 {
		t.Fatalf("decode cleaned: %v %q %v", err, format, img.Bounds())
	}
	again, err := Inspect(f.Filename, f.Data, 0)
	if err != nil || !bytes.Equal(again.Data, f.Data) || again.MetadataRemoved {
		t.Errorf("cleaning is not idempotent: %v", err)
	}
}

// orientationOf returns the EXIF orientation of a JPEG, or 0.
func orientationOf(t *testing.T, data []byte) int {
	t.Helper()
	for i := 2; i+4 < len(data) && data[i] == 0xFF && data[i+1] != 0xDA; {
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if data[i+1] == 0xE1 {
			return exifOrientation(data[i+4 : i+2+n])
		}
		i += 2 + n
	}
	return 0
}

func TestJPEGUprightOrientationDropsEXIF(t *testing.T) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(8, 8), nil); err != nil {
		t.Fatal(err)
	}
	orig := buf.Bytes()
	in := append(append(append([]byte{}, orig[:2]...), jpegSegment(0xE1, exifPayload(1, gpsMarker))...), orig[2:]...)
	f, err := Inspect("a.jpg", in, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(f.Data, orig) {
		t.Error("upright photo: want the original bytes without the EXIF segment")
	}
}

func pngChunk(typ, data string) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

func TestPNGMetadataRemoved(t *testing.T) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, testImage(33, 21)); err != nil {
		t.Fatal(err)
	}
	orig := buf.Bytes()
	ihdrEnd := 8 + 12 + 13
	var in []byte
	in = append(in, orig[:ihdrEnd]...)
	in = append(in, pngChunk("tEXt", "Author\x00Jane Smith")...)
	in = append(in, pngChunk("tIME", "\x07\xea\x03\x04\x05\x06\x07")...)
	in = append(in, pngChunk("eXIf", "MM\x00*"+gpsMarker)...)
	in = append(in, pngChunk("gAMA", "\x00\x00\xb1\x8f")...)
	in = append(in, pngChunk("caBX", "c2pa manifest by Jane Smith")...)
	in = append(in, orig[ihdrEnd:]...)
	in = append(in, "after IEND"...)

	f, err := Inspect("scan.png", in, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"tEXt", "Author", "Jane Smith", "tIME", "eXIf", "GPS", "caBX", "after IEND"} {
		if bytes.Contains(f.Data, []byte(s)) {
			t.Errorf("cleaned PNG still contains %q", s)
		}
	}
	if !bytes.Contains(f.Data, []byte("gAMA")) {
		t.Error("gAMA chunk dropped")
	}
	img, err := png.Decode(bytes.NewReader(f.Data))
	if err != nil || img.Bounds().Dx() != 33 || img.Bounds().Dy() != 21 {
		t.Fatalf("decode cleaned PNG: %v", err)
	}

	bad := bytes.Clone(in)
	bad[ihdrEnd+10] ^= 0xFF // corrupt the tEXt chunk, so its CRC fails
	if _, err := Inspect("scan.png", bad, 0); !errors.Is(err, ErrDamaged) {
		t.Errorf("bad CRC: got %v, want ErrDamaged", err)
	}
}

func TestGIFMetadataRemoved(t *testing.T) {
	pal := image.NewPaletted(image.Rect(0, 0, 10, 10), []color.Color{color.Black, color.White})
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, &gif.GIF{Image: []*image.Paletted{pal, pal}, Delay: []int{10, 10}, LoopCount: 0}); err != nil {
		t.Fatal(err)
	}
	orig := buf.Bytes()
	at := 13 // header and screen descriptor, then any global colour table
	if orig[10]&0x80 != 0 {
		at += 3 << (orig[10]&7 + 1)
	}
	comment := []byte{0x21, 0xFE, 10}
	comment = append(comment, "Jane Smith"...)
	comment = append(comment, 0)
	xmp := []byte{0x21, 0xFF, 11}
	xmp = append(xmp, "XMP DataXMP"...)
	xmp = append(xmp, 9)
	xmp = append(xmp, "<xmp:GPS>"...)
	xmp = append(xmp, 0)
	in := append(append(append(bytes.Clone(orig[:at]), comment...), xmp...), orig[at:]...)

	f, err := Inspect("loop.gif", in, 0)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(f.Data, []byte("Jane Smith")) || bytes.Contains(f.Data, []byte("XMP")) {
		t.Error("comment or XMP left in GIF")
	}
	if !bytes.Contains(f.Data, []byte("NETSCAPE2.0")) {
		t.Error("looping extension dropped")
	}
	g, err := gif.DecodeAll(bytes.NewReader(f.Data))
	if err != nil || len(g.Image) != 2 || g.Config.Width != 10 {
		t.Fatalf("decode cleaned GIF: %v", err)
	}
}

func riffChunk(fourcc string, payload []byte) []byte {
	b := append([]byte(fourcc), binary.LittleEndian.AppendUint32(nil, uint32(len(payload)))...)
	b = append(b, payload...)
	if len(payload)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

func TestWebPMetadataRemoved(t *testing.T) {
	vp8x := []byte{vp8xExif | vp8xXMP | 0x10, 0, 0, 0, 1, 0, 0, 1, 0, 0} // 2x2 canvas, alpha
	vp8l := []byte{0x2F, 0x01, 0x40, 0x00, 0x00, 0xAA, 0xBB}             // 2x2 header, then stand-in data
	var body []byte
	body = append(body, "WEBP"...)
	body = append(body, riffChunk("VP8X", vp8x)...)
	body = append(body, riffChunk("VP8L", vp8l)...)
	body = append(body, riffChunk("EXIF", []byte("MM\x00*"+gpsMarker))...)
	body = append(body, riffChunk("XMP ", []byte("<x:xmpmeta>Jane Smith</x:xmpmeta>"))...)
	in := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	in = append(in, body...)
	in = append(in, "after RIFF"...)

	f, err := Inspect("photo.webp", in, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte("RIFF\x00\x00\x00\x00WEBP"), riffChunk("VP8X", vp8x)...)
	want = append(want, riffChunk("VP8L", vp8l)...)
	want[8+12] = 0x10 // only the alpha flag left
	binary.LittleEndian.PutUint32(want[4:], uint32(len(want)-8))
	if !bytes.Equal(f.Data, want) {
		t.Errorf("cleaned WebP\n got %q\nwant %q", f.Data, want)
	}
	if f.ContentType != "image/webp" {
		t.Errorf("content type %q", f.ContentType)
	}
}

func TestExtensionMismatch(t *testing.T) {
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, testImage(4, 4)); err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	tests := []struct {
		name, file   string
		data         []byte
		wantName     string
		wantType     string
		wantRenamed  bool
		wantContains string // in the error message, when refused
	}{
		{"pdf named jpg", "scan.jpg", pdf, "scan.pdf", "application/pdf", true, ""},
		{"png named pdf", "report.pdf", pngBuf.Bytes(), "report.png", "image/png", true, ""},
		{"no extension", "scan", pdf, "scan.pdf", "application/pdf", true, ""},
		{"no name", "", pdf, "attachment.pdf", "application/pdf", true, ""},
		{"text named csv", "obs.csv", []byte("time,news\n09:00,3\n"), "obs.csv", "text/plain; charset=utf-8", false, ""},
		{"pdf named exe", "invoice.exe", pdf, "", "", false,
			"invoice.exe is a PDF document, but its name ends in .exe, which is used for Windows programs. Rename it to end in .pdf and try again."},
		{"text named js", "notes.js", []byte("var x = 1;\n"), "", "", false, "used for scripts"},
		{"png named svg", "chart.svg", pngBuf.Bytes(), "", "", false, "used for SVG drawings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Inspect(tt.file, tt.data, 0)
			if tt.wantContains != "" {
				if !errors.Is(err, ErrNotAllowed) || !strings.Contains(err.Error(), tt.wantContains) {
					t.Fatalf("got %v, want ErrNotAllowed containing %q", err, tt.wantContains)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f.Filename != tt.wantName || f.ContentType != tt.wantType || f.Renamed != tt.wantRenamed {
				t.Errorf("got %q %q renamed=%v", f.Filename, f.ContentType, f.Renamed)
			}
		})
	}
}

func TestRefused(t *testing.T) {
	pe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 120)...)
	elf := append([]byte("\x7FELF\x02\x01\x01\x00"), make([]byte, 56)...)
	tests := []struct {
		name, file string
		data       string
		want       error
		msg        string
	}{
		{"windows program as png", "photo.png", string(pe), ErrNotAllowed, "photo.png is really a Windows program, which cannot be attached. Attach photos"},
		{"windows program", "setup.exe", string(pe), ErrNotAllowed, "setup.exe is a Windows program, which cannot be attached."},
		{"no name", "", string(pe), ErrNotAllowed, "This file is a Windows program, which cannot be attached."},
		{"elf as png", "photo.png", string(elf), ErrNotAllowed, "is really a Linux program"},
		{"html as png", "photo.png", "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", ErrNotAllowed, "is really a web page (HTML)"},
		{"html fragment", "notes.txt", "Hello <script>alert(1)</script>", ErrNotAllowed, "is really a web page"},
		{"svg as png", "photo.png", `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`, ErrNotAllowed, "is really an SVG drawing"},
		{"bare svg", "chart.svg", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, ErrNotAllowed, "chart.svg is an SVG drawing"},
		{"shell script", "run.txt", "#!/bin/sh\nrm -rf /\n", ErrNotAllowed, "a script"},
		{"invalid utf-8", "notes.txt", "caf\xe9 au lait", ErrNotAllowed, "notes.txt is really a text file that is not in UTF-8"},
		{"unknown", "data.bin", "\x00\x01\x02\x03binary", ErrNotAllowed, "data.bin is not a kind of file that can be attached. Attach photos"},
		{"utf-16", "notes.txt", "\xFF\xFEh\x00i\x00", ErrNotAllowed, "UTF-16"},
		{"old office", "minutes.doc", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + strings.Repeat("\x00", 64), ErrNotAllowed, "older Microsoft Office"},
		{"heic", "IMG_1.HEIC", "\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", ErrNotAllowed, "Most Compatible"},
		{"gzip", "logs.gz", "\x1F\x8B\x08\x00\x00\x00\x00\x00", ErrNotAllowed, "compressed archive"},
		{"damaged jpeg", "photo.jpg", "\xFF\xD8\xFF\xE0\x00\x10JFIF", ErrDamaged, "photo.jpg could not be read as a JPEG image"},
		{"damaged png", "photo.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", ErrDamaged, "could not be read"},
		{"empty", "photo.jpg", "", ErrEmpty, "photo.jpg is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Inspect(tt.file, []byte(tt.data), 0)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q does not contain %q", err, tt.msg)
			}
			if _, ok := errors.AsType[*Error](err); !ok {
				t.Errorf("%T is not *Error", err)
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	_, err := Inspect("big.txt", bytes.Repeat([]byte("a"), 3<<20), 2<<20)
	if !errors.Is(err, ErrTooLarge) || err.Error() != "big.txt is 3 MB, which is more than the 2 MB limit. "+
		"Attach a smaller file, for example a photo taken at a lower resolution, or a document split into parts." {
		t.Errorf("got %v", err)
	}
	if _, err := Inspect("ok.txt", []byte("fine"), 4); err != nil {
		t.Errorf("at the limit: %v", err)
	}
}

func buildZip(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	// [Content_Types].xml first, as Office writes it.
	names := []string{"[Content_Types].xml"}
	for n := range files {
		if n != names[0] {
			names = append(names, n)
		}
	}
	for _, n := range names {
		data, ok := files[n]
		if !ok {
			continue
		}
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var contentTypes = []byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)

func TestOffice(t *testing.T) {
	docx := buildZip(t, map[string][]byte{"[Content_Types].xml": contentTypes, "word/document.xml": []byte("<w:document/>")})
	f, err := Inspect("minutes.docx", docx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if f.ContentType != kDocx.contentType || f.MetadataRemoved || !bytes.Equal(f.Data, docx) {
		t.Errorf("docx: %q removed=%v", f.ContentType, f.MetadataRemoved)
	}
	xlsx := buildZip(t, map[string][]byte{"[Content_Types].xml": contentTypes, "xl/workbook.xml": []byte("<workbook/>")})
	if f, err := Inspect("rota.docx", xlsx, 0); err != nil || f.Filename != "rota.xlsx" || f.ContentType != kXlsx.contentType {
		t.Errorf("xlsx named docx: %+v %v", f.Filename, err)
	}

	refused := []struct {
		name string
		zip  []byte
		want error
		msg  string
	}{
		{"macros", buildZip(t, map[string][]byte{"[Content_Types].xml": contentTypes, "word/document.xml": nil,
			"word/vbaProject.bin": []byte("Attribute VB_Name")}), ErrNotAllowed, "is really an Office document with macros"},
		{"plain zip", buildZip(t, map[string][]byte{"photo.jpg": []byte("x")}), ErrNotAllowed, "is really a ZIP archive"},
		{"bomb", zipBomb(t), ErrTooLarge, "too large once unpacked"},
	}
	many := map[string][]byte{"[Content_Types].xml": contentTypes}
	for i := range MaxZipEntries + 1 {
		many["word/p"+itoa(i)] = nil
	}
	refused = append(refused, struct {
		name string
		zip  []byte
		want error
		msg  string
	}{"entries", buildZip(t, many), ErrTooLarge, "too many parts"})
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.zip) > 2<<20 {
				t.Fatalf("test zip is %d bytes; the bomb should be small", len(tt.zip))
			}
			_, err := Inspect("report.docx", tt.zip, 0)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %v, want %v with %q", err, tt.want, tt.msg)
			}
		})
	}

	// A header that understates the unpacked size is caught while reading.
	corrupt := bytes.Clone(docx)
	idx := bytes.LastIndex(corrupt, []byte("word/document.xml"))
	if idx < 0 {
		t.Fatal("central directory entry not found")
	}
	binary.LittleEndian.PutUint32(corrupt[idx-46+24:], 1) // central directory: uncompressed size 1
	if _, err := Inspect("minutes.docx", corrupt, 0); !errors.Is(err, ErrDamaged) {
		t.Errorf("lying size: got %v, want ErrDamaged", err)
	}
}

// zipBomb returns a small .docx whose document part unpacks to just over
// MaxUnpackedBytes of zeros.
func zipBomb(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("[Content_Types].xml")
	if err == nil {
		_, err = w.Write(contentTypes)
	}
	if err == nil {
		w, err = zw.Create("word/document.xml")
	}
	zeros := make([]byte, 1<<20)
	for n := int64(0); err == nil && n <= MaxUnpackedBytes; n += int64(len(zeros)) {
		_, err = w.Write(zeros)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func TestText(t *testing.T) {
	f, err := Inspect("notes.txt", []byte("\xEF\xBB\xBFPatient found on floor at 03:10.\r\nNEWS 5.\tObs repeated.\n"), 0)
	if err != nil || f.ContentType != "text/plain; charset=utf-8" {
		t.Fatalf("text: %v %q", err, f.ContentType)
	}
	if _, err := Inspect("notes.txt", []byte("null\x00byte"), 0); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("text with NUL: %v", err)
	}
}

func TestCleanFilename(t *testing.T) {
	long := strings.Repeat("a", 200) + ".pdf"
	tests := []struct{ in, want string }{
		{"../../etc/passwd", "passwd"},
		{`C:\Users\jsmith\Desktop\photo.jpg`, "photo.jpg"},
		{"photo\x00.jpg", "photo.jpg"},
		{"line\nbreak\r.txt", "linebreak.txt"},
		{"invoice\u202Egpj.exe", "invoicegpj.exe"},
		{"tab\there.txt", "tab here.txt"},
		{"a\u2028b.txt", "ab.txt"},
		{"con.txt", "_con.txt"},
		{"NUL", "_NUL"},
		{"what?<>:\"|*.txt", "what_______.txt"},
		{"  .hidden  ", "hidden"},
		{"...", ""},
		{"..", ""},
		{"", ""},
		{"/", ""},
		{"bad\xffutf8.txt", "badutf8.txt"},
		{"Ward 7 – incident.png", "Ward 7 – incident.png"},
		{long, strings.Repeat("a", 116) + ".pdf"},
		{strings.Repeat("é", 130), strings.Repeat("é", 120)},
	}
	for _, tt := range tests {
		if got := CleanFilename(tt.in); got != tt.want {
			t.Errorf("CleanFilename(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	f, err := Inspect("../../etc/passwd", []byte("root:x:0:0:root:/root:/bin/bash\n"), 0)
	if err != nil || f.Filename != "passwd.txt" {
		t.Errorf("passwd: %q %v", f.Filename, err)
	}
	f, err = Inspect(strings.Repeat("b", 300)+".text", []byte("x"), 0)
	if err != nil || utf8.RuneCountInString(f.Filename) != 120 || !strings.HasSuffix(f.Filename, ".text") {
		t.Errorf("long: %q %v", f.Filename, err)
	}
}

func TestHumanSize(t *testing.T) {
	for n, want := range map[int64]string{1: "1 byte", 500: "500 bytes", 1536: "2 KB", 10 << 20: "10 MB", 12_900_000: "12.3 MB"} {
		if got := humanSize(n); got != want {
			t.Errorf("humanSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestOfficePropertiesAreEmptied(t *testing.T) {
	core := []byte(`<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jane Doe</dc:creator><cp:lastModifiedBy>Jane Doe</cp:lastModifiedBy></cp:coreProperties>`)
	app := []byte(`<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Company>Northfield Ward 7</Company><TotalTime>42</TotalTime></Properties>`)
	custom := []byte(`<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"><property name="StaffNumber"><vt:lpwstr>123456</vt:lpwstr></property></Properties>`)
	body := []byte(`<w:document><w:body>Rota for the week</w:body></w:document>`)
	docx := buildZip(t, map[string][]byte{"[Content_Types].xml": contentTypes, "word/document.xml": body,
		"docProps/core.xml": core, "docProps/app.xml": app, "docProps/custom.xml": custom})
	f, err := Inspect("rota.docx", docx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"Jane Doe", "Northfield Ward 7", "123456"} {
		if bytes.Contains(f.Data, []byte(secret)) {
			t.Errorf("%q survived in the stored document", secret)
		}
	}
	if !f.MetadataRemoved || f.ContentType != kDocx.contentType {
		t.Errorf("removed=%v type %q", f.MetadataRemoved, f.ContentType)
	}
	// The document is whole: the same parts in the same order, its text
	// unchanged, and it passes inspection again.
	zr, err := zip.NewReader(bytes.NewReader(f.Data), int64(len(f.Data)))
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if len(zr.File) != len(orig.File) {
		t.Fatalf("%d parts, want %d", len(zr.File), len(orig.File))
	}
	for i, e := range zr.File {
		if e.Name != orig.File[i].Name {
			t.Errorf("part %d is %q, want %q", i, e.Name, orig.File[i].Name)
		}
		rc, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		switch e.Name {
		case "word/document.xml":
			if !bytes.Equal(got, body) {
				t.Errorf("document text changed: %s", got)
			}
		case "docProps/core.xml", "docProps/app.xml", "docProps/custom.xml":
			if bytes.Contains(got, []byte("<dc:")) || bytes.Contains(got, []byte("<Company")) || !bytes.HasPrefix(got, []byte("<?xml")) {
				t.Errorf("%s not emptied: %s", e.Name, got)
			}
		}
	}
	if again, err := Inspect("rota.docx", f.Data, 0); err != nil || !bytes.Equal(again.Data, f.Data) {
		t.Errorf("the cleaned document does not pass inspection unchanged: %v", err)
	}
}
