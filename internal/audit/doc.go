// Package audit keeps candour's append-only, hash-chained record of who did
// what to which record and when, including reads of sensitive records. Each
// entry carries the hash of the one before it, so an edited, removed or
// reordered entry breaks the chain and Verify names the first broken link.
package audit
