package demo

import (
	"context"
	"fmt"
	"time"

	"candour/internal/authz"
	"candour/internal/library"
	"candour/internal/validate"
)

// demoLesson is one lesson in the demo library, tagged by department code.
type demoLesson struct {
	title, summary, body string
	themes               []string
	departments          []string
	groups               []string
	daysAgo              int
}

// demoLessons are written for the demo organisation. Nobody in them is
// real, and nobody is named.
func demoLessons() []demoLesson {
	return []demoLesson{
		{
			title:   "Label blood samples at the bedside, never at the desk",
			summary: "Two blood samples were labelled with each other's details after they were taken from neighbouring beds and labelled together at the nurses' station.",
			body: "Blood was taken from two patients in the same bay during a busy morning. The tubes were carried to the nurses' station and labelled there from the request forms, and the labels went on the wrong tubes. The laboratory noticed because one result did not fit the patient's history, and both samples were repeated.\n" +
				"Nobody did anything unusual: labelling at the desk had become the normal way of working because the label printer is there and the bays have nowhere to write.\n" +
				"What we changed: each bay now has a small labelling tray, and samples are labelled at the bedside while the patient is still there, checking the wristband against the request. The emergency department has done the same with its portable printers.",
			themes: []string{"identification", "diagnosis"}, departments: []string{"NGH-AMU", "NGH-ED"}, groups: []string{"nursing_midwifery", "additional_clinical"}, daysAgo: 60,
		},
		{
			title:   "Lying and standing blood pressure for everyone over 65",
			summary: "A patient fell twice in a week after standing up from the commode. Nobody had measured whether their blood pressure dropped on standing.",
			body: "An older patient on a care of older people ward lost consciousness for a moment and fell when standing from the commode, and fell again four days later. The falls assessment had been completed on admission, but the lying and standing blood pressure it asks for had not been done because the ward's automatic machines make it awkward.\n" +
				"A drop of 40 in systolic pressure on standing was found after the second fall. Two of the patient's medicines were reduced and there were no further falls.\n" +
				"What we changed: lying and standing blood pressure is now part of the admission observations for every patient over 65, with a manual sphygmomanometer on each ward, and the falls care plan prompts a medicines review when the pressure drops.",
			themes: []string{"falls", "medication"}, departments: []string{"NGH-W9", "VCH-REH"}, groups: []string{"nursing_midwifery", "medical_dental"}, daysAgo: 45,
		},
		{
			title:   "Escalate a NEWS2 of 5 or more within the hour, directly",
			summary: "A rising early warning score was recorded overnight but not passed on until the morning round, and sepsis was recognised late.",
			body: "Overnight, a patient's NEWS2 rose from 3 to 7 over six hours. Each set of observations was recorded on time, and the score was visible on the electronic record. The covering doctor was busy on another ward and the bleep went unanswered; the nursing team planned to raise it on the morning round.\n" +
				"By morning the patient had septic shock and needed critical care. They recovered.\n" +
				"What we learned: a score that triggers escalation is a call to a person, not an entry in the record. The outreach team now take direct calls for any NEWS2 of 5 or more at night, and the electronic record shows an alert to the nurse in charge when a trigger has not been acknowledged within an hour.",
			themes: []string{"deterioration"}, departments: []string{"NGH-AMU", "NGH-W7"}, groups: []string{"nursing_midwifery", "medical_dental"}, daysAgo: 30,
		},
		{
			title:   "Heels first: offloading after a hip fracture",
			summary: "A category 2 pressure ulcer developed on a heel during bed rest after a hip fracture, although repositioning was documented.",
			body: "After surgery for a fractured hip, a patient was on bed rest for several days. Repositioning every two hours was planned and mostly recorded, but the heels stayed in contact with the mattress whichever way the patient lay. A blister on the left heel was found on day five.\n" +
				"Turning alone does not protect heels. The ward now orders heel offloading boots for every patient with a hip fracture on the day of admission, and heels are checked and recorded at every skin inspection.",
			themes: []string{"pressure_ulcers"}, departments: []string{"NGH-W7", "NGH-W9"}, groups: []string{"nursing_midwifery", "additional_clinical", "ahp"}, daysAgo: 20,
		},
		{
			title:   "Check the infusion pump library before you start",
			summary: "An infusion ran at ten times the intended rate because the pump was set up outside its drug library.",
			body: "A weight-based infusion was started on a pump in basic mode, bypassing the drug library that would have warned about the rate. A decimal point was missed, and the infusion ran at ten times the intended rate for twenty minutes before the second check caught it. The patient was monitored and came to no harm.\n" +
				"Basic mode had become common because the library's list of drugs was out of date and staff could not find what they needed.\n" +
				"What we changed: pharmacy and the medical devices team now update the drug library every month, basic mode needs a second person's code, and starting any infusion includes a check that the drug library is in use.",
			themes: []string{"medication", "equipment"}, departments: []string{"NGH-ICU", "NGH-THR"}, groups: []string{"nursing_midwifery", "scientific_technical"}, daysAgo: 12,
		},
		{
			title:   "Raise a red flag when the ward is short, and expect an answer",
			summary: "A night shift ran with two registered nurses for a full ward. The shortfall was known at 6pm but nobody with the power to help heard about it until after midnight.",
			body: "Sickness left a surgical ward with two registered nurses for the night. The nurse in charge rang the bank office, which had nobody to send, and then carried on. The medicines round finished after midnight and two patients' observations were late.\n" +
				"Staff told us they did not escalate further because, in their experience, nothing happens. That is the system to fix.\n" +
				"What we changed: a staffing red flag now goes to the site manager on call, who must reply within 30 minutes with a decision, and each red flag and its answer are reviewed at the next day's safety huddle.",
			themes: []string{"staffing"}, departments: []string{"NGH-W7", "NGH-AMU"}, groups: []string{"nursing_midwifery"}, daysAgo: 5,
		},
	}
}

