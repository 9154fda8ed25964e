package attach

import (
	"bytes"
	"regexp"
	"strconv"
)

// pdfInfoKeys are the document information entries blanked in a PDF: who
// wrote it, with what, what it is called, and when it was made and saved.
var pdfInfoKeys = [][]byte{
	[]byte("/Author"), []byte("/Creator"), []byte("/Producer"), []byte("/Title"),
	[]byte("/Subject"), []byte("/Keywords"), []byte("/CreationDate"), []byte("/ModDate"),
}

// pdfXMPTags are the XMP properties blanked in a PDF's metadata packets: the
// same facts as pdfInfoKeys, in XML, and the tools' own record of who edited.
var pdfXMPTags = []string{
	"dc:creator", "dc:title", "dc:description", "dc:subject", "dc:rights",
	"pdf:Author", "pdf:Producer", "pdf:Keywords", "pdf:Title", "pdf:Subject",
	"xmp:CreatorTool", "xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate",
	"xmpMM:History", "xmpRights:Owner", "photoshop:AuthorsPosition", "photoshop:CaptionWriter",
}

// maxPDFMetadataPlaces bounds how many information dictionaries and XMP
// packets are looked for, so that a file made of nothing else cannot keep
// the server busy. A document has one of each per revision, and few
// revisions.
const maxPDFMetadataPlaces = 16

var pdfInfoRef = regexp.MustCompile(`/Info\s+(\d{1,10})\s+(\d{1,5})\s+R`)

// blankPDFMetadata overwrites, in place, the values of the entries in
// pdfInfoKeys within each document information dictionary (the objects
// the trailers name as /Info), of the properties in pdfXMPTags within
// each XMP packet, and of the author (/T) of each comment, highlight or
// other markup annotation, wherever these are stored uncompressed, which
// is where writers usually put them. Each value is replaced by the same number of
// bytes (spaces in a literal string or in XML, the hex for spaces in a hex
// string), so every byte offset in the file, and with them the
// cross-reference table that locates each object, stays right: the
// document is exactly as valid as before, in every revision it keeps.
// Values in compressed object or metadata streams, or given by reference
// to another object, are left as they are; blanking those would mean
// rewriting the file. A signed PDF (one with a /ByteRange) is returned
// unchanged: any change would break its signature.
func blankPDFMetadata(data []byte) []byte {
	if bytes.Contains(data, []byte("/ByteRange")) {
		return data
	}
	out := bytes.Clone(data)
	// The objects the trailers name as /Info, as "N G" (a few at most).
	wanted := map[[2]int]bool{}
	for _, m := range pdfInfoRef.FindAllSubmatch(out, 4096) {
		num, _ := strconv.Atoi(string(m[1]))
		gen, _ := strconv.Atoi(string(m[2]))
		if len(wanted) < maxPDFMetadataPlaces {
			wanted[[2]int{num, gen}] = true
		}
	}
	// One pass over the object headers ("N G obj"): each object's body, up
	// to its "endobj", is looked at once, and the scan goes on from there,
	// so no byte is looked at more than a fixed number of times. A wanted
	// object loses its information entries, a comment (a markup
	// annotation) the name of its author.
	for from := 0; from < len(out); {
		i := bytes.Index(out[from:], []byte("obj"))
		if i < 0 {
			break
		}
		at := from + i
		from = at + 3
		if at >= 3 && string(out[at-3:at]) == "end" {
			continue
		}
		num, gen, ok := objectHeader(out, at)
		if !ok {
			continue
		}
		end := bytes.Index(out[from:], []byte("endobj"))
		if end < 0 {
			break
		}
		switch body := out[from : from+end]; {
		case wanted[[2]int{num, gen}]:
			blankValues(body, pdfInfoKeys)
		default:
			blankAnnotationAuthor(body)
		}
		from += end + len("endobj")
	}
	for from, packets := 0, 0; packets < maxPDFMetadataPlaces; packets++ {
		i := bytes.Index(out[from:], []byte("<?xpacket begin"))
		if i < 0 {
			break
		}
		start := from + i
		end := bytes.Index(out[start:], []byte("<?xpacket end"))
		if end < 0 {
			break
		}
		packet := out[start : start+end]
		for _, tag := range pdfXMPTags {
			blankXMPProperty(packet, tag)
		}
		from = start + end
	}
	return out
}

// objectHeader reads the "N G" before "obj" at out[at], as in "12 0 obj",
// and reports whether it is there: digits, white space, digits, white
// space, with white space or the start of the file before them.
func objectHeader(out []byte, at int) (num, gen int, ok bool) {
	i := at
	digits := func() (int, bool) {
		end := i
		for i > 0 && end-i < 10 && out[i-1] >= '0' && out[i-1] <= '9' {
			i--
		}
		if i == end {
			return 0, false
		}
		n, err := strconv.Atoi(string(out[i:end]))
		return n, err == nil
	}
	spaces := func() bool {
		end := i
		for i > 0 && end-i < 16 && pdfSpace(out[i-1]) {
			i--
		}
		return i < end
	}
	if !spaces() {
		return 0, 0, false
	}
	if gen, ok = digits(); !ok || !spaces() {
		return 0, 0, false
	}
	if num, ok = digits(); !ok {
		return 0, 0, false
	}
	return num, gen, i == 0 || pdfSpace(out[i-1])
}

