package attach

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameRunes is the longest file name CleanFilename returns, in
// characters; maxExtRunes the longest extension it keeps whole.
const (
	maxNameRunes = 120
	maxExtRunes  = 10
)

// CleanFilename returns a file name that is safe to store, show and offer
// for download: the base name only (after the last / or \), with control and
// invisible formatting characters removed (including the right-to-left
// override used to disguise "exe" as "gpj"), invalid UTF-8 dropped, the
// characters Windows forbids in names replaced by "_", device names such
// as CON prefixed with "_", leading dots and
// surrounding spaces and dots trimmed, and at most 120 characters long,
// keeping the extension when the name is shortened. It returns "" when
// nothing usable is left.
func CleanFilename(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for len(name) > 0 {
		r, size := utf8.DecodeRuneInString(name)
		name = name[size:]
		switch {
		case r == utf8.RuneError && size <= 1:
		case r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == '\u2028', r == '\u2029':
		case strings.ContainsRune(`<>:"|?*`, r):
			b.WriteByte('_')
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	clean := strings.TrimLeft(strings.Trim(b.String(), " ."), ". ")
	if clean == "" {
		return ""
	}
	if stem, _, _ := strings.Cut(clean, "."); reserved[strings.ToUpper(strings.TrimRight(stem, " "))] {
		clean = "_" + clean // "CON.txt" names a device on Windows
	}
	if utf8.RuneCountInString(clean) <= maxNameRunes {
		return clean
	}
	stem, ext := clean, ""
	if e := rawExt(clean); e != "" && utf8.RuneCountInString(e) <= maxExtRunes {
		stem, ext = clean[:len(clean)-len(e)-1], "."+e
	}
	r := []rune(stem)
	r = r[:maxNameRunes-utf8.RuneCountInString(ext)]
	return strings.TrimRight(string(r), " .") + ext
}

// reserved holds the names Windows keeps for devices.
var reserved = map[string]bool{
	"CON": true, "PRN": true, "AUX": true, "NUL": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true,
}

// rawExt returns the text after the last dot of name, or "" when there is
// no dot or the dot starts the name.
func rawExt(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 {
		return ""
	}
	return name[i+1:]
}

// extension returns name's extension in lower case, without the dot, or ""
// when the name has none that looks like one (letters and digits, at most
// ten of them, so that "Ward 7 v2.1 final" has none).
func extension(name string) string {
	e := rawExt(name)
	if e == "" || len(e) > maxExtRunes {
		return ""
	}
	for _, c := range e {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return ""
		}
	}
	return strings.ToLower(e)
}

// withExtension replaces name's extension with ext (no dot), or adds it
// when name has none, keeping the result within maxNameRunes. An empty name
// becomes "attachment.ext".
func withExtension(name, ext string) string {
	stem := name
	if extension(name) != "" {
		stem = name[:strings.LastIndexByte(name, '.')]
	}
	stem = strings.TrimRight(stem, " .")
	if stem == "" {
		stem = "attachment"
	}
	if r := []rune(stem); len(r)+1+len(ext) > maxNameRunes {
		stem = strings.TrimRight(string(r[:maxNameRunes-1-len(ext)]), " .")
	}
	return stem + "." + ext
}
