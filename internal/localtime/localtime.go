// Package localtime gives the organisation's clock: dates in England are
// dates in Europe/London, whatever the server's own time zone. The zone data
// is embedded, so a minimal server without tzdata still gets it right.
package localtime

import (
	"sync"
	"time"
	_ "time/tzdata" // the zone must not depend on the host's files
)

// London returns the Europe/London location, loaded once: loading reads and
// parses zone data, too slow to repeat on every request.
var London = sync.OnceValue(func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		// Unreachable with time/tzdata embedded; UTC is the least wrong answer.
		return time.UTC
	}
	return l
})

// Today returns the date in England at t, as midnight UTC of that date, so
// that dates compare and format without further zone arithmetic.
func Today(t time.Time) time.Time {
	n := t.In(London())
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}