// pdfMarkupSubtypes are the annotation subtypes whose /T is an author (in
// a form field's widget, /T is the field's name and must stay).
var pdfMarkupSubtypes = map[string]bool{
	"Text": true, "FreeText": true, "Line": true, "Square": true, "Circle": true, "Polygon": true,
	"PolyLine": true, "Highlight": true, "Underline": true, "Squiggly": true, "StrikeOut": true,
	"Stamp": true, "Caret": true, "Ink": true, "FileAttachment": true, "Sound": true, "Redact": true,
}

// blankAnnotationAuthor blanks the /T entry (the author, which readers
// fill in from the computer's user name) of body, one object's, when the
// object is a markup annotation: a comment, highlight, stamp or drawing.
// Only the object's own dictionary counts, not one nested in it (an
// annotation written inline in a page's list, or a form field beside it)
// nor a stream's data after it.
func blankAnnotationAuthor(body []byte) {
	var subtype string
	var t [2]int // where /T's string lies, or zero
	topLevelEntries(body, func(key []byte, start, end int) {
		switch string(key) {
		case "/Subtype":
			subtype = string(bytes.TrimPrefix(body[start:end], []byte("/")))
		case "/T":
			t = [2]int{start, end}
		}
	})
	if !pdfMarkupSubtypes[subtype] || t[1] == 0 {
		return
	}
	blankString(body, t[0])
}

// topLevelEntries calls fn with each key of the first dictionary in body
// (a PDF object's) and where the key's value lies, for that dictionary's
// own entries only. It stops at the dictionary's end, at "stream", or
// where body stops making sense, and reads each byte once.
func topLevelEntries(body []byte, fn func(key []byte, start, end int)) {
	i := 0
	skipSpace := func() {
		for i < len(body) {
			switch {
			case pdfSpace(body[i]):
				i++
			case body[i] == '%': // a comment, to the end of the line
				for i < len(body) && body[i] != '\n' && body[i] != '\r' {
					i++
				}
			default:
				return
			}
		}
	}
	// value skips one value starting at body[i] and reports whether it
	// made sense; nested dictionaries and arrays are skipped whole.
	var value func(depth int) bool
	value = func(depth int) bool {
		if depth > 64 || i >= len(body) {
			return false
		}
		switch c := body[i]; {
		case c == '(':
			end := literalEnd(body, i)
			if end < 0 {
				return false
			}
			i = end
		case c == '<' && i+1 < len(body) && body[i+1] == '<':
			i += 2
			for {
				skipSpace()
				if i+1 < len(body) && body[i] == '>' && body[i+1] == '>' {
					i += 2
					return true
				}
				if !value(depth + 1) {
					return false
				}
			}
		case c == '<':
			end := bytes.IndexByte(body[i:], '>')
			if end < 0 {
				return false
			}
			i += end + 1
		case c == '[':
			i++
			for {
				skipSpace()
				if i < len(body) && body[i] == ']' {
					i++
					return true
				}
				if !value(depth + 1) {
					return false
				}
			}
		case c == '/':
			i++
			for i < len(body) && !pdfDelimiterOrSpace(body[i]) {
				i++
			}
		case c == ')' || c == '>' || c == ']' || c == '{' || c == '}':
			return false
		default: // a number, a keyword such as "R", true, false or null
			start := i
			for i < len(body) && !pdfDelimiterOrSpace(body[i]) {
				i++
			}
			return i > start
		}
		return true
	}
	skipSpace()
	if !bytes.HasPrefix(body[i:], []byte("<<")) {
		return
	}
	i += 2
	for {
		skipSpace()
		if i >= len(body) || body[i] != '/' {
			return // ">>", the dictionary's end, or nonsense
		}
		keyStart := i
		i++
		for i < len(body) && !pdfDelimiterOrSpace(body[i]) {
			i++
		}
		key := body[keyStart:i]
		skipSpace()
		start := i
		if !value(0) {
			return
		}
		// A value runs to the next key: a reference ("12 0 R") is three
		// tokens.
		end := i
		for {
			skipSpace()
			if i >= len(body) || body[i] == '/' || body[i] == '>' {
				break
			}
			if !value(0) {
				return
			}
			end = i
		}
		fn(key, start, end)
	}
}

