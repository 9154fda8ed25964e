package cli

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"candour/internal/store"
)

type result struct {
	code           int
	stdout, stderr string
}

// run runs candour with args against the data directory dir.
func run(t *testing.T, dir, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string {
		if k == "CANDOUR_DATA_DIR" {
			return dir
		}
		return ""
	}}
	code := Run(context.Background(), args, env)
	return result{code, out.String(), errOut.String()}
}

func TestServeRefusesStaleSchemaAndSaysWhatToDo(t *testing.T) {
	dir := t.TempDir()
	r := run(t, dir, "", "serve", "--addr", "127.0.0.1:0")
	if r.code == 0 || !strings.Contains(r.stderr, "candour migrate") {
		t.Fatalf("serve on an empty database: code %d, stderr %q; want a refusal naming `candour migrate`", r.code, r.stderr)
	}
	if r := run(t, dir, "", "migrate"); r.code != 0 || !strings.Contains(r.stdout, "applied") {
		t.Fatalf("migrate: %+v", r)
	}
	if r := run(t, dir, "", "migrate"); r.code != 0 || !strings.Contains(r.stdout, "applied 0 migrations") {
		t.Fatalf("second migrate should do nothing: %+v", r)
	}
}

func TestUsersTokensAndAudit(t *testing.T) {
	dir := t.TempDir()
	run(t, dir, "", "migrate")
	r := run(t, dir, "a long enough password\n", "user", "create", "--email", "Ann.Lee@Trust.example", "--name", "Ann Lee",
		"--role", "hr", "--role", "manager", "--password-stdin")
	if r.code != 0 || !strings.Contains(r.stdout, "ann.lee@trust.example") {
		t.Fatalf("user create: %+v", r)
	}
	if r := run(t, dir, "", "user", "create", "--email", "x@trust.example", "--name", "X", "--role", "superuser"); r.code != 2 || !strings.Contains(r.stderr, "unknown role") {
		t.Fatalf("unknown role: %+v", r)
	}
	if r := run(t, dir, "short\n", "user", "create", "--email", "y@trust.example", "--name", "Y", "--role", "staff", "--password-stdin"); r.code == 0 || !strings.Contains(r.stderr, "at least 12 characters") {
		t.Fatalf("short password: %+v", r)
	}

	r = run(t, dir, "", "token", "create", "--email", "ann.lee@trust.example")
	token := strings.TrimSpace(r.stdout)
	if r.code != 0 || !strings.HasPrefix(token, "cnd_") || strings.Contains(token, " ") || strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("token create must print the token alone: %+v", r)
	}
	r = run(t, dir, "", "token", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "active") || strings.Contains(r.stdout, token) {
		t.Fatalf("token list must show the token without its secret: %+v", r)
	}
	if r := run(t, dir, "", "token", "revoke", "--id", "1"); r.code != 0 {
		t.Fatalf("token revoke: %+v", r)
	}
	if r := run(t, dir, "", "token", "list"); !strings.Contains(r.stdout, "revoked") {
		t.Fatalf("after revoke: %+v", r)
	}

	r = run(t, dir, "", "user", "reset-password", "--email", "ann.lee@trust.example")
	if r.code != 0 || !strings.Contains(r.stdout, "new password for ann.lee@trust.example: ") {
		t.Fatalf("reset-password: %+v", r)
	}

	if r := run(t, dir, "", "audit", "verify"); r.code != 0 || !strings.Contains(r.stdout, "chain unbroken") {
		t.Fatalf("audit verify: %+v", r)
	}
	// Tamper with the log as someone with database access would.
	db, err := store.Open(context.Background(), "sqlite:"+filepath.Join(dir, "candour.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, q := range []string{`DROP TRIGGER audit_log_no_update`, `UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 2`} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	r = run(t, dir, "", "audit", "verify")
	if r.code != 1 || !strings.Contains(r.stderr, "entry 2") {
		t.Fatalf("audit verify after tampering: %+v; want exit 1 naming entry 2", r)
	}
}

func TestPeopleImportCommand(t *testing.T) {
	dir := t.TempDir()
	if r := run(t, dir, "", "migrate"); r.code != 0 {
		t.Fatal(r)
	}
	if r := run(t, dir, "", "demo"); r.code != 0 || !strings.Contains(r.stdout, "admin@northfield-vale.example") {
		t.Fatalf("demo: %+v", r)
	}
	good := "Employee Number,First Name,Last Name,Organisation,Staff Group,Hire Date\n" +
		"77000001,Ada,Byron,NGH-ED,Nursing and Midwifery Registered,01/02/2020\n"
	bad := good + "77000002,Bo,Chen,NO-SUCH-WARD,Nursing and Midwifery Registered,01/02/2020\n"
	write := func(name, s string) string {
		p := filepath.Join(t.TempDir(), name)
		os.WriteFile(p, []byte(s), 0o600)
		return p
	}
	r := run(t, dir, "", "people", "import", write("bad.csv", bad))
	if r.code != 1 || !strings.Contains(r.stderr, "line 3") || !strings.Contains(r.stderr, "nothing was imported") {
		t.Fatalf("bad file: %+v", r)
	}
	r = run(t, dir, "", "people", "import", "--skip-bad-rows", write("bad.csv", bad))
	if r.code != 0 || !strings.Contains(r.stdout, "1 created") || !strings.Contains(r.stdout, "1 skipped") {
		t.Fatalf("skip bad rows: %+v", r)
	}
	r = run(t, dir, "", "people", "import", write("good.csv", good))
	if r.code != 0 || !strings.Contains(r.stdout, "1 unchanged") {
		t.Fatalf("re-import: %+v", r)
	}
}

func TestConfigCheckRedactsSecrets(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string {
		switch k {
		case "CANDOUR_DATA_DIR":
			return dir
		case "CANDOUR_METRICS_TOKEN":
			return "very-secret-token"
		}
		return ""
	}}
	code := Run(context.Background(), []string{"config", "check"}, env)
	if code != 0 || strings.Contains(out.String(), "very-secret-token") || !strings.Contains(out.String(), "[redacted]") ||
		!strings.Contains(out.String(), "behind: run `candour migrate`") {
		t.Fatalf("config check: code %d\n%s\n%s", code, out.String(), errOut.String())
	}
	if r := run(t, dir, "", "config", "check", "--addr", "nonsense"); r.code != 1 || !strings.Contains(r.stderr, "addr") {
		t.Fatalf("bad addr: %+v", r)
	}
}

