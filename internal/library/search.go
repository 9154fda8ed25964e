package library

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/report"
	"candour/internal/store"
	"candour/internal/validate"
)

// Search limits.
const (
	// MaxQueryTerms is how many words of a search are used.
	MaxQueryTerms = 12
	// maxTermRunes bounds one word.
	maxTermRunes = 40
	// DefaultBudget is how many events a query may match before only the
	// newest matches are ranked: the bound on ranking work per query.
	DefaultBudget = 2000
	// commonWordFactor times the budget is how many events every word of a
	// search must be in for bm25 to be skipped on SQLite (see
	// searchEventsSQLite): 50,000 by default.
	commonWordFactor = 25
)

// Messages for searches with nothing to search for.
const (
	EmptyQueryMessage = "Enter words to search for, for example ‘insulin’ or ‘fall from bed’"
	NoTermsMessage    = "Enter words to search for: common words such as ‘the’ and ‘and’, punctuation and symbols are left out, and nothing else was left"
)

// stopWords are left out of queries: they carry no meaning for ranking, and
// PostgreSQL's english configuration drops them anyway, so leaving them out
// makes both engines agree. AND, OR, NOT and NEAR are also FTS5 operators.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above after again against all am an and any are aren as at be because been
		before being below between both but by can cannot could couldn did didn do does doesn doing don down during each few
		for from further had hadn has hasn have haven having he her here hers herself him himself his how i if in into is isn
		it its itself let me more most mustn my myself near no nor not of off on once only or other ought our ours ourselves
		out over own same shan she should shouldn so some such than that the their theirs them themselves then there these
		they this those through to too under until up very was wasn we were weren what when where which while who whom why
		will with won would wouldn you your yours yourself yourselves also s t ll re ve d m o y`) {
		m[w] = true
	}
	return m
}()

// words cuts text into lower-case words of letters and digits. Everything
// else (quotes, brackets, operators, asterisks, hyphens, colons) separates
// words and is dropped, so no input can reach a query parser as syntax.
func words(text string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if utf8.RuneCountInString(f) > maxTermRunes {
			f = string([]rune(f)[:maxTermRunes])
		}
		out = append(out, f)
	}
	return out
}

// ParseQuery turns what someone typed into the words to search for: at most
// MaxQueryTerms distinct words of two or more letters or digits, without
// stop words. It returns validation errors on field "q" when nothing is
// left to search for.
func ParseQuery(q string) ([]string, error) {
	q = strings.ToValidUTF8(q, " ")
	if strings.TrimSpace(q) == "" {
		return nil, validate.Errors{{Field: "q", Message: EmptyQueryMessage}}
	}
	var terms []string
	seen := map[string]bool{}
	for _, w := range words(q) {
		if utf8.RuneCountInString(w) < 2 || stopWords[w] || seen[w] {
			continue
		}
		seen[w] = true
		terms = append(terms, w)
		if len(terms) == MaxQueryTerms {
			break
		}
	}
	if len(terms) == 0 {
		return nil, validate.Errors{{Field: "q", Message: NoTermsMessage}}
	}
	return terms, nil
}

// match is a query in the engine's own syntax, built only from words.
type match struct {
	engine store.Engine
	terms  []string
	any    bool // OR rather than AND
}

// String writes the query: for FTS5 each word as a quoted string (words
// hold only letters and digits, so no quote can appear inside), joined by
// spaces (AND) or OR; for to_tsquery the words joined by & or |.
func (m match) String() string {
	parts := make([]string, len(m.terms))
	for i, t := range m.terms {
		if m.engine == store.Postgres {
			parts[i] = t
		} else {
			parts[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
		}
	}
	switch {
	case m.engine == store.Postgres && m.any:
		return strings.Join(parts, " | ")
	case m.engine == store.Postgres:
		return strings.Join(parts, " & ")
	case m.any:
		return strings.Join(parts, " OR ")
	}
	return strings.Join(parts, " ")
}

// EventHit is a patient safety event found by search or similarity.
type EventHit struct {
	ReportID   int64   `json:"report_id"`
	Reference  string  `json:"reference"`
	Score      float64 `json:"score"`
	EventType  string  `json:"event_type"`
	OccurredOn string  `json:"occurred_on"`
	ReceivedOn string  `json:"received_on"`
	Status     string  `json:"status"`
	Department string  `json:"department"`
	// Snippet is the start of the description.
	Snippet string `json:"snippet"`
}

// LessonHit is a published lesson found by search or similarity.
type LessonHit struct {
	LessonID    int64     `json:"lesson_id"`
	Title       string    `json:"title"`
	Summary     string    `json:"summary"`
	Themes      []string  `json:"themes"`
	Score       float64   `json:"score"`
	PublishedAt time.Time `json:"published_at"`
}

// Results are what a search found.
type Results struct {
	// Terms are the words searched for.
	Terms   []string
	Lessons []LessonHit
	Events  []EventHit
	// EventsSearched says events were searched: the caller is in the
	// patient safety team.
	EventsSearched bool
}

// CanSearchEvents reports whether p's searches include safety events.
func CanSearchEvents(p *authz.Principal) bool { return p.Has(authz.Safety) }

// Search finds published lessons, and for the patient safety team safety
// events, containing every word of q (stemmed), best first; at most limit
// of each. Any text is acceptable: syntax is dropped, and a query with
// nothing left to search for is a validation error on "q".
func (s *Service) Search(ctx context.Context, p *authz.Principal, q string, limit int) (Results, error) {
	if p == nil {
		return Results{}, ErrNotAllowed
	}
	terms, err := ParseQuery(q)
	if err != nil {
		return Results{}, err
	}
	if limit <= 0 || limit > 50 {
		limit = 20
	}
	res := Results{Terms: terms}
	m := match{engine: s.DB.Engine, terms: terms}
	if res.Lessons, err = s.rankLessons(ctx, m, limit); err != nil {
		return Results{}, err
	}
	if CanSearchEvents(p) {
		res.EventsSearched = true
		// Reports just stored may still be waiting for the index.
		if err := report.CatchUpSearch(ctx, s.DB); err != nil {
			return Results{}, err
		}
		if res.Events, err = s.rankEvents(ctx, m, 0, limit); err != nil {
			return Results{}, err
		}
		if err := s.auditEvents(ctx, p, "search.events", "search", "", res.Events); err != nil {
			return Results{}, err
		}
	}
	return res, nil
}

// SearchLessons finds published lessons containing every word of q, best
// first, for anyone signed in.
func (s *Service) SearchLessons(ctx context.Context, p *authz.Principal, q string, limit int) ([]LessonHit, []string, error) {
	if p == nil {
		return nil, nil, ErrNotAllowed
	}
	terms, err := ParseQuery(q)
	if err != nil {
		return nil, nil, err
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	hits, err := s.rankLessons(ctx, match{engine: s.DB.Engine, terms: terms}, limit)
	return hits, terms, err
}

// auditEvents records that p was shown parts of these events. The query
// itself is not recorded: it may hold a name.
func (s *Service) auditEvents(ctx context.Context, p *authz.Principal, action, entity, entityID string, hits []EventHit) error {
	if len(hits) == 0 {
		return nil
	}
	refs := make([]string, len(hits))
	for i, h := range hits {
		refs[i] = h.Reference
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, s.Now(), userActor(p), action, entity, entityID, "shown "+strings.Join(refs, ", "))
	})
}

func (s *Service) budget() int {
	if s.Budget > 0 {
		return s.Budget
	}
	return DefaultBudget
}

// rankEvents returns safety events handled by the safety team that match m,
// except the report exclude, best first. Only the newest budget() matches are
// ranked, which bounds the work whatever the query.
func (s *Service) rankEvents(ctx context.Context, m match, exclude int64, limit int) ([]EventHit, error) {
	if s.DB.Engine == store.Postgres {
		return s.rankEventsPostgres(ctx, m, exclude, limit)
	}
	if !m.any {
		return s.searchEventsSQLite(ctx, m, exclude, limit)
	}
	return s.bm25Events(ctx, m.String(), exclude, limit)
}

// bm25Events ranks with bm25 the newest budget() events matching q, an FTS5
// query. The best matches are picked inside the index before any report row
// is read: reading a row per candidate is what costs most. Only safety
// events are indexed, so the filter removes few (the report itself,
// duplicates, events rerouted to the guardians); over-fetching leaves room
// for them.
func (s *Service) bm25Events(ctx context.Context, q string, exclude int64, limit int) ([]EventHit, error) {
	rows, err := s.DB.QueryContext(ctx, bm25EventsSQL, q, s.budget(), 4*limit+20, exclude, limit)
	if err != nil {
		return nil, fmt.Errorf("search events: %w", err)
	}
	return scanEventHits(rows)
}

// searchEventsSQLite finds the events that contain every word of m (a
// search) on SQLite: the newest budget() of them, ranked by bm25 when that
// is cheap, or newest first.
//
// FTS5's bm25 first counts, once per query, every event in the whole table
// that holds each word, to weigh rare words above common ones. For a word in
// a large share of events ("patient", "family", "care") that count walks
// hundreds of thousands of index entries, and it was most of the time of a
// slow search, however few events were then ranked. What it buys is small:
// every event found holds every word, so the weights only trade one word's
// repetitions against another's, and the ranking among the matches comes
// from how often the words appear and how short the narrative is. So when
// every word of the search is common, each estimated to be in more than
// commonWordFactor × budget events (50,000 by default), bm25 is skipped and
// the newest matches come first, with a score of 0: recent events first is
// what the ranking window already favours, and what a handler searching
// only for common words most likely wants. A search with any rarer word
// ("insulin" among "patient" and "ward") keeps its bm25 ranking, since
// that is where the ranking tells events apart.
func (s *Service) searchEventsSQLite(ctx context.Context, m match, exclude int64, limit int) ([]EventHit, error) {
	rarest := -1
	for _, w := range m.terms {
		n, err := s.recentFreq(ctx, w)
		if err != nil {
			return nil, fmt.Errorf("search events: %w", err)
		}
		if rarest < 0 || n < rarest {
			rarest = n
		}
	}
	if rarest <= commonWordFactor*s.budget() {
		return s.bm25Events(ctx, m.String(), exclude, limit)
	}
	rows, err := s.DB.QueryContext(ctx, newestEventsSQL, m.String(), 4*limit+20, exclude, limit)
	if err != nil {
		return nil, fmt.Errorf("search events: %w", err)
	}
	return scanEventHits(rows)
}

// recentSample is how many of the newest events are looked at to estimate
// how many events hold a word.
const recentSample = 10000

// recentFreq estimates how many safety events contain word (stemmed), from
// how many of the newest recentSample do, scaled to the whole table: a
// fraction of a millisecond where counting a common word exactly takes
// several. It is exact for a table of up to recentSample events. Estimates
// are cached with the document frequencies, for dfTTL.
func (s *Service) recentFreq(ctx context.Context, word string) (int, error) {
	now := time.Now()
	key := " recent " + word // no word holds a space, so no clash with docFreq
	c := s.stats
	if c != nil {
		c.mu.Lock()
		e, ok := c.df[key]
		c.mu.Unlock()
		if ok && now.Sub(e.at) < dfTTL {
			return e.n, nil
		}
	}
	total, err := s.corpusSize(ctx)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM reports_fts WHERE reports_fts MATCH ? AND rowid > ?`,
		match{engine: s.DB.Engine, terms: []string{word}}.String(), total-recentSample).Scan(&n); err != nil {
		return 0, fmt.Errorf("count recent events with %q: %w", word, err)
	}
	if total > recentSample {
		n = int(int64(n) * int64(total) / recentSample)
	}
	if c != nil {
		c.mu.Lock()
		if c.df == nil || len(c.df) >= maxCached {
			c.df = map[string]dfEntry{}
		}
		c.df[key] = dfEntry{n: n, at: now}
		c.mu.Unlock()
	}
	return n, nil
}

