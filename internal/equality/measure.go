package equality

import (
	"context"
	"fmt"

	"candour/internal/authz"
	"candour/internal/org"
	"candour/internal/store"
)

// Kind is one of the two measures.
type Kind string

// The measures.
const (
	// WRES3 is Workforce Race Equality Standard indicator 3: entry into a
	// formal disciplinary investigation, ethnic minority against white staff.
	WRES3 Kind = "wres3"
	// WDES3 is Workforce Disability Equality Standard metric 3: entry into
	// the formal capability process on the grounds of performance, disabled
	// against non-disabled staff.
	WDES3 Kind = "wdes3"
)

// Group keys of the measures.
const (
	GroupWhite          = org.CategoryWhite
	GroupEthnicMinority = org.CategoryEthnicMinority
	GroupNonDisabled    = "non_disabled"
	GroupDisabled       = "disabled"
	GroupUnknown        = "unknown"
)

// SurveyDisabledShare is the share of NHS staff who say in the NHS Staff
// Survey that they are disabled (about 18%), against about 3% on staff
// records; shown beside WDES metric 3 so that readers weigh the ratio with
// the under-declaration in mind.
const SurveyDisabledShare = 0.18

// measureDef says how a measure is worked out.
type measureDef struct {
	title    string
	caseType string
	// reference is the group compared against (white, non-disabled);
	// comparison is the group whose relative likelihood is measured.
	reference, comparison Option
	unknownLabel          string
	// category maps a person's ethnic group and disability to a group key.
	category func(ethnic, disability string) string
}

// Option is a key and its label.
type Option struct{ Key, Label string }

func definition(k Kind) (measureDef, bool) {
	switch k {
	case WRES3:
		return measureDef{
			title:        "WRES indicator 3: entering a formal disciplinary investigation",
			caseType:     "disciplinary",
			reference:    Option{GroupWhite, "White staff"},
			comparison:   Option{GroupEthnicMinority, "Ethnic minority staff"},
			unknownLabel: "ethnicity not known",
			category: func(ethnic, _ string) string {
				if c := org.EthnicCategory(ethnic); c != org.CategoryUnknown {
					return c
				}
				return GroupUnknown
			},
		}, true
	case WDES3:
		return measureDef{
			title:        "WDES metric 3: entering the formal capability process (performance)",
			caseType:     "capability_performance",
			reference:    Option{GroupNonDisabled, "Non-disabled staff"},
			comparison:   Option{GroupDisabled, "Disabled staff"},
			unknownLabel: "disability not known",
			category: func(_, disability string) string {
				switch disability {
				case org.DisabilityYes:
					return GroupDisabled
				case org.DisabilityNo:
					return GroupNonDisabled
				}
				return GroupUnknown
			},
		}, true
	}
	return measureDef{}, false
}

// Group is one group's figures as they may be shown. A nil field is withheld
// (see Result.Suppressed) or, for Rate, cannot be worked out.
type Group struct {
	Key, Label string
	// Headcount is the people in the group employed on the period's end
	// date; for the two-year rolling measure, the mean of the headcounts on
	// the two year-end dates, which may end in .5.
	Headcount *float64
	// Entered is the number of different people in the group who entered
	// the formal process in the period.
	Entered *int
	// Rate is Entered per head, a fraction (0.007 is 0.7%); for the rolling
	// measure, half of Entered per head of the mean headcount (a yearly
	// rate).
	Rate *float64
	// Suppressed is true when any of the group's figures is withheld.
	Suppressed bool
}

// DataQuality describes the people the measure could not place in a group.
type DataQuality struct {
	// UnknownHeadcount is the headcount whose ethnicity (or disability) is
	// not known, or who preferred not to say; UnknownHeadcountShare is its
	// share of all staff.
	UnknownHeadcount      *float64
	UnknownHeadcountShare *float64
	// UnknownEntered is the number who entered the process with ethnicity
	// (or disability) not known; UnknownEnteredShare is its share of all
	// who entered.
	UnknownEntered      *int
	UnknownEnteredShare *float64
	// DeclaredDisabledShare (WDES only) is the share of all staff recorded
	// as disabled, to set beside SurveyDisabledShare.
	DeclaredDisabledShare *float64
	// Notes say in plain words what the figures mean for the ratio.
	Notes []string
}

// Result is a measure for a period.
type Result struct {
	Kind  Kind
	Title string
	Period
	// HeadcountDates are the dates the headcounts were taken: the end date,
	// and for the rolling measure also the same date a year earlier.
	HeadcountDates []string
	Threshold      int
	// Groups holds the reference group (white, non-disabled), then the
	// comparison group (ethnic minority, disabled).
	Groups []Group
	// Ratio is the comparison group's rate over the reference group's:
	// above 1 means the comparison group is more likely to enter. Nil when
	// withheld or when it cannot be worked out (RatioNote says why).
	Ratio     *float64
	RatioNote string
	// Suppressed lists every figure withheld and why.
	Suppressed []Suppression
	Quality    DataQuality
	// Unsuppressed is true for the HR submission export only.
	Unsuppressed bool
	// Unknown holds the people not placed in a group, in the export only.
	Unknown Group
}

