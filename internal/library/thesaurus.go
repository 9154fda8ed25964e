package library

import "slices"

// concepts is a small clinical thesaurus: groups of words that people use
// for the same kind of patient safety event, loosely following the incident
// categories of the NRLS and LFPSE (falls, medication, pressure ulcers,
// patient identification, deterioration and sepsis, equipment, staffing,
// infection, communication, discharge, nutrition). Similar events expand a
// report's query with the other words of the groups it touches, so that
// "slipped" finds "fell" and "wristband" finds "identity bracelet". Words
// are in the form people write them; the engine stems them.
var concepts = [][]string{
	{"fall", "falls", "fell", "fallen", "floor", "slipped", "tripped", "unwitnessed", "balance", "unaided", "rails", "bedrails"},
	{"medication", "medicine", "medicines", "drug", "drugs", "dose", "doses", "tablets", "prescribed", "prescription", "prescriber",
		"administered", "omitted", "insulin", "morphine", "warfarin", "antibiotic", "antibiotics", "paracetamol", "enoxaparin",
		"pharmacist", "pharmacy", "controlled", "allergy", "overdose"},
	{"pressure", "ulcer", "ulcers", "sore", "sores", "skin", "heel", "heels", "sacrum", "buttocks", "repositioning", "turning",
		"mattress", "cushion", "waterlow", "blanching", "tissue", "offloading", "moisture"},
	{"wristband", "wristbands", "band", "bands", "bracelet", "identity", "identification", "identifiers", "labelled", "label",
		"labels", "specimen", "sample", "surname", "misidentified"},
	{"sepsis", "septic", "news2", "warning", "escalated", "escalation", "escalate", "deterioration", "deteriorated",
		"deteriorating", "observations", "outreach", "lactate", "hypotensive", "fever", "tachycardia", "saturation", "respiratory"},
	{"equipment", "device", "pump", "infusion", "syringe", "driver", "monitor", "defibrillator", "hoist", "sling", "suction",
		"glucometer", "meter", "battery", "alarm", "alarms", "faulty", "fault", "trolley", "cylinder", "broken"},
	{"staffing", "staffed", "understaffed", "shortage", "agency", "bank", "rota", "roster", "rostering", "vacancies", "vacancy",
		"sickness", "shifts", "workload", "redeployment", "redeployed", "breaks", "skill"},
	{"infection", "infected", "mrsa", "norovirus", "isolation", "hygiene", "cannula", "clostridium", "outbreak", "contaminated"},
	{"handover", "communication", "miscommunication", "informed", "documentation", "documented", "referral", "message"},
	{"discharge", "discharged", "transfer", "transferred", "readmitted", "readmission"},
	{"nutrition", "hydration", "fluid", "fluids", "meals", "eating", "swallow", "dysphagia", "malnourished", "dehydrated"},
}

// conceptIndex maps each word to the groups it belongs to.
var conceptIndex = func() map[string][]int {
	m := map[string][]int{}
	for i, g := range concepts {
		for _, w := range g {
			m[w] = append(m[w], i)
		}
	}
	return m
}()

// maxExpansionGroups is how many concept groups one text is expanded with.
const maxExpansionGroups = 2

// expansions returns words from the concept groups that text's words touch
// most (at least two words of a group, so that one passing mention does
// not pull in a theme), leaving out words already present.
func expansions(present []string) []string {
	hits := make([]int, len(concepts))
	for _, w := range present {
		for _, g := range conceptIndex[w] {
			hits[g]++
		}
	}
	order := make([]int, len(concepts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return hits[b] - hits[a] })
	var out []string
	for _, g := range order[:maxExpansionGroups] {
		if hits[g] < 2 {
			break
		}
		for _, w := range concepts[g] {
			if !slices.Contains(present, w) && !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
	}
	return out
}
