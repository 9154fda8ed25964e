package attach

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"
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
// embedded in the document are cleaned as attached ones are, one level
// deep. Every other part is copied as it was stored.

// officeRules says, for one part, which values name a person.
type officeRules struct {
	// attr maps an element's local name ("*" for any element) to the
	// attributes (local names) to replace and what to replace them by.
	attr map[string]map[string]string
	// text maps an element's local name to what its text becomes.
	text map[string]string
	// targets: relationship targets that are local or personal paths
	// keep only their base name.
	targets bool
	// noteNames: Excel notes begin with their author's name and a colon,
	// which becomes "Author:".
	noteNames bool
}

// mayApply reports whether part holds any of the names rules look for:
// most parts hold none, and a search for a word is far quicker than
// reading every tag.
func (r officeRules) mayApply(part []byte) bool {
	if r.targets && bytes.Contains(part, []byte("Target")) || r.noteNames && bytes.Contains(part, []byte("author")) {
		return true
	}
	for _, attrs := range r.attr {
		for name := range attrs {
			if bytes.Contains(part, []byte(name)) {
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

var (
	wordRules = officeRules{attr: map[string]map[string]string{
		"*": {"author": "Author", "initials": "A"},
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
	relsRules      = officeRules{targets: true}
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
// network share, or an address in their personal OneDrive, as opposed to
// a shared web address.
var localPath = regexp.MustCompile(`(?i)^(?:file:|[a-z]:[\\/]|\\\\|/(?:users|home)/)|-my\.sharepoint\.com/personal/`)

// officeAuthorPart rewrites the values in part that rules name, and
// reports whether it changed anything. It reads the part once, tag by
// tag, so its time is linear in the part's size whatever the part holds;
// comments, CDATA sections, processing instructions and end tags are
// copied as they are. A part that is not well-formed is changed no
// further than where it stops making sense.
func officeAuthorPart(rules officeRules, part []byte) ([]byte, bool) {
	var out []byte // nil until the first change
	copied := 0    // part[:copied] is already in out
	replace := func(start, end int, value string) {
		if string(part[start:end]) == value {
			return
		}
		if out == nil {
			out = make([]byte, 0, len(part))
		}
		out = append(append(out, part[copied:start]...), value...)
		copied = end
	}
	if !rules.mayApply(part) {
		return part, false
	}
	var authors []string // Excel's note authors, unescaped, in order
	noteOpen := false    // inside a <comment> whose first <t> is still to come
	var attrs []tagAttr  // reused from tag to tag
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
		case bytes.HasPrefix(rest, []byte("<!")), bytes.HasPrefix(rest, []byte("</")):
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
			if rules.targets && string(name) == "Target" && localPath.Match(part[a.start:a.end]) {
				v := string(part[a.start:a.end])
				base := v[strings.LastIndexAny(v, `/\`)+1:]
				if base == "" {
					base = "file"
				}
				replace(a.start, a.end, base)
			}
		}
		i = end
		if selfClosing {
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
			authors = append(authors, html.UnescapeString(string(text)))
			if !bytes.HasPrefix(text, []byte("tc=")) { // "tc={id}" ties a note to a threaded comment, and names nobody
				replace(i, textEnd, "Author")
			}
		case rules.noteNames && string(local) == "comment":
			noteOpen = true
		case rules.noteNames && string(local) == "t" && noteOpen:
			noteOpen = false
			plain := html.UnescapeString(string(text))
			for _, a := range authors {
				if a != "" && !strings.HasPrefix(a, "tc=") && strings.HasPrefix(plain, a+":") {
					var b strings.Builder
					xml.EscapeText(&b, []byte(plain[len(a):]))
					replace(i, textEnd, "Author"+b.String())
					break
				}
			}
		default:
			if value, ok := rules.text[string(local)]; ok {
				replace(i, textEnd, value)
			}
		}
	}
	if out == nil {
		return part, false
	}
	return append(out, part[copied:]...), true
}

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
	space := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	i := at + 1
	for i < len(part) && nameChar(part[i]) {
		i++
	}
	if i == at+1 {
		return nil, attrs, 0, false, false
	}
	name = part[at+1 : i]
	for {
		for i < len(part) && space(part[i]) {
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
		for i < len(part) && space(part[i]) {
			i++
		}
		if i >= len(part) || part[i] != '=' {
			return nil, attrs, 0, false, false
		}
		i++
		for i < len(part) && space(part[i]) {
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
// nothing to change.
func stripOfficeAuthors(data []byte) ([]byte, error) {
	budget := MaxUnpackedBytes
	return stripOfficeAuthorsWithin(data, 0, &budget)
}

// stripOfficeAuthorsWithin is stripOfficeAuthors for a document embedded
// depth levels deep; budget is what the Office files embedded in the
// attached one may still unpack between them, so that a document made of
// embedded documents costs no more than one.
func stripOfficeAuthorsWithin(data []byte, depth int, budget *int64) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("open document: %w", err)
	}
	changed := map[*zip.File][]byte{}
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		rules, hasRules := officeRulesFor(name)
		media := depth == 0 && embeddable(name)
		if !hasRules && !media {
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
		if hasRules {
			if clean, ok := officeAuthorPart(rules, part); ok {
				changed[f] = clean
			}
			continue
		}
		if clean, ok := embedded(part, budget); ok {
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

// embedded cleans a picture or Office file found inside a document as an
// attached one would be: a photo loses its EXIF, an Office file its
// properties and authors (if it fits in what budget still allows it to
// unpack). Anything else, or anything that does not read as what it
// seems, is left as it is, as Office itself would show it.
func embedded(part []byte, budget *int64) ([]byte, bool) {
	k := detect(part)
	switch k {
	case kJPEG, kPNG, kGIF, kWebP:
	case kDocx, kXlsx, kPptx:
		zr, err := zip.NewReader(bytes.NewReader(part), int64(len(part)))
		if err != nil {
			return nil, false
		}
		// archive/zip refuses an entry longer than it declares, so the
		// declared sizes bound what cleaning it unpacks.
		var declared int64
		for _, f := range zr.File {
			if f.UncompressedSize64 > uint64(MaxUnpackedBytes) {
				return nil, false
			}
			declared += int64(f.UncompressedSize64)
		}
		if declared > *budget {
			return nil, false
		}
		*budget -= declared
	default:
		return nil, false
	}
	clean, err := k.clean(part, "an embedded file")
	if err != nil {
		return nil, false
	}
	if k == kDocx || k == kXlsx || k == kPptx {
		if clean, err = stripOfficeAuthorsWithin(clean, 1, budget); err != nil {
			return nil, false
		}
	}
	return clean, !bytes.Equal(clean, part)
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