// literalEnd is the index just after the literal string opening at
// body[open] ("("), minding nested parentheses and backslash escapes, or
// -1 if it never closes.
func literalEnd(body []byte, open int) int {
	depth := 0
	for i := open; i < len(body); i++ {
		switch body[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

// blankValues blanks the string values of keys in dict, the body of one
// object.
func blankValues(dict []byte, keys [][]byte) {
	for _, key := range keys {
		for from := 0; from < len(dict); {
			i := bytes.Index(dict[from:], key)
			if i < 0 {
				break
			}
			at := from + i + len(key)
			from = at
			// The name must end here ("/Authority" is another name).
			if at < len(dict) && !pdfDelimiterOrSpace(dict[at]) {
				continue
			}
			for at < len(dict) && pdfSpace(dict[at]) {
				at++
			}
			from = blankString(dict, at)
		}
	}
}

// blankString blanks the literal or hex string starting at b[at], if one
// does (blankLiteral, blankHex), and returns the index after it, or at.
func blankString(b []byte, at int) int {
	switch {
	case at < len(b) && b[at] == '(':
		return blankLiteral(b, at)
	case at+1 < len(b) && b[at] == '<' && b[at+1] != '<':
		return blankHex(b, at)
	}
	return at
}

// pdfSpace reports whether c is PDF white space.
func pdfSpace(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}

// pdfDelimiterOrSpace reports whether c ends a PDF name.
func pdfDelimiterOrSpace(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return pdfSpace(c)
}

// blankLiteral overwrites the literal string opening at out[open] ("(")
// with spaces up to its closing parenthesis (literalEnd), and returns the
// index after it. A string that never closes is left alone, and so is the
// rest of out: the index returned is its end.
func blankLiteral(out []byte, open int) int {
	end := literalEnd(out, open)
	if end < 0 {
		return len(out)
	}
	for j := open + 1; j < end-1; j++ {
		out[j] = ' '
	}
	return end
}

// blankHex overwrites the hex string opening at out[open] ("<") so that it
// reads as spaces: "20" for each byte, or after a UTF-16 byte order mark
// (FEFF) "0020" for each character. White space inside it stays. A string
// holding anything but hex digits and white space is left alone; one that
// never closes leaves the rest of out alone too.
func blankHex(out []byte, open int) int {
	end, digits := -1, 0
	var first [4]byte
	for i := open + 1; i < len(out); i++ {
		c := out[i]
		if c == '>' {
			end = i
			break
		}
		switch {
		case pdfSpace(c):
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
			if digits < len(first) {
				first[digits] = c
			}
			digits++
		default:
			return i
		}
	}
	if end < 0 {
		return len(out)
	}
	pattern, keep := "20", 0
	if digits >= 4 && digits%4 == 0 && (string(first[:]) == "FEFF" || string(first[:]) == "feff") {
		pattern, keep = "0020", 4
	}
	n := 0
	for i := open + 1; i < end; i++ {
		if pdfSpace(out[i]) {
			continue
		}
		if n >= keep {
			out[i] = pattern[(n-keep)%len(pattern)]
		}
		n++
	}
	return end + 1
}

// blankXMPProperty overwrites with spaces the text of every <tag>...</tag>
// element in packet (all the text inside it, however deeply nested, as in
// an rdf:Seq of creators) and the value of every tag="..." or tag='...'
// attribute, leaving the XML markup itself as it was.
func blankXMPProperty(packet []byte, tag string) {
	open, closing := []byte("<"+tag), []byte("</"+tag+">")
	for from := 0; ; {
		i := bytes.Index(packet[from:], open)
		if i < 0 {
			break
		}
		from += i + len(open)
		if from >= len(packet) || (packet[from] != '>' && packet[from] != '/' && !pdfSpace(packet[from])) {
			continue // another tag whose name begins the same way
		}
		gt := bytes.IndexByte(packet[from:], '>')
		if gt < 0 {
			break
		}
		if packet[from+gt-1] == '/' {
			from += gt + 1
			continue // an empty element
		}
		body := from + gt + 1
		j := bytes.Index(packet[body:], closing)
		if j < 0 {
			break
		}
		inMarkup := false
		for k := body; k < body+j; k++ {
			switch c := packet[k]; {
			case c == '<':
				inMarkup = true
			case c == '>':
				inMarkup = false
			case !inMarkup && c != ' ' && c != '\t' && c != '\n' && c != '\r':
				packet[k] = ' '
			}
		}
		from = body + j + len(closing)
	}
	for _, quote := range []byte{'"', '\''} {
		attr := []byte(tag + "=" + string(quote))
		for from := 0; ; {
			i := bytes.Index(packet[from:], attr)
			if i < 0 {
				break
			}
			start := from + i
			from = start + len(attr)
			if start > 0 && !pdfSpace(packet[start-1]) {
				continue
			}
			end := bytes.IndexByte(packet[from:], quote)
			if end < 0 {
				break
			}
			for k := from; k < from+end; k++ {
				packet[k] = ' '
			}
			from += end + 1
		}
	}
}
