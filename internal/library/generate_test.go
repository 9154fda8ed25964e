package library_test

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// The generator writes safety-event narratives for the speed benchmark:
// each event is two to four sentences from one theme's templates, with
// slots filled from synonym lists, plus a sentence of context drawn from
// long lists shared by every theme (medicines, equipment, procedures,
// places, times), so that words have a realistic spread of frequencies:
// a few very common, many rare.

type genTheme struct {
	name      string
	sentences []string
}

var genThemes = []genTheme{
	{"falls", []string{
		"{patient} {fell} {where} {when}.",
		"{patient} was found on the floor {where} and could not say how {they} got there.",
		"{patient} {fell} while walking to the toilet with {aid}.",
		"The bed rails were down and the call bell was out of reach.",
		"The falls risk assessment had not been {updated} since admission.",
		"Neurological observations were started and a CT head was requested.",
		"The sensor mat was not switched on and enhanced supervision had not been arranged.",
		"Lying and standing blood pressure had not been recorded.",
		"There was a {injury} and the fracture clinic was contacted.",
	}},
	{"medication", []string{
		"{drug} was given twice because the first dose was not signed for.",
		"The wrong dose of {drug} was {given} {when}.",
		"{drug} was omitted for {n} days because the prescription was not transcribed.",
		"{patient} with a documented allergy to {drug2} was prescribed it on the electronic record.",
		"The controlled drugs register did not balance at handover.",
		"The dose was prescribed in milligrams but drawn up in millilitres.",
		"The pharmacist identified the error at the second check.",
		"{drug} was out of stock on the ward and nobody escalated to the on-call pharmacist.",
		"Blood glucose dropped and the hypoglycaemia protocol was followed.",
	}},
	{"pressure", []string{
		"A category {cat} pressure ulcer was found on the {site} {when}.",
		"{patient} developed skin damage on the {site} during bed rest.",
		"The repositioning chart showed gaps of {n} hours.",
		"The air mattress had not been requested despite a high Waterlow score.",
		"Heel offloading boots had not been ordered.",
		"A moisture lesion was found and barrier cream had not been applied.",
		"Device-related skin damage was caused by {device} tubing.",
		"The tissue viability nurse was asked to review the wound.",
	}},
	{"identification", []string{
		"The blood sample was labelled with another patient's details.",
		"{patient} had no wristband {where}.",
		"The identity band showed the wrong hospital number after a registration error.",
		"Two patients with similar names were on the same ward and the wrong one was sent for {procedure}.",
		"Positive patient identification was not done at the bedside.",
		"The specimen was rejected by the laboratory because the label did not match the request.",
		"The checklist was completed without confirming name and date of birth.",
	}},
	{"deterioration", []string{
		"The NEWS2 score rose to {n} and was not escalated for {n2} hours.",
		"Sepsis screening was not done despite a fever and a fast heart rate.",
		"Antibiotics were given more than {n} hours after the sepsis flag.",
		"Observations were not repeated at the frequency the early warning score required.",
		"The outreach team were not called when the respiratory rate rose.",
		"Lactate was raised and the sepsis six bundle was started late.",
		"{patient} became drowsy and hypotensive {when} and critical care were called.",
		"Urine output was low and no fluid balance chart was kept.",
	}},
	{"equipment", []string{
		"The {device} alarmed repeatedly and then stopped {when}.",
		"The {device} failed its daily check because the battery was flat.",
		"The hoist sling was the wrong size and {patient} slipped during a transfer.",
		"Suction equipment was missing from the bed space.",
		"The {device} had been reported faulty to estates last week.",
		"The {device} gave inaccurate readings and was withdrawn from use.",
		"The oxygen cylinder ran empty during transfer to {place}.",
	}},
	{"staffing", []string{
		"The shift ran with {n} registered nurses for {n3} patients after sickness.",
		"Agency staff had no access to the electronic record.",
		"The escalation to the site manager got no extra staff.",
		"Breaks were not taken because of the workload and vacancies.",
		"Nurses were redeployed to {place} and care rounds were not completed.",
		"The bank office could not fill the unfilled shifts on the roster.",
		"The skill mix was poor and newly qualified staff were left in charge.",
	}},
	{"infection", []string{
		"{patient} tested positive for {organism} and was not moved to a side room for {n} hours.",
		"The cannula site was red and the visual infusion phlebitis score was not recorded.",
		"Hand hygiene was not done between patients {when}.",
		"The bay was closed because of a {organism} outbreak.",
		"Isolation signage was missing and visitors entered without protective equipment.",
	}},
	{"communication", []string{
		"The handover did not mention that {patient} was nil by mouth.",
		"The referral to {specialty} was sent to the wrong team.",
		"A critical result was phoned to the ward but not passed to the doctor.",
		"The family were not told about the change in plan.",
		"The discharge letter did not include the change to {drug}.",
	}},
	{"discharge", []string{
		"{patient} was discharged without {drug} on the take-home prescription.",
		"The community nurses were not told about the wound at discharge.",
		"{patient} was readmitted within {n} days because the package of care was not in place.",
		"Transfer to {place} happened at night without a clinical handover.",
	}},
}

