package store_test

import (
	"context"
	"strings"
	"testing"

	"candour/internal/store/storetest"
)

// The indexes on a report's reporter and an audit entry's actor leave out
// NULLs (migration 00013); the lookups that need them must still use them
// rather than read every report or every audit entry.
func TestReporterAndActorLookupsUseTheirIndexes(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	for _, c := range []struct {
		query string
		want  []string
	}{
		{`SELECT r.id FROM reports r WHERE r.mode <> 'anonymous' AND (r.reporter_user_id = ? OR r.reporter_key IN (?, ?)) ORDER BY r.id DESC`,
			[]string{"reports_reporter_user", "reports_reporter_key"}},
		{`SELECT seq FROM audit_log WHERE actor_id = ? ORDER BY seq DESC LIMIT 50`, []string{"audit_actor"}},
	} {
		rows, err := db.QueryContext(ctx, `EXPLAIN QUERY PLAN `+c.query, 7, "a", "b")
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "; ")
		for _, idx := range c.want {
			if !strings.Contains(text, "INDEX "+idx) {
				t.Errorf("%s\nplan: %s\nwant it to use %s", c.query, text, idx)
			}
		}
	}
}