// loadLibrary adds the demo's lessons in the learning library: written by
// the patient safety lead, checked and published as any lesson would be,
// and the first sent to the wards it concerns.
func loadLibrary(ctx context.Context, d Deps, logins map[authz.Role]*authz.Principal, now time.Time) error {
	if d.Library == nil {
		return nil
	}
	author := logins[authz.Safety]
	if author == nil {
		return nil
	}
	deps, err := d.Org.Departments(ctx)
	if err != nil {
		return err
	}
	byCode := map[string]int64{}
	for _, dep := range deps {
		byCode[dep.Code] = dep.ID
	}
	for i, dl := range demoLessons() {
		svc := *d.Library
		at := now.AddDate(0, 0, -dl.daysAgo)
		svc.Now = func() time.Time { return at }
		in := library.Input{Title: dl.title, Summary: dl.summary, Body: dl.body, Themes: dl.themes, StaffGroups: dl.groups}
		for _, c := range dl.departments {
			if id, ok := byCode[c]; ok {
				in.DepartmentIDs = append(in.DepartmentIDs, id)
			}
		}
		l, err := svc.Create(ctx, author, in)
		if err != nil {
			return fmt.Errorf("demo lesson %q: %w", dl.title, err)
		}
		if err := svc.Publish(ctx, author, l.ID); err != nil {
			return fmt.Errorf("demo lesson %q: %w", dl.title, err)
		}
		if i == 0 && len(in.DepartmentIDs) > 0 {
			// Nobody in those wards having an account is fine for a demo.
			_, err := svc.Send(ctx, author, l.ID, library.SendInput{DepartmentIDs: in.DepartmentIDs})
			if _, ok := validate.As(err); err != nil && !ok {
				return fmt.Errorf("demo lesson %q: send: %w", dl.title, err)
			}
		}
	}
	return nil
}
