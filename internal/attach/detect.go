package attach

import (
	"bytes"
	"net/http"
	"strings"
	"unicode/utf8"
)

// kind is one kind of file that Inspect recognises, allowed or not.
type kind struct {
	label       string   // "a PNG image", for messages
	plural      string   // "PNG images", for "used for ..." in messages
	contentType string   // for allowed kinds
	exts        []string // extensions without the dot, canonical first
	allowed     bool
	dangerous   bool   // an extension claiming this kind is refused on any content
	hint        string // what to do instead, when refused; Allowed if empty
	clean       func(data []byte, shown string) ([]byte, error)
}

func (k *kind) advice() string {
	if k.hint != "" {
		return k.hint
	}
	return Allowed
}

func (k *kind) hasExt(ext string) bool {
	for _, e := range k.exts {
		if e == ext {
			return true
		}
	}
	return false
}

func keep(data []byte, _ string) ([]byte, error) { return data, nil }

// Allowed kinds.
var (
	kJPEG = &kind{label: "a JPEG image", plural: "JPEG images", contentType: "image/jpeg",
		exts: []string{"jpg", "jpeg", "jpe", "jfif"}, allowed: true, clean: cleanJPEG}
	kPNG = &kind{label: "a PNG image", plural: "PNG images", contentType: "image/png",
		exts: []string{"png"}, allowed: true, clean: cleanPNG}
	kGIF = &kind{label: "a GIF image", plural: "GIF images", contentType: "image/gif",
		exts: []string{"gif"}, allowed: true, clean: cleanGIF}
	kWebP = &kind{label: "a WebP image", plural: "WebP images", contentType: "image/webp",
		exts: []string{"webp"}, allowed: true, clean: cleanWebP}
	kPDF = &kind{label: "a PDF document", plural: "PDF documents", contentType: "application/pdf",
		exts: []string{"pdf"}, allowed: true, clean: keep}
	kText = &kind{label: "a text file", plural: "text files", contentType: "text/plain; charset=utf-8",
		exts: []string{"txt", "text", "log", "csv", "tsv", "md"}, allowed: true, clean: keep}
	kDocx = &kind{label: "a Word document", plural: "Word documents",
		contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		exts:        []string{"docx"}, allowed: true}
	kXlsx = &kind{label: "an Excel spreadsheet", plural: "Excel spreadsheets",
		contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		exts:        []string{"xlsx"}, allowed: true}
	kPptx = &kind{label: "a PowerPoint presentation", plural: "PowerPoint presentations",
		contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
		exts:        []string{"pptx"}, allowed: true}
)

func init() {
	// Set here because checkOffice refers to these kinds.
	kDocx.clean = checkOffice(kDocx)
	kXlsx.clean = checkOffice(kXlsx)
	kPptx.clean = checkOffice(kPptx)
}

