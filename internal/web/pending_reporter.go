package web

import "net/http"

// PENDING: replaced by real handlers in progress.

func (s *Server) reportStart(w http.ResponseWriter, r *http.Request)         { s.notFound(w, r) }
func (s *Server) reportEventForm(w http.ResponseWriter, r *http.Request)     { s.notFound(w, r) }
func (s *Server) reportEventSubmit(w http.ResponseWriter, r *http.Request)   { s.notFound(w, r) }
func (s *Server) reportConcernForm(w http.ResponseWriter, r *http.Request)   { s.notFound(w, r) }
func (s *Server) reportConcernSubmit(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) followUpStart(w http.ResponseWriter, r *http.Request)       { s.notFound(w, r) }
func (s *Server) followUpShow(w http.ResponseWriter, r *http.Request)        { s.notFound(w, r) }
func (s *Server) followUpMessage(w http.ResponseWriter, r *http.Request)     { s.notFound(w, r) }
func (s *Server) followUpFeedback(w http.ResponseWriter, r *http.Request)    { s.notFound(w, r) }
func (s *Server) followUpAttachment(w http.ResponseWriter, r *http.Request)  { s.notFound(w, r) }
func (s *Server) myReportsList(w http.ResponseWriter, r *http.Request)       { s.notFound(w, r) }
func (s *Server) myReportShow(w http.ResponseWriter, r *http.Request)        { s.notFound(w, r) }
func (s *Server) myReportMessage(w http.ResponseWriter, r *http.Request)     { s.notFound(w, r) }
func (s *Server) myReportFeedback(w http.ResponseWriter, r *http.Request)    { s.notFound(w, r) }
func (s *Server) myReportAttachment(w http.ResponseWriter, r *http.Request)  { s.notFound(w, r) }
func (s *Server) notificationsList(w http.ResponseWriter, r *http.Request)   { s.notFound(w, r) }
func (s *Server) notificationsRead(w http.ResponseWriter, r *http.Request)   { s.notFound(w, r) }
