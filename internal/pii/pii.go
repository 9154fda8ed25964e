package pii

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kinds of Finding.
const (
	KindNHSNumber   = "nhs_number"
	KindName        = "name"
	KindPhone       = "phone"
	KindEmail       = "email"
	KindDateOfBirth = "date_of_birth"
)

// Finding is one passage of text that looks like it identifies someone.
type Finding struct {
	// Kind is one of KindNHSNumber, KindName, KindPhone, KindEmail and
	// KindDateOfBirth.
	Kind string `json:"kind"`
	// Text is the passage, text[Start:End].
	Text string `json:"text"`
	// Start and End are byte offsets into the scanned text.
	Start int `json:"start"`
	End   int `json:"end"`
}

// priority orders kinds when two findings overlap and are the same length.
var priority = map[string]int{KindEmail: 0, KindNHSNumber: 1, KindPhone: 2, KindDateOfBirth: 3, KindName: 4}

// Scan returns the passages of text that look like NHS numbers, names,
// phone numbers, email addresses or dates of birth, sorted by Start and not
// overlapping (where two would overlap, the longer wins, then the kind
// earlier in the order email, NHS number, phone, date of birth, name).
func Scan(text string) []Finding {
	var all []Finding
	add := func(kind string, start, end int) {
		all = append(all, Finding{Kind: kind, Text: text[start:end], Start: start, End: end})
	}
	// The expression is costly to run over a whole narrative, and an email
	// address needs an @, which most narratives lack.
	if strings.IndexByte(text, '@') >= 0 {
		for _, m := range emailRE.FindAllStringIndex(text, -1) {
			add(KindEmail, m[0], m[1])
		}
	}
	scanDatesOfBirth(text, add)
	scanNumbers(text, add)
	scanNames(text, add)

	slices.SortStableFunc(all, func(a, b Finding) int {
		if d := (b.End - b.Start) - (a.End - a.Start); d != 0 {
			return d
		}
		if d := priority[a.Kind] - priority[b.Kind]; d != 0 {
			return d
		}
		return a.Start - b.Start
	})
	var kept []Finding // sorted by Start
	for _, f := range all {
		i, _ := slices.BinarySearchFunc(kept, f.Start, func(k Finding, start int) int { return k.Start - start })
		if i > 0 && kept[i-1].End > f.Start || i < len(kept) && kept[i].Start < f.End {
			continue
		}
		kept = slices.Insert(kept, i, f)
	}
	return kept
}