// Refused kinds.
var (
	kWindows = &kind{label: "a Windows program", plural: "Windows programs", dangerous: true}
	kLinux   = &kind{label: "a Linux program", plural: "Linux programs", dangerous: true}
	kProgram = &kind{label: "a program", plural: "programs", dangerous: true}
	kScript  = &kind{label: "a script (a program in text form)", plural: "scripts", dangerous: true}
	kHTML    = &kind{label: "a web page (HTML)", plural: "web pages", dangerous: true,
		hint: "Save the page as a PDF, or take a screenshot, and attach that instead."}
	kSVG = &kind{label: "an SVG drawing", plural: "SVG drawings", dangerous: true,
		hint: "Save it as a PNG image or a PDF and attach that instead."}
	kXML = &kind{label: "an XML file", plural: "XML files", dangerous: true,
		hint: "Save it as a text file or a PDF and attach that instead."}
	kShortcut = &kind{label: "a shortcut or link file", plural: "shortcuts", dangerous: true,
		hint: "Attach the file it points to instead."}
	kDisk = &kind{label: "a disk image", plural: "disk images", dangerous: true,
		hint: "Attach the files inside it one at a time instead."}
	kZip = &kind{label: "a ZIP archive", plural: "ZIP archives",
		hint: "Attach the files inside it one at a time instead. " + Allowed}
	kArchive = &kind{label: "a compressed archive", plural: "compressed archives",
		hint: "Attach the files inside it one at a time instead. " + Allowed}
	kOldOffice = &kind{label: "an older Microsoft Office or Outlook file", plural: "older Office files",
		hint: "Open it and save it as a Word (.docx), Excel (.xlsx) or PowerPoint (.pptx) file without a password, " +
			"or save an email as a PDF, then attach the new copy."}
	kOtherOffice = &kind{label: "an Office document of a kind that cannot be attached", plural: "Office documents",
		hint: "Save it as a PDF and attach that instead. " + Allowed}
	kMacroOffice = &kind{label: "an Office document with macros", plural: "documents with macros",
		hint: "Save it as a normal Word (.docx), Excel (.xlsx) or PowerPoint (.pptx) file and attach that instead."}
	kRTF = &kind{label: "a Rich Text document", plural: "Rich Text documents",
		hint: "Save it as a Word document (.docx) or a PDF and attach that instead."}
	kUTF16 = &kind{label: "a text file in the UTF-16 encoding", plural: "UTF-16 text files",
		hint: "Save it as UTF-8 text, or as a Word document, and attach that instead."}
	kHEIC = &kind{label: "a HEIC photo", plural: "HEIC photos",
		hint: "Save or export it as a JPEG and attach that instead. On an iPhone, choose Settings, Camera, Formats, " +
			"then Most Compatible to take JPEG photos."}
	kAVIF  = &kind{label: "an AVIF image", plural: "AVIF images", hint: "Save it as a JPEG or PNG and attach that instead."}
	kTIFF  = &kind{label: "a TIFF image", plural: "TIFF images", hint: "Save it as a JPEG, PNG or PDF and attach that instead."}
	kBMP   = &kind{label: "a BMP image", plural: "BMP images", hint: "Save it as a PNG or JPEG and attach that instead."}
	kIcon  = &kind{label: "an icon", plural: "icons", hint: "Save it as a PNG and attach that instead."}
	kVideo = &kind{label: "a video", plural: "videos",
		hint: "Attach a photo (JPEG, PNG) instead, or describe in the report what the video shows."}
	kAudio = &kind{label: "an audio recording", plural: "audio recordings",
		hint: "Describe in the report what the recording contains instead. " + Allowed}
	kLegacyText = &kind{label: "a text file that is not in UTF-8", plural: "text files",
		hint: "Save it as UTF-8 text, or as a Word document, and attach that instead."}
	kFont    = &kind{label: "a font", plural: "fonts"}
	kUnknown = &kind{label: "a kind of file that is not recognised", plural: "unrecognised files"}
)

// extKinds maps extensions (lower case, no dot) to the kind they claim.
var extKinds = map[string]*kind{}

func init() {
	for _, k := range []*kind{kJPEG, kPNG, kGIF, kWebP, kPDF, kText, kDocx, kXlsx, kPptx} {
		for _, e := range k.exts {
			extKinds[e] = k
		}
	}
	add := func(k *kind, exts string) {
		for _, e := range strings.Fields(exts) {
			extKinds[e] = k
		}
	}
	add(kWindows, "exe com scr pif msi msp msix msixbundle appx appxbundle dll cpl sys drv ocx gadget application")
	add(kLinux, "elf so run deb rpm appimage")
	add(kProgram, "app dmg pkg jar class apk ipa wasm")
	add(kScript, "bat cmd ps1 psm1 psd1 vbs vbe js jse mjs cjs wsf wsh wsc sh bash zsh ksh csh py pyw pl rb php hta msc sct inf reg")
	add(kHTML, "html htm xhtml shtml mht mhtml")
	add(kSVG, "svg svgz")
	add(kXML, "xml xsl xslt")
	add(kShortcut, "lnk url scf website webloc desktop library-ms settingcontent-ms")
	add(kDisk, "iso img vhd vhdx vmdk")
	add(kZip, "zip")
	add(kArchive, "gz tgz bz2 xz zst 7z rar tar cab")
	add(kOldOffice, "doc dot xls xlt ppt pps pot msg oft pub vsd")
	add(kMacroOffice, "docm dotm xlsm xltm xlsb xlam pptm potm ppsm ppam")
	add(kRTF, "rtf")
	add(kHEIC, "heic heif")
	add(kAVIF, "avif")
	add(kTIFF, "tif tiff")
	add(kBMP, "bmp dib")
	add(kIcon, "ico cur")
	add(kVideo, "mp4 m4v mov avi wmv mkv webm 3gp mpg mpeg")
	add(kAudio, "mp3 m4a wav wma aac ogg oga opus flac amr")
	add(kFont, "ttf otf woff woff2 eot")
}

