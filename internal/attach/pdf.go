package attach

import (
	"bytes"
)

// pdfInfoKeys are the document information entries blanked in a PDF: who
// wrote it, with what, what it is called, and when it was made and saved.
var pdfInfoKeys = [][]byte{
	[]byte("/Author"), []byte("/Creator"), []byte("/Producer"), []byte("/Title"),
	[]byte("/Subject"), []byte("/Keywords"), []byte("/CreationDate"), []byte("/ModDate"),
}

// pdfXMPTags are the XMP properties blanked in a PDF's metadata packet: the
// same facts as pdfInfoKeys, in XML, and the tools' own record of who edited.
var pdfXMPTags = []string{
	"dc:creator", "dc:title", "dc:description", "dc:subject", "dc:rights",
	"pdf:Author", "pdf:Producer", "pdf:Keywords", "pdf:Title", "pdf:Subject",
	"xmp:CreatorTool", "xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate",
	"xmpMM:History", "xmpRights:Owner", "photoshop:AuthorsPosition", "photoshop:CaptionWriter",
}

// blankPDFMetadata overwrites, in place, the values of the document
// information entries (pdfInfoKeys) and of the XMP properties (pdfXMPTags)
// wherever they are stored uncompressed, which is where writers usually
// put them. Each value is replaced by the same number of bytes (spaces in
// a literal string or XML, the hex for spaces in a hex string), so every
// byte offset in the file, and with them the cross-reference table that
// locates each object, stays right: the document is exactly as valid as
// before, in every revision it keeps. Values kept in compressed object or
// metadata streams, or given by reference to another object, are left as
// they are; blanking those would mean rewriting the file.
func blankPDFMetadata(data []byte, _ string) ([]byte, error) {
	out := bytes.Clone(data)
	for _, key := range pdfInfoKeys {
		for from := 0; ; {
			i := bytes.Index(out[from:], key)
			if i < 0 {
				break
			}
			at := from + i + len(key)
			from = at
			// The name must end here ("/Authority" is another name).
			if at < len(out) && !pdfDelimiterOrSpace(out[at]) {
				continue
			}
			for at < len(out) && pdfSpace(out[at]) {
				at++
			}
			switch {
			case at < len(out) && out[at] == '(':
				from = blankLiteral(out, at)
			case at+1 < len(out) && out[at] == '<' && out[at+1] != '<':
				from = blankHex(out, at)
			}
		}
	}
	for _, tag := range pdfXMPTags {
		blankXMPProperty(out, tag)
	}
	return out, nil
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
// with spaces up to its closing parenthesis, minding nested parentheses and
// backslash escapes, and returns the index after it. A string that never
// closes is left alone.
func blankLiteral(out []byte, open int) int {
	depth := 0
	for i := open; i < len(out); i++ {
		switch out[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				for j := open + 1; j < i; j++ {
					out[j] = ' '
				}
				return i + 1
			}
		}
	}
	return open + 1
}

// blankHex overwrites the hex string opening at out[open] ("<") so that it
// reads as spaces: "20" for each byte, or after a UTF-16 byte order mark
// (FEFF) "0020" for each character. White space inside it stays. A string
// that never closes, or holds anything but hex digits and white space, is
// left alone.
func blankHex(out []byte, open int) int {
	end := -1
	var digits []int
	for i := open + 1; i < len(out); i++ {
		c := out[i]
		if c == '>' {
			end = i
			break
		}
		switch {
		case pdfSpace(c):
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
			digits = append(digits, i)
		default:
			return open + 1
		}
	}
	if end < 0 {
		return open + 1
	}
	pattern, keep := "20", 0
	if len(digits) >= 4 && len(digits)%4 == 0 {
		bom := string([]byte{out[digits[0]], out[digits[1]], out[digits[2]], out[digits[3]]})
		if bom == "FEFF" || bom == "feff" {
			pattern, keep = "0020", 4
		}
	}
	for n, i := range digits[keep:] {
		out[i] = pattern[n%len(pattern)]
	}
	return end + 1
}

// blankXMPProperty overwrites with spaces the text of every <tag>...</tag>
// element (all the text inside it, however deeply nested, as in an rdf:Seq
// of creators) and the value of every tag="..." attribute in out, leaving
// the XML markup itself as it was.
func blankXMPProperty(out []byte, tag string) {
	open, closing := []byte("<"+tag), []byte("</"+tag+">")
	for from := 0; ; {
		i := bytes.Index(out[from:], open)
		if i < 0 {
			break
		}
		start := from + i
		from = start + len(open)
		if from >= len(out) || (out[from] != '>' && out[from] != ' ' && out[from] != '/' && !pdfSpace(out[from])) {
			continue // another tag whose name begins the same way
		}
		gt := bytes.IndexByte(out[from:], '>')
		if gt < 0 {
			return
		}
		if out[from+gt-1] == '/' {
			from += gt + 1
			continue // an empty element
		}
		bodyStart := from + gt + 1
		j := bytes.Index(out[bodyStart:], closing)
		if j < 0 {
			continue
		}
		inMarkup := false
		for k := bodyStart; k < bodyStart+j; k++ {
			switch c := out[k]; {
			case c == '<':
				inMarkup = true
			case c == '>':
				inMarkup = false
			case !inMarkup && c != ' ' && c != '\t' && c != '\n' && c != '\r':
				out[k] = ' '
			}
		}
		from = bodyStart + j + len(closing)
	}
	attr := []byte(tag + `="`)
	for from := 0; ; {
		i := bytes.Index(out[from:], attr)
		if i < 0 {
			return
		}
		start := from + i
		from = start + len(attr)
		if start > 0 && !pdfSpace(out[start-1]) {
			continue
		}
		end := bytes.IndexByte(out[from:], '"')
		if end < 0 {
			return
		}
		for k := from; k < from+end; k++ {
			out[k] = ' '
		}
		from += end + 1
	}
}
