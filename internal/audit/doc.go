// Package audit keeps candour's append-only, hash-chained record of who did
// what to which record and when, including reads of sensitive records. Each
// entry carries the hash of the one before it, so an edited, removed or
// reordered entry breaks the chain and Verify names the first broken link.
//
// Entries about what an anonymous reporter did are held back (Hold) and
// join the chain only once their day is over (ReleasePending), because an
// entry's place among neighbours with exact times would otherwise time it.
package audit
