package attach

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// StripDocumentMetadata removes from f what a document says about who made
// it, beyond what Inspect already removes from every file:
//
//   - for a PDF, the document information and XMP metadata and the
//     authors of its comments (blankPDFMetadata);
//   - for a Word, Excel or PowerPoint file, the names on its comments and
//     tracked changes and the paths of files on its author's computer
//     (stripOfficeAuthors).
//
// It is for the files people raising reports attach, where a name can
// undo anonymity. Handlers' files and casework documents keep theirs:
// there, who wrote what and when can matter as evidence. f's SHA256 is
// worked out again when the data changes. An *Error says, for the person,
// that an Office file holds something whose names cannot be removed (it is
// refused rather than kept with them); any other error is for an Office
// file that cannot be read again, which Inspect would already have
// refused.
func StripDocumentMetadata(f File) (File, error) {
	var clean []byte
	switch f.ContentType {
	case kPDF.contentType:
		clean = blankPDFMetadata(f.Data)
	case kDocx.contentType, kXlsx.contentType, kPptx.contentType:
		var err error
		if clean, err = stripOfficeAuthors(f.Data); errors.Is(err, errUncleanable) {
			return File{}, &Error{Kind: ErrNotAllowed, Err: err, Message: fmt.Sprintf(
				"%s contains an embedded file or other content whose authors' names candour cannot remove. Save it as a PDF and attach that instead.",
				f.Filename)}
		} else if err != nil {
			return File{}, fmt.Errorf("%s: %w", f.Filename, err)
		}
	default:
		return f, nil
	}
	if !bytes.Equal(clean, f.Data) {
		sum := sha256.Sum256(clean)
		f.Data, f.SHA256, f.MetadataRemoved = clean, hex.EncodeToString(sum[:]), true
	}
	return f, nil
}
