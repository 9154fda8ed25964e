package pii

import (
	"fmt"
	"strings"
	"testing"
)

// found renders findings as "kind:text" for comparison.
func found(fs []Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Kind+":"+f.Text)
	}
	return out
}

func TestScan(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		// True positives.
		{"valid nhs number grouped", "Patient's NHS number 943 476 5919 was on the wristband.",
			[]string{"nhs_number:943 476 5919"}},
		{"valid nhs number hyphens", "NHS no. 943-476-5919.", []string{"nhs_number:943-476-5919"}},
		{"valid nhs number together", "Ref 9434765919 checked", []string{"nhs_number:9434765919"}},
		{"title and surname", "Reviewed by Dr Patel at 14:00, who prescribed 10 mg morphine.",
			[]string{"name:Dr Patel"}},
		{"title with full stop and initial", "Mrs. J. Smith was transferred.", []string{"name:Mrs. J. Smith"}},
		{"title and full name", "Seen by Dr Priya Patel on the ward round.", []string{"name:Dr Priya Patel"}},
		{"staff nurse", "Staff Nurse Okafor gave the handover.", []string{"name:Staff Nurse Okafor"}},
		{"sister", "Escalated to Sister O'Brien.", []string{"name:Sister O'Brien"}},
		{"given and surname mid-sentence", "The fall was witnessed by Sarah Jones, a visitor.",
			[]string{"name:Sarah Jones"}},
		{"given and surname at sentence start", "Mohammed Khan found the patient on the floor.",
			[]string{"name:Mohammed Khan"}},
		{"surname in capitals", "Patient John SMITH was admitted.", []string{"name:John SMITH"}},
		{"lone name after trigger", "The patient Grace was distressed.", []string{"name:Grace"}},
		{"lone name after named", "a man named Will came to the desk", []string{"name:Will"}},
		{"lone name after known as", "the gentleman known as Frank", []string{"name:Frank"}},
		{"lone name mid-sentence", "I asked Priya to fetch the hoist.", []string{"name:Priya"}},
		{"lone name after an initial's full stop", "Handed to J. Priya at noon.", []string{"name:Priya"}},
		{"possessive before a lower-case place word", "Seen at Mrs Smith's house.", []string{"name:Mrs Smith"}},
		{"possessive", "We found Adebayo's notes on the desk.", []string{"name:Adebayo"}},
		{"list of names", "Present: Aoife, Chinedu and Katarzyna.",
			[]string{"name:Aoife", "name:Chinedu", "name:Katarzyna"}},
		{"mobile", "Daughter can be reached on 07700 900123.", []string{"phone:07700 900123"}},
		{"landline not nhs", "Call the ward on 01632 960 123 if needed.", []string{"phone:01632 960 123"}},
		{"international", "Husband on +44 (0)7700 900 123 abroad", []string{"phone:+44 (0)7700 900 123"}},
		{"area code in brackets", "switchboard (0161) 496 0000", []string{"phone:(0161) 496 0000"}},
		{"email", "Emailed sarah.jones@nhs.net about it.", []string{"email:sarah.jones@nhs.net"}},
		{"email with capitalised name", "Sent to Sarah.Jones@nhs.net today", []string{"email:Sarah.Jones@nhs.net"}},
		{"date of birth", "DOB: 12/03/1954, admitted with chest pain.", []string{"date_of_birth:12/03/1954"}},
		{"date of birth words", "born on 3rd March 1950 in Leeds", []string{"date_of_birth:3rd March 1950"}},
		{"everything", "Dr Patel reviewed Mr Jones (NHS 943 476 5919, DOB 1/2/1940); wife on 07700 900123.",
			[]string{"name:Dr Patel", "name:Mr Jones", "nhs_number:943 476 5919", "date_of_birth:1/2/1940", "phone:07700 900123"}},

		// Tricky negatives.
		{"invalid nhs number", "NHS number 943 476 5918 on the form.", nil},
		{"mixed separators", "943 476-5919", nil},
		{"part of a longer number", "batch 19434765919 and 9434765919123", nil},
		{"ward number", "Patient moved from Ward 7 to bed 12 in bay 3.", nil},
		{"unit names", "Transferred to the Acute Medical Unit, then ICU and A&E.", nil},
		{"ward named after a person", "She was moved to Victoria Ward, then Elizabeth ward, then Florence Nightingale Ward.", nil},
		{"hospital names", "Transferred from Queen Elizabeth Hospital to the John Radcliffe and St Mary's.", nil},
		{"hospital possessive", "Sent to Dr Gray's Hospital in Elgin.", nil},
		{"london hospitals", "Transferred from Guy's Hospital to St Thomas' Hospital and King's College Hospital.", nil},
		{"good care", "Good Care was shown by the Ward Sister and the Nurse Practitioner.", nil},
		{"mr men", "The child was reading Mr Men books.", nil},
		{"dose and times", "The patient was given 10 mg at 09:30 and 0.5 mg at 10:15 on 01/02/2024.", nil},
		{"months and days", "On Monday 3 May and in June the audit ran; on Friday it closed.", nil},
		{"lone name at sentence start", "Grace was shown throughout. Will review tomorrow.", nil},
		{"lone name starting the text", "Priya fetched the hoist.", nil},
		{"lone name after a full stop", "The hoist broke. Priya fetched another.", nil},
		{"lone name starting a line", "Hoist broken\nPriya fetched another", nil},
		{"ambiguous lone names", "I will mark the chart and hope the patient has joy.", nil},
		{"incident date not dob", "Incident on 12/03/2024 at 14:30.", nil},
		{"short number", "Call 2222 for the crash team; extension 01234.", nil},
		{"decimal", "Potassium 0.1632960123 mmol", nil},
		{"acronyms", "NEWS2 of 7, SBAR handover, DNACPR in place, HCA informed.", nil},
		{"role words", "The Consultant Anaesthetist and the Charge Nurse attended.", nil},
		{"sentence start capital", "Patient Safety Team reviewed. Freedom To Speak Up Guardian informed.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := found(Scan(tt.text))
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("Scan(%q)\n got %q\nwant %q", tt.text, got, want)
			}
		})
	}
}

