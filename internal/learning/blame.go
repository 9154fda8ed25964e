package learning

import (
	"regexp"
	"sort"
	"strings"
)

// Flag is phrasing that puts the cause of an event on a person, with a
// gentle suggestion for writing it in a way that looks at the system.
type Flag struct {
	// Phrase is the text as written.
	Phrase string `json:"phrase"`
	// Suggestion says how to explain rather than blame.
	Suggestion string `json:"suggestion"`
}

// Prompt is a Flag found in one field of a form or request.
type Prompt struct {
	Field string `json:"field"`
	Flag
}

// blameRule is one kind of blaming phrase.
type blameRule struct {
	re         *regexp.Regexp
	suggestion string
	// negatable rules are not flagged after "no", "not", "never"...
	// ("nobody was to blame").
	negatable bool
}

// w wraps a pattern in word boundaries, case-insensitively.
func w(pattern string) *regexp.Regexp { return regexp.MustCompile(`(?i)\b(?:` + pattern + `)\b`) }

var blameRules = []blameRule{
	{re: w(`human errors?|(?:nurse|doctor|staff|operator|user|clinician|midwife|pharmacist|individual|personal)(?:'s)? errors?|errors? (?:by|of) (?:the )?(?:nurse|doctor|staff|midwife|pharmacist|porter|individual|clinician)`),
		suggestion: "Human error is where the questions start, not a cause. Describe what made the error likely: the design of the task, the equipment, the workload, the information people had."},
	{re: w(`fail(?:ed|s|ing)? to|failure to|failure of (?:the )?(?:nurse|doctor|staff|midwife|individual|team)`),
		suggestion: "Say what happened and what got in the way, rather than that someone failed. What made the expected action hard to do at the time?"},
	{re: w(`should(?: not|n't)? have|should've|ought(?: not)? to have|could have prevented`),
		suggestion: "\"Should have\" is hindsight. Describe what the people involved knew and saw at the time, and why what they did made sense to them."},
	{re: w(`did not follow|didn't follow|not follow(?:ed|ing)?|non-?complian(?:t|ce)|breach(?:ed)?|ignored|disregarded|violat(?:ed|ion)`),
		suggestion: "Ask why the work was done differently from the procedure: was the procedure known, workable and supported on that shift? Work as done often differs from work as imagined for good reasons."},
	{re: w(`negligen(?:t|ce)|reckless(?:ly|ness)?`), negatable: true,
		suggestion: "Negligence and recklessness are legal judgements that a learning response never makes. Describe the conditions people were working in."},
	{re: w(`careless(?:ly|ness)?|lazy|laziness|sloppy|complacen(?:t|cy)|incompeten(?:t|ce)|inattentive|lack of (?:care|attention|concentration)|not paying attention|lapse in concentration`), negatable: true,
		suggestion: "Describe the conditions rather than a person's character: workload, interruptions, fatigue, the design of the task. What was competing for their attention?"},
	{re: w(`to blame|blamed?|blameworthy|(?:at|his|her|their|whose) fault|fault of|culpab(?:le|ility)|responsible for the (?:error|mistake|incident)`), negatable: true,
		suggestion: "A learning response does not assign blame or fault. Look at how the system allowed this to happen, so that it can be changed."},
	{re: w(`forgot(?:ten)?(?: to)?`),
		suggestion: "Memory is unreliable under pressure. What reminders, checks or prompts did the system give, and what interrupted the work?"},
	{re: w(`root causes?`),
		suggestion: "Events rarely have a single root cause. Describe the contributory factors across the work system (see the SEIPS factors)."},
}

// negation finds a negating word shortly before a match.
var negation = regexp.MustCompile(`(?i)\b(?:no|not|never|nobody|no one|without|nor|isn't|wasn't|weren't|aren't)\b[^.;:!?]{0,25}$`)

