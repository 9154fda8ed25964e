package api

import (
	"encoding/base64"
	"fmt"
	"strings"

	"candour/internal/attach"
	"candour/internal/report"
)

// Files travel in JSON as base64, each with its name: a report, a message to
// the reporter, an internal note and a reporter's own message can all carry
// them, and each is then stored, or refused, with the rest of the request in
// one step, as the web form's files are. The server decides a file's type
// from its bytes (attach.Inspect), never from its name or a declared type,
// and a reporter's files lose their metadata before they are stored.

// uploadJSON is one file in a request.
type uploadJSON struct {
	// Filename is the file's name with its extension, such as photo.jpg.
	Filename string `json:"filename"`
	// Content is the file's bytes in base64 (RFC 4648, section 4: the
	// standard alphabet, with or without padding).
	Content string `json:"content"`
}

// maxFilenameBytes bounds a file's name as sent; attach.CleanFilename
// shortens what is kept to 120 characters.
const maxFilenameBytes = 1024

// carriesFiles marks a request type with an attachments member, which may
// be far larger than other JSON bodies (filesBodyLimit).
type carriesFiles interface{ carriesFiles() }

// messageRequest is the body of a message or a note on a report, from its
// handlers or from the reporter.
type messageRequest struct {
	Body        string       `json:"body"`
	Attachments []uploadJSON `json:"attachments"`
}

func (*messageRequest) carriesFiles() {}
func (*submitRequest) carriesFiles()  {}

// filesBodyLimit is the largest body a request with attachments may have:
// the most files a report or message may carry, each as large as allowed
// once written in base64, and room for the rest. A body past it is refused
// before it is read to the end, with 413.
func (s *Server) filesBodyLimit() int64 {
	perFile := int64(base64.StdEncoding.EncodedLen(int(s.Reports.MaxAttachmentBytes))) + maxFilenameBytes + 64
	return maxJSONBytes + int64(s.Reports.MaxAttachments)*perFile
}

// uploads turns the files in a request into the domain's, decoding their
// content. A file that cannot be decoded, or has no name, goes on with its
// Problem set, so that the domain refuses it among everything else wrong
// with the request and stores nothing.
func (s *Server) uploads(in []uploadJSON) []report.Upload {
	if len(in) == 0 {
		return nil
	}
	out := make([]report.Upload, 0, len(in))
	for i, f := range in {
		shown := attach.CleanFilename(f.Filename)
		if shown == "" {
			shown = fmt.Sprintf("The file in attachments[%d]", i)
		}
		u := report.Upload{Filename: f.Filename}
		switch {
		case strings.TrimSpace(f.Filename) == "":
			u.Problem = fmt.Sprintf("Give attachments[%d] its file name, with the extension, such as photo.jpg, in filename.", i)
		case len(f.Filename) > maxFilenameBytes:
			u.Problem = fmt.Sprintf("The name of the file in attachments[%d] is longer than %d bytes. Send a shorter name.", i, maxFilenameBytes)
		default:
			data, problem := decodeBase64(f.Content)
			if problem != "" {
				u.Problem = shown + " could not be read: content must be the file's bytes in base64 (RFC 4648, the standard alphabet, with + and /). " + problem
				break
			}
			u.Data = data
		}
		out = append(out, u)
	}
	return out
}

// decodeBase64 reads the standard alphabet, padded or not, as clients
// differ on padding; the decoder skips the line breaks some encoders add
// every 76 characters. The problem, when there is one, says where.
func decodeBase64(v string) ([]byte, string) {
	trimmed := strings.TrimRight(v, "=\r\n")
	data, err := base64.RawStdEncoding.DecodeString(trimmed)
	if ce, ok := err.(base64.CorruptInputError); ok {
		if int(ce) >= len(trimmed)-1 {
			return nil, "It stops part-way through a byte, so its end is missing."
		}
		return nil, fmt.Sprintf("The character at offset %d does not belong there.", int64(ce))
	}
	if err != nil {
		return nil, "It is not base64."
	}
	return data, ""
}
