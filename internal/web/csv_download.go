package web

import (
	"encoding/csv"
	"fmt"
	"net/http"

	"candour/internal/validate"
)

// csvDownload starts a CSV file download named filename, never cached, and
// returns the writer for its rows.
func csvDownload(w http.ResponseWriter, filename string) *csv.Writer {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.Header().Set("Cache-Control", "no-store")
	return csv.NewWriter(w)
}

// csvBadRequest answers a CSV download whose query was wrong with the
// problems as plain text, one a line: there is no page to show them on.
func csvBadRequest(w http.ResponseWriter, errs validate.Errors) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	for _, e := range errs {
		fmt.Fprintln(w, e.Message)
	}
}
