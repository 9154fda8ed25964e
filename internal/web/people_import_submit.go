package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"candour/internal/org"
)

// importMemoryBytes is how much of an upload is held in memory; the rest of
// a larger file waits in a temporary file until the request ends.
const importMemoryBytes = 8 << 20

// peopleImportSubmit imports an uploaded ESR staff list. A file with bad
// rows imports nothing, unless the person ticked the box to import the good
// rows anyway.
func (s *Server) peopleImportSubmit(w http.ResponseWriter, r *http.Request) {
	f := &Form{}
	r.Body = http.MaxBytesReader(w, r.Body, s.Config.MaxUploadBytes)
	if err := r.ParseMultipartForm(importMemoryBytes); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) || strings.Contains(err.Error(), "request body too large") {
			f.Errors.Add("file", "The file must be smaller than "+sizeText(s.Config.MaxUploadBytes))
			s.renderImport(w, r, http.StatusRequestEntityTooLarge, f, nil)
			return
		}
		f.Errors.Add("file", "The file could not be uploaded. Choose the file again and try once more")
		s.renderImport(w, r, http.StatusBadRequest, f, nil)
		return
	}
	f.Values = r.MultipartForm.Value
	file, _, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		f.Errors.Add("file", "Select a CSV file")
		s.renderImport(w, r, http.StatusUnprocessableEntity, f, nil)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer file.Close()
	res, err := s.Org.Import(r.Context(), actor(r), file, org.ImportOptions{SkipBadRows: f.Get("skip_bad_rows") == "yes"})
	if errors.Is(err, org.ErrBadFile) {
		f.Errors.Add("file", err.Error())
		s.renderImport(w, r, http.StatusUnprocessableEntity, f, nil)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !res.Applied {
		f.Errors.Add("file", importProblem(res))
		s.renderImport(w, r, http.StatusUnprocessableEntity, f, &res)
		return
	}
	if len(res.Errors) > 0 {
		// Some rows were skipped: show which, and why.
		s.renderImport(w, r, http.StatusOK, f, &res)
		return
	}
	s.redirect(w, r, "/people", importSummary(res))
}

// importProblem says why nothing was imported.
func importProblem(res org.ImportResult) string {
	rows := map[int]bool{}
	for _, e := range res.Errors {
		rows[e.Line] = true
	}
	n := plural(len(rows), "row", "rows")
	if res.Skipped > 0 {
		return fmt.Sprintf("None of the rows could be imported: %s %s problems. Correct the file and choose it again", n, map[bool]string{true: "has", false: "have"}[len(rows) == 1])
	}
	return fmt.Sprintf("Nothing has been imported because %s %s problems. Correct the file and choose it again, or tick the box to import the other rows", n, map[bool]string{true: "has", false: "have"}[len(rows) == 1])
}

// importSummary is the message shown after an import.
func importSummary(res org.ImportResult) string {
	return fmt.Sprintf("Imported %s: %d added, %d updated, %d unchanged, %d skipped",
		plural(res.Created+res.Updated+res.Unchanged, "person", "people"), res.Created, res.Updated, res.Unchanged, res.Skipped)
}

// plural writes n with the singular or plural noun.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
