package web

import "net/http"

// PENDING: replaced by real handlers in progress.

func (s *Server) organisationShow(w http.ResponseWriter, r *http.Request)   { s.notFound(w, r) }
func (s *Server) siteNew(w http.ResponseWriter, r *http.Request)            { s.notFound(w, r) }
func (s *Server) siteCreate(w http.ResponseWriter, r *http.Request)         { s.notFound(w, r) }
func (s *Server) siteEdit(w http.ResponseWriter, r *http.Request)           { s.notFound(w, r) }
func (s *Server) siteUpdate(w http.ResponseWriter, r *http.Request)         { s.notFound(w, r) }
func (s *Server) departmentNew(w http.ResponseWriter, r *http.Request)      { s.notFound(w, r) }
func (s *Server) departmentCreate(w http.ResponseWriter, r *http.Request)   { s.notFound(w, r) }
func (s *Server) departmentEdit(w http.ResponseWriter, r *http.Request)     { s.notFound(w, r) }
func (s *Server) departmentUpdate(w http.ResponseWriter, r *http.Request)   { s.notFound(w, r) }
func (s *Server) peopleList(w http.ResponseWriter, r *http.Request)         { s.notFound(w, r) }
func (s *Server) personNew(w http.ResponseWriter, r *http.Request)          { s.notFound(w, r) }
func (s *Server) personCreate(w http.ResponseWriter, r *http.Request)       { s.notFound(w, r) }
func (s *Server) peopleImportShow(w http.ResponseWriter, r *http.Request)   { s.notFound(w, r) }
func (s *Server) peopleImportSubmit(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) personShow(w http.ResponseWriter, r *http.Request)         { s.notFound(w, r) }
func (s *Server) personEdit(w http.ResponseWriter, r *http.Request)         { s.notFound(w, r) }
func (s *Server) personUpdate(w http.ResponseWriter, r *http.Request)       { s.notFound(w, r) }
func (s *Server) headcountShow(w http.ResponseWriter, r *http.Request)      { s.notFound(w, r) }
