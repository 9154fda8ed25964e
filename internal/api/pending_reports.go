package api

import "net/http"

// PENDING: replaced by real handlers in progress.

func (s *Server) reportSubmit(w http.ResponseWriter, r *http.Request)      { notFound(w, r, "This") }
func (s *Server) reportsList(w http.ResponseWriter, r *http.Request)       { notFound(w, r, "This") }
func (s *Server) reportGet(w http.ResponseWriter, r *http.Request)         { notFound(w, r, "This") }
func (s *Server) reportMessage(w http.ResponseWriter, r *http.Request)     { notFound(w, r, "This") }
func (s *Server) reportNote(w http.ResponseWriter, r *http.Request)        { notFound(w, r, "This") }
func (s *Server) reportAcknowledge(w http.ResponseWriter, r *http.Request) { notFound(w, r, "This") }
func (s *Server) reportAssign(w http.ResponseWriter, r *http.Request)      { notFound(w, r, "This") }
func (s *Server) reportStatus(w http.ResponseWriter, r *http.Request)      { notFound(w, r, "This") }
func (s *Server) reportLink(w http.ResponseWriter, r *http.Request)        { notFound(w, r, "This") }
func (s *Server) reportDuplicate(w http.ResponseWriter, r *http.Request)   { notFound(w, r, "This") }
func (s *Server) reportReroute(w http.ResponseWriter, r *http.Request)     { notFound(w, r, "This") }
func (s *Server) reportClose(w http.ResponseWriter, r *http.Request)       { notFound(w, r, "This") }
func (s *Server) myReports(w http.ResponseWriter, r *http.Request)         { notFound(w, r, "This") }
func (s *Server) followUpSession(w http.ResponseWriter, r *http.Request)   { notFound(w, r, "This") }
func (s *Server) followUpGet(w http.ResponseWriter, r *http.Request)       { notFound(w, r, "This") }
func (s *Server) followUpMessage(w http.ResponseWriter, r *http.Request)   { notFound(w, r, "This") }
func (s *Server) followUpFeedback(w http.ResponseWriter, r *http.Request)  { notFound(w, r, "This") }
