package httpx

import "testing"

// A download keeps its stored name for browsers that read RFC 5987 and
// gets a safe plain-ASCII one for those that do not: no quote, backslash,
// slash, semicolon or control character may end or split the header.
func TestDownloadDisposition(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"rota notes.txt", `attachment; filename="rota notes.txt"; filename*=UTF-8''rota%20notes.txt`},
		{"", `attachment; filename="attachment"; filename*=UTF-8''attachment`},
		{"Ward 7 – überblick.pdf", `attachment; filename="Ward 7 _ _berblick.pdf"; filename*=UTF-8''Ward%207%20%E2%80%93%20%C3%BCberblick.pdf`},
		{"a\"b;c\\d/e\r\nf.png", `attachment; filename="a_b_c_d_e__f.png"; filename*=UTF-8''a%22b%3Bc%5Cd%2Fe%0D%0Af.png`},
		{"it's (1)*,=@:.txt", `attachment; filename="it's (1)*,=@:.txt"; filename*=UTF-8''it%27s%20%281%29%2A%2C%3D%40%3A.txt`},
	} {
		if got := downloadDisposition(c.name); got != c.want {
			t.Errorf("downloadDisposition(%q)\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}
