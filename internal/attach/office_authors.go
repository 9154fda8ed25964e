package attach

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A Word, Excel or PowerPoint file keeps, beyond its document properties
// (which Inspect empties for everyone), the names of the people who
// commented on it or changed it, and sometimes the folder it was saved
// from, which holds the user name of whoever saved it. stripOfficeAuthors
// replaces them (officeRules says where each is): names by "Author",
// initials by "A", folders by nothing and a local or personal file's path
// by its base name. Only attribute values and element text change, so the
// parts stay well-formed XML and the document opens as before; the
// comments and changes themselves are kept. Pictures and Office files
// embedded in the document are cleaned as attached ones are; one that
// cannot be makes the whole document errUncleanable, so that it is
// refused rather than kept with names. Every other part is copied as it
// was stored.

// officeRules says, for one part, which values name a person.
type officeRules struct {
	// attr maps an element's local name ("*" for any element) to the
	// attributes (local names) to replace and what to replace them by.
	attr map[string]map[string]string
	// text maps an element's local name to what its text becomes.
	text map[string]string
	// paths are attributes (local names) holding a file's address: one
	// on someone's own computer, network share or personal OneDrive
	// keeps only its base name.
	paths []string
	// noteNames: Excel notes begin with their author's name and a colon,
	// which becomes "Author:".
	noteNames bool
}

// mayApply reports whether part holds any of the names rules look for:
// most parts hold none, and a search for a word is far quicker than
// reading every tag.
func (r officeRules) mayApply(part []byte) bool {
	if r.noteNames && bytes.Contains(part, []byte("author")) {
		return true
	}
	for _, name := range r.paths {
		if mayHoldAttr(part, name) {
			return true
		}
	}
	for _, attrs := range r.attr {
		for name := range attrs {
			if mayHoldAttr(part, name) {
				return true
			}
		}
	}
	for name := range r.text {
		if bytes.Contains(part, []byte(name)) {
			return true
		}
	}
	return false
}

// mayHoldAttr reports whether part could hold an attribute whose local
// name is name: name after white space, a quote or a prefix's colon, then
// "=", perhaps with white space between. A short name such as "ed" is in
// almost every text, but seldom shaped like an attribute.
func mayHoldAttr(part []byte, name string) bool {
	for from := 0; ; {
		i := bytes.Index(part[from:], []byte(name))
		if i < 0 {
			return false
		}
		at := from + i
		from = at + 1
		if at == 0 {
			continue
		}
		// After a quote too: the scan takes `a="1"b="2"`, which is not
		// well-formed, as two attributes.
		if c := part[at-1]; c != ':' && c != '"' && c != '\'' && !xmlSpace(c) {
			continue
		}
		j := at + len(name)
		for j < len(part) && xmlSpace(part[j]) {
			j++
		}
		if j < len(part) && part[j] == '=' {
			return true
		}
	}
}

var (
	wordRules = officeRules{attr: map[string]map[string]string{
		"*": {"author": "Author", "initials": "A"},
		// The one person allowed to edit a region of a protected document.
		"permStart": {"ed": "Author"},
		// people.xml: with providerId "None", userId is the author's name.
		"presenceInfo": {"userId": "Author", "providerId": "None"},
	}}
	personRules = officeRules{attr: map[string]map[string]string{
		"person": {"displayName": "Author", "userId": "Author", "providerId": "None"},
	}}
	// A shared workbook's users; not "name" elsewhere in its revision log,
	// which a revision of a defined name uses for the defined name.
	revisionUserRules = officeRules{attr: map[string]map[string]string{"userInfo": {"name": "Author"}}}
	revisionRules     = officeRules{attr: map[string]map[string]string{"*": {"author": "Author", "userName": "Author"}}}
	notesRules        = officeRules{noteNames: true}
	workbookRules     = officeRules{attr: map[string]map[string]string{
		"absPath":     {"url": ""},
		"fileSharing": {"userName": "Author"},
	}}
	slideAuthorRules = officeRules{attr: map[string]map[string]string{
		"cmAuthor":     {"name": "Author", "initials": "A"},
		"author":       {"name": "Author", "initials": "A", "userId": "Author", "providerId": "None"},
		"presenceInfo": {"userId": "Author", "providerId": "None"},
	}}
	slideChangeRules = officeRules{attr: map[string]map[string]string{
		"chgData": {"name": "Author", "userId": "Author", "providerId": "None"},
	}}
	// SharePoint keeps who a file was shared with, and person columns,
	// in customXml items.
	customXMLRules = officeRules{text: map[string]string{"DisplayName": "Author", "AccountId": ""}}
	relsRules      = officeRules{paths: []string{"Target"}}
	// A workbook's data connections name the files they read.
	connectionRules = officeRules{paths: []string{"odcFile", "sourceFile"}}
)