func TestVersionAndUsage(t *testing.T) {
	if r := run(t, t.TempDir(), "", "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "candour ") {
		t.Fatalf("version: %+v", r)
	}
	if r := run(t, t.TempDir(), "", "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, "unknown command") {
		t.Fatalf("unknown command: %+v", r)
	}
}

// syncBuffer is a buffer safe to read while the server writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The newcomer's command: serve --demo starts on an empty data directory,
// prints a sign-in per role, serves pages, and stops cleanly on a signal.
func TestServeDemoStartsAndShutsDown(t *testing.T) {
	dir := t.TempDir()
	out, errOut := &syncBuffer{}, &syncBuffer{}
	env := Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: errOut, Getenv: func(k string) string {
		if k == "CANDOUR_DATA_DIR" {
			return dir
		}
		return ""
	}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- Run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0"}, env) }()
	addr := ""
	re := regexp.MustCompile(`"addr":"([0-9.:]+)"`)
	for deadline := time.Now().Add(20 * time.Second); addr == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := re.FindStringSubmatch(errOut.String()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		cancel()
		t.Fatalf("server did not start: %s", errOut.String())
	}
	for _, role := range []string{"staff", "manager", "guardian", "safety", "hr", "union_rep", "executive", "admin"} {
		if !strings.Contains(out.String(), role) {
			t.Errorf("start-up output has no sign-in for %s:\n%s", role, out.String())
		}
	}
	res, err := http.Get("http://" + addr + "/sign-in")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("GET /sign-in: %v %v", res, err)
	}
	res.Body.Close()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d after shutdown: %s", code, errOut.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not shut down")
	}
}