// tally is the raw figures of one group.
type tally struct {
	heads   [2]int // on the end date, and a year before it (rolling)
	entered int
}

// Measure computes a measure for the period with small numbers suppressed,
// for HR and executives.
func (s *Service) Measure(ctx context.Context, p *authz.Principal, k Kind, per Period) (Result, error) {
	if !mayMeasure(p) {
		return Result{}, ErrNotAllowed
	}
	t, err := s.threshold(ctx)
	if err != nil {
		return Result{}, err
	}
	res, err := s.compute(ctx, k, per, t, true)
	if err != nil {
		return Result{}, err
	}
	if err := s.record(ctx, p, "equality.view", string(k), per); err != nil {
		return Result{}, err
	}
	return res, nil
}

// Submission computes a measure for the period without suppression: the
// counts a trust sends in its WRES or WDES return. For HR only; the read is
// audited as an export.
func (s *Service) Submission(ctx context.Context, p *authz.Principal, k Kind, per Period) (Result, error) {
	if !p.Has(authz.HR) {
		return Result{}, ErrNotAllowed
	}
	t, err := s.threshold(ctx)
	if err != nil {
		return Result{}, err
	}
	res, err := s.compute(ctx, k, per, t, false)
	if err != nil {
		return Result{}, err
	}
	if err := s.record(ctx, p, "equality.submission_export", string(k), per); err != nil {
		return Result{}, err
	}
	return res, nil
}

