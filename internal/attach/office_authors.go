package attach

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// A Word, Excel or PowerPoint file keeps, beyond its document properties
// (which Inspect empties for everyone), the names of the people who
// commented on it or changed it, and sometimes the folder it was saved
// from, which holds the user name of whoever saved it:
//
//   - Word: the author and initials on every tracked change and comment
//     (word/document.xml, comments.xml, footnotes, headers...), and the
//     people list (word/people.xml) with each commenter's account;
//   - Excel: the comment authors (xl/comments*.xml), the people of
//     threaded comments (xl/persons/), a shared workbook's users
//     (xl/revisions/) and the folder the workbook was last saved in
//     (x15ac:absPath in xl/workbook.xml);
//   - PowerPoint: the comment authors (ppt/commentAuthors.xml,
//     ppt/authors.xml);
//   - all three: relationships to files on the author's own computer,
//     such as Word's template (C:\Users\<name>\...\Normal.dotm) or the
//     workbook a spreadsheet links to.
//
// stripOfficeAuthors replaces each of those values: names by "Author",
// initials, accounts and folders by nothing, and a local file's path by
// its base name. Only attribute values and element text change, so the
// parts stay well-formed XML and the document opens as before; the
// comments and changes themselves are kept. Every other part is copied as
// it was stored.

// officeName is an XML name with an optional namespace prefix.
const officeName = `(?:[A-Za-z_][A-Za-z0-9_.\-]*:)?`

// officeAttr matches the value of an attribute with one of the given local
// names, in either quote: group 1 is what comes before the value, group 2
// the quoted value.
func officeAttr(names string) *regexp.Regexp {
	return regexp.MustCompile(`(\s` + officeName + `(?:` + names + `)\s*=\s*)("[^"]*"|'[^']*')`)
}

var (
	officeAuthorAttr   = officeAttr(`author|userName`)
	officePersonAttr   = officeAttr(`name|displayName`)
	officeInitialsAttr = officeAttr(`initials`)
	officeAccountAttr  = officeAttr(`userId`)
	officeProviderAttr = officeAttr(`providerId`)
	officeAbsPathAttr  = regexp.MustCompile(`(<` + officeName + `absPath\s[^>]*?\burl\s*=\s*)("[^"]*"|'[^']*')`)
	officeTargetAttr   = officeAttr(`Target`)
	// officeAuthorText is the text of an Excel comment's <author> element.
	officeAuthorText = regexp.MustCompile(`(<` + officeName + `author(?:\s[^>]*)?>)([^<]*)(</` + officeName + `author\s*>)`)
	// localPath is a file path or file: URL on someone's own computer or
	// network share, as opposed to a web address.
	localPath = regexp.MustCompile(`(?i)^(?:file:|[a-z]:[\\/]|\\\\|/(?:users|home)/)`)
)

// officeAuthorPart rewrites the values in part (its name in lower case)
// that can name a person, and reports whether it changed anything.
func officeAuthorPart(name string, part []byte) ([]byte, bool) {
	out := part
	// set replaces the values re finds by what value makes of them. Both
	// are the text as it stands between the quotes, entities and all:
	// nothing here adds a quote, an ampersand or a less-than sign.
	set := func(re *regexp.Regexp, value func(old string) string) {
		out = re.ReplaceAllFunc(out, func(m []byte) []byte {
			sub := re.FindSubmatchIndex(m)
			quoted := string(m[sub[4]:sub[5]])
			quote, old := quoted[:1], quoted[1:len(quoted)-1]
			return append(append([]byte(nil), m[:sub[4]]...), quote+value(old)+quote...)
		})
	}
	to := func(v string) func(string) string { return func(string) string { return v } }
	if strings.HasSuffix(name, ".rels") {
		set(officeTargetAttr, func(old string) string {
			if !localPath.MatchString(old) {
				return old
			}
			// The base name (path.Base would not split on backslashes).
			return old[strings.LastIndexAny(old, `/\`)+1:]
		})
		return out, !bytes.Equal(out, part)
	}
	if !strings.HasSuffix(name, ".xml") {
		return part, false
	}
	switch {
	case strings.HasPrefix(name, "word/"):
		set(officeAuthorAttr, to("Author"))
		set(officeInitialsAttr, to(""))
		set(officeAccountAttr, to(""))
		set(officeProviderAttr, to("None"))
	case strings.HasPrefix(name, "xl/persons/"):
		set(officePersonAttr, to("Author"))
		set(officeAccountAttr, to(""))
		set(officeProviderAttr, to("None"))
	case name == "xl/revisions/usernames.xml":
		set(officePersonAttr, to("Author"))
	case strings.HasPrefix(name, "xl/revisions/"):
		// Not "name", which a revision of a defined name uses for the name.
		set(officeAuthorAttr, to("Author"))
	case strings.HasPrefix(name, "xl/comments"):
		out = officeAuthorText.ReplaceAllFunc(out, func(m []byte) []byte {
			sub := officeAuthorText.FindSubmatchIndex(m)
			if bytes.HasPrefix(m[sub[4]:sub[5]], []byte("tc=")) {
				return m // "tc={id}" ties a note to a threaded comment's person, and names nobody
			}
			return append(append(append([]byte(nil), m[:sub[4]]...), "Author"...), m[sub[5]:]...)
		})
	case name == "xl/workbook.xml":
		set(officeAbsPathAttr, to(""))
	case name == "ppt/commentauthors.xml", name == "ppt/authors.xml":
		set(officePersonAttr, to("Author"))
		set(officeInitialsAttr, to(""))
		set(officeAccountAttr, to(""))
		set(officeProviderAttr, to("None"))
	}
	return out, !bytes.Equal(out, part)
}

// stripOfficeAuthors returns data, an Office document that has passed
// Inspect, with the names of its commenters and editors and the paths of
// local files replaced (see officeAuthorPart), or data itself when there
// are none.
func stripOfficeAuthors(data []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("open document: %w", err)
	}
	changed := map[*zip.File][]byte{}
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		if !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".rels") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("open %q: %w", f.Name, err)
		}
		// Inspect has already bounded every part's unpacked size.
		part, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("read %q: %w", f.Name, err)
		}
		if clean, ok := officeAuthorPart(name, part); ok {
			changed[f] = clean
		}
	}
	if len(changed) == 0 {
		return data, nil
	}
	return rewriteZip(zr, len(data), func(f *zip.File) ([]byte, bool) {
		clean, ok := changed[f]
		return clean, ok
	})
}

// rewriteZip writes zr's entries again in the same order, under the same
// names: those replace gives new content for compressed afresh, every
// other one copied as it was stored, compressed bytes and all.
func rewriteZip(zr *zip.Reader, size int, replace func(*zip.File) ([]byte, bool)) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(size)
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if content, ok := replace(f); ok {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
			if err != nil {
				return nil, fmt.Errorf("rewrite %q: %w", f.Name, err)
			}
			if _, err := w.Write(content); err != nil {
				return nil, fmt.Errorf("rewrite %q: %w", f.Name, err)
			}
			continue
		}
		raw, err := f.OpenRaw()
		if err != nil {
			return nil, fmt.Errorf("copy %q: %w", f.Name, err)
		}
		h := f.FileHeader
		w, err := zw.CreateRaw(&h)
		if err != nil {
			return nil, fmt.Errorf("copy %q: %w", f.Name, err)
		}
		if _, err := io.Copy(w, raw); err != nil {
			return nil, fmt.Errorf("copy %q: %w", f.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("rewrite archive: %w", err)
	}
	return buf.Bytes(), nil
}