var genSlots = map[string][]string{
	"patient": {"The patient", "A patient", "An elderly patient", "A man in his seventies", "A woman in her eighties", "The resident",
		"A confused patient", "A patient with dementia", "A post-operative patient", "A frail patient", "A young patient", "The gentleman", "The lady"},
	"they":    {"they", "he", "she"},
	"fell":    {"fell", "slipped", "tripped", "lost balance and fell", "had an unwitnessed fall", "was lowered to the floor", "collapsed"},
	"where":   {"in bay 1", "in bay 2", "in bay 3", "in bay 4", "in the side room", "in the bathroom", "beside the bed", "in the corridor", "in the day room", "by the nurses' station", "in the shower", "on the way to X-ray", "in the lift", "in the discharge lounge"},
	"when":    {"at night", "overnight", "during the early shift", "during the late shift", "at handover", "during visiting time", "after lunch", "at the weekend", "on a bank holiday", "during the drug round", "in the early hours", "at 3am", "at 2pm", "shortly after admission"},
	"aid":     {"a walking frame", "a stick", "a drip stand", "no walking aid", "a zimmer frame", "crutches", "a wheelchair"},
	"updated": {"updated", "reviewed", "completed", "repeated"},
	"injury":  {"suspected fractured neck of femur", "laceration to the scalp", "bruised hip", "fractured wrist", "skin tear to the shin", "head injury"},
	"given":   {"given", "administered", "drawn up", "prescribed", "dispensed"},
	"site":    {"sacrum", "left heel", "right heel", "buttocks", "hips", "ears", "bridge of the nose", "elbows", "spine", "ankle"},
	"cat":     {"1", "2", "3", "4", "unstageable"},
	"device": {"infusion pump", "syringe driver", "cardiac monitor", "defibrillator", "glucometer", "profiling bed", "blood pressure machine", "suction unit",
		"ventilator", "feeding pump", "oxygen concentrator", "bladder scanner", "CPAP mask", "nasogastric tube", "PCA pump", "ECG machine"},
	"procedure": {"a CT scan", "an MRI", "an X-ray", "theatre", "an ultrasound", "endoscopy", "a blood transfusion", "dialysis", "a biopsy", "physiotherapy"},
	"place":     {"radiology", "the emergency department", "theatres", "intensive care", "another ward", "the discharge lounge", "the community hospital", "a nursing home", "outpatients"},
	"organism":  {"norovirus", "MRSA", "C. difficile", "COVID-19", "influenza", "CPE", "E. coli"},
	"specialty": {"cardiology", "orthopaedics", "the stroke team", "dietetics", "speech and language therapy", "the tissue viability team", "the frailty team", "psychiatry liaison", "urology"},
}

