package attach

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path"
	"strings"
)

// detectZip tells Office Open XML documents from other ZIP archives by the
// names in the archive's central directory. An archive that cannot be opened
// is reported as a ZIP archive; the kind's message covers both.
func detectZip(data []byte) *kind {
	// Reading the directory of an archive with hundreds of thousands of
	// entries costs tens of megabytes, and no document has that many.
	// Up to four times MaxZipEntries are read, so that checkOffice can
	// refuse a document with too many parts in words that say so.
	if zipEntries(data) > 4*MaxZipEntries {
		return kZip
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return kZip
	}
	var types, word, xl, ppt, macros bool
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		switch {
		case name == "[content_types].xml":
			types = true
		case strings.HasPrefix(name, "word/"):
			word = true
		case strings.HasPrefix(name, "xl/"):
			xl = true
		case strings.HasPrefix(name, "ppt/"):
			ppt = true
		}
		if base := path.Base(name); base == "vbaproject.bin" || strings.HasPrefix(name, "word/activex/") ||
			strings.HasPrefix(name, "xl/activex/") || strings.HasPrefix(name, "ppt/activex/") ||
			strings.HasSuffix(base, ".bin") && strings.HasPrefix(base, "vba") {
			macros = true
		}
	}
	switch {
	case !types:
		return kZip
	case macros:
		return kMacroOffice
	case word:
		return kDocx
	case xl:
		return kXlsx
	case ppt:
		return kPptx
	}
	return kOtherOffice
}

// checkOffice returns the clean function for an Office kind: it opens the
// archive, bounds its entries and unpacked size, and reads every entry
// (which also checks every CRC). It returns data unchanged unless the
// document has properties parts, which it empties (stripProperties).
func checkOffice(k *kind) func([]byte, string) ([]byte, error) {
	return func(data []byte, shown string) ([]byte, error) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", k.label, err)
		}
		tooBig := &Error{Kind: ErrTooLarge, Message: fmt.Sprintf(
			"%s is too large once unpacked (more than %s). Save a smaller copy, or save it as a PDF, and attach that instead.",
			shown, humanSize(MaxUnpackedBytes))}
		if len(zr.File) > MaxZipEntries {
			tooBig.Message = fmt.Sprintf("%s has too many parts (more than %d). Save it as a PDF and attach that instead.",
				shown, MaxZipEntries)
			return nil, tooBig
		}
		var declared uint64
		for _, f := range zr.File {
			declared += f.UncompressedSize64
			if declared > uint64(MaxUnpackedBytes) {
				return nil, tooBig
			}
		}
		budget := MaxUnpackedBytes
		for _, f := range zr.File {
			if f.FileInfo().IsDir() {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return nil, fmt.Errorf("open %s entry %q: %w", k.label, f.Name, err)
			}
			n, err := io.Copy(io.Discard, io.LimitReader(rc, budget+1))
			rc.Close()
			if err != nil {
				return nil, fmt.Errorf("read %s entry %q: %w", k.label, f.Name, err)
			}
			budget -= n
			if budget < 0 {
				return nil, tooBig
			}
		}
		return stripProperties(zr, data)
	}
}

// emptyProperties are the document properties parts of Office Open XML,
// each with an empty replacement. Word, Excel and PowerPoint fill them with
// the author, who last saved the document, the company, manager, title,
// when it was created, last printed and saved, how long it was edited,
// and any custom fields a trust's templates add; all of that can name the
// person who attached it.
var emptyProperties = map[string]string{
	"docprops/core.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
		`xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"></cp:coreProperties>`,
	"docprops/app.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" ` +
		`xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>`,
	"docprops/custom.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" ` +
		`xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>`,
}

// stripProperties rewrites the archive with its properties parts emptied,
// under the same names, so that the package's content types and
// relationships stay valid (rewriteZip). An archive without properties
// parts is returned unchanged.
func stripProperties(zr *zip.Reader, data []byte) ([]byte, error) {
	found := false
	for _, f := range zr.File {
		if _, ok := emptyProperties[strings.ToLower(f.Name)]; ok {
			found = true
		}
	}
	if !found {
		return data, nil
	}
	return rewriteZip(zr, len(data), func(f *zip.File) ([]byte, bool) {
		empty, ok := emptyProperties[strings.ToLower(f.Name)]
		return []byte(empty), ok
	})
}
