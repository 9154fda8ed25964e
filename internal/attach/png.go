package attach

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// pngKeep lists the ancillary PNG chunks that affect how the picture looks
// and are kept; every other ancillary chunk is dropped. Critical chunks
// (upper-case first letter) are always kept.
var pngKeep = map[string]bool{
	"cHRM": true, "gAMA": true, "iCCP": true, "sBIT": true, "sRGB": true, "cICP": true,
	"mDCV": true, "cLLI": true, "mDCv": true, "cLLi": true,
	"bKGD": true, "hIST": true, "tRNS": true, "pHYs": true, "sPLT": true,
	"acTL": true, "fcTL": true, "fdAT": true, // APNG animation
}

// cleanPNG rewrites a PNG without text, time, EXIF and unknown ancillary
// chunks, checking every chunk's CRC and dropping data after IEND.
func cleanPNG(data []byte, shown string) ([]byte, error) {
	const sig = 8
	out := make([]byte, 0, len(data))
	out = append(out, data[:sig]...)
	i := sig
	for n := 0; ; n++ {
		if i+12 > len(data) {
			return nil, fmt.Errorf("png: truncated before IEND: %w", errStructure)
		}
		length := binary.BigEndian.Uint32(data[i:])
		if length > 1<<31-1 || int64(length) > int64(len(data)-i-12) {
			return nil, fmt.Errorf("png: chunk length %d out of range: %w", length, errStructure)
		}
		end := i + 12 + int(length)
		typ := string(data[i+4 : i+8])
		if n == 0 && typ != "IHDR" {
			return nil, fmt.Errorf("png: first chunk is %q, not IHDR: %w", typ, errStructure)
		}
		if crc32.ChecksumIEEE(data[i+4:end-4]) != binary.BigEndian.Uint32(data[end-4:]) {
			return nil, fmt.Errorf("png: %q chunk CRC mismatch: %w", typ, errStructure)
		}
		if critical := typ[0]&0x20 == 0; critical || pngKeep[typ] {
			out = append(out, data[i:end]...)
		}
		i = end
		if typ == "IEND" {
			break
		}
	}
	if err := checkPixels(out, shown); err != nil {
		return nil, err
	}
	return out, nil
}