// officeRulesFor returns the rules for the part named name (in lower
// case), and whether it has any.
func officeRulesFor(name string) (officeRules, bool) {
	switch {
	case strings.HasSuffix(name, ".rels"):
		return relsRules, true
	case !strings.HasSuffix(name, ".xml"):
		return officeRules{}, false
	case strings.HasPrefix(name, "word/"):
		return wordRules, true
	case strings.HasPrefix(name, "xl/persons/"):
		return personRules, true
	case name == "xl/revisions/usernames.xml":
		return revisionUserRules, true
	case strings.HasPrefix(name, "xl/revisions/"):
		return revisionRules, true
	case strings.HasPrefix(name, "xl/comments"):
		return notesRules, true
	case name == "xl/workbook.xml":
		return workbookRules, true
	case name == "xl/connections.xml":
		return connectionRules, true
	case name == "ppt/commentauthors.xml", name == "ppt/authors.xml":
		return slideAuthorRules, true
	case strings.HasPrefix(name, "ppt/changesinfos/"):
		return slideChangeRules, true
	case strings.HasPrefix(name, "customxml/item") && !strings.HasPrefix(name, "customxml/itemprops"):
		return customXMLRules, true
	}
	return officeRules{}, false
}

// localPath is a file path or file: URL on someone's own computer or
// network share, or an address in their personal OneDrive (work or home),
// whose folders carry their name, as opposed to a shared web address.
var localPath = regexp.MustCompile(`(?i)^(?:file:|[a-z]:[\\/]|\\\\|/(?:users|home)/)|-my\.sharepoint\.com/|//d\.docs\.live\.net/`)

