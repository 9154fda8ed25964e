package web

import "net/http"

// PENDING: replaced by real handlers in progress.

func (s *Server) reportsQueue(w http.ResponseWriter, r *http.Request)      { s.notFound(w, r) }
func (s *Server) reportShow(w http.ResponseWriter, r *http.Request)        { s.notFound(w, r) }
func (s *Server) reportAttachment(w http.ResponseWriter, r *http.Request)  { s.notFound(w, r) }
func (s *Server) reportAcknowledge(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) reportAssign(w http.ResponseWriter, r *http.Request)      { s.notFound(w, r) }
func (s *Server) reportStatus(w http.ResponseWriter, r *http.Request)      { s.notFound(w, r) }
func (s *Server) reportMessage(w http.ResponseWriter, r *http.Request)     { s.notFound(w, r) }
func (s *Server) reportNote(w http.ResponseWriter, r *http.Request)        { s.notFound(w, r) }
func (s *Server) reportLink(w http.ResponseWriter, r *http.Request)        { s.notFound(w, r) }
func (s *Server) reportDuplicate(w http.ResponseWriter, r *http.Request)   { s.notFound(w, r) }
func (s *Server) reportReroute(w http.ResponseWriter, r *http.Request)     { s.notFound(w, r) }
func (s *Server) reportClose(w http.ResponseWriter, r *http.Request)       { s.notFound(w, r) }
func (s *Server) reportReveal(w http.ResponseWriter, r *http.Request)      { s.notFound(w, r) }
func (s *Server) reportRedact(w http.ResponseWriter, r *http.Request)      { s.notFound(w, r) }