// BlameFlags finds phrasing in text that puts the cause on a person ("nurse
// failed to", "human error", "should have", "did not follow", "careless",
// "to blame"...), in the order it appears, each with a gentle suggestion in
// the spirit of NHS England's learning response review and improvement
// tool. It never blocks anything: it prompts the writer to explain rather
// than blame, and to look at the system.
func BlameFlags(text string) []Flag {
	type hit struct {
		at   int
		flag Flag
	}
	var hits []hit
	for _, rule := range blameRules {
		for _, loc := range rule.re.FindAllStringIndex(text, -1) {
			if rule.negatable && negation.MatchString(text[:loc[0]]) {
				continue
			}
			hits = append(hits, hit{loc[0], Flag{Phrase: text[loc[0]:loc[1]], Suggestion: rule.suggestion}})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	var out []Flag
	seen := map[string]bool{}
	for _, h := range hits {
		key := strings.ToLower(h.flag.Phrase)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, h.flag)
	}
	return out
}

// person matches words for an individual member of staff.
const person = `(?:him|her|them|the (?:nurse|doctor|midwife|staff member|member of staff|pharmacist|porter|practitioner|individual|healthcare assistant|hca|consultant|registrar|clinician|paramedic|therapist|student|agency nurse|locum))`

// subject matches an individual as the subject of a sentence.
const subject = `(?:he|she|they|(?:the )?(?:nurse|doctor|midwife|staff member|member of staff|pharmacist|porter|practitioner|individual|healthcare assistant|hca|consultant|registrar|clinician|locum))`

// disciplinaryRules find a recommendation of action against an individual.
var disciplinaryRules = []*regexp.Regexp{
	w(`disciplinary|disciplined|discipline ` + person + `|formal (?:written )?warning|final (?:written )?warning|capability (?:procedure|process|hearing)`),
	w(`suspend(?:ed|ing)? ` + person + `|(?:his|her|their|staff|immediate) suspension|suspension (?:of ` + person + `|from (?:duty|duties|work|practice|the ward))|` +
		subject + ` (?:should |must |will |to )?(?:be |been |is |was )?suspended`),
	w(`(?:his|her|their|staff|summary) dismissal|dismissal of ` + person + `|dismiss ` + person + `|` + subject + ` (?:should |must |will |to )?(?:be |been )dismissed|` +
		`sack(?:ed)? ` + person + `|(?:be|been|being) sacked|terminat(?:e|ion of) (?:his|her|their) (?:employment|contract)`),
	regexp.MustCompile(`(?i)\b(?:refer(?:red|ral|ring)?|report(?:ed|ing)?)\b[^.;]{0,60}\b(?:NMC|GMC|HCPC|GPhC|GDC|regulator|regulatory body|Nursing and Midwifery Council|General Medical Council|Health and Care Professions Council)\b|\bfitness to practi[cs]e\b`),
	w(`struck off|strike ` + person + ` off|removed from the register`),
}

// notDisciplinary finds words shortly before a match that say the text is
// not recommending action: "no disciplinary action", "separate from any
// disciplinary process".
var notDisciplinary = regexp.MustCompile(`(?i)\b(?:no|not|never|nobody|no one|without|nor|isn't|wasn't|weren't|aren't|separate from|independent of|instead of|rather than|outside)\b[^.;:!?]{0,25}$`)

// disciplinary returns the first phrase in text that recommends disciplinary
// action, suspension, dismissal or referral to a regulator, unless plainly
// negated or set apart ("no disciplinary action is needed", "separate from
// any disciplinary process").
func disciplinary(text string) string {
	for _, re := range disciplinaryRules {
		for _, loc := range re.FindAllStringIndex(text, -1) {
			if notDisciplinary.MatchString(text[:loc[0]]) {
				continue
			}
			return text[loc[0]:loc[1]]
		}
	}
	return ""
}

// disciplinaryMessage explains why text was refused and where to go instead.
func disciplinaryMessage(label, phrase, reportRef string) string {
	return label + " mentions \"" + phrase + "\". A learning response is for learning and never records blame or recommends disciplinary action, " +
		"suspension, dismissal or a referral to a regulator. If there is a concern about one person, the only route is a just culture assessment: " +
		JustCultureHref(reportRef)
}
