// Package library is the shared learning library, full-text search and
// "similar events".
//
// Lessons are written by the patient safety team for all staff, usually
// from a closed learning response. A lesson starts as a draft and is
// published only when CheckPublishable finds nothing that could identify
// someone: names, NHS numbers and other personal details (package pii), and
// small identifiable groups ("the only pharmacist on nights", a department
// with fewer staff than the organisation's small-number threshold). Everyone
// signed in reads published lessons and can mark them as read; the safety
// team sends a lesson to departments and staff groups and sees who has read
// it.
//
// Search and Similar rank text with the engine's own full-text index:
// SQLite FTS5 with bm25, PostgreSQL tsvector with ts_rank_cd (migration
// 00006_search). User input never reaches the engine's query parser as
// typed: it is cut into words, and only words (letters and digits) are put
// into a query that this package writes, so quotes, brackets, operators and
// prefixes cannot break it. Similar builds an OR query from a report's most
// informative words (highest inverse document frequency), keeping the total
// number of matching events under a budget so that ranking stays fast at a
// million events; see similar.go. On SQLite, reports reach the index shortly
// after they are stored (report.CatchUpSearch); Search and Similar first
// index whatever is still waiting, so a report is found from the moment it
// is stored.
//
// Access: lessons are for everyone signed in (drafts for the safety team
// only); events appear in search and similar results for the patient safety
// team only, and speak-up concerns never do.
package library