// compute works a measure out and, when suppress, withholds small numbers
// and whatever would let them be worked out.
func (s *Service) compute(ctx context.Context, k Kind, per Period, threshold int, suppress bool) (Result, error) {
	def, ok := definition(k)
	if !ok {
		return Result{}, fmt.Errorf("equality: unknown measure %q", k)
	}
	tallies := map[string]*tally{def.reference.Key: {}, def.comparison.Key: {}, GroupUnknown: {}}
	dates := []string{per.to()}
	if per.Rolling {
		dates = append(dates, per.To.AddDate(-1, 0, 0).Format(store.DateLayout))
	}
	for i, d := range dates {
		rows, err := s.DB.QueryContext(ctx, `SELECT COALESCE(ethnic_group, ''), COALESCE(disability, ''), count(*) FROM people
			WHERE start_date <= ? AND (leave_date IS NULL OR leave_date >= ?)
			GROUP BY COALESCE(ethnic_group, ''), COALESCE(disability, '')`, d, d)
		if err != nil {
			return Result{}, fmt.Errorf("equality: headcount: %w", err)
		}
		for rows.Next() {
			var eth, dis string
			var n int
			if err := rows.Scan(&eth, &dis, &n); err != nil {
				rows.Close()
				return Result{}, fmt.Errorf("equality: headcount: %w", err)
			}
			tallies[def.category(eth, dis)].heads[i] += n
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return Result{}, fmt.Errorf("equality: headcount: %w", err)
		}
	}
	// Entrants are counted whether or not they are still employed on the
	// end date: the national guidance counts everyone who entered during
	// the period against the headcount on its last day.
	rows, err := s.DB.QueryContext(ctx, `SELECT COALESCE(p.ethnic_group, ''), COALESCE(p.disability, '') FROM people p
		WHERE p.id IN (SELECT c.person_id FROM cases c WHERE c.case_type = ? AND c.formal_on >= ? AND c.formal_on <= ?)`,
		def.caseType, per.from(), per.to())
	if err != nil {
		return Result{}, fmt.Errorf("equality: entrants: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var eth, dis string
		if err := rows.Scan(&eth, &dis); err != nil {
			return Result{}, fmt.Errorf("equality: entrants: %w", err)
		}
		tallies[def.category(eth, dis)].entered++
	}
	if err := rows.Err(); err != nil {
		return Result{}, fmt.Errorf("equality: entrants: %w", err)
	}
	return build(k, def, per, dates, threshold, tallies, suppress), nil
}

// build turns raw tallies into a Result, withholding small numbers when
// suppress.
func build(k Kind, def measureDef, per Period, dates []string, threshold int, tallies map[string]*tally, suppress bool) Result {
	res := Result{Kind: k, Title: def.title, Period: per, HeadcountDates: dates, Threshold: threshold, Unsuppressed: !suppress}
	small := func(n float64) bool { return suppress && n > 0 && n < float64(threshold) }
	withhold := func(what, why string) { res.Suppressed = append(res.Suppressed, Suppression{What: what, Why: why}) }
	tooFew := fmt.Sprintf("The number is fewer than %d, which could identify people.", threshold)

	heads := func(t *tally) float64 {
		if per.Rolling {
			return float64(t.heads[0]+t.heads[1]) / 2
		}
		return float64(t.heads[0])
	}
	years := 1.0
	if per.Rolling {
		years = 2
	}
	// hidden records whether any headcount or entrant count is withheld,
	// for the shares that are worked out from their totals.
	var headHidden, enteredHidden bool
	rates := map[string]*float64{}
	for _, o := range []Option{def.reference, def.comparison} {
		t := tallies[o.Key]
		g := Group{Key: o.Key, Label: o.Label}
		h, e := heads(t), t.entered
		if small(h) {
			g.Suppressed, headHidden = true, true
			withhold(o.Key+".headcount", o.Label+", headcount: "+tooFew)
		} else {
			g.Headcount = &h
		}
		if small(float64(e)) {
			g.Suppressed, enteredHidden = true, true
			withhold(o.Key+".entered", o.Label+", number entering: "+tooFew)
		} else {
			g.Entered = &e
		}
		if h > 0 {
			r := float64(e) / years / h
			if g.Suppressed {
				withhold(o.Key+".rate", o.Label+", rate: "+revealing)
			} else {
				g.Rate = &r
			}
		}
		rates[o.Key] = g.Rate
		res.Groups = append(res.Groups, g)
	}

	ref, cmp := rates[def.reference.Key], rates[def.comparison.Key]
	switch {
	case res.Groups[0].Suppressed || res.Groups[1].Suppressed:
		withhold("ratio", "Ratio: "+revealing)
	case ref == nil || cmp == nil:
		res.RatioNote = "There is no ratio because one of the groups had nobody employed on the end date."
	case *ref == 0:
		res.RatioNote = fmt.Sprintf("There is no ratio because no %s entered the process in this period.", lower(def.reference.Label))
	default:
		r := *cmp / *ref
		res.Ratio = &r
	}

	// Data quality: the unknown group, and its share of all staff and of
	// everyone who entered. A share is withheld when any count in its total
	// is, since the share and the shown counts would give the hidden one.
	u := tallies[GroupUnknown]
	uh, ue := heads(u), u.entered
	res.Unknown = Group{Key: GroupUnknown, Label: "Staff with " + def.unknownLabel}
	if !suppress {
		res.Unknown.Headcount, res.Unknown.Entered = &uh, &ue
	}
	totalHeads := heads(tallies[def.reference.Key]) + heads(tallies[def.comparison.Key]) + uh
	totalEntered := tallies[def.reference.Key].entered + tallies[def.comparison.Key].entered + ue
	q := &res.Quality
	if small(uh) {
		headHidden = true
		withhold("unknown.headcount", "Headcount with "+def.unknownLabel+": "+tooFew)
	} else {
		q.UnknownHeadcount = &uh
	}
	if small(float64(ue)) {
		enteredHidden = true
		withhold("unknown.entered", "Number entering with "+def.unknownLabel+": "+tooFew)
	} else {
		q.UnknownEntered = &ue
	}
	if totalHeads > 0 {
		if headHidden {
			withhold("unknown.headcount_share", "Share of staff with "+def.unknownLabel+": "+revealing)
		} else {
			v := uh / totalHeads
			q.UnknownHeadcountShare = &v
		}
	}
	if totalEntered > 0 {
		if enteredHidden {
			withhold("unknown.entered_share", "Share of those entering with "+def.unknownLabel+": "+revealing)
		} else {
			v := float64(ue) / float64(totalEntered)
			q.UnknownEnteredShare = &v
		}
	}
	q.Notes = append(q.Notes, fmt.Sprintf("Staff with %s, including those who preferred not to say, are left out of the rates and the ratio.", def.unknownLabel))
	if k == WDES3 && totalHeads > 0 {
		if headHidden {
			withhold("disabled.declared_share", "Share of staff recorded as disabled: "+revealing)
		} else {
			v := heads(tallies[GroupDisabled]) / totalHeads
			q.DeclaredDisabledShare = &v
		}
		q.Notes = append(q.Notes, "Disability is under-declared on staff records: nationally about 3% of staff are recorded as disabled, against about 18% who say so in the NHS Staff Survey. Many disabled staff are counted here as non-disabled or not known, so read the ratio with care.")
	}
	if per.Rolling {
		q.Notes = append(q.Notes, "Two-year rolling: people entering over the 24 months, halved to give a yearly figure, against the mean of the headcounts on the two year-end dates.")
	}
	return res
}

// lower lower-cases the first letter of a label for use mid-sentence.
func lower(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}
