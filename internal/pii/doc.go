// Package pii looks for details that identify people in free text: NHS
// numbers, people's names, phone numbers, email addresses and dates of birth.
//
// Incident narratives and published lessons should describe people by their
// role ("the patient", "the nurse in charge"), never by name or number. Scan
// finds text that looks otherwise, so that the page can warn before a report
// is submitted or a lesson is published; Describe turns the findings into a
// short, kind sentence for that warning. It is a prompt for a person, not a
// guarantee: it is tuned to raise few false alarms on the way NHS staff
// write, and it will miss some names.
//
// # What is found
//
//   - NHS numbers: ten digits, written together or grouped 3-3-4 with
//     spaces or hyphens, that pass the NHS Modulus 11 check. Ten-digit
//     numbers that fail the check are not reported (unless they are phone
//     numbers).
//   - Phone numbers: UK numbers starting 01, 02, 03, 05, 07, 08 or 09, or
//     +44 / 0044, with the right number of digits for their range.
//   - Email addresses.
//   - Dates of birth: a date that follows "DOB", "D.O.B.", "date of birth"
//     or "born". Other dates (of the incident, of admission) are not
//     reported.
//
// People's names are found in three ways:
//
//   - a title (Mr, Mrs, Ms, Miss, Mx, Dr, Prof, Professor, Sister, Nurse,
//     Matron, Sr, Staff Nurse, Doctor) followed by a capitalised word, as in
//     "Dr Patel", "Mrs J. Smith" or "Staff Nurse Okafor";
//   - a common given name followed by one or more capitalised words, as in
//     "Sarah Jones" or "John SMITH", anywhere in a sentence;
//   - a common given name alone, when it is capitalised in the middle of a
//     sentence ("I asked Priya to help"), or when it follows a word such as
//     "patient", "called", "named", "colleague" or "daughter". Only this
//     last rule finds given names that are also ordinary words (Grace, Will,
//     Mark, Hope), which are otherwise ignored when alone.
//
// The given names are an embedded list of about seven hundred common in the
// UK across its communities (English, Welsh, Scottish, Irish, South Asian,
// West African, Caribbean, Polish and Eastern European, Chinese, Filipino,
// Somali, Turkish and others).
//
// # What is not reported
//
// Ward, unit, hospital and place names ("Victoria Ward", "Elizabeth ward",
// "the John Radcliffe", "Queen Elizabeth Hospital", "St Mary's", "Acute
// Medical Unit"), roles ("Ward Sister", "Nurse Practitioner"), month and day
// names, a lone given name at the start of a sentence, given names that are
// also ordinary words when alone (Grace, Will, Mark, Hope), acronyms,
// doses, bed and bay numbers, times and incident dates.
//
// Names written wholly in capitals ("JOHN SMITH"), and names without a
// title whose given name is not in the list, are missed. Drug names are out
// of scope, and so are small identifiable groups ("the only Polish-speaking
// porter on nights"), which need counts rather than patterns.
package pii
