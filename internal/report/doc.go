// Package report is where staff speak up: patient safety events (the
// national LFPSE event types and harm scales) and Freedom to Speak Up
// concerns, raised openly, confidentially or anonymously, and everything that
// follows: triage by the patient safety team or the guardians, two-way
// messages with the reporter, internal notes, deadlines, closing the loop with
// an outcome, and the reporter's feedback.
//
// Privacy is the point of this package. An anonymous report stores no account
// id, no network address, no user agent and only the day it arrived; the
// reporter comes back with an access code of which only a keyed hash is kept.
// A confidential reporter's identity is sealed with the key ring and opened only
// by the assigned handler, with a recorded reason. Every read and change of a
// report is audited in the same transaction as the change.
package report
