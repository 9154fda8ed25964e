package attach

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"
)

func TestPixelBombs(t *testing.T) {
	ihdr := binary.BigEndian.AppendUint32(nil, 100_000)
	ihdr = binary.BigEndian.AppendUint32(ihdr, 100_000)
	ihdr = append(ihdr, 8, 0, 0, 0, 0)
	p := append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", string(ihdr))...)
	p = append(p, pngChunk("IDAT", "\x78\x9c\x03\x00\x00\x00\x00\x01")...)
	p = append(p, pngChunk("IEND", "")...)
	if _, err := Inspect("huge.png", p, 0); !errors.Is(err, ErrTooLarge) {
		t.Errorf("PNG bomb: got %v, want ErrTooLarge", err)
	}

	vp8x := []byte{0, 0, 0, 0, 0x1F, 0x4E, 0, 0x1F, 0x4E, 0} // 20000 x 20000
	body := append([]byte("WEBP"), riffChunk("VP8X", vp8x)...)
	w := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	if _, err := Inspect("huge.webp", append(w, body...), 0); !errors.Is(err, ErrTooLarge) {
		t.Errorf("WebP bomb: got %v, want ErrTooLarge", err)
	}
}

func seeds(f *testing.F) {
	img := testImage(6, 5)
	var j, p, g bytes.Buffer
	if jpeg.Encode(&j, img, nil) != nil || png.Encode(&p, img) != nil || gif.Encode(&g, img, nil) != nil {
		f.Fatal("encode seeds")
	}
	jb := j.Bytes()
	withExif := append(append(append([]byte{}, jb[:2]...), jpegSegment(0xE1, exifPayload(8, gpsMarker))...), jb[2:]...)
	for _, s := range [][]byte{
		jb, withExif, p.Bytes(), g.Bytes(),
		[]byte("%PDF-1.4\n%%EOF"), []byte("plain words\n"), []byte("<html>"), []byte("MZ\x00\x00"),
		[]byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x05\x00\x00\x00\x2f\x00\x00\x00\x00\x00"),
		[]byte("PK\x05\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"),
	} {
		f.Add("file.bin", s)
	}
}

func FuzzInspect(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		file, err := Inspect(name, data, 1<<20)
		if err != nil {
			e, ok := errors.AsType[*Error](err)
			if !ok || e.Message == "" {
				t.Fatalf("error %v (%T) is not an *Error with a message", err, err)
			}
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrNotAllowed) && !errors.Is(err, ErrDamaged) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		k := extKinds[extension(file.Filename)]
		if k == nil || !k.allowed || k.contentType != file.ContentType {
			t.Fatalf("accepted %q as %q", file.Filename, file.ContentType)
		}
		if CleanFilename(file.Filename) != file.Filename {
			t.Fatalf("filename %q is not clean", file.Filename)
		}
		if sum := sha256.Sum256(file.Data); hex.EncodeToString(sum[:]) != file.SHA256 {
			t.Fatal("SHA256 does not match Data")
		}
		again, err := Inspect(file.Filename, file.Data, 1<<20)
		if err != nil || !bytes.Equal(again.Data, file.Data) || again.Filename != file.Filename {
			t.Fatalf("cleaning is not idempotent: %v", err)
		}
	})
}
