package attach

import (
	"fmt"
)

// cleanGIF rewrites a GIF without comment extensions and application
// extensions other than the looping one, dropping data after the trailer.
func cleanGIF(data []byte, shown string) ([]byte, error) {
	if len(data) < 13 {
		return nil, fmt.Errorf("gif: truncated header: %w", errStructure)
	}
	i := 13
	if flags := data[10]; flags&0x80 != 0 {
		i += 3 << (flags&7 + 1)
	}
	if i > len(data) {
		return nil, fmt.Errorf("gif: truncated colour table: %w", errStructure)
	}
	out := make([]byte, 0, len(data))
	out = append(out, data[:i]...)
	// subBlocks returns the index just past the sub-blocks starting at j.
	subBlocks := func(j int) (int, error) {
		for {
			if j >= len(data) {
				return 0, fmt.Errorf("gif: truncated data sub-blocks: %w", errStructure)
			}
			n := int(data[j])
			j++
			if n == 0 {
				return j, nil
			}
			j += n
		}
	}
	for {
		if i >= len(data) {
			return nil, fmt.Errorf("gif: no trailer: %w", errStructure)
		}
		switch data[i] {
		case 0x3B: // trailer
			out = append(out, 0x3B)
			if err := checkPixels(out, shown); err != nil {
				return nil, err
			}
			return out, nil
		case 0x21: // extension
			if i+2 > len(data) {
				return nil, fmt.Errorf("gif: truncated extension: %w", errStructure)
			}
			label := data[i+1]
			end, err := subBlocks(i + 2)
			if err != nil {
				return nil, err
			}
			keepExt := label == 0xF9 || label == 0x01 // graphic control, plain text
			if label == 0xFF && i+14 <= len(data) && data[i+2] == 11 {
				switch string(data[i+3 : i+14]) {
				case "NETSCAPE2.0", "ANIMEXTS1.0":
					keepExt = true
				}
			}
			if keepExt {
				out = append(out, data[i:end]...)
			}
			i = end
		case 0x2C: // image descriptor
			j := i + 10
			if j > len(data) {
				return nil, fmt.Errorf("gif: truncated image descriptor: %w", errStructure)
			}
			if flags := data[i+9]; flags&0x80 != 0 {
				j += 3 << (flags&7 + 1)
			}
			j++ // LZW minimum code size
			end, err := subBlocks(j)
			if err != nil {
				return nil, err
			}
			out = append(out, data[i:end]...)
			i = end
		default:
			return nil, fmt.Errorf("gif: unexpected block %#x: %w", data[i], errStructure)
		}
	}
}