func TestScanNarratives(t *testing.T) {
	// Realistic narratives written by staff, with no identifying details.
	clean := []string{
		`At approximately 02:15 the patient in bed 4 of bay B was found on the floor beside the bed. ` +
			`The patient was alert and said they had tried to walk to the toilet without their frame. ` +
			`NEWS2 was 1. The nurse in charge was informed and the doctor on call reviewed at 02:40. ` +
			`No injury found. Falls care plan updated and a low bed requested from the equipment library.`,
		`Controlled drug count discrepancy on Rowan Ward: one ampoule of morphine 10 mg/1 ml unaccounted for at ` +
			`the 20:00 check. Pharmacy and the Matron were informed; Datix completed. Recount at 21:00 found the ` +
			`ampoule in the wrong compartment of the CD cupboard.`,
		`Good care: the Acute Medical Unit team recognised sepsis early, gave antibiotics within the hour and ` +
			`escalated to the Critical Care Outreach Team. The family thanked the staff.`,
		`Delayed transfer from A&E to the Stroke Unit at the Royal Victoria Infirmary because no bed was ` +
			`available on Ward 23. Patient waited 14 hours on a trolley. Escalated to the Site Manager at 18:00.`,
		`Wrong patient wristband: two patients with the same surname on Elizabeth ward. Both had their ` +
			`identity checked against the NHS number before the medicines round in line with Trust policy.`,
	}
	for _, text := range clean {
		if fs := Scan(text); len(fs) != 0 {
			t.Errorf("false positives %q in %q", found(fs), text)
		}
	}

	dirty := `Mrs Ada Lovelace (NHS 943 476 5919) in bed 6 was given her medicines by Staff Nurse Kowalski ` +
		`at 22:00. Her son Tunde rang the ward on 07700 900 456 to say she had already had them. ` +
		`I spoke to Dr Chen and asked Siobhan Murphy to start neuro obs.`
	want := []string{"name:Mrs Ada Lovelace", "nhs_number:943 476 5919", "name:Staff Nurse Kowalski",
		"name:Tunde", "phone:07700 900 456", "name:Dr Chen", "name:Siobhan Murphy"}
	if got := found(Scan(dirty)); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("narrative\n got %q\nwant %q", got, want)
	}
}

func TestValidNHSNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"9434765919": true, "9434765918": false, "4010232137": true, "0000000000": false,
		"1111111111": false, "943476591": false, "94347659199": false, "943476591x": false,
		"9434765870": true, // check digit 11 → 0
	} {
		if got := ValidNHSNumber(s); got != want {
			t.Errorf("ValidNHSNumber(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		text, want string
	}{
		{"No names here.", ""},
		{"Dr Patel checked NHS number 943 476 5919.",
			"This looks like it contains an NHS number (943 476 5919) and a person's name (Dr Patel). " +
				"Describe people by their role instead, for example 'the patient' or 'the nurse in charge'. " +
				"Leave out numbers and contact details that could identify someone."},
		{"Dr Patel saw Dr Patel and Mr Jones.",
			"This looks like it contains people's names (Dr Patel and Mr Jones). " +
				"Describe people by their role instead, for example 'the patient' or 'the nurse in charge'."},
		{"Ring 07700 900123.",
			"This looks like it contains a phone number (07700 900123). Leave out numbers and contact details that could identify someone."},
		{"Dr Ahmed, Dr Brown, Dr Clarke, Dr Davies and Dr Evans.",
			"This looks like it contains people's names (Dr Ahmed, Dr Brown, Dr Clarke and 2 more). " +
				"Describe people by their role instead, for example 'the patient' or 'the nurse in charge'."},
	}
	for _, tt := range tests {
		if got := Describe(Scan(tt.text)); got != tt.want {
			t.Errorf("Describe(Scan(%q))\n got %q\nwant %q", tt.text, got, tt.want)
		}
	}
	long := Describe([]Finding{{Kind: KindEmail, Text: strings.Repeat("a", 60) + "@nhs.net"}})
	if !strings.Contains(long, "…)") {
		t.Errorf("long example not shortened: %q", long)
	}
}

func FuzzScan(f *testing.F) {
	for _, s := range []string{
		"Dr Patel saw Sarah Jones (NHS 943 476 5919) on 07700 900123, a@b.co, DOB 1/1/1950.",
		"Victoria Ward", "+44 (0)7700 900 123", "Mrs. J. Smith's", "O'Brien-Smith’s", "\xff\xfe Dr \u00c9mile",
		"Staff Nurse", "known as", "9434765919", "(0161) 496 0000", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		fs := Scan(text)
		end := 0
		for _, f := range fs {
			if f.Start < end || f.End <= f.Start || f.End > len(text) {
				t.Fatalf("bad offsets %+v after %d in %q", f, end, text)
			}
			if text[f.Start:f.End] != f.Text {
				t.Fatalf("Text %q != text[%d:%d] %q", f.Text, f.Start, f.End, text[f.Start:f.End])
			}
			end = f.End
		}
		if !mayHoldName(text) && len(namesIn(text)) > 0 {
			t.Fatalf("names %q in %q, but the pre-check skips it", namesIn(text), text)
		}
		if d := Describe(fs); (d == "") != (len(fs) == 0) {
			t.Fatalf("Describe = %q for %d findings", d, len(fs))
		}
	})
}
