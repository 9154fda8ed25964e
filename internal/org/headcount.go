package org

import (
	"context"
	"errors"
	"fmt"
	"time"

	"candour/internal/store"
)

// ErrUnknownDimension is returned by Headcount for a dimension not in
// Dimensions.
var ErrUnknownDimension = errors.New("unknown headcount dimension")

// Dimension is what a headcount is broken down by.
type Dimension string

// The dimensions of a headcount.
const (
	ByTotal          Dimension = "total"
	BySite           Dimension = "site"
	ByDepartment     Dimension = "department"
	ByStaffGroup     Dimension = "staff_group"
	ByEthnicGroup    Dimension = "ethnic_group"
	ByEthnicCategory Dimension = "ethnic_category"
	ByDisability     Dimension = "disability"
)

// Dimensions lists the dimensions a headcount can be broken down by.
func Dimensions() []Option {
	return []Option{
		{string(ByTotal), "All staff"},
		{string(BySite), "Site"},
		{string(ByDepartment), "Department"},
		{string(ByStaffGroup), "Staff group"},
		{string(ByEthnicGroup), "Ethnic group"},
		{string(ByEthnicCategory), "White or ethnic minority"},
		{string(ByDisability), "Disability"},
	}
}

// Count is the number of people with one value of a dimension.
type Count struct {
	// Key is the value: a site or department code, a staff group code, an
	// ethnic group code, "white" or "ethnic_minority", a disability value,
	// or "total". It is "" for people whose value is not known.
	Key   string
	Label string
	N     int
}

// NotKnown is the label of the count of people whose value is not known.
const NotKnown = "Not known"

// Headcount counts the people employed on date (started on or before it and
// still there: leave_date, which like ESR's termination date is the last
// working day, is empty or on or after date), broken down by a
// dimension. Every possible value is listed, in the usual order, even when
// its count is zero; people whose value is not known are counted last under
// Key "" and Label "Not known" (for ethnic_category that includes Z, not
// stated). The result is not suppressed for small numbers: callers showing
// it beyond the owning team must do that.
func (d *Directory) Headcount(ctx context.Context, date time.Time, by Dimension) ([]Count, error) {
	var expr string
	switch by {
	case ByTotal:
		expr = `'total'`
	case BySite:
		expr = `s.code`
	case ByDepartment:
		expr = `d.code`
	case ByStaffGroup:
		expr = `p.staff_group`
	case ByEthnicGroup, ByEthnicCategory:
		expr = `COALESCE(p.ethnic_group, '')`
	case ByDisability:
		expr = `COALESCE(p.disability, '')`
	default:
		return nil, fmt.Errorf("headcount by %q: %w", by, ErrUnknownDimension)
	}
	// Values first, so that a site or department added meanwhile has no
	// count that is missing from the list.
	values, err := d.dimensionValues(ctx, by)
	if err != nil {
		return nil, fmt.Errorf("headcount by %s: %w", by, err)
	}
	day := date.Format(store.DateLayout)
	group := ` GROUP BY ` + expr
	if by == ByTotal {
		group = ""
	}
	rows, err := d.DB.QueryContext(ctx, `SELECT `+expr+` AS k, count(*) FROM people p
		JOIN departments d ON d.id = p.department_id
		JOIN sites s ON s.id = d.site_id
		WHERE p.start_date <= ? AND (p.leave_date IS NULL OR p.leave_date >= ?)`+group, day, day)
	if err != nil {
		return nil, fmt.Errorf("headcount by %s: %w", by, err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, fmt.Errorf("headcount by %s: %w", by, err)
		}
		if by == ByEthnicCategory {
			if k = EthnicCategory(k); k == CategoryUnknown {
				k = ""
			}
		}
		counts[k] += n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("headcount by %s: %w", by, err)
	}
	out := make([]Count, 0, len(values)+1)
	for _, v := range values {
		out = append(out, Count{Key: v.Value, Label: v.Label, N: counts[v.Value]})
		delete(counts, v.Value)
	}
	if by != ByTotal && by != BySite && by != ByDepartment && by != ByStaffGroup {
		// Unrecognised stored values (none are written) count as not known.
		n := 0
		for _, c := range counts {
			n += c
		}
		out = append(out, Count{Key: "", Label: NotKnown, N: n})
	}
	return out, nil
}

// dimensionValues lists every known value of a dimension, in display order.
func (d *Directory) dimensionValues(ctx context.Context, by Dimension) ([]Option, error) {
	switch by {
	case ByTotal:
		return []Option{{"total", "All staff"}}, nil
	case BySite:
		sites, err := d.Sites(ctx)
		out := make([]Option, len(sites))
		for i, s := range sites {
			out[i] = Option{s.Code, s.Name}
		}
		return out, err
	case ByDepartment:
		deps, err := d.Departments(ctx)
		out := make([]Option, len(deps))
		for i, dep := range deps {
			out[i] = Option{dep.Code, dep.Name}
		}
		return out, err
	case ByStaffGroup:
		groups, err := d.StaffGroups(ctx)
		out := make([]Option, len(groups))
		for i, g := range groups {
			out[i] = Option{g.Code, g.Name}
		}
		return out, err
	case ByEthnicGroup:
		return EthnicGroups(), nil
	case ByEthnicCategory:
		return []Option{{CategoryWhite, "White"}, {CategoryEthnicMinority, "Ethnic minority"}}, nil
	case ByDisability:
		return DisabilityOptions(), nil
	}
	return nil, ErrUnknownDimension
}