// eventCols are the columns of an EventHit, before its score.
const eventCols = `r.id, r.reference, COALESCE(r.event_type, ''), COALESCE(r.occurred_on, ''), r.received_on, r.status,
	COALESCE(d.name, ''), substr(r.description, 1, 400)`

// eventFilter keeps the safety team's own events other than the one asked
// about.
const eventFilter = ` WHERE r.kind = 'safety_event' AND r.team = 'safety' AND r.duplicate_of IS NULL AND r.id <> ?`

// The SQLite searches of events start from the full-text index and read only the rows
// it names. "CROSS JOIN" makes SQLite keep that order whatever its planner
// statistics say: before ANALYZE has run (a new or upgraded database),
// the planner took reports_queue, an index on team, as the cheaper way in,
// and walked every safety event to find the few matches (150 ms at
// 100,000 events instead of 6; docs/benchmarks.md).
const (
	// bm25EventsSQL ranks the newest matches with bm25 (bm25Events).
	bm25EventsSQL = `SELECT ` + eventCols + `, c.score
		FROM (SELECT id, score FROM (SELECT rowid AS id, -bm25(reports_fts) AS score FROM reports_fts WHERE reports_fts MATCH ?
			ORDER BY rowid DESC LIMIT ?) ORDER BY score DESC, id DESC LIMIT ?) c
		CROSS JOIN reports r ON r.id = c.id LEFT JOIN departments d ON d.id = r.department_id` + eventFilter + `
		ORDER BY c.score DESC, r.id DESC LIMIT ?`
	// newestEventsSQL takes the newest matches unranked (searchEventsSQLite).
	newestEventsSQL = `SELECT ` + eventCols + `, 0.0
		FROM (SELECT rowid AS id FROM reports_fts WHERE reports_fts MATCH ? ORDER BY rowid DESC LIMIT ?) c
		CROSS JOIN reports r ON r.id = c.id LEFT JOIN departments d ON d.id = r.department_id` + eventFilter + `
		ORDER BY r.id DESC LIMIT ?`
)

