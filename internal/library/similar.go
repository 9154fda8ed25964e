package library

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
	"unicode"
	"unicode/utf8"

	"candour/internal/authz"
	"candour/internal/report"
	"candour/internal/store"
)

// How similar-events queries are built.
//
// A report's own words make the query. Words that many events share
// ("patient", "nurse", "found") say little and make a query slow, because
// every event that contains them must be ranked; rare words ("wristband",
// "enoxaparin", "sacrum") say most. So each candidate word's document
// frequency is looked up (capped at the budget, and cached), words are
// weighted by tf-idf, and the best are OR-ed together while their document
// frequencies add up to no more than the budget: the query can then match
// at most budget events, however large the table. If fewer than two words
// fit, the most informative common words are used, and only the newest
// budget matches are ranked (rankEvents), so the work stays bounded.
const (
	// maxCandidates is how many distinct words of a text are considered.
	maxCandidates = 30
	// maxTerms is how many words a similar-events query has at most.
	maxTerms = 32
	// minTerms is how many words a query should have.
	minTerms = 2
	// dfTTL is how long a document frequency is cached. Frequencies only
	// weigh words against each other, capped at the budget, and a table of
	// many events gains a tiny share of new ones in hours; a long life keeps
	// a running replica out of the slow first count of each word.
	dfTTL = 6 * time.Hour
	// expansionWeight discounts thesaurus words against the text's own
	// when choosing which words fit the budget.
	expansionWeight = 0.5
	// maxCached bounds the document-frequency cache.
	maxCached = 50000
)

type dfEntry struct {
	n   int
	cap int
	at  time.Time
}

// Similar are the events and lessons that resemble a report or a text.
type Similar struct {
	// Reference is the report's reference, for Similar.
	Reference string
	// Terms are the words the query was built from, most informative first.
	Terms   []string
	Events  []EventHit
	Lessons []LessonHit
	// EventsSearched says events were looked for: the caller is in the
	// patient safety team.
	EventsSearched bool
}

// Similar returns the safety events (for the patient safety team) and the
// published lessons that most resemble report reportID, best first, at most
// limit of each. The caller must handle the report's team; a guardian
// looking at a concern gets lessons only. The events shown are audited.
func (s *Service) Similar(ctx context.Context, p *authz.Principal, reportID int64, limit int) (Similar, error) {
	if p == nil {
		return Similar{}, ErrNotAllowed
	}
	var ref, team, desc, actions string
	err := s.DB.QueryRowContext(ctx, `SELECT reference, team, description, immediate_actions FROM reports WHERE id = ?`, reportID).Scan(&ref, &team, &desc, &actions)
	if errors.Is(err, sql.ErrNoRows) {
		return Similar{}, fmt.Errorf("report %d: %w", reportID, store.ErrNotFound)
	}
	if err != nil {
		return Similar{}, fmt.Errorf("read report %d: %w", reportID, err)
	}
	if !report.Handles(p, report.Team(team)) {
		// Not told apart from a report that does not exist.
		return Similar{}, fmt.Errorf("report %d: %w", reportID, store.ErrNotFound)
	}
	if limit <= 0 || limit > 50 {
		limit = 10
	}
	out, err := s.similar(ctx, desc+"\n"+actions, reportID, CanSearchEvents(p), limit)
	if err != nil {
		return Similar{}, err
	}
	if err := s.auditEvents(ctx, p, "report.similar", "report", idText(reportID), out.Events); err != nil {
		return Similar{}, err
	}
	out.Reference = ref
	return out, nil
}

// SimilarToText returns the published lessons that resemble text, for
// someone writing a report: never events, which are other people's.
func (s *Service) SimilarToText(ctx context.Context, p *authz.Principal, text string, limit int) ([]LessonHit, error) {
	if limit <= 0 || limit > 20 {
		limit = 5
	}
	terms := topWords(text, maxTerms+2)
	if len(terms) == 0 {
		return nil, nil
	}
	return s.rankLessons(ctx, match{engine: s.DB.Engine, terms: terms, any: true}, limit)
}

// similar ranks events (when events is true) and lessons against text.
// self is the report the text came from (it matches itself), or 0.
func (s *Service) similar(ctx context.Context, text string, self int64, events bool, limit int) (Similar, error) {
	// Word statistics come from the events' index, which reports just
	// stored may still be waiting for.
	if err := report.CatchUpSearch(ctx, s.DB); err != nil {
		return Similar{}, err
	}
	terms, lessonTerms, err := s.informativeTerms(ctx, text, self != 0)
	if err != nil {
		return Similar{}, err
	}
	out := Similar{Terms: terms, EventsSearched: events}
	if len(terms) == 0 {
		return out, nil
	}
	if events {
		if out.Events, err = s.rankEvents(ctx, match{engine: s.DB.Engine, terms: terms, any: true}, self, limit); err != nil {
			return Similar{}, err
		}
	}
	if out.Lessons, err = s.rankLessons(ctx, match{engine: s.DB.Engine, terms: lessonTerms, any: true}, limit); err != nil {
		return Similar{}, err
	}
	return out, nil
}

type candidate struct {
	word     string
	tf, df   int
	weight   float64
	expanded bool // from the thesaurus, not the text
}

