package attach

import (
	"encoding/binary"
	"fmt"
)

// webpKeep lists the WebP chunks that are kept; EXIF, XMP and unknown
// chunks are dropped.
var webpKeep = map[string]bool{
	"VP8 ": true, "VP8L": true, "VP8X": true, "ALPH": true, "ANIM": true, "ANMF": true, "ICCP": true,
}

// VP8X flag bits for EXIF and XMP metadata.
const (
	vp8xExif = 0x08
	vp8xXMP  = 0x04
)

// cleanWebP rewrites a WebP without EXIF, XMP and unknown chunks, fixing the
// RIFF size and the VP8X flags, and dropping data after the RIFF container.
func cleanWebP(data []byte, shown string) ([]byte, error) {
	if len(data) < 12 {
		return nil, fmt.Errorf("webp: truncated header: %w", errStructure)
	}
	size := int64(binary.LittleEndian.Uint32(data[4:]))
	if size < 4 || size+8 > int64(len(data)) {
		return nil, fmt.Errorf("webp: RIFF size %d out of range: %w", size, errStructure)
	}
	riff := data[:8+size]
	out := make([]byte, 12, len(riff))
	copy(out, riff[:12])
	w, h := 0, 0
	vp8x := -1 // offset of the VP8X payload in out
	for i := 12; i < len(riff); {
		if i+8 > len(riff) {
			return nil, fmt.Errorf("webp: truncated chunk header: %w", errStructure)
		}
		fourcc := string(riff[i : i+4])
		n := int64(binary.LittleEndian.Uint32(riff[i+4:]))
		end := int64(i) + 8 + n + n&1
		if end > int64(len(riff)) {
			// Some encoders leave out the final pad byte.
			if end-1 == int64(len(riff)) && n&1 == 1 {
				end--
			} else {
				return nil, fmt.Errorf("webp: chunk %q size %d out of range: %w", fourcc, n, errStructure)
			}
		}
		payload := riff[i+8 : int64(i)+8+n]
		if i == 12 {
			var ok bool
			if w, h, ok = webpSize(fourcc, payload); !ok {
				return nil, fmt.Errorf("webp: first chunk %q is not an image header: %w", fourcc, errStructure)
			}
		}
		if webpKeep[fourcc] {
			if fourcc == "VP8X" {
				vp8x = len(out) + 8
			}
			out = append(out, riff[i:end]...)
			if end-int64(i) == 8+n { // restore a missing pad byte
				if n&1 == 1 {
					out = append(out, 0)
				}
			}
		}
		i = int(end)
	}
	if vp8x >= 0 {
		out[vp8x] &^= vp8xExif | vp8xXMP
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	if err := pixelLimit(w, h, shown); err != nil {
		return nil, err
	}
	return out, nil
}

// webpSize reads the picture size from the first chunk of a WebP.
func webpSize(fourcc string, p []byte) (w, h int, ok bool) {
	le24 := func(b []byte) int { return int(b[0]) | int(b[1])<<8 | int(b[2])<<16 }
	switch fourcc {
	case "VP8X":
		if len(p) < 10 {
			return 0, 0, false
		}
		return le24(p[4:]) + 1, le24(p[7:]) + 1, true
	case "VP8 ":
		if len(p) < 10 || p[3] != 0x9D || p[4] != 0x01 || p[5] != 0x2A {
			return 0, 0, false
		}
		return int(binary.LittleEndian.Uint16(p[6:]) & 0x3FFF), int(binary.LittleEndian.Uint16(p[8:]) & 0x3FFF), true
	case "VP8L":
		if len(p) < 5 || p[0] != 0x2F {
			return 0, 0, false
		}
		bits := binary.LittleEndian.Uint32(p[1:])
		return int(bits&0x3FFF) + 1, int(bits>>14&0x3FFF) + 1, true
	}
	return 0, 0, false
}
