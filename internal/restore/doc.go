// Package restore holds candour's restorative support after a patient safety
// event: the restorative record for an event or a learning response, and
// support plans for the members of staff involved.
//
// A retributive response to harm asks which rule was broken, who broke it and
// what the consequence should be. A restorative response asks different
// questions: who has been hurt, what do they need, and whose job is it to meet
// that need. The restorative record follows the checklist Sidney Dekker
// published for restorative just culture, as Mersey Care NHS Foundation Trust
// put it into practice:
//
//  1. acknowledge who is hurt: patients and families (first victims), the
//     staff involved (second victims), the organisation, witnesses and the
//     wider community, and anyone else;
//  2. explore what each of them needs, for example information, access to the
//     people involved, putting things right and an assurance that it will not
//     happen again for patients and families; psychological first aid,
//     compassion and a way back to work for staff;
//  3. identify whose obligation it is to meet each need, and record when it
//     has been met;
//  4. judge whether the goals were reached: moral engagement, emotional
//     healing, reintegration of the practitioner and organisational learning.
//
// candour words all of this in its own plain English; the checklist itself is
// Dekker's. Only the patient safety team reads or writes restorative records.
//
// A support plan looks after one member of staff involved: who checks in with
// them and how often, what they were offered (time out, counselling,
// occupational health, peer support, a restorative conversation), the
// check-ins held, and the staff member's own view in their own words, which
// only they can write. A plan is seen by three people only: the staff member,
// their supporter and the patient safety team. Their line manager, HR,
// administrators and guardians do not see it. Every read and change is
// audited. RunCheckInReminders tells a supporter, once, when a check-in is
// overdue.
package restore
