// Package learning records PSIRF learning responses: how the organisation
// learns from one patient safety event or a group of them.
//
// The patient safety team opens a response of a chosen method, each with its
// own structured record: a patient safety incident investigation (PSII) with
// terms of reference, a timescale agreed with those affected and findings
// organised by the SEIPS work-system factors; an after action review (AAR)
// around its four questions; a SWARM huddle held within hours of the event;
// a multidisciplinary team (MDT) review; or a thematic review across several
// events. Alongside the record it keeps the engagement and involvement log
// (who among patients, families and staff was contacted, how, what they
// asked and what they were told) and the duty of candour for notifiable
// incidents. A senior reviewer other than the owner signs a response off,
// which closes it.
//
// A learning response is for learning only. Free text that puts the cause on
// a person ("failed to", "human error", "should have") earns a gentle prompt
// from BlameFlags, in the spirit of NHS England's learning response review
// and improvement tool: explain rather than blame, and look at the system.
// Text that recommends disciplinary action, suspension, dismissal or a
// referral to a professional regulator is refused outright: a concern about
// an individual goes to a just culture guide assessment instead, the only
// route candour offers.
//
// The patient safety team reads and changes every response; the owner and
// named participants who are candour users may read theirs; nobody else may
// see one (ErrNotAllowed). Every read and change is audited in the same
// transaction.
package learning
