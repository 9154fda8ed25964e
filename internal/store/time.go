package store

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// TimeLayout is the one text form of an instant on both engines: UTC, fixed
// width, so that text order is time order and substr(at, 1, 7) is the month.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// DateLayout is the text form of a calendar date.
const DateLayout = "2006-01-02"

// Time is an instant stored as TimeLayout text. The zero Time is stored as NULL.
type Time struct{ time.Time }

// T wraps t for use as a query argument.
func T(t time.Time) Time { return Time{t} }

// Value implements driver.Valuer.
func (t Time) Value() (driver.Value, error) {
	if t.IsZero() {
		return nil, nil
	}
	return t.UTC().Format(TimeLayout), nil
}

// Scan implements sql.Scanner.
func (t *Time) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		t.Time = time.Time{}
		return nil
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	case time.Time:
		t.Time = v.UTC()
		return nil
	}
	return fmt.Errorf("store.Time: cannot scan %T", v)
}

func (t *Time) parse(s string) error {
	p, err := time.Parse(TimeLayout, s)
	if err != nil {
		p, err = time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return fmt.Errorf("store.Time: %w", err)
		}
	}
	t.Time = p.UTC()
	return nil
}
