// Package casework runs employee-relations cases (disciplinary, grievance,
// bullying and harassment, capability, sickness absence, appeals and
// employment tribunals) the compassionate way, following the lessons NHS
// Improvement drew from the death of Amin Abdullah (letter to trusts, May
// 2019) and NHS Resolution's Being fair reports:
//
//   - a case starts as an early concern, and becomes formal only when the
//     pre-formal checklist is complete, a completed just culture guide
//     assessment supports individual action (for a concern that arose from
//     a patient safety event) and a second senior person has signed off;
//   - suspension or exclusion needs the alternatives recorded and two
//     executives' approval, is reviewed by a near date, and every one is
//     listed for a nominated non-executive reviewer;
//   - everyone involved has a named wellbeing contact, and lapses alert;
//   - stages have target durations, and delays have recorded reasons;
//   - the employee's union representative sees their case and no other;
//   - closing a case records what the organisation learned, in a log with no
//     link back to the case.
//
// Access is least privilege: HR advisers see the cases they handle (the
// employee-relations lead sees and assigns all), managers the cases they
// manage, the employee their own timeline when given access, and the
// representative the case of the member who asked for them. Executives see
// only the suspensions they must approve; administrators see no case. Every
// read and change is audited. The package holds rules and SQL, never HTTP.
package casework
