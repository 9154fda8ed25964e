// Package justculture records just culture assessments: before anyone
// singles out a member of staff after something went wrong, the managers
// involved work through a just culture guide together, one action or
// omission at a time, and candour keeps an honest record of how they decided.
//
// Guides are data (package guide): the NHS Improvement guide of 2018 is built
// in, and an organisation can add new guides or new versions without a code
// change. Every assessment keeps the exact definition version it started with;
// revisiting an assessment creates a new, linked version and overwrites
// nothing. A completed assessment ending in an end point that supports
// individual action (A, B, C, F or G in the 2018 guide) is what formal HR
// casework requires before it can proceed against the individual.
//
// Source: NHS Improvement, "A just culture guide" (2018), based on James
// Reason's culpability model and the National Patient Safety Agency's
// Incident Decision Tree. candour words the questions in its own plain
// English.
package justculture
