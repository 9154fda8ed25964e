package web

import (
	"fmt"
	"net/http"

	"candour/internal/org"
)

// importView is the data of the import page.
type importView struct {
	// MaxSize is the largest file accepted, in words.
	MaxSize string
	// Result is what an import found, when the page shows one.
	Result *org.ImportResult
	// Stored is how many people were added, changed or left as they were.
	Stored int
}

// peopleImportShow explains the staff list file that can be imported and
// offers the form to upload one.
func (s *Server) peopleImportShow(w http.ResponseWriter, r *http.Request) {
	s.renderImport(w, r, http.StatusOK, &Form{}, nil)
}

func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, status int, f *Form, res *org.ImportResult) {
	v := importView{MaxSize: sizeText(s.Config.MaxUploadBytes), Result: res}
	title := "Import people from ESR"
	if res != nil {
		v.Stored = res.Created + res.Updated + res.Unchanged
		if res.Applied {
			title = "People imported"
		}
	}
	s.render(w, r, status, "people_import", &Page{Title: title, Form: f, Data: v, BackLink: "/people"})
}

// sizeText writes a number of bytes for people: "10 MB", "1.5 MB", "512 KB".
func sizeText(n int64) string {
	const mb, kb = 1 << 20, 1 << 10
	switch {
	case n >= mb && n%mb == 0:
		return fmt.Sprintf("%d MB", n/mb)
	case n >= mb:
		return fmt.Sprintf("%.1f MB", float64(n)/mb)
	case n >= kb:
		return fmt.Sprintf("%d KB", n/kb)
	}
	return fmt.Sprintf("%d bytes", n)
}
