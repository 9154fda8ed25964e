package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, args []string, env map[string]string) (Config, error) {
	t.Helper()
	c := Defaults()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	c.Register(fs)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	return c, c.Load(fs, func(k string) string { return env[k] })
}

func TestFlagsBeatEnvironment(t *testing.T) {
	c, err := load(t, []string{"--addr", "0.0.0.0:9000"}, map[string]string{"CANDOUR_ADDR": "1.2.3.4:1", "CANDOUR_DATA_DIR": "/srv/candour"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "0.0.0.0:9000" || c.DataDir != "/srv/candour" {
		t.Fatalf("addr=%q data-dir=%q", c.Addr, c.DataDir)
	}
}

func TestSecretFromFileIsRedacted(t *testing.T) {
	f := filepath.Join(t.TempDir(), "url")
	os.WriteFile(f, []byte("postgres://candour:s3cret@db/candour\n"), 0o600)
	env := map[string]string{"CANDOUR_DATABASE_URL_FILE": f, "CANDOUR_METRICS_TOKEN": "tok"}
	if _, err := load(t, nil, env); err == nil || !strings.Contains(err.Error(), "secret-keys") {
		t.Fatalf("PostgreSQL without a shared key ring: %v, want an error naming secret-keys", err)
	}
	env["CANDOUR_SECRET_KEYS"] = "k1:c2VjcmV0LWtleS1tYXRlcmlhbC1pcy0zMi1ieXRlcyE="
	env["CANDOUR_SMTP_PASSWORD"] = "mail-pass"
	c, err := load(t, nil, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "postgres://candour:s3cret@db/candour" {
		t.Fatalf("database url = %q", c.DatabaseURL)
	}
	out := strings.Join(c.Redacted(), "\n")
	if strings.Contains(out, "s3cret") || strings.Contains(out, "tok\n") || strings.Contains(out, "c2VjcmV0") || strings.Contains(out, "mail-pass") || !strings.Contains(out, "[redacted]") {
		t.Fatalf("redacted config leaks a secret:\n%s", out)
	}
}

func TestInvalidSettingsAreNamed(t *testing.T) {
	_, err := load(t, nil, map[string]string{"CANDOUR_ADDR": "nonsense", "CANDOUR_LOG_LEVEL": "loud", "CANDOUR_DATABASE_URL": "mysql://x"})
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{"addr", "log-level", "database-url"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if _, err := load(t, nil, map[string]string{"CANDOUR_DEMO": "maybe"}); err == nil || !strings.Contains(err.Error(), "CANDOUR_DEMO") {
		t.Fatalf("bad boolean: %v", err)
	}
}

func TestSecureCookiesFollowBaseURL(t *testing.T) {
	c := Defaults()
	if c.SecureCookies() {
		t.Fatal("plain http default should not mark cookies Secure")
	}
	c.BaseURL = "https://candour.example.nhs.uk/"
	if !c.SecureCookies() || c.PublicURL() != "https://candour.example.nhs.uk" {
		t.Fatal("https base URL must make cookies Secure")
	}
}

func TestTrustedProxies(t *testing.T) {
	c, err := load(t, nil, map[string]string{"CANDOUR_TRUSTED_PROXIES": " 10.0.0.0/8, 192.0.2.7 ,fd00::/8,10.1.2.3/8"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.TrustedProxyPrefixes()
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, p := range got {
		s = append(s, p.String())
	}
	if strings.Join(s, " ") != "10.0.0.0/8 192.0.2.7/32 fd00::/8 10.0.0.0/8" {
		t.Fatalf("trusted proxies %q", s)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.internal", "10.0.0"} {
		_, err := load(t, nil, map[string]string{"CANDOUR_TRUSTED_PROXIES": "10.0.0.1," + bad})
		if err == nil || !strings.Contains(err.Error(), "trusted-proxies") || !strings.Contains(err.Error(), bad) {
			t.Errorf("trusted proxies %q: %v, want an error naming the setting and the value", bad, err)
		}
	}
	if c := Defaults(); c.TrustedProxies != "" {
		t.Fatal("no proxy should be trusted by default")
	}
}

func TestEstablishedDate(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.EstablishedDate(); !got.Equal(time.Date(1948, 7, 5, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("default established date %v, want the NHS's first day", got)
	}
	c, err = load(t, nil, map[string]string{"CANDOUR_ESTABLISHED": "2019-04-01"})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.EstablishedDate(); !got.Equal(time.Date(2019, 4, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("established date %v, want 1 April 2019", got)
	}
	if !strings.Contains(strings.Join(c.Redacted(), "\n"), "2019-04-01") {
		t.Fatal("config check does not show the established date")
	}
	for _, bad := range []string{"1 April 2019", "2019-02-30", "1700-01-01", time.Now().AddDate(0, 0, 2).Format(time.DateOnly)} {
		if _, err := load(t, nil, map[string]string{"CANDOUR_ESTABLISHED": bad}); err == nil || !strings.Contains(err.Error(), "established") {
			t.Errorf("established %q: %v, want an error naming the setting", bad, err)
		}
	}
}

func TestEscalationAddresses(t *testing.T) {
	c, err := load(t, nil, map[string]string{"CANDOUR_ESCALATE_CONCERN": " ftsu.lead@trust.nhs.uk, director@trust.nhs.uk ,"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := EscalationAddresses(c.EscalateConcern)
	if err != nil || strings.Join(got, " ") != "ftsu.lead@trust.nhs.uk director@trust.nhs.uk" {
		t.Fatalf("addresses %q, %v", got, err)
	}
	for _, bad := range []string{"not an address", "Jane Lead <jane@trust.nhs.uk>", "a@b.example; c@d.example"} {
		if _, err := load(t, nil, map[string]string{"CANDOUR_ESCALATE_SAFETY": bad}); err == nil || !strings.Contains(err.Error(), "escalate-safety") {
			t.Errorf("escalate-safety %q: %v, want an error naming the setting", bad, err)
		}
	}
}
