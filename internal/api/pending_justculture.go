package api

import "net/http"

// PENDING: replaced by real handlers in progress.

func (s *Server) guidesList(w http.ResponseWriter, r *http.Request) { notFound(w, r, "This") }
func (s *Server) guideGet(w http.ResponseWriter, r *http.Request) { notFound(w, r, "This") }
func (s *Server) assessmentCreate(w http.ResponseWriter, r *http.Request) { notFound(w, r, "This") }
func (s *Server) assessmentsList(w http.ResponseWriter, r *http.Request) { notFound(w, r, "This") }
func (s *Server) assessmentGet(w http.ResponseWriter, r *http.Request) { notFound(w, r, "This") }
func (s *Server) assessmentRevisit(w http.ResponseWriter, r *http.Request) { notFound(w, r, "This") }
