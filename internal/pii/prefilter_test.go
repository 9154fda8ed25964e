package pii

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// scanDatesOfBirth runs its expression only where a cue begins; it must
// find exactly what a search of the whole text finds, or a date of birth
// would go unflagged (or a passage be flagged twice).
func TestDatesOfBirthFoundAsAWholeTextSearchFindsThem(t *testing.T) {
	whole := regexp.MustCompile(dobPattern)
	cues := []string{"DOB", "dob", "D.O.B", "d. o. b.", "D.O.B.", "d o b", "DoB:", "date of birth", "Date  of\tBirth",
		"DATE OF BIRTH is", "born", "Born on", "BORN", "born\non", "date of  birth was", "d.ob", "do. b",
		"d\to\tb", "D.\nO.\nB", "d\fo\rb", "date\nof\tbirth", "Date\r\nof\fBirth"}
	dates := []string{"12/03/1984", "1.2.84", "1984-03-12", "3rd of March 1984", "12 mar. 1984", "1 December, 1950"}
	var texts []string
	for _, c := range cues {
		for _, d := range dates {
			texts = append(texts, c+" "+d, "Patient, "+c+": "+d+", fell.", strings.ToUpper(c)+" - "+d,
				"stub"+c+" "+d, c+"_"+d, "é"+c+" "+d, c+" "+d+" and "+c+" "+d)
		}
	}
	// Random mixtures of cues, near-misses, dates and filler, with and
	// without spaces between them.
	parts := append(append([]string{"had obs", "stubborn", "update", "Bob", "bored", "d", "o", "b", ".", " ", "\n", ":", "-",
		"was", "is", "on", "of", "the patient", "_", "x", "1", "2024", "\t", "\f", "\r", "date", "date of incident",
		"up to date", "birth"}, cues...), dates...)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			b.WriteString(parts[rng.IntN(len(parts))])
			if rng.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		texts = append(texts, b.String())
	}
	matched := 0
	for _, text := range texts {
		var want, got [][2]int
		for _, m := range whole.FindAllStringSubmatchIndex(text, -1) {
			want = append(want, [2]int{m[2], m[3]})
		}
		scanDatesOfBirth(text, func(_ string, start, end int) { got = append(got, [2]int{start, end}) })
		if !slices.Equal(got, want) {
			t.Fatalf("%q: found %v, a search of the whole text finds %v", text, got, want)
		}
		if len(want) > 0 {
			matched++
		}
	}
	if matched < len(texts)/10 {
		t.Fatalf("only %d of %d sample texts hold a date of birth: the samples no longer test the scan", matched, len(texts))
	}
	for _, text := range []string{"The patient fell at 10pm on 12/03/2026.", "Obs were done at 0400", "Bob was called",
		"had obs at 12/03/1984", "Date of incident 12/03/2026", "notes up to date 1/2/2026", "date: 12/03/2026"} {
		for i := range len(text) {
			if dobCueAt(text, i) {
				t.Errorf("%q has no date of birth cue at %d, but the scan tries the expression there", text, i)
			}
		}
	}
}

// Scan looks for email addresses only in text holding an @; one that does
// must still be found.
func TestEmailAddressesPassThePrecheck(t *testing.T) {
	for _, f := range Scan("Write to ward9.nurses@nhs.net, not to anyone by name.") {
		if f.Kind == KindEmail {
			return
		}
	}
	t.Error("an email address was not found")
}

// namesIn returns the names scanNames would find without its pre-check.
func namesIn(text string) []string {
	var out []string
	scanNameTokens(text, func(_ string, start, end int) { out = append(out, text[start:end]) })
	return out
}

// The name pre-check may let through text without names, but must never
// skip text in which the full scan finds one: every title and every given
// name, in the shapes people write them, must get through it.
func TestNamePrecheckNeverHidesAName(t *testing.T) {
	shapes := []string{"Seen by %s Okafor at 10:00.", "%s fell in the bay.", "The patient %s was upset.",
		"Asked %s's daughter to call.", "Spoke to %s-Jones.", "Handed over to %s O'Neill & team.",
		"%S SMITH rang.", "Reviewed (%s Smith).", "Ward 4: %s Patel, 2nd opinion."}
	words := map[string]bool{}
	for w := range titles {
		words[w] = true
	}
	for w := range givenNames {
		words[w] = true
	}
	found := 0
	for w := range words {
		if len(w) > maxListWord {
			t.Fatalf("list word %q is longer than maxListWord (%d): the pre-check would skip it", w, maxListWord)
		}
		title := strings.ToUpper(w[:1]) + w[1:]
		for _, shape := range shapes {
			text := strings.ReplaceAll(strings.ReplaceAll(shape, "%s", title), "%S", strings.ToUpper(w))
			names := namesIn(text)
			if len(names) > 0 {
				found++
			}
			if len(names) > 0 && !mayHoldName(text) {
				t.Errorf("%q holds the name %q, but the pre-check skips it", text, names)
			}
		}
	}
	if found < len(words) {
		t.Fatalf("only %d texts out of %d holding a listed word had a name found: the samples no longer test the pre-check",
			found, len(words)*len(shapes))
	}
	for _, text := range []string{
		"Fall on the ward at about 02:15. The patient got up to use the toilet without calling for help, and the call bell was out of reach.",
		"Theatre list started 50 minutes late because the instrument tray had not been returned from sterile services.",
		"Syringe driver alarmed for occlusion; the patient's pain score rose to 7. Line re-sited and driver restarted.",
	} {
		if mayHoldName(text) {
			t.Errorf("%q has no title or given name, but the pre-check lets it through", text)
		}
	}
	if !mayHoldName("Café staff called Zoë") {
		t.Error("text with non-ASCII letters must get the full scan")
	}
}

// Plain ASCII text takes tokenize's byte-by-byte path; it must split and
// describe words exactly as the path for any text does.
func TestASCIIWordsSplitAsAnyTextDoes(t *testing.T) {
	parts := []string{"Dr", "Patel", "O'Brien", "Smith-Jones", "A&E", "SMITH", "J.", "nurse's", "NURSE'S", "it's",
		"bay 3", "08:00", "x", "'", "-", "&", "'s", " ", "  ", "\n", ".", ",", ";", "(", ")", "2nd", "B12", "s", "S"}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(10) {
			b.WriteString(parts[rng.IntN(len(parts))])
			if rng.IntN(2) == 0 {
				b.WriteByte(' ')
			}
		}
		text := b.String()
		if got, want := tokenizeASCII(text), tokenizeRunes(text); !slices.Equal(got, want) {
			t.Fatalf("%q: the ASCII path gives\n%+v\nthe path for any text\n%+v", text, got, want)
		}
	}
}

// A possessive 's, in any case and with either apostrophe, is kept apart
// from the word, so that "Smith's" is looked up as "smith"; a word that is
// no more than one letter and the 's is left whole.
func TestPossessivesAreSplitOff(t *testing.T) {
	for _, tt := range []struct{ text, word string }{
		{"NURSE'S", "nurse"}, {"Smith’s", "smith"}, {"smith'S", "smith"}, {"OKAFOR’S", "okafor"},
		{"it's", "it"}, {"Bess", "bess"}, {"a's", "a's"},
	} {
		toks := tokenize(tt.text)
		if len(toks) != 1 || toks[0].lower != tt.word || toks[0].possessive != (tt.word != strings.ToLower(tt.text)) ||
			toks[0].next != len(tt.text) {
			t.Errorf("tokenize(%q) = %+v, want one word %q", tt.text, toks, tt.word)
		}
	}
}