// genDrugs and genContext make the long tail of rarer words.
var genDrugs = strings.Fields(`insulin morphine oxycodone warfarin apixaban rivaroxaban enoxaparin heparin paracetamol ibuprofen codeine tramadol
	gentamicin vancomycin amoxicillin co-amoxiclav piperacillin meropenem ceftriaxone clarithromycin metronidazole doxycycline
	furosemide bisoprolol amlodipine ramipril digoxin amiodarone atorvastatin simvastatin metformin gliclazide levothyroxine
	prednisolone dexamethasone hydrocortisone omeprazole lansoprazole ondansetron metoclopramide cyclizine haloperidol lorazepam
	diazepam midazolam zopiclone sertraline citalopram mirtazapine quetiapine olanzapine lithium levetiracetam phenytoin
	carbamazepine sodium-valproate potassium magnesium phosphate salbutamol ipratropium tiotropium methotrexate tacrolimus
	ciclosporin clopidogrel aspirin ticagrelor alteplase noradrenaline adrenaline dobutamine fentanyl buprenorphine naloxone`)

var genContext = []string{
	"{patient} was on {drug} and {drug2}.",
	"Medicines at the time included {drug}.",
	"{patient} had been admitted with {condition}.",
	"Background of {condition} and {condition2}.",
	"{specialty} had reviewed {them} earlier that day.",
	"The incident was discussed at the {meeting}.",
	"The {role} was informed and the family were updated.",
	"Duty of candour conversation held with the family.",
}

var genMore = map[string][]string{
	"condition": {"pneumonia", "a urinary tract infection", "heart failure", "COPD", "a stroke", "a hip fracture", "delirium", "sepsis", "cellulitis",
		"diabetic ketoacidosis", "an acute kidney injury", "atrial fibrillation", "a gastrointestinal bleed", "Parkinson's disease", "dementia",
		"chronic kidney disease", "pancreatitis", "a pulmonary embolism", "a seizure", "an overdose", "bowel obstruction", "cirrhosis", "anaemia",
		"hyponatraemia", "a myocardial infarction", "appendicitis", "cholecystitis", "diverticulitis", "osteomyelitis", "meningitis"},
	"them":    {"them", "him", "her"},
	"meeting": {"safety huddle", "ward meeting", "governance meeting", "morbidity and mortality meeting", "matrons' meeting", "divisional review"},
	"role":    {"nurse in charge", "site manager", "consultant", "ward manager", "matron", "registrar", "on-call doctor", "patient safety team"},
}

// genEvent writes one event of theme t.
func genEvent(r *rand.Rand, t int) (description, actions string) {
	th := genThemes[t]
	var b strings.Builder
	n := 2 + r.IntN(3)
	for _, i := range r.Perm(len(th.sentences))[:min(n, len(th.sentences))] {
		b.WriteString(genFill(r, th.sentences[i]))
		b.WriteByte(' ')
	}
	b.WriteString(genFill(r, genContext[r.IntN(len(genContext))]))
	if r.IntN(2) == 0 {
		b.WriteByte(' ')
		b.WriteString(genFill(r, genContext[r.IntN(len(genContext))]))
	}
	actions = genFill(r, []string{"Reviewed by the {role}.", "Incident discussed at the {meeting}.", "Family informed.", "Observations increased.", ""}[r.IntN(5)])
	return b.String(), actions
}

func genFill(r *rand.Rand, s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}') + i
		b.WriteString(s[:i])
		key := s[i+1 : j]
		switch key {
		case "drug", "drug2":
			b.WriteString(genDrugs[genZipf(r, len(genDrugs))])
		case "n", "n2":
			b.WriteString(strconv.Itoa(2 + r.IntN(10)))
		case "n3":
			b.WriteString(strconv.Itoa(18 + r.IntN(20)))
		case "condition", "condition2":
			l := genMore["condition"]
			b.WriteString(l[genZipf(r, len(l))])
		default:
			l := genSlots[key]
			if l == nil {
				l = genMore[key]
			}
			b.WriteString(l[r.IntN(len(l))])
		}
		s = s[j+1:]
	}
}

// genZipf picks an index in [0, n) with a long tail: low indexes are much
// more common.
func genZipf(r *rand.Rand, n int) int {
	x := r.ExpFloat64() * float64(n) / 6
	return min(int(x), n-1)
}
