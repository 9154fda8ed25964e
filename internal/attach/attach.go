package attach

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// DefaultMaxBytes is the size limit Inspect applies when it is given a
// maxBytes of zero or less.
const DefaultMaxBytes int64 = 10 << 20

// MaxUnpackedBytes bounds the total unpacked size of the entries of an
// Office document. Spreadsheets compress well (ten to one is common), so the
// bound is set well above DefaultMaxBytes; a ZIP bomb unpacks to far more.
const MaxUnpackedBytes int64 = 100 << 20

// MaxZipEntries bounds the number of entries in an Office document.
const MaxZipEntries = 10000

// MaxPixels bounds the width times height of an image, a guard against
// "decompression bombs" that are small files but enormous pictures. It is
// well above the largest photos phones take by default.
const MaxPixels = 200_000_000

// Accept lists the allowed types for the accept attribute of an HTML file
// input. It is a hint for the browser's file picker only: Inspect decides by
// content.
const Accept = "image/jpeg,image/png,image/gif,image/webp,application/pdf,text/plain," +
	".jpg,.jpeg,.png,.gif,.webp,.pdf,.txt,.csv,.docx,.xlsx,.pptx"

// Allowed is a sentence describing what can be attached, for hints beside
// the file input and at the end of refusals.
const Allowed = "Attach photos (JPEG, PNG, GIF or WebP), PDFs, Word, Excel or PowerPoint documents, or text files."

// Sentinel errors wrapped by every *Error that Inspect returns.
var (
	// ErrEmpty means the file has no content.
	ErrEmpty = errors.New("attach: the file is empty")
	// ErrTooLarge means the file, or an Office document once unpacked, is
	// over the size limit.
	ErrTooLarge = errors.New("attach: the file is too large")
	// ErrNotAllowed means the kind of file cannot be attached, or its name
	// claims a dangerous kind.
	ErrNotAllowed = errors.New("attach: this kind of file cannot be attached")
	// ErrDamaged means the file claims an allowed kind but could not be
	// read as one.
	ErrDamaged = errors.New("attach: the file could not be read")
)

// Error is a refusal from Inspect. Message is written for the person who
// chose the file and says what to do; it is also what Error returns.
type Error struct {
	// Kind is ErrEmpty, ErrTooLarge, ErrNotAllowed or ErrDamaged.
	Kind error
	// Message names the file, says what is wrong and what to do instead.
	Message string
	// Err is the underlying cause, if any (for logs, not for people).
	Err error
}

// Error returns the person-facing message.
func (e *Error) Error() string { return e.Message }

// Unwrap returns the sentinel kind and the underlying cause, so that both
// errors.Is(err, ErrNotAllowed) and checks on the cause work.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// File is an attachment that passed inspection.
type File struct {
	// Filename is the sanitised base name, with an extension that matches
	// the content.
	Filename string
	// ContentType is the MIME type decided from the content, suitable for
	// a Content-Type header.
	ContentType string
	// Data is the content to store: images without their metadata, other
	// files unchanged.
	Data []byte
	// SHA256 is the lower-case hexadecimal SHA-256 digest of Data.
	SHA256 string
	// Renamed reports that the extension was corrected to match the
	// content (a PNG named report.pdf is stored as report.png); NamedAs is
	// then the (sanitised) name it came with.
	Renamed bool
	NamedAs string
	// Kind says what the file is, in words: "a PDF document".
	Kind string
	// MetadataRemoved reports that Data differs from what was uploaded
	// because metadata (or data after the end of an image) was dropped.
	MetadataRemoved bool
}

// Inspect decides what data is from its content, refuses what cannot be
// attached, removes image metadata and returns the file to store. filename
// is the name the person's computer gave; it is sanitised and only used for
// the stored name and for checking that it does not contradict the
// content. maxBytes is the size limit; zero or less means DefaultMaxBytes.
// Callers should also limit the request body (http.MaxBytesReader) so that
// an oversized upload is never read into memory whole.
//
// Errors are *Error values wrapping ErrEmpty, ErrTooLarge, ErrNotAllowed or
// ErrDamaged; their messages can be shown to the person as they are.
func Inspect(filename string, data []byte, maxBytes int64) (File, error) {
	name := CleanFilename(filename)
	shown := name
	if shown == "" {
		shown = "This file"
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if len(data) == 0 {
		return File{}, &Error{Kind: ErrEmpty, Message: shown + " is empty. Check that you chose the right file and try again."}
	}
	if int64(len(data)) > maxBytes {
		return File{}, &Error{Kind: ErrTooLarge, Message: fmt.Sprintf(
			"%s is %s, which is more than the %s limit. Attach a smaller file, for example a photo taken at a lower resolution, or a document split into parts.",
			shown, humanSize(int64(len(data))), humanSize(maxBytes))}
	}

	k := detect(data)
	ext := extension(name)
	claimed, claims := extKinds[ext]
	if !k.allowed {
		msg := shown + " is " + k.label + ", which cannot be attached. "
		switch {
		case k == kUnknown:
			msg = shown + " is not a kind of file that can be attached. "
		case claims && claimed.label != k.label:
			msg = shown + " is really " + k.label + ", which cannot be attached. "
		}
		return File{}, &Error{Kind: ErrNotAllowed, Message: msg + k.advice()}
	}

	// A harmless file named as a program, script or web page may be an
	// attempt to have it run or rendered later; refuse rather than guess.
	if claims && claimed.dangerous {
		return File{}, &Error{Kind: ErrNotAllowed, Message: fmt.Sprintf(
			"%s is %s, but its name ends in .%s, which is used for %s. Rename it to end in .%s and try again.",
			shown, k.label, ext, claimed.plural, k.exts[0])}
	}
	renamed, namedAs := false, ""
	if !k.hasExt(ext) {
		namedAs = name
		name = withExtension(name, k.exts[0])
		renamed = true
	}

	clean, err := k.clean(data, shown)
	if err != nil {
		if _, ok := errors.AsType[*Error](err); ok {
			return File{}, err
		}
		return File{}, &Error{Kind: ErrDamaged, Err: err, Message: shown + " could not be read as " + k.label +
			". It may be damaged or only partly copied. Try saving it again and attach the new copy."}
	}

	sum := sha256.Sum256(clean)
	return File{
		Filename:        name,
		ContentType:     k.contentType,
		Data:            clean,
		SHA256:          hex.EncodeToString(sum[:]),
		Renamed:         renamed,
		NamedAs:         namedAs,
		Kind:            k.label,
		MetadataRemoved: !bytes.Equal(clean, data),
	}, nil
}

// humanSize formats n bytes the way file managers do (1 KB = 1024 bytes).
func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		s := fmt.Sprintf("%.1f", float64(n)/(1<<20))
		return strings.TrimSuffix(s, ".0") + " MB"
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+1<<9)>>10)
	default:
		if n == 1 {
			return "1 byte"
		}
		return fmt.Sprintf("%d bytes", n)
	}
}