// candidates returns text's distinct content words (three or more letters,
// no digits, no stop words), most frequent first, then longest.
func candidates(text string) []candidate {
	tf := map[string]int{}
	var order []string
	for _, w := range words(text) {
		if utf8.RuneCountInString(w) < 3 || stopWords[w] || hasDigit(w) {
			continue
		}
		if tf[w] == 0 {
			order = append(order, w)
		}
		tf[w]++
	}
	out := make([]candidate, len(order))
	for i, w := range order {
		out[i] = candidate{word: w, tf: tf[w]}
	}
	slices.SortStableFunc(out, func(a, b candidate) int {
		if a.tf != b.tf {
			return b.tf - a.tf
		}
		return utf8.RuneCountInString(b.word) - utf8.RuneCountInString(a.word)
	})
	return out
}

// topWords returns up to n content words of text without looking anything
// up, for the small lessons table.
func topWords(text string, n int) []string {
	var out []string
	for _, c := range candidates(text) {
		out = append(out, c.word)
		if len(out) == n {
			break
		}
	}
	return out
}

func hasDigit(w string) bool {
	for _, r := range w {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// informativeTerms chooses the words of a similar-events query (see the
// comment at the top of this file) and, for the lessons query, the same
// words followed by the best common ones.
func (s *Service) informativeTerms(ctx context.Context, text string, selfIndexed bool) (terms, lessonTerms []string, err error) {
	cands := candidates(text)
	if len(cands) > maxCandidates {
		cands = cands[:maxCandidates]
	}
	if !s.NoThesaurus {
		present := make([]string, len(cands))
		for i, c := range cands {
			present[i] = c.word
		}
		for _, w := range expansions(present) {
			cands = append(cands, candidate{word: w, expanded: true})
		}
	}
	total, err := s.corpusSize(ctx)
	if err != nil {
		return nil, nil, err
	}
	budget := s.budget()
	kept := cands[:0]
	for _, c := range cands {
		df, err := s.docFreq(ctx, c.word, budget+1)
		if err != nil {
			return nil, nil, err
		}
		if selfIndexed && !c.expanded {
			df-- // the report itself
		}
		if df < 1 {
			continue // no other event has it
		}
		c.df = df
		tf := 1.0
		if c.tf > 1 {
			tf = 1 + math.Log(float64(c.tf))
		}
		c.weight = tf * math.Log(1+float64(total)/float64(df))
		if c.expanded {
			c.weight *= expansionWeight
		}
		kept = append(kept, c)
	}
	slices.SortStableFunc(kept, func(a, b candidate) int {
		switch {
		case a.weight > b.weight:
			return -1
		case a.weight < b.weight:
			return 1
		}
		return 0
	})
	sum := 0
	var common []string
	for _, c := range kept {
		if c.df > budget || sum+c.df > budget {
			common = append(common, c.word)
			continue
		}
		if len(terms) < maxTerms {
			terms = append(terms, c.word)
			sum += c.df
		}
	}
	for _, w := range common {
		if len(terms) >= minTerms {
			break
		}
		terms = append(terms, w)
	}
	lessonTerms = slices.Clone(terms)
	for _, w := range common {
		if len(lessonTerms) >= maxTerms+2 {
			break
		}
		if !slices.Contains(lessonTerms, w) {
			lessonTerms = append(lessonTerms, w)
		}
	}
	return terms, lessonTerms, nil
}

// docFreq returns how many safety events contain word (stemmed by the
// engine), counting no further than limit. Results are cached for dfTTL.
func (s *Service) docFreq(ctx context.Context, word string, limit int) (int, error) {
	now := time.Now()
	c := s.stats
	if c != nil {
		c.mu.Lock()
		e, ok := c.df[word]
		c.mu.Unlock()
		if ok && e.cap == limit && now.Sub(e.at) < dfTTL {
			return e.n, nil
		}
	}
	var q string
	m := match{engine: s.DB.Engine, terms: []string{word}}
	if s.DB.Engine == store.Postgres {
		q = `SELECT COUNT(*) FROM (SELECT 1 FROM reports WHERE search_tsv @@ to_tsquery('english', ?) LIMIT ?) m`
	} else {
		q = `SELECT COUNT(*) FROM (SELECT 1 FROM reports_fts WHERE reports_fts MATCH ? LIMIT ?)`
	}
	var n int
	if err := s.DB.QueryRowContext(ctx, q, m.String(), limit).Scan(&n); err != nil {
		return 0, fmt.Errorf("count events with %q: %w", word, err)
	}
	if c != nil {
		c.mu.Lock()
		if c.df == nil || len(c.df) >= maxCached {
			c.df = map[string]dfEntry{}
		}
		c.df[word] = dfEntry{n: n, cap: limit, at: now}
		c.mu.Unlock()
	}
	return n, nil
}

// corpusSize estimates how many reports there are (the highest id), cached
// for a minute.
func (s *Service) corpusSize(ctx context.Context) (int, error) {
	now := time.Now()
	c := s.stats
	if c != nil {
		c.mu.Lock()
		e := c.total
		c.mu.Unlock()
		if !e.at.IsZero() && now.Sub(e.at) < time.Minute {
			return e.n, nil
		}
	}
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM reports`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count reports: %w", err)
	}
	n = max(n, 1)
	if c != nil {
		c.mu.Lock()
		c.total = dfEntry{n: n, at: now}
		c.mu.Unlock()
	}
	return n, nil
}

// ForgetStatistics empties the cached document frequencies, so that the
// next query looks them up again (for tests and benchmarks).
func (s *Service) ForgetStatistics() {
	if c := s.stats; c != nil {
		c.mu.Lock()
		c.df, c.total = nil, dfEntry{}
		c.mu.Unlock()
	}
}
