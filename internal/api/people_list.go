package api

import (
	"net/http"
	"strconv"

	"candour/internal/org"
	"candour/internal/validate"
)

// personJSON is a person in the directory. Equality fields are left out of
// lists and returned only by the single-person read, which is audited.
type personJSON struct {
	ID             int64   `json:"id"`
	EmployeeNumber string  `json:"employee_number"`
	Name           string  `json:"name"`
	Email          string  `json:"email,omitempty"`
	DepartmentID   int64   `json:"department_id"`
	Department     string  `json:"department"`
	StaffGroup     string  `json:"staff_group"`
	JobTitle       string  `json:"job_title"`
	LineManager    string  `json:"line_manager_employee_number,omitempty"`
	StartDate      string  `json:"start_date"`
	LeaveDate      string  `json:"leave_date,omitempty"`
	EthnicGroup    *string `json:"ethnic_group,omitempty"`
	Disability     *string `json:"disability,omitempty"`
}

func toPersonJSON(p org.Person) personJSON {
	return personJSON{ID: p.ID, EmployeeNumber: p.EmployeeNumber, Name: p.Name, Email: p.Email,
		DepartmentID: p.DepartmentID, Department: p.DepartmentName, StaffGroup: p.StaffGroup, JobTitle: p.JobTitle,
		StartDate: p.StartDate, LeaveDate: p.LeaveDate}
}

// peopleList pages through the people directory. Filters: q (name, employee
// number or email), department_id, staff_group, include_leavers, limit, after.
func (s *Server) peopleList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var errs validate.Errors
	query := org.PeopleQuery{Search: q.Get("q"), StaffGroup: q.Get("staff_group"), After: q.Get("after")}
	if v := q.Get("department_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			errs.Add("department_id", "must be a department id")
		}
		query.DepartmentID = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			errs.Add("limit", "must be a whole number from 1 to 500")
		}
		query.Limit = n
	}
	if v := q.Get("include_leavers"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs.Add("include_leavers", "must be true or false")
		}
		query.IncludeLeavers = b
	}
	if len(errs) > 0 {
		invalid(w, r, errs)
		return
	}
	people, next, err := s.Org.People(r.Context(), query)
	if fe, ok := validate.As(err); ok {
		invalid(w, r, fe)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := List[personJSON]{Items: []personJSON{}, Next: next}
	for _, p := range people {
		out.Items = append(out.Items, toPersonJSON(p))
	}
	writeJSON(w, http.StatusOK, out)
}
