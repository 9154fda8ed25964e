package api

import (
	"errors"
	"net/http"
	"time"

	"candour/internal/actions"
	"candour/internal/validate"
)

// actionJSON is an improvement action as the API returns it.
type actionJSON struct {
	ID                int64      `json:"id"`
	Title             string     `json:"title"`
	Description       string     `json:"description"`
	OwnerID           int64      `json:"owner_id"`
	OwnerName         string     `json:"owner_name"`
	DueOn             string     `json:"due_on"`
	Status            string     `json:"status"`
	Overdue           bool       `json:"overdue"`
	DaysOverdue       int        `json:"days_overdue"`
	Evidence          string     `json:"evidence"`
	CancelReason      string     `json:"cancel_reason"`
	ReportID          *int64     `json:"report_id"`
	ReportReference   *string    `json:"report_reference"`
	ResponseID        *int64     `json:"response_id"`
	ResponseReference *string    `json:"response_reference"`
	CreatedBy         int64      `json:"created_by"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
	CompletedAt       *time.Time `json:"completed_at"`
}

func toActionJSON(a actions.Action, today string) actionJSON {
	j := actionJSON{ID: a.ID, Title: a.Title, Description: a.Description, OwnerID: a.OwnerID, OwnerName: a.OwnerName,
		DueOn: a.DueOn, Status: string(a.Status), Overdue: a.Overdue(today), DaysOverdue: a.DaysOverdue(today),
		Evidence: a.Evidence, CancelReason: a.CancelReason, CreatedBy: a.CreatedBy, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	if a.Report.ID != 0 {
		j.ReportID, j.ReportReference = &a.Report.ID, &a.Report.Reference
	}
	if a.Response.ID != 0 {
		j.ResponseID, j.ResponseReference = &a.Response.ID, &a.Response.Reference
	}
	if !a.CompletedAt.IsZero() {
		t := a.CompletedAt
		j.CompletedAt = &t
	}
	return j
}

// actionError answers the errors every action route shares.
func (s *Server) actionError(w http.ResponseWriter, r *http.Request, err error) {
	if fe, ok := validate.As(err); ok {
		invalid(w, r, fe)
		return
	}
	switch {
	case errors.Is(err, actions.ErrNotAllowed):
		notFound(w, r, "This action")
	case errors.Is(err, actions.ErrSafetyOnly):
		problem(w, r, http.StatusForbidden, "Patient safety team only",
			"Only the patient safety team adds actions, changes their details, cancels or reopens them. Owners update status and evidence.", nil)
	default:
		s.internal(w, r, err)
	}
}
