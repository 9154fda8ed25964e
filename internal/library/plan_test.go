package library

import (
	"context"
	"strings"
	"testing"

	"candour/internal/store/storetest"
)

// TestSearchesStartFromTheIndexWithoutStatistics asks SQLite how it would
// run each search of events on a database that has never been analysed (no
// sqlite_stat1): every one must read the full-text index first and then
// look up only the rows it names, never walk an index on team.
func TestSearchesStartFromTheIndexWithoutStatistics(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	var stats int
	db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'`).Scan(&stats)
	if stats != 0 {
		t.Fatal("the fresh database already has planner statistics; this test proves nothing")
	}
	for name, c := range map[string]struct {
		sql    string
		args   []any
		lookup string // how the rows must be read
	}{
		"bm25 events":   {bm25EventsSQL, []any{"fall", 1000, 50, 0, 10}, "SEARCH r USING INTEGER PRIMARY KEY"},
		"newest events": {newestEventsSQL, []any{"fall", 50, 0, 10}, "SEARCH r USING INTEGER PRIMARY KEY"},
	} {
		plan := storetest.QueryPlan(t, db, c.sql, c.args...)
		text := strings.Join(plan, "\n")
		first := -1
		for i, step := range plan {
			if step == "SCAN c" {
				first = i
				break
			}
		}
		if first < 0 || !strings.Contains(text, c.lookup) || strings.Contains(text, "USING INDEX") || strings.Contains(text, "AUTOMATIC") {
			t.Errorf("%s: the search does not start from the full-text index:\n%s", name, text)
		}
	}
}
