package api

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
)

// wellbeingRequest names a wellbeing contact. party is empty for the
// employee, or a witness party's id; contact is a candour user's email.
type wellbeingRequest struct {
	Party         flexText `json:"party"`
	Contact       string   `json:"contact"`
	FrequencyDays flexText `json:"frequency_days"`
}

// contactRequest logs a wellbeing contact.
type contactRequest struct {
	ContactedOn string `json:"contacted_on"`
	Method      string `json:"method"`
	Notes       string `json:"notes"`
	OHReferral  bool   `json:"oh_referral"`
}

// caseWellbeingList lists a case's wellbeing contacts with their logs.
func (s *Server) caseWellbeingList(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	wbs, err := s.Cases.Wellbeing(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	out := List[wellbeingJSON]{Items: []wellbeingJSON{}}
	for _, wb := range wbs {
		out.Items = append(out.Items, toWellbeingJSON(wb))
	}
	writeJSON(w, http.StatusOK, out)
}

// caseWellbeingAdd names a wellbeing contact for the employee or a witness.
func (s *Server) caseWellbeingAdd(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	var req wellbeingRequest
	if !s.decode(w, r, &req) {
		return
	}
	wb, err := s.Cases.AddWellbeing(r.Context(), authz.PrincipalFrom(r.Context()), id, casework.WellbeingInput{Party: string(req.Party),
		Contact: req.Contact, FrequencyDays: string(req.FrequencyDays)})
	if err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	writeJSON(w, http.StatusCreated, toWellbeingJSON(wb))
}

// caseWellbeingContact logs a contact and answers with the wellbeing
// contact's record as it now is.
func (s *Server) caseWellbeingContact(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	wid, ok := pathID(r, "wid")
	if !ok {
		notFound(w, r, "This wellbeing contact")
		return
	}
	var req contactRequest
	if !s.decode(w, r, &req) {
		return
	}
	p := authz.PrincipalFrom(r.Context())
	err := s.Cases.LogContact(r.Context(), p, id, wid, casework.ContactInput{ContactedOn: req.ContactedOn, Method: req.Method, Notes: req.Notes, OHReferral: req.OHReferral})
	if err != nil {
		s.caseError(w, r, "This wellbeing contact", err)
		return
	}
	wbs, err := s.Cases.Wellbeing(r.Context(), p, id)
	if err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	for _, wb := range wbs {
		if wb.ID == wid {
			writeJSON(w, http.StatusCreated, toWellbeingJSON(wb))
			return
		}
	}
	notFound(w, r, "This wellbeing contact")
}
