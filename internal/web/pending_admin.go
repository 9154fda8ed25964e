package web

import "net/http"

// PENDING: replaced by real handlers in progress.

func (s *Server) usersList(w http.ResponseWriter, r *http.Request)         { s.notFound(w, r) }
func (s *Server) userNew(w http.ResponseWriter, r *http.Request)           { s.notFound(w, r) }
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request)        { s.notFound(w, r) }
func (s *Server) userEdit(w http.ResponseWriter, r *http.Request)          { s.notFound(w, r) }
func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request)        { s.notFound(w, r) }
func (s *Server) userResetPassword(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) userUnlock(w http.ResponseWriter, r *http.Request)        { s.notFound(w, r) }
func (s *Server) userSignOut(w http.ResponseWriter, r *http.Request)       { s.notFound(w, r) }
func (s *Server) auditList(w http.ResponseWriter, r *http.Request)         { s.notFound(w, r) }
func (s *Server) settingsShow(w http.ResponseWriter, r *http.Request)      { s.notFound(w, r) }
func (s *Server) settingsUpdate(w http.ResponseWriter, r *http.Request)    { s.notFound(w, r) }
func (s *Server) auditVerify(w http.ResponseWriter, r *http.Request)       { s.notFound(w, r) }