// baseName is the last part of a local path, without any query or
// fragment (where a OneDrive address repeats its folders), or "file".
func baseName(path string) string {
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	if base := path[strings.LastIndexAny(path, `/\`)+1:]; base != "" {
		return base
	}
	return "file"
}

// errUncleanable is a part or embedded file whose names cannot be reliably
// removed; the document is refused rather than stored with them.
var errUncleanable = errors.New("names cannot be removed")

// officeAuthorPart rewrites the values in part that rules name, and
// reports whether it changed anything. It reads the part once, tag by
// tag, so its time is linear in the part's size whatever the part holds;
// comments, CDATA sections, processing instructions and end tags are
// copied as they are (an element's text is taken up to its first child,
// comment or CDATA section, which is all Office writes there). A part with
// a document type declaration or other directive, which Office never
// writes and whose quoted parts can hide markup from a scan, is
// errUncleanable. A part that is not well-formed is changed no further
// than where it stops making sense.
func officeAuthorPart(rules officeRules, part []byte) ([]byte, bool, error) {
	if !rules.mayApply(part) {
		return part, false, nil
	}
	return scanOfficePart(rules, part)
}

// scanOfficePart is officeAuthorPart without the quick check for names.
func scanOfficePart(rules officeRules, part []byte) ([]byte, bool, error) {
	var out []byte // nil until the first change
	copied := 0    // part[:copied] is already in out
	replace := func(start, end int, value string) {
		if start < copied || string(part[start:end]) == value {
			return
		}
		if out == nil {
			out = make([]byte, 0, len(part))
		}
		out = append(append(out, part[copied:start]...), value...)
		copied = end
	}
	// An Excel note opens with its author's name and a colon; authors
	// holds the note authors in order, as the notes' authorId counts them,
	// and noteAuthor the one whose note's first <t> is still to come.
	var authors []string
	noteAuthor := -1
	var attrs []tagAttr // reused from tag to tag
	for i := 0; i < len(part); {
		lt := bytes.IndexByte(part[i:], '<')
		if lt < 0 {
			break
		}
		i += lt
		rest := part[i:]
		skipTo := func(end string) int {
			if j := bytes.Index(rest, []byte(end)); j >= 0 {
				return i + j + len(end)
			}
			return len(part)
		}
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			i = skipTo("-->")
			continue
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			i = skipTo("]]>")
			continue
		case bytes.HasPrefix(rest, []byte("<?")):
			i = skipTo("?>")
			continue
		case bytes.HasPrefix(rest, []byte("<!")):
			// A document type declaration or other directive: Office
			// never writes one, and its quoted parts can hide markup.
			return nil, false, fmt.Errorf("an XML directive: %w", errUncleanable)
		case bytes.HasPrefix(rest, []byte("</")):
			i = skipTo(">")
			continue
		}
		elem, attrs, end, selfClosing, ok := startTag(part, i, attrs[:0])
		if !ok {
			break
		}
		local := localName(elem)
		for _, a := range attrs {
			if a.declaresNamespace() {
				continue
			}
			name := localName(a.name)
			value, ok := rules.attr[string(local)][string(name)]
			if !ok {
				value, ok = rules.attr["*"][string(name)]
			}
			if ok {
				replace(a.start, a.end, value)
			}
			if slices.Contains(rules.paths, string(name)) && localPath.Match(part[a.start:a.end]) {
				replace(a.start, a.end, baseName(string(part[a.start:a.end])))
			}
			if rules.noteNames && string(local) == "comment" && string(name) == "authorId" {
				noteAuthor = -1
				if n, err := strconv.Atoi(string(part[a.start:a.end])); err == nil {
					noteAuthor = n
				}
			}
		}
		i = end
		if selfClosing {
			if rules.noteNames && string(local) == "author" {
				authors = append(authors, "")
			}
			continue
		}
		// The element's text, up to the next tag.
		textEnd := len(part)
		if j := bytes.IndexByte(part[i:], '<'); j >= 0 {
			textEnd = i + j
		}
		text := part[i:textEnd]
		switch {
		case rules.noteNames && string(local) == "author":
			authors = append(authors, xmlText(text))
			if !bytes.HasPrefix(text, []byte("tc=")) { // "tc={id}" ties a note to a threaded comment, and names nobody
				replace(i, textEnd, "Author")
			}
		case rules.noteNames && string(local) == "t" && noteAuthor >= 0:
			if noteAuthor < len(authors) && authors[noteAuthor] != "" && !strings.HasPrefix(authors[noteAuthor], "tc=") {
				if n, ok := xmlTextPrefix(text, authors[noteAuthor]+":"); ok {
					replace(i, i+n, "Author:")
				}
			}
			noteAuthor = -1
		default:
			if value, ok := rules.text[string(local)]; ok {
				replace(i, textEnd, value)
			}
		}
	}
	if out == nil {
		return part, false, nil
	}
	return append(out, part[copied:]...), true, nil
}

// xmlText is raw, the text of an element, with its entity and character
// references decoded.
func xmlText(raw []byte) string {
	var b strings.Builder
	for i := 0; i < len(raw); {
		r, n := xmlTextRune(raw[i:])
		b.WriteRune(r)
		i += n
	}
	return b.String()
}

// xmlTextPrefix reports whether raw, the text of an element, begins with
// want once decoded, and how many of its bytes that takes: the rest of the
// text is left exactly as it was written.
func xmlTextPrefix(raw []byte, want string) (int, bool) {
	i := 0
	for _, w := range want {
		if i >= len(raw) {
			return 0, false
		}
		r, n := xmlTextRune(raw[i:])
		if r != w {
			return 0, false
		}
		i += n
	}
	return i, true
}

// xmlTextRune decodes the first character of raw, XML text: one of the
// five named entities, a character reference, or a character as written.
func xmlTextRune(raw []byte) (rune, int) {
	if raw[0] == '&' {
		if end := bytes.IndexByte(raw[:min(len(raw), 12)], ';'); end > 0 {
			ref := string(raw[1:end])
			switch ref {
			case "amp":
				return '&', end + 1
			case "lt":
				return '<', end + 1
			case "gt":
				return '>', end + 1
			case "quot":
				return '"', end + 1
			case "apos":
				return '\'', end + 1
			}
			if n, ok := strings.CutPrefix(ref, "#x"); ok {
				if v, err := strconv.ParseUint(n, 16, 32); err == nil && utf8.ValidRune(rune(v)) {
					return rune(v), end + 1
				}
			} else if n, ok := strings.CutPrefix(ref, "#"); ok {
				if v, err := strconv.ParseUint(n, 10, 32); err == nil && utf8.ValidRune(rune(v)) {
					return rune(v), end + 1
				}
			}
		}
	}
	return utf8.DecodeRune(raw)
}

// xmlSpace reports whether c is XML white space.
func xmlSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// tagAttr is one attribute of a start tag: its name and where its value,
// between the quotes, lies in the part.
type tagAttr struct {
	name       []byte
	start, end int
}

// declaresNamespace reports whether the attribute is xmlns or xmlns:...,
// whose value is a namespace, never a person.
func (a tagAttr) declaresNamespace() bool {
	return string(a.name) == "xmlns" || bytes.HasPrefix(a.name, []byte("xmlns:"))
}

// localName is name without its namespace prefix.
func localName(name []byte) []byte {
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// startTag reads the start tag at part[at] ("<"): its name, its
// attributes (appended to attrs, which it returns), the index just after
// it and whether it closes itself. ok is false where the tag does not
// make sense.
func startTag(part []byte, at int, attrs []tagAttr) (name []byte, _ []tagAttr, end int, selfClosing, ok bool) {
	nameChar := func(c byte) bool {
		return c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '/' && c != '>' && c != '=' && c != '<' && c != '"' && c != '\''
	}
	i := at + 1
	for i < len(part) && nameChar(part[i]) {
		i++
	}
	if i == at+1 {
		return nil, attrs, 0, false, false
	}
	name = part[at+1 : i]
	for {
		for i < len(part) && xmlSpace(part[i]) {
			i++
		}
		switch {
		case i >= len(part):
			return nil, attrs, 0, false, false
		case part[i] == '>':
			return name, attrs, i + 1, false, true
		case part[i] == '/' && i+1 < len(part) && part[i+1] == '>':
			return name, attrs, i + 2, true, true
		}
		n := i
		for i < len(part) && nameChar(part[i]) {
			i++
		}
		if i == n {
			return nil, attrs, 0, false, false
		}
		attr := part[n:i]
		for i < len(part) && xmlSpace(part[i]) {
			i++
		}
		if i >= len(part) || part[i] != '=' {
			return nil, attrs, 0, false, false
		}
		i++
		for i < len(part) && xmlSpace(part[i]) {
			i++
		}
		if i >= len(part) || part[i] != '"' && part[i] != '\'' {
			return nil, attrs, 0, false, false
		}
		quote := part[i]
		close := bytes.IndexByte(part[i+1:], quote)
		if close < 0 {
			return nil, attrs, 0, false, false
		}
		value := part[i+1 : i+1+close]
		if bytes.IndexByte(value, '<') >= 0 {
			return nil, attrs, 0, false, false // not a value: the tag never closed
		}
		attrs = append(attrs, tagAttr{name: attr, start: i + 1, end: i + 1 + close})
		i += close + 2
	}
}

// stripOfficeAuthors returns data, an Office document that has passed
// Inspect, with the names of its commenters and editors and the paths of
// local files replaced (officeAuthorPart), and the pictures and Office
// files embedded in it cleaned (embedded), or data itself when there is
// nothing to change. An error wrapping errUncleanable means a part or an
// embedded file would keep names that cannot be removed.
func stripOfficeAuthors(data []byte) ([]byte, error) {
	budget := MaxUnpackedBytes
	return stripOfficeAuthorsWithin(data, 0, &budget)
}

// stripOfficeAuthorsWithin is stripOfficeAuthors for a document embedded
// depth levels deep. budget is what the Office files embedded in the
// attached one may still unpack between them, each counted twice (checked,
// then cleaned): so beyond what Inspect and this function unpack of the
// attached file itself, embedded files add at most MaxUnpackedBytes.
func stripOfficeAuthorsWithin(data []byte, depth int, budget *int64) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("open document: %w", err)
	}
	changed := map[*zip.File][]byte{}
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		rules, hasRules := officeRulesFor(name)
		if !hasRules && !embeddable(name) {
			continue // not unpacked at all
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
		var clean []byte
		var ok bool
		if hasRules {
			clean, ok, err = officeAuthorPart(rules, part)
		} else {
			clean, ok, err = embedded(part, depth, budget)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		if ok {
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

// embeddable reports whether the part named name (in lower case) is a
// picture or an embedded file, which may carry its own metadata.
func embeddable(name string) bool {
	for _, dir := range []string{"word/media/", "xl/media/", "ppt/media/", "word/embeddings/", "xl/embeddings/", "ppt/embeddings/"} {
		if strings.HasPrefix(name, dir) {
			return true
		}
	}
	return false
}

// embedded cleans a picture or Office file found inside a document, in a
// document depth levels deep, as an attached one would be: a photo loses
// its EXIF, an Office file its properties and authors. A photo or an
// Office file that cannot be cleaned (one that does not read as what it
// seems, holds macros, is itself inside an embedded file, or would unpack
// more than budget allows) is errUncleanable: kept, it would keep its
// names. Other kinds (OLE objects, drawings) are left as they are.
func embedded(part []byte, depth int, budget *int64) ([]byte, bool, error) {
	if bytes.HasPrefix(part, []byte("PK")) && zipEntries(part) > MaxZipEntries {
		// Counted before the archive is read: reading a directory of
		// hundreds of thousands of entries costs tens of megabytes.
		return nil, false, fmt.Errorf("an embedded archive with too many parts: %w", errUncleanable)
	}
	k := detect(part)
	switch k {
	case kJPEG, kPNG, kGIF, kWebP:
	case kDocx, kXlsx, kPptx:
		if depth > 0 {
			return nil, false, fmt.Errorf("an Office file inside an embedded one: %w", errUncleanable)
		}
		zr, err := zip.NewReader(bytes.NewReader(part), int64(len(part)))
		if err != nil {
			return nil, false, fmt.Errorf("an embedded Office file: %v: %w", err, errUncleanable)
		}
		// archive/zip refuses an entry longer than it declares, so the
		// declared sizes bound what cleaning it unpacks.
		var declared int64
		for _, f := range zr.File {
			if f.UncompressedSize64 > uint64(MaxUnpackedBytes) {
				return nil, false, fmt.Errorf("an embedded Office file too large to check: %w", errUncleanable)
			}
			declared += int64(f.UncompressedSize64)
		}
		if 2*declared > *budget {
			return nil, false, fmt.Errorf("embedded Office files too large to check: %w", errUncleanable)
		}
		*budget -= 2 * declared
	case kMacroOffice:
		return nil, false, fmt.Errorf("an embedded Office file with macros: %w", errUncleanable)
	default:
		return nil, false, nil
	}
	clean, err := k.clean(part, "an embedded file")
	if err != nil {
		return nil, false, fmt.Errorf("an embedded %s: %v: %w", k.label, err, errUncleanable)
	}
	if k == kDocx || k == kXlsx || k == kPptx {
		if clean, err = stripOfficeAuthorsWithin(clean, depth+1, budget); err != nil {
			return nil, false, err
		}
	}
	return clean, !bytes.Equal(clean, part), nil
}

// zipEntries counts the entries in a ZIP archive's central directory by
// their signatures, without reading the directory: its end record's own
// count can say anything, and archive/zip reads every entry regardless.
// (The four bytes can also occur in compressed data, by a chance of one in
// four billion a position, which only ever counts too many.)
func zipEntries(data []byte) int {
	return bytes.Count(data, []byte("PK\x01\x02"))
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
			w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: f.Modified})
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
