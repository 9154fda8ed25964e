package org

import (
	"strings"
	"unicode"
)

// Disability values stored for a person. The empty string means not known.
const (
	DisabilityYes            = "yes"
	DisabilityNo             = "no"
	DisabilityPreferNotToSay = "prefer_not_to_say"
)

// EthnicNotStated is the ethnic group code for a person who preferred not to
// say. For WRES it counts as unknown.
const EthnicNotStated = "Z"

// Ethnic categories returned by EthnicCategory.
const (
	CategoryWhite          = "white"
	CategoryEthnicMinority = "ethnic_minority"
	CategoryUnknown        = "unknown"
)

// EthnicGroups lists the NHS data dictionary ethnic categories, A to S, and
// Z for a person who preferred not to say.
func EthnicGroups() []Option {
	return []Option{
		{"A", "White British"},
		{"B", "White Irish"},
		{"C", "Any other White background"},
		{"D", "White and Black Caribbean"},
		{"E", "White and Black African"},
		{"F", "White and Asian"},
		{"G", "Any other mixed background"},
		{"H", "Indian"},
		{"J", "Pakistani"},
		{"K", "Bangladeshi"},
		{"L", "Any other Asian background"},
		{"M", "Caribbean"},
		{"N", "African"},
		{"P", "Any other Black background"},
		{"R", "Chinese"},
		{"S", "Any other ethnic group"},
		{"Z", "Prefer not to say"},
	}
}

// EthnicCategory groups an ethnic group code for WRES: "white" for A, B and
// C; "ethnic_minority" for D to S; "unknown" for not known, for Z (not
// stated) and for anything else.
func EthnicCategory(code string) string {
	switch code {
	case "A", "B", "C":
		return CategoryWhite
	case "", EthnicNotStated:
		return CategoryUnknown
	}
	if optionLabel(EthnicGroups(), code) != "" {
		return CategoryEthnicMinority
	}
	return CategoryUnknown
}

// DisabilityOptions lists the disability answers. Not known is stored as "".
func DisabilityOptions() []Option {
	return []Option{
		{DisabilityYes, "Yes"},
		{DisabilityNo, "No"},
		{DisabilityPreferNotToSay, "Prefer not to say"},
	}
}

// ethnicAliases gives, for each code, the normalised texts that mean it: the
// labels above, the data dictionary's "Group - Category" forms that ESR
// writes, and common short forms.
func ethnicAliases() map[string]string {
	aliases := map[string][]string{
		"A": {"white british", "white english welsh scottish northern irish or british", "british"},
		"B": {"white irish", "irish"},
		"C": {"white any other white background", "any other white background", "white other", "other white", "white other white background"},
		"D": {"mixed white and black caribbean", "white and black caribbean"},
		"E": {"mixed white and black african", "white and black african"},
		"F": {"mixed white and asian", "white and asian"},
		"G": {"mixed any other mixed background", "any other mixed background", "mixed other", "other mixed", "mixed other mixed background"},
		"H": {"asian or asian british indian", "asian indian", "indian"},
		"J": {"asian or asian british pakistani", "asian pakistani", "pakistani"},
		"K": {"asian or asian british bangladeshi", "asian bangladeshi", "bangladeshi"},
		"L": {"asian or asian british any other asian background", "any other asian background", "asian other", "other asian"},
		"M": {"black or black british caribbean", "black caribbean", "caribbean"},
		"N": {"black or black british african", "black african", "african"},
		"P": {"black or black british any other black background", "any other black background", "black other", "other black"},
		"R": {"other ethnic groups chinese", "other ethnic group chinese", "chinese"},
		"S": {"other ethnic groups any other ethnic group", "other ethnic group any other ethnic group", "any other ethnic group", "other ethnic group", "other"},
		"Z": {"not stated", "prefer not to say", "prefer not to answer", "not stated person asked but declined to provide a response", "declined"},
	}
	out := map[string]string{}
	for code, texts := range aliases {
		for _, t := range texts {
			out[t] = code
		}
	}
	for _, o := range EthnicGroups() {
		out[normalise(o.Label)] = o.Value
	}
	return out
}

// normalise lower-cases s, reads "&" as "and" and collapses everything that
// is not a letter or digit into single spaces.
func normalise(s string) string {
	s = strings.ReplaceAll(strings.ToLower(s), "&", " and ")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// parseEthnicOrigin reads an ESR "Ethnic Origin" value: a code letter alone
// ("A"), a code and text ("A White - British", ESR's two-character sub-codes
// such as "C2 White - Northern Irish" included), or the text alone ("White -
// British"). Blank, "Not known", "Unknown" and "Not declared" mean not known
// (""). ok is false when the value is not recognised.
func parseEthnicOrigin(s string) (code string, ok bool) {
	n := normalise(s)
	switch n {
	case "", "not known", "unknown", "not declared", "99 not known", "99":
		return "", true
	}
	first, rest, _ := strings.Cut(n, " ")
	valid := func(c string) bool { return optionLabel(EthnicGroups(), strings.ToUpper(c)) != "" }
	switch {
	case len(first) == 1 && valid(first):
		return strings.ToUpper(first), true
	case len(first) == 2 && rest != "" && valid(first[:1]) && isAlnumASCII(first[1]):
		// ESR's extended codes: the first letter is the national category.
		return strings.ToUpper(first[:1]), true
	}
	aliases := ethnicAliases()
	if c, ok := aliases[n]; ok {
		return c, true
	}
	return "", false
}

func isAlnumASCII(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
}

// parseDisability reads an ESR disability value: Yes/No/Y/N; "Prefer not to
// say" or "Prefer not to answer" is prefer_not_to_say; blank, "Not declared"
// and "Not known" are not known (""). ok is false when the value is not
// recognised.
func parseDisability(s string) (value string, ok bool) {
	switch normalise(s) {
	case "yes", "y":
		return DisabilityYes, true
	case "no", "n":
		return DisabilityNo, true
	case "prefer not to say", "prefer not to answer":
		return DisabilityPreferNotToSay, true
	case "", "not declared", "not known", "unknown":
		return "", true
	}
	return "", false
}