// detect decides the kind of data from its content alone.
func detect(data []byte) *kind {
	has := func(prefix string) bool { return bytes.HasPrefix(data, []byte(prefix)) }
	switch {
	case has("\xFF\xD8\xFF"):
		return kJPEG
	case has("\x89PNG\r\n\x1a\n"):
		return kPNG
	case has("GIF87a"), has("GIF89a"):
		return kGIF
	case has("RIFF") && len(data) >= 12 && string(data[8:12]) == "WEBP":
		return kWebP
	case has("%PDF-"):
		return kPDF
	case has("PK\x03\x04"), has("PK\x05\x06"):
		return detectZip(data)
	case has("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"):
		return kOldOffice
	case has("\x7FELF"):
		return kLinux
	case has("\xFE\xED\xFA\xCE"), has("\xFE\xED\xFA\xCF"), has("\xCE\xFA\xED\xFE"), has("\xCF\xFA\xED\xFE"),
		has("\xCA\xFE\xBA\xBE"), has("\x00asm"):
		return kProgram
	case has("\x1F\x8B"), has("7z\xBC\xAF\x27\x1C"), has("Rar!\x1A\x07"), has("\xFD7zXZ\x00"),
		has("\x28\xB5\x2F\xFD"), has("MSCF\x00\x00\x00\x00"),
		len(data) > 262 && string(data[257:262]) == "ustar":
		return kArchive
	case has("II*\x00"), has("MM\x00*"):
		return kTIFF
	case has("L\x00\x00\x00\x01\x14\x02\x00"):
		return kShortcut
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		switch string(data[8:12]) {
		case "heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1":
			return kHEIC
		case "avif", "avis":
			return kAVIF
		case "M4A ", "M4B ", "M4P ":
			return kAudio
		}
		return kVideo
	}
	if k := detectText(data); k != nil {
		return k
	}
	if bytes.HasPrefix(data, []byte("MZ")) {
		return kWindows
	}
	ct := http.DetectContentType(data)
	switch {
	case strings.HasPrefix(ct, "image/bmp"):
		return kBMP
	case strings.HasPrefix(ct, "image/x-icon"):
		return kIcon
	case strings.HasPrefix(ct, "video/"):
		return kVideo
	case strings.HasPrefix(ct, "audio/"), strings.HasPrefix(ct, "application/ogg"):
		return kAudio
	case strings.HasPrefix(ct, "font/"), strings.HasPrefix(ct, "application/vnd.ms-fontobject"):
		return kFont
	case strings.HasPrefix(ct, "application/x-rar"), strings.HasPrefix(ct, "application/x-gzip"):
		return kArchive
	case strings.HasPrefix(ct, "application/wasm"):
		return kProgram
	case strings.HasPrefix(ct, "text/plain"):
		return kLegacyText
	}
	return kUnknown
}

// markup holds strings that make a browser treat text as a web page, or
// that only make sense in one; text containing any of them is refused.
var markup = []string{"<script", "<html", "<svg", "<iframe", "<!doctype html", "<body", "<object", "<embed", "<head", "<meta", "<?xml-stylesheet"}

// detectText returns the kind of a text file, or nil when data is not text.
func detectText(data []byte) *kind {
	if bytes.HasPrefix(data, []byte("\xFE\xFF")) || bytes.HasPrefix(data, []byte("\xFF\xFE")) {
		return kUTF16
	}
	body := bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(body) {
		return nil
	}
	for _, c := range body {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F {
			return nil
		}
	}
	start := bytes.TrimLeft(body, " \t\r\n\f")
	low := bytes.ToLower(body)
	switch {
	case bytes.HasPrefix(start, []byte("#!")):
		return kScript
	case bytes.HasPrefix(start, []byte(`{\rtf`)):
		return kRTF
	case bytes.Contains(low, []byte("<svg")):
		return kSVG
	case len(start) >= 5 && bytes.EqualFold(start[:5], []byte("<?xml")): // not a lower-cased copy of all of it
		return kXML
	}
	for _, m := range markup {
		if bytes.Contains(low, []byte(m)) {
			return kHTML
		}
	}
	if strings.HasPrefix(http.DetectContentType(body), "text/html") {
		return kHTML
	}
	return kText
}
