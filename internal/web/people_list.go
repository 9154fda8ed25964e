package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"candour/internal/org"
	"candour/internal/validate"
)

// peopleView is the data of the people page.
type peopleView struct {
	People      []personRow
	Departments []org.Option
	StaffGroups []org.Option
	// Filtered is true when a search or filter is in use.
	Filtered bool
	// NextHref is the link to the next page, "" on the last.
	NextHref string
	// FirstHref is the link back to the first page, "" on the first.
	FirstHref string
}

// personRow is one line of the people table.
type personRow struct {
	org.Person
	Leaver  bool
	Leaving bool // a leave date is set but has not come yet
}

// peopleList finds people by name, employee number or email address, filtered
// by department and staff group, a page at a time.
func (s *Server) peopleList(w http.ResponseWriter, r *http.Request) {
	in := r.URL.Query()
	f := &Form{Values: url.Values{}}
	for _, k := range []string{"q", "department", "staff_group", "leavers"} {
		if v := queryText(in.Get(k)); v != "" {
			f.Values.Set(k, v)
		}
	}
	q := org.PeopleQuery{
		Search:         f.Get("q"),
		DepartmentID:   f.Int64("department"),
		StaffGroup:     f.Get("staff_group"),
		IncludeLeavers: f.Get("leavers") == "yes",
		After:          queryText(in.Get("after")),
	}
	status := http.StatusOK
	people, next, err := s.Org.People(r.Context(), q)
	if errors.Is(err, org.ErrBadCursor) {
		status = http.StatusBadRequest
		f.Errors = validate.Errors{{Field: "q", Message: "The link to that page of results is not valid. The first page is shown instead"}}
		q.After = ""
		people, next, err = s.Org.People(r.Context(), q)
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	deps, groups, err := s.directoryOptions(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := peopleView{Departments: deps, StaffGroups: groups, Filtered: len(f.Values) > 0}
	today := s.today()
	for _, p := range people {
		leaver := isLeaver(p, today)
		v.People = append(v.People, personRow{Person: p, Leaver: leaver, Leaving: p.LeaveDate != "" && !leaver})
	}
	if next != "" {
		nv := cloneFormValues(f.Values)
		nv.Set("after", next)
		v.NextHref = "/people?" + nv.Encode()
	}
	if q.After != "" {
		v.FirstHref = "/people"
		if len(f.Values) > 0 {
			v.FirstHref += "?" + f.Values.Encode()
		}
	}
	s.render(w, r, status, "people", &Page{Title: "People", Form: f, Data: v})
}

// queryText tidies a search or filter value from a URL: readable text, no
// longer than 200 characters, without surrounding spaces.
func queryText(s string) string {
	s = strings.TrimSpace(strings.ToValidUTF8(s, ""))
	if utf8.RuneCountInString(s) > 200 {
		s = string([]rune(s)[:200])
	}
	return s
}

func cloneFormValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
