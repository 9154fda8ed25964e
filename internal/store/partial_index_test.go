package store_test

import (
	"strings"
	"testing"

	"candour/internal/store/storetest"
)

// The indexes on a report's reporter and an audit entry's actor leave out
// NULLs (migration 00013); the lookups that need them must still use them
// rather than read every report or every audit entry.
func TestReporterAndActorLookupsUseTheirIndexes(t *testing.T) {
	db := storetest.SQLite(t)
	for _, c := range []struct {
		query string
		want  []string
	}{
		{`SELECT r.id FROM reports r WHERE r.mode <> 'anonymous' AND (r.reporter_user_id = ? OR r.reporter_key IN (?, ?)) ORDER BY r.id DESC`,
			[]string{"reports_reporter_user", "reports_reporter_key"}},
		{`SELECT seq FROM audit_log WHERE actor_id = ? ORDER BY seq DESC LIMIT 50`, []string{"audit_actor"}},
	} {
		text := strings.Join(storetest.QueryPlan(t, db, c.query, 7, "a", "b"), "; ")
		for _, idx := range c.want {
			if !strings.Contains(text, "INDEX "+idx) {
				t.Errorf("%s\nplan: %s\nwant it to use %s", c.query, text, idx)
			}
		}
	}
}