var (
	emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}`)
	// dobAtRE matches a date of birth (dobPattern) starting exactly where
	// it is tried; scanDatesOfBirth tries it only where a cue word begins.
	dobAtRE = regexp.MustCompile(`^` + dobPattern)
)

// dobPattern is a cue ("DOB", "date of birth", "born on") followed by a
// date, which is the first group.
const dobPattern = `(?i)\b(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|born(?:\s+on)?)\s*(?:[:\-–]|is|was)?\s*` +
	`(\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})\b|\d{4}-\d{2}-\d{2}\b|` +
	`\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4}\b)`

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isWordByte reports whether c is an ASCII letter or digit, or the start
// or continuation of a multi-byte character (treated as a letter).
func isWordByte(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// scanNumbers finds NHS numbers and UK phone numbers.
func scanNumbers(text string, add func(kind string, start, end int)) {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if !isDigit(c) && c != '+' && c != '(' {
			continue
		}
		if i > 0 {
			p := text[i-1]
			if isWordByte(p) || p == '+' || (p == '.' || p == ',' || p == '/' || p == ':') && i > 1 && isDigit(text[i-2]) {
				continue
			}
		}
		if end, ok := nhsAt(text, i); ok {
			add(KindNHSNumber, i, end)
		}
		if end, ok := phoneAt(text, i); ok {
			add(KindPhone, i, end)
		}
	}
}

// nhsAt reports whether an NHS number starts at text[i]: ten digits,
// together or grouped 3-3-4 with one space or hyphen, with a valid Modulus
// 11 check digit.
func nhsAt(text string, i int) (end int, ok bool) {
	digitsAt := func(from, n int) bool {
		if from+n > len(text) {
			return false
		}
		for k := from; k < from+n; k++ {
			if !isDigit(text[k]) {
				return false
			}
		}
		return true
	}
	var number string
	switch {
	case digitsAt(i, 10):
		end, number = i+10, text[i:i+10]
	case digitsAt(i, 3) && i+12 <= len(text) && (text[i+3] == ' ' || text[i+3] == '-') &&
		text[i+7] == text[i+3] && digitsAt(i+4, 3) && digitsAt(i+8, 4):
		end, number = i+12, text[i:i+3]+text[i+4:i+7]+text[i+8:i+12]
	default:
		return 0, false
	}
	if end < len(text) && (isWordByte(text[end]) || (text[end] == '.' || text[end] == ',') && end+1 < len(text) && isDigit(text[end+1])) {
		return 0, false
	}
	return end, ValidNHSNumber(number)
}

// ValidNHSNumber reports whether s is ten digits whose last is the NHS
// Modulus 11 check digit of the first nine (weights 10 down to 2; 11 - the
// sum modulo 11, where 11 means 0 and 10 means the number is invalid).
// Numbers of one repeated digit are not valid.
func ValidNHSNumber(s string) bool {
	if len(s) != 10 || strings.Count(s, s[:1]) == 10 {
		return false
	}
	sum := 0
	for k := 0; k < 10; k++ {
		if !isDigit(s[k]) {
			return false
		}
		if k < 9 {
			sum += int(s[k]-'0') * (10 - k)
		}
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(s[9]-'0')
}

// phoneAt reports whether a UK phone number starts at text[i]: 0 followed
// by nine or ten digits (or +44 / 0044 and the number without its 0), in
// groups of two or more digits separated by single spaces or hyphens, with
// an optional area code in brackets.
func phoneAt(text string, i int) (end int, ok bool) {
	j := i
	digits := make([]byte, 0, 12)
	intl := false
	for _, p := range []string{"+44", "0044"} {
		if strings.HasPrefix(text[j:], p) {
			j += len(p)
			intl = true
			break
		}
	}
	if intl {
		if j < len(text) && text[j] == ' ' {
			j++
		}
		if strings.HasPrefix(text[j:], "(0)") {
			j += 3
			if j < len(text) && text[j] == ' ' {
				j++
			}
		} else if j < len(text) && text[j] == '0' {
			j++ // "+44 07700 900123", written with its 0
		}
		digits = append(digits, '0')
	} else if text[j] == '+' {
		return 0, false
	}
	paren := false
	if j < len(text) && text[j] == '(' {
		paren = true
		j++
	}
	group := 0
	end = -1
	for j < len(text) {
		c := text[j]
		switch {
		case isDigit(c):
			digits = append(digits, c)
			if len(digits) > 11 {
				return 0, false
			}
			group++
			j++
			end = j
			continue
		case paren && c == ')' && group >= 3:
			paren = false
			group = 0
			j++
			if j < len(text) && text[j] == ' ' {
				j++
			}
			continue
		case (c == ' ' || c == '-') && group >= 2 && !paren && j+1 < len(text) && isDigit(text[j+1]):
			group = 0
			j++
			continue
		}
		break
	}
	if paren || end < 0 || group < 2 {
		return 0, false
	}
	if end < len(text) && (isWordByte(text[end]) || (text[end] == '.' || text[end] == ',') && end+1 < len(text) && isDigit(text[end+1])) {
		return 0, false
	}
	if len(digits) < 2 || digits[0] != '0' {
		return 0, false
	}
	switch n := len(digits); digits[1] {
	case '1':
		ok = n == 10 || n == 11
	case '8':
		ok = n == 10 || n == 11
	case '2', '3', '5', '7', '9':
		ok = n == 11
	}
	return end, ok
}

// token is a word of the text.
type token struct {
	start, end int    // byte offsets of the word, without a possessive 's
	next       int    // byte offset just past the word and any possessive
	lower      string // the word in lower case
	cap        bool   // starts with an upper-case letter and has a lower-case one
	upper      bool   // two or more letters, all upper case
	initial    bool   // a single upper-case letter
	digit      bool   // contains a digit
	possessive bool   // followed by 's
}

func isJoiner(r rune) bool { return r == '\'' || r == '’' || r == '-' || r == '&' }

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isAlnum(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func isAlnum(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// runeAt decodes the rune at text[i], without the decoder for ASCII.
func runeAt(text string, i int) (rune, int) {
	if c := text[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(text[i:])
}

// tokenize splits text into words: letters, digits and marks, joined by
// apostrophes, hyphens and ampersands ("O'Brien", "Smith-Jones", "A&E").
//
// It runs on every narrative that might hold a name, so plain ASCII text,
// by far the most common, takes a shorter path: it is split byte by byte,
// the whole text is put in lower case once (the byte offsets stay the
// same) and each word's lower case is a slice of that, rather than one
// allocation per word.
func tokenize(text string) []token {
	if isASCII(text) {
		return tokenizeASCII(text)
	}
	return tokenizeRunes(text)
}

// tokenizeASCII is tokenize for text that is all ASCII.
func tokenizeASCII(text string) []token {
	toks := make([]token, 0, len(text)/4+1)
	lowerText := strings.ToLower(text)
	for i := 0; i < len(text); {
		if !isAlnum(text[i]) {
			i++
			continue
		}
		start := i
		for i++; i < len(text); i++ {
			c := text[i]
			if !isAlnum(c) && !((c == '\'' || c == '-' || c == '&') && i+1 < len(text) && isAlnum(text[i+1])) {
				break
			}
		}
		t := possessive(text, start, i)
		t.lower = lowerText[t.start:t.end]
		asciiShape(&t, text[t.start:t.end])
		toks = append(toks, t)
	}
	return toks
}

// tokenizeRunes is tokenize for any text.
func tokenizeRunes(text string) []token {
	toks := make([]token, 0, len(text)/4+1)
	for i := 0; i < len(text); {
		r, size := runeAt(text, i)
		if !isWordRune(r) {
			i += size
			continue
		}
		start := i
		i += size
		for i < len(text) {
			r, size := runeAt(text, i)
			if isWordRune(r) {
				i += size
				continue
			}
			if isJoiner(r) && i+size < len(text) {
				if r2, _ := runeAt(text, i+size); isWordRune(r2) {
					i += size
					continue
				}
			}
			break
		}
		t := possessive(text, start, i)
		word := text[t.start:t.end]
		t.lower = strings.ToLower(word)
		runeShape(&t, word)
		toks = append(toks, t)
	}
	return toks
}

// possessive returns the token for the word text[start:end], without a
// possessive 's, which it notes.
func possessive(text string, start, end int) token {
	t := token{start: start, end: end, next: end}
	if last := text[end-1]; last != 's' && last != 'S' {
		return t
	}
	word := text[start:end]
	for _, s := range []string{"'s", "’s", "'S", "’S"} {
		if len(word) > len(s)+1 && strings.HasSuffix(word, s) {
			t.end -= len(s)
			t.possessive = true
			break
		}
	}
	return t
}

// asciiShape sets t's case and digit flags from word, which is ASCII.
func asciiShape(t *token, word string) {
	uppers, lowers := 0, 0
	for k := 0; k < len(word); k++ {
		switch c := word[k]; {
		case isDigit(c):
			t.digit = true
		case c >= 'A' && c <= 'Z':
			uppers++
		case c >= 'a' && c <= 'z':
			lowers++
		}
	}
	letters := uppers + lowers
	first := word[0]
	t.cap = first >= 'A' && first <= 'Z' && lowers > 0 && !t.digit
	t.upper = !t.digit && letters >= 2 && uppers == letters
	t.initial = letters == 1 && uppers == 1 && len(word) == 1
}

// runeShape is asciiShape for any text.
func runeShape(t *token, word string) {
	first, _ := utf8.DecodeRuneInString(word)
	letters, uppers, lowers := 0, 0, 0
	for _, r := range word {
		switch {
		case unicode.IsDigit(r):
			t.digit = true
		case unicode.IsUpper(r):
			uppers++
			letters++
		case unicode.IsLower(r):
			lowers++
			letters++
		}
	}
	t.cap = unicode.IsUpper(first) && lowers > 0 && !t.digit
	t.upper = !t.digit && letters >= 2 && uppers == letters
	t.initial = letters == 1 && uppers == 1 && utf8.RuneCountInString(word) == 1
}

// isASCII reports whether text is all ASCII.
func isASCII(text string) bool {
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// startsSentence reports whether toks[k] begins a sentence, a line or a
// list item.
func startsSentence(text string, toks []token, k int) bool {
	i := toks[k].start
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		switch {
		case r == '\n' || r == '\r':
			return true
		case r == ' ' || r == '\t' || strings.ContainsRune("\"'‘“([-*•–—", r):
			i -= size
			continue
		case r == '.' || r == '!' || r == '?':
			// "Dr. Patel" and "J. Smith" do not end a sentence.
			if r == '.' && k > 0 && toks[k-1].next == i-1 && (titles[toks[k-1].lower] || toks[k-1].initial) {
				return false
			}
			return true
		}
		return false
	}
	return true
}

// joined reports whether a and b are separated only by spaces (at most one
// line break), or, when dot is true, optionally by a full stop first ("Dr.
// Patel", "J. Smith").
func joined(text string, a, b token, dot bool) bool {
	gap := text[a.next:b.start]
	if dot {
		gap = strings.TrimPrefix(gap, ".")
	}
	if gap == "" {
		return false
	}
	for _, c := range []byte(gap) {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return strings.Count(gap, "\n") <= 1
}

// nameWord reports whether t can be part of a name after its first word:
// capitalised ("Patel", "O'Brien", "McDonald"), or in capitals when at least
// minUpper letters long ("SMITH"), and not a role, place, month or
// function word.
func nameWord(t token, minUpper int) bool {
	if t.digit || stopWords[t.lower] || calendar[t.lower] || titles[t.lower] || placeWords[t.lower] {
		return false
	}
	return t.cap || t.upper && utf8.RuneCountInString(t.lower) >= minUpper
}

// scanNames finds people's names; see the package documentation.
func scanNames(text string, add func(kind string, start, end int)) {
	if mayHoldName(text) {
		scanNameTokens(text, add)
	}
}

// scanNameTokens is scanNames without the pre-check.
func scanNameTokens(text string, add func(kind string, start, end int)) {
	toks := tokenize(text)
	n := len(toks)
	for i := 0; i < n; i++ {
		t := toks[i]

		// A title and a surname: "Dr Patel", "Mrs J. Smith", "Staff Nurse Okafor".
		if t.cap && titles[t.lower] {
			j := i + 1
			if t.lower == "nurse" && i > 0 && toks[i-1].lower == "staff" && toks[i-1].cap &&
				joined(text, toks[i-1], t, false) {
				t.start = toks[i-1].start
			}
			prev := toks[i]
			for k := 0; k < 3 && j < n && toks[j].initial && joined(text, prev, toks[j], true); k++ {
				prev = toks[j]
				j++
			}
			if j >= n || !joined(text, prev, toks[j], true) || !nameWord(toks[j], 2) {
				continue
			}
			last := j
			for last+1 < n && last-j < 2 && !toks[last].possessive && nameWord(toks[last+1], 2) &&
				joined(text, toks[last], toks[last+1], false) {
				last++
			}
			if placeAfter(text, toks, last) {
				i = last + 1
				continue
			}
			add(KindName, t.start, toks[last].end)
			i = last
			continue
		}

		// A given name, alone or with a surname.
		if !t.cap || !givenNames[t.lower] || calendar[t.lower] {
			continue
		}
		last := i
		for last+1 < n && last-i < 3 && !toks[last].possessive && nameWord(toks[last+1], 3) &&
			joined(text, toks[last], toks[last+1], false) {
			last++
		}
		skip := false
		if placeAfter(text, toks, last) {
			skip = true // "Victoria Ward", "Florence Nightingale Hospice"
		}
		if i > 0 && prefixes[toks[i-1].lower] && joined(text, toks[i-1], t, true) {
			skip = true // "Queen Elizabeth", "St Mary's", "the John Radcliffe"
		}
		if !skip && last == i && !triggered(text, toks, i) && (ambiguousNames[t.lower] || startsSentence(text, toks, i)) {
			skip = true
		}
		if !skip {
			add(KindName, t.start, toks[last].end)
		}
		i = last
	}
}

// placeAfter reports whether the name ending at toks[last] is followed by a
// place word, making it the name of a place: "Victoria Ward", "Elizabeth
// ward", "Dr Gray's Hospital". After a possessive the place word must be
// capitalised, so that "Mrs Smith's house" is still a name.
func placeAfter(text string, toks []token, last int) bool {
	if last+1 >= len(toks) {
		return false
	}
	next := toks[last+1]
	if !placeWords[next.lower] || !joined(text, toks[last], next, false) {
		return false
	}
	return !toks[last].possessive || next.cap
}

// triggered reports whether toks[i] follows a word such as "patient" or
// "named" (in lower case), or a phrase such as "known as".
func triggered(text string, toks []token, i int) bool {
	if i == 0 || !joined(text, toks[i-1], toks[i], false) {
		return false
	}
	p := toks[i-1]
	if p.lower == text[p.start:p.end] && triggers[p.lower] {
		return true
	}
	for k := 2; k <= 3 && i-k >= 0; k++ {
		var words []string
		ok := true
		for m := i - k; m < i; m++ {
			if m > i-k && !joined(text, toks[m-1], toks[m], false) {
				ok = false
			}
			words = append(words, toks[m].lower)
		}
		if ok && triggerPairs[strings.Join(words, " ")] {
			return true
		}
	}
	return false
}

// scanDatesOfBirth adds every date of birth dobPattern finds, as a search
// of the whole text would (leftmost first, none overlapping), but runs the
// expression only where a cue begins. Run over a whole narrative it took
// 13.6 µs for one holding "date of birth", on every such report; tried at
// the cue alone, 1.8 µs.
func scanDatesOfBirth(text string, add func(kind string, start, end int)) {
	for i := 0; i < len(text); {
		if dobCueAt(text, i) {
			if m := dobAtRE.FindStringSubmatchIndex(text[i:]); m != nil {
				add(KindDateOfBirth, i+m[2], i+m[3])
				i += m[1]
				continue
			}
		}
		i++
	}
}

// dobCueAt reports whether a match of dobPattern could start at text[i]:
// at a word boundary, "born", "date of birth" or d, o and b in that order
// with at most a dot and one white-space byte after each of the first two
// ("DOB", "d.o.b", "d. o. b"), in any case. Its word boundary and white
// space are the regexp package's \b and \s exactly: were they narrower, a
// date of birth would go unflagged.
func dobCueAt(text string, i int) bool {
	if i > 0 && isRegexpWordByte(text[i-1]) {
		return false
	}
	lower := func(j int) byte {
		if j < len(text) {
			return text[j] | 0x20
		}
		return 0
	}
	space := func(j int) bool {
		return j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\n' || text[j] == '\r' || text[j] == '\f')
	}
	// word reports whether w (lower case) is at text[j], after at least one
	// white-space byte if spaced, and returns the index after it.
	word := func(j int, w string, spaced bool) (int, bool) {
		if spaced {
			if !space(j) {
				return j, false
			}
			for space(j) {
				j++
			}
		}
		for k := 0; k < len(w); k++ {
			if lower(j+k) != w[k] {
				return j, false
			}
		}
		return j + len(w), true
	}
	skip := func(j int) int {
		if j < len(text) && text[j] == '.' {
			j++
		}
		if space(j) {
			j++
		}
		return j
	}
	switch lower(i) {
	case 'b':
		_, ok := word(i, "born", false)
		return ok
	case 'd':
		if j, ok := word(i, "date", false); ok {
			if j, ok = word(j, "of", true); ok {
				_, ok = word(j, "birth", true)
			}
			return ok
		}
		j := skip(i + 1)
		return lower(j) == 'o' && lower(skip(j+1)) == 'b'
	}
	return false
}

// isRegexpWordByte reports whether c is a word character as the regexp
// package's \b sees it (ASCII letters, digits and the underscore).
func isRegexpWordByte(c byte) bool { return isAlnum(c) || c == '_' }

// maxListWord is longer than any word in the title and given-name lists.
const maxListWord = 48

// mayHoldName reports whether text has a capitalised word that is a title or
// a given name, without which scanNames cannot find a name. Most narratives
// have none, and tokenizing them is the costliest part of Scan. It reads
// ASCII words exactly as tokenize does (letters and digits, joined by ' - &
// between them, a possessive 's taken off); text with any other character
// gets the full scan.
func mayHoldName(text string) bool {
	var buf [maxListWord]byte
	for i := 0; i < len(text); {
		c := text[i]
		if c >= 0x80 {
			return true
		}
		if !isWordByte(c) {
			i++
			continue
		}
		start := i
		for i < len(text) {
			c := text[i]
			if c >= 0x80 {
				return true
			}
			if isWordByte(c) {
				i++
				continue
			}
			if isJoiner(rune(c)) && i+1 < len(text) && isWordByte(text[i+1]) {
				i++
				continue
			}
			break
		}
		word := text[start:i]
		if len(word) > 3 && (strings.HasSuffix(word, "'s") || strings.HasSuffix(word, "'S")) {
			word = word[:len(word)-2]
		}
		if word[0] < 'A' || word[0] > 'Z' || len(word) > maxListWord {
			continue
		}
		for k := 0; k < len(word); k++ {
			c := word[k]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[k] = c
		}
		if lower := buf[:len(word)]; titles[string(lower)] || givenNames[string(lower)] {
			return true
		}
	}
	return false
}
