// Package attach checks and cleans files that people attach to reports.
//
// Inspect decides what a file is from its bytes alone (its first bytes, and
// for Office documents the entries of the ZIP archive), never from its name or
// from the type a browser claims. It accepts photos (JPEG, PNG, GIF, WebP),
// PDF documents, Word, Excel and PowerPoint documents (Office Open XML:
// .docx, .xlsx, .pptx) and plain text in UTF-8. Everything else is refused
// with a message that names what the file is and says what to do instead:
// programs, scripts, web pages (HTML), SVG drawings, archives, older Office
// files, macro-enabled documents, videos and so on. Text must be valid
// UTF-8 without control characters other than tab, line breaks and form
// feed, and is refused as a web page when it contains HTML or SVG markup
// ("<script", "<html", "<svg" and the like), since a browser might render it.
// Images whose pictures exceed MaxPixels are refused as too large, and so are
// files over the caller's size limit.
//
// # Names that contradict the content
//
// When a file's extension says one thing and its content another, Inspect
// refuses it if either side is dangerous: a program, script, web page or SVG
// drawing named as a photo is refused ("report.png is really a Windows
// program"), and so is a harmless photo or PDF whose name ends in .exe, .js,
// .html or another extension that would make a computer run or render it.
// Harmless mismatches between allowed kinds (a PNG named report.pdf, a PDF
// named scan.jpg, a JPEG named photo.heic) are accepted with the extension
// corrected (report.png, scan.pdf, photo.jpg), and File.Renamed is set.
//
// # Metadata
//
// Photos carry details their taker may not know about: where the photo was
// taken (GPS), when, on which device, sometimes the owner's name, and
// thumbnails of the picture before it was cropped. Inspect rewrites images
// without them, keeping the picture data byte for byte (nothing is decoded and
// re-encoded, so there is no loss of quality):
//
//   - JPEG: keeps APP0 (JFIF), APP2 ICC colour profiles, APP14 (Adobe colour
//     transform) and every segment needed to decode the picture; drops all
//     other APPn segments (APP1 EXIF and XMP, APP13 IPTC and Photoshop, APP2
//     multi-picture and FlashPix data, JFXX thumbnails, vendor segments) and
//     COM comments. Everything from the start of scan (SOS) to the end of image
//     (EOI) is kept byte for byte; anything after EOI (secondary pictures,
//     "motion photo" videos) is dropped. When the EXIF data held an
//     orientation other than "upright", a minimal EXIF segment carrying only
//     that orientation is written back, so phone photos are not shown on
//     their side; nothing else from EXIF survives.
//   - PNG: keeps critical chunks and the ancillary chunks that affect how the
//     picture looks (colour, transparency, gamma, physical size, animation);
//     drops tEXt, zTXt, iTXt, eXIf, tIME and every other ancillary or private
//     chunk (for example C2PA content credentials). Chunk CRCs are checked,
//     and kept chunks are copied unchanged; data after IEND is dropped.
//   - WebP: drops the EXIF and XMP chunks and any unknown chunk, clears the
//     matching VP8X flags and fixes the RIFF size; data after the RIFF
//     container is dropped.
//   - GIF: drops comment extensions and application extensions (XMP among
//     them) other than the NETSCAPE2.0 / ANIMEXTS1.0 looping extension;
//     data after the trailer is dropped.
//
// Office documents keep their content but lose their document properties:
// docProps/core.xml, app.xml and custom.xml (author, last saved by, company,
// manager, title, dates, editing time, custom fields) are replaced by empty
// parts of the same names, and every other part is copied as stored, so the
// package stays valid. Comments and tracked changes, which carry their
// authors' names inside the document itself, are kept as they are here.
//
// StripDocumentMetadata, for the files reporters attach (handlers' files and
// casework documents keep theirs: their dates and authors can be evidence),
// goes further. In Word, Excel and PowerPoint files it replaces the names
// and initials on comments and tracked changes (and the name that opens
// each Excel note), the accounts in their people lists, a shared
// workbook's users, a presentation's change history, SharePoint's list of
// who a file was shared with, the folder a workbook was saved in, and the
// paths of linked files on the author's computer or personal OneDrive (a
// template under C:\Users\<name>): names become "Author", initials "A",
// the rest nothing or a base name. Only attribute values and element text
// change, so each part stays well-formed and the comments and changes
// themselves are kept. Photos and Office files embedded in the document
// are cleaned as attached ones are; a document holding something that
// cannot be (for example an embedded file with macros or too large to
// check, an Office file two levels deep, or an XML directive) is refused
// rather than kept with names in it. Other
// embedded objects (OLE parts) and paths inside field codes, mail-merge
// sources and connection strings are kept. For PDF
// documents, the author, creator, producer, title, subject, keywords and
// dates of each document information dictionary (the objects the trailers
// name as /Info) and of each XMP metadata packet are blanked wherever they
// are stored uncompressed, as most writers store them. Each value is
// overwritten in place by as many bytes of spaces, so every byte offset,
// and with it the cross-reference table, stays right and the document is
// exactly as valid as before, in every revision it keeps.
// The author (/T) of each comment, highlight, stamp or other markup
// annotation stored as an object of its own is blanked the same way,
// reading only that object's own dictionary; a form field's /T, its name,
// is not. Values inside compressed object or metadata streams, or given by
// reference, are kept (blanking them would mean rewriting the file, which
// needs a full PDF parser and writer), and a signed PDF is left whole,
// since any change would break its signature. The report forms warn that
// a file can still show who wrote it.
//
// Office documents are opened with archive/zip to prove they are what they
// claim, with a bound on the number of entries and on their unpacked size
// (a guard against ZIP bombs), and documents with macros or ActiveX
// controls are refused. Beyond what StripDocumentMetadata does for
// reporters' files, embedded objects and PDF scripts are not inspected:
// serve attachments for download (Content-Disposition: attachment) with
// the ContentType from File and X-Content-Type-Options: nosniff.
//
// Errors from Inspect are *Error values whose Message can be shown to the
// person as it is; they wrap ErrEmpty, ErrTooLarge, ErrNotAllowed or
// ErrDamaged for errors.Is.
package attach