// rankEventsPostgres ranks on PostgreSQL. Reading each matching row from the
// table is what costs (the GIN index gives no ids without it, and
// ts_rank_cd needs the row's vector), and the planner's estimates for many
// words together are poor (it may walk the whole table looking for
// matches), so the work is bounded outright: the matches are found with the
// GIN index only (other plans are switched off for that one statement), at
// most budget of them are read, in table order, and ranked: a search for
// common words ranks the first budget matches found, which are usually the
// oldest. Similar-events queries, built to match about budget events at
// most, rank the newest budget matches.
func (s *Service) rankEventsPostgres(ctx context.Context, m match, exclude int64, limit int) ([]EventHit, error) {
	q := m.String()
	if m.any {
		// Similar events: the words were chosen to match at most about
		// budget events (or, failing that, to be common), so the newest
		// budget matches are cheap to find whichever plan is chosen.
		rows, err := s.DB.QueryContext(ctx, `WITH c AS (SELECT id FROM reports WHERE search_tsv @@ to_tsquery('english', ?) ORDER BY id DESC LIMIT ?),
			best AS (SELECT r.id, ts_rank_cd(r.search_tsv, to_tsquery('english', ?), 33) AS score
				FROM c JOIN reports r ON r.id = c.id`+eventFilter+` ORDER BY score DESC, r.id DESC LIMIT ?)
			SELECT `+eventCols+`, best.score
			FROM best JOIN reports r ON r.id = best.id LEFT JOIN departments d ON d.id = r.department_id
			ORDER BY best.score DESC, r.id DESC`, q, s.budget(), q, exclude, limit)
		if err != nil {
			return nil, fmt.Errorf("similar events: %w", err)
		}
		return scanEventHits(rows)
	}
	var out []EventHit
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off`); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM reports WHERE search_tsv @@ to_tsquery('english', ?) LIMIT ?`, q, s.budget())
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = on; SET LOCAL enable_indexscan = on`); err != nil {
			return err
		}
		rows, err = tx.QueryContext(ctx, `WITH best AS (SELECT r.id, ts_rank_cd(r.search_tsv, to_tsquery('english', ?), 33) AS score
				FROM reports r`+eventFilter+` AND r.id = ANY(?) ORDER BY score DESC, r.id DESC LIMIT ?)
			SELECT `+eventCols+`, best.score
			FROM best JOIN reports r ON r.id = best.id LEFT JOIN departments d ON d.id = r.department_id
			ORDER BY best.score DESC, r.id DESC`, q, exclude, ids, limit)
		if err != nil {
			return err
		}
		out, err = scanEventHits(rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("search events: %w", err)
	}
	return out, nil
}

func scanEventHits(rows *sql.Rows) ([]EventHit, error) {
	defer rows.Close()
	var out []EventHit
	for rows.Next() {
		var h EventHit
		if err := rows.Scan(&h.ReportID, &h.Reference, &h.EventType, &h.OccurredOn, &h.ReceivedOn, &h.Status, &h.Department, &h.Snippet, &h.Score); err != nil {
			return nil, fmt.Errorf("search events: %w", err)
		}
		h.Snippet = snippet(h.Snippet, 200)
		out = append(out, h)
	}
	return out, rows.Err()
}

// rankLessons returns published lessons matching m, best first.
func (s *Service) rankLessons(ctx context.Context, m match, limit int) ([]LessonHit, error) {
	var query string
	var args []any
	if s.DB.Engine == store.Postgres {
		query = `SELECT l.id, l.title, l.summary, l.themes, l.published_at, ts_rank_cd(l.search_tsv, to_tsquery('english', ?), 32) AS score
			FROM lessons l WHERE l.search_tsv @@ to_tsquery('english', ?) AND l.status = 'published'
			ORDER BY score DESC, l.id DESC LIMIT ?`
		args = []any{m.String(), m.String(), limit}
	} else {
		// Title and themes weigh most, then the summary, then the body.
		// (Lessons are few, and the planner's own choice, published lessons
		// first, measured twice as fast as starting from the index.)
		query = `SELECT l.id, l.title, l.summary, l.themes, l.published_at, c.score
			FROM (SELECT rowid AS id, -bm25(lessons_fts, 8.0, 3.0, 1.0, 8.0) AS score FROM lessons_fts WHERE lessons_fts MATCH ?
				ORDER BY rowid DESC LIMIT ?) c
			JOIN lessons l ON l.id = c.id WHERE l.status = 'published'
			ORDER BY c.score DESC, l.id DESC LIMIT ?`
		args = []any{m.String(), s.budget(), limit}
	}
	rows, err := s.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("search lessons: %w", err)
	}
	defer rows.Close()
	var out []LessonHit
	for rows.Next() {
		var h LessonHit
		var themes string
		var pub store.Time
		if err := rows.Scan(&h.LessonID, &h.Title, &h.Summary, &themes, &pub, &h.Score); err != nil {
			return nil, fmt.Errorf("search lessons: %w", err)
		}
		h.Themes, h.PublishedAt = splitThemes(themes), pub.Time
		out = append(out, h)
	}
	return out, rows.Err()
}

// snippet shortens text to about n characters at a word boundary.
func snippet(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}
