package web

import "net/http"

// PENDING: replaced by real handlers in progress.

func (s *Server) assessmentsList(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) assessmentNew(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) assessmentCreate(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) assessmentInsight(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) assessmentShow(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) assessmentQuestion(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) assessmentAnswer(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) assessmentBiasCheck(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) assessmentRevisit(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) assessmentShare(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) guidesList(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) guideShow(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) guideUpload(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) guideRetire(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
