package report

// Queued is how many submissions wait for the group-commit writer, so that
// tests can hold the writer and know when a batch has formed, rather than
// guess with sleeps.
func (s *Service) Queued() int {
	if b := s.state().cur.Load(); b != nil {
		return len(b.in)
	}
	return 0
}
