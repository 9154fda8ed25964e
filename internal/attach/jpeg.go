package attach

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // register for checkPixels
	_ "image/jpeg" // register for checkPixels
	_ "image/png"  // register for checkPixels
)

var errStructure = errors.New("malformed structure")

// cleanJPEG rewrites a JPEG without metadata segments; see the package
// documentation for what is kept.
func cleanJPEG(data []byte, shown string) ([]byte, error) {
	out := make([]byte, 0, len(data))
	out = append(out, 0xFF, 0xD8)
	orientation := 0
	exifAt := len(out) // where a minimal EXIF segment goes: after SOI, or after a leading JFIF APP0
	first := true
	i := 2
	for {
		if i >= len(data) || data[i] != 0xFF {
			return nil, fmt.Errorf("jpeg: marker expected at %d: %w", i, errStructure)
		}
		for i < len(data) && data[i] == 0xFF {
			i++
		}
		if i >= len(data) {
			return nil, fmt.Errorf("jpeg: truncated marker: %w", errStructure)
		}
		m := data[i]
		i++
		if m >= 0xD0 && m <= 0xD7 || m == 0x01 { // standalone markers
			out = append(out, 0xFF, m)
			continue
		}
		if m == 0x00 || m == 0xD8 || m == 0xD9 {
			return nil, fmt.Errorf("jpeg: unexpected marker %#x before the image data: %w", m, errStructure)
		}
		if i+2 > len(data) {
			return nil, fmt.Errorf("jpeg: truncated segment: %w", errStructure)
		}
		n := int(binary.BigEndian.Uint16(data[i:]))
		if n < 2 || i+n > len(data) {
			return nil, fmt.Errorf("jpeg: segment length %d out of range: %w", n, errStructure)
		}
		seg := data[i : i+n] // length field and payload
		payload := seg[2:]
		i += n
		if m == 0xDA { // start of scan: keep the rest up to and including EOI
			end := len(data)
			for j := i; j+1 < len(data); j++ {
				if data[j] == 0xFF && data[j+1] == 0xD9 {
					end = j + 2
					break
				}
			}
			out = append(out, 0xFF, m)
			out = append(out, seg...)
			out = append(out, data[i:end]...)
			break
		}
		keepSeg := true
		switch {
		case m == 0xE0:
			keepSeg = bytes.HasPrefix(payload, []byte("JFIF\x00"))
		case m == 0xE1:
			keepSeg = false
			if o := exifOrientation(payload); o != 0 && orientation == 0 {
				orientation = o
			}
		case m == 0xE2:
			keepSeg = bytes.HasPrefix(payload, []byte("ICC_PROFILE\x00"))
		case m == 0xEE:
			keepSeg = bytes.HasPrefix(payload, []byte("Adobe"))
		case m > 0xE0 && m <= 0xEF, m == 0xFE:
			keepSeg = false
		}
		if keepSeg {
			out = append(out, 0xFF, m)
			out = append(out, seg...)
			if first && m == 0xE0 {
				exifAt = len(out)
			}
		}
		first = false
	}
	if orientation > 1 {
		out = append(out[:exifAt], append(minimalExif(orientation), out[exifAt:]...)...)
	}
	if err := checkPixels(out, shown); err != nil {
		return nil, err
	}
	return out, nil
}

// exifOrientation returns the Orientation tag (1 to 8) from IFD0 of an APP1
// EXIF payload, or 0 when there is none or the payload is not EXIF.
func exifOrientation(p []byte) int {
	if !bytes.HasPrefix(p, []byte("Exif\x00\x00")) {
		return 0
	}
	t := p[6:]
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 0
	}
	off := int64(bo.Uint32(t[4:]))
	if off < 8 || off+2 > int64(len(t)) {
		return 0
	}
	count := int64(bo.Uint16(t[off:]))
	for e := int64(0); e < count; e++ {
		at := off + 2 + 12*e
		if at+12 > int64(len(t)) {
			return 0
		}
		if bo.Uint16(t[at:]) == 0x0112 && bo.Uint16(t[at+2:]) == 3 {
			if o := int(bo.Uint16(t[at+8:])); o >= 1 && o <= 8 {
				return o
			}
			return 0
		}
	}
	return 0
}

// minimalExif returns an APP1 segment whose EXIF holds only an Orientation
// tag.
func minimalExif(orientation int) []byte {
	b := []byte{0xFF, 0xE1, 0, 0}
	b = append(b, "Exif\x00\x00"...)
	b = append(b, "MM\x00*"...)
	b = binary.BigEndian.AppendUint32(b, 8)      // IFD0 offset
	b = binary.BigEndian.AppendUint16(b, 1)      // one entry
	b = binary.BigEndian.AppendUint16(b, 0x0112) // Orientation
	b = binary.BigEndian.AppendUint16(b, 3)      // SHORT
	b = binary.BigEndian.AppendUint32(b, 1)      // count
	b = binary.BigEndian.AppendUint16(b, uint16(orientation))
	b = append(b, 0, 0)                     // value padding
	b = binary.BigEndian.AppendUint32(b, 0) // no next IFD
	binary.BigEndian.PutUint16(b[2:], uint16(len(b)-2))
	return b
}

// checkPixels decodes the header of a JPEG, PNG or GIF image and refuses
// images whose picture is absurdly large for the file (or unreadable).
func checkPixels(data []byte, shown string) error {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("image header: %w", err)
	}
	return pixelLimit(cfg.Width, cfg.Height, shown)
}

// pixelLimit refuses pictures of more than MaxPixels.
func pixelLimit(w, h int, shown string) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("image size %dx%d: %w", w, h, errStructure)
	}
	if int64(w)*int64(h) > MaxPixels {
		return &Error{Kind: ErrTooLarge, Message: fmt.Sprintf(
			"%s is %d by %d pixels, which is too large to attach. Save a smaller copy and attach that instead.", shown, w, h)}
	}
	return nil
}
