package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"candour/internal/attach"
	"candour/internal/httpx"
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
	Content base64Content `json:"content"`
}

// base64Content is a file's content, decoded from base64 where it lies in
// the request body: a file is held once as its base64 (the body) and once
// as its bytes, not a third time as a Go string between the two. Text that
// is not base64 is not an error here, which would end the whole decoding,
// but a problem kept for the file (uploads), so that the sender hears of
// it among everything else wrong with the request.
type base64Content struct {
	data    []byte
	problem string
}

// UnmarshalJSON decodes a JSON string of base64. Base64 needs no escapes,
// so the bytes between the quotes are read as they are; a string with
// escapes in it (a "\/" or "\n" some encoders write) is unescaped first.
func (c *base64Content) UnmarshalJSON(raw []byte) error {
	if len(raw) < 2 || raw[0] != '"' {
		return &json.UnmarshalTypeError{Value: jsonValueKind(raw), Type: reflect.TypeFor[string]()}
	}
	text := raw[1 : len(raw)-1]
	if bytes.IndexByte(text, '\\') >= 0 {
		var ok bool
		if text, ok = unescapeBase64(text); !ok {
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return err
			}
			text = []byte(s)
		}
	}
	c.data, c.problem = decodeBase64(text)
	return nil
}

// unescapeBase64 undoes the escapes base64 text picks up on its way into
// JSON: "\n" and "\r" from encoders that break lines every 76 characters,
// "\/" from those that escape every slash. The decoder skips the line
// breaks, so they are dropped here. Any other escape is left to
// encoding/json (ok false).
func unescapeBase64(text []byte) (out []byte, ok bool) {
	out = make([]byte, 0, len(text))
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i++; i == len(text) {
			return nil, false
		}
		switch text[i] {
		case 'n', 'r':
		case '/':
			out = append(out, '/')
		default:
			return nil, false
		}
	}
	return out, true
}

// jsonValueKind names the kind of a JSON value, as encoding/json's type
// errors do.
func jsonValueKind(raw []byte) string {
	switch {
	case len(raw) == 0:
		return "value"
	case raw[0] == '{':
		return "object"
	case raw[0] == '[':
		return "array"
	case raw[0] == 't' || raw[0] == 'f':
		return "bool"
	case raw[0] == 'n':
		return "null"
	}
	return "number"
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
// once written in base64, with an eighth more for the line breaks some
// encoders add every 76 characters (two to four bytes each once in JSON)
// and for "\/" escapes, a name, and 1 MiB for the rest. A body past it is
// refused with 413, before it is read when its length is declared.
func (s *Server) filesBodyLimit() int64 {
	encoded := int64(base64.StdEncoding.EncodedLen(int(s.Reports.MaxAttachmentBytes)))
	perFile := encoded + encoded/8 + maxFilenameBytes + 64
	return maxJSONBytes + int64(s.Reports.MaxAttachments)*perFile
}

// uploads turns the files in a request into the domain's. A file that
// could not be decoded (base64Content), or has no name, goes on with its
// Problem set, so that the domain refuses it among everything else wrong
// with the request and stores nothing. Each file's problems are reported
// under its place in the body, attachments[i].
func (s *Server) uploads(in []uploadJSON) []report.Upload {
	if len(in) == 0 {
		return nil
	}
	out := make([]report.Upload, 0, len(in))
	for i := range in {
		f := &in[i]
		shown := attach.CleanFilename(f.Filename)
		if shown == "" {
			shown = "This file"
		}
		u := report.Upload{Filename: f.Filename, Field: fmt.Sprintf("attachments[%d]", i)}
		var problems []string
		switch {
		case strings.TrimSpace(f.Filename) == "":
			problems = append(problems, "Give the file's name, with its extension, such as photo.jpg, in filename.")
		case len(f.Filename) > maxFilenameBytes:
			problems = append(problems, fmt.Sprintf("Its name is longer than %d bytes: send a shorter one.", maxFilenameBytes))
		}
		if f.Content.problem != "" {
			problems = append(problems, shown+" could not be read: content must be the file's bytes in base64 (RFC 4648, the standard alphabet). "+f.Content.problem)
		}
		u.Data = f.Content.data
		u.Problem = strings.Join(problems, " ")
		out = append(out, u)
	}
	return out
}

// maxPadding is the most "=" that can end base64 text.
const maxPadding = 2

// decodeBase64 reads the standard alphabet, padded or not, as clients
// differ on padding; the decoder skips the line breaks some encoders add
// every 76 characters. The problem, when there is one, says where and,
// for the usual slips, what to do.
func decodeBase64(v []byte) ([]byte, string) {
	if bytes.HasPrefix(v, []byte("data:")) {
		return nil, "Send the base64 alone, without a data: URL prefix."
	}
	text := bytes.TrimRight(v, "\r\n")
	trimmed := bytes.TrimRight(text, "=")
	if len(text)-len(trimmed) > maxPadding {
		return nil, fmt.Sprintf("It ends with %d = signs; base64 ends with at most %d.", len(text)-len(trimmed), maxPadding)
	}
	enc := base64.RawStdEncoding
	data := make([]byte, enc.DecodedLen(len(trimmed)))
	n, err := enc.Decode(data, trimmed)
	data = data[:n]
	ce, ok := errors.AsType[base64.CorruptInputError](err)
	switch {
	case err == nil:
		return data, ""
	case !ok || int(ce) >= len(trimmed):
		return nil, "It stops part-way through a byte, so its end is missing."
	}
	at := int(ce)
	switch c := trimmed[at]; {
	case c == '-' || c == '_':
		return nil, fmt.Sprintf("The %q at offset %d is from the URL-safe alphabet: use + and / in place of - and _.", c, at)
	case c == ' ' || c == '\t':
		return nil, fmt.Sprintf("There is a space at offset %d: send the base64 without spaces.", at)
	case c == '=':
		return nil, fmt.Sprintf("There is an = at offset %d: padding may come only at the end.", at)
	case strings.IndexByte(base64Alphabet, c) >= 0:
		// A lone character left over after the last whole group.
		return nil, "It stops part-way through a byte, so its end is missing."
	case c < 0x20 || c >= 0x7f:
		return nil, fmt.Sprintf("The byte at offset %d is not base64.", at)
	default:
		return nil, fmt.Sprintf("The %q at offset %d is not base64.", c, at)
	}
}

// base64Alphabet is RFC 4648's standard alphabet.
const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// attachmentID reads the {attachment_id} path value; anything that is not
// a positive number is a file that does not exist.
func attachmentID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	n, err := strconv.ParseInt(r.PathValue("attachment_id"), 10, 64)
	if err != nil || n <= 0 {
		notFound(w, r, "An attachment with this id")
		return 0, false
	}
	return n, true
}

// sendAttachment answers with a file the domain gave, or with why not: a
// file the caller may not see is one that does not exist.
func (s *Server) sendAttachment(w http.ResponseWriter, r *http.Request, a report.Attachment, data []byte, err error) {
	switch {
	case errors.Is(err, report.ErrNotAllowed):
		notFound(w, r, "An attachment with this id on this report")
	case err != nil:
		s.internal(w, r, err)
	default:
		httpx.SendDownload(w, a.Filename, a.ContentType, data)
	}
}
