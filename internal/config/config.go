package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"candour/internal/localtime"
	"candour/internal/store"
)

// Config is every setting candour reads.
type Config struct {
	// Addr is the HOST:PORT the web server listens on.
	Addr string
	// DataDir holds the SQLite database and generated keys.
	DataDir string
	// DatabaseURL selects PostgreSQL (postgres://...) or a SQLite file
	// (sqlite:PATH); empty means SQLite in DataDir.
	DatabaseURL string
	// BaseURL is the address people use to reach candour, for links in
	// email and for deciding whether cookies are Secure.
	BaseURL string
	// Demo loads the demo organisation and prints its sign-in details.
	Demo bool
	// Migrate lets serve bring the schema up to date before starting.
	Migrate bool
	// MetricsAddr serves /metrics on a separate listener when set.
	MetricsAddr string
	// MetricsToken protects /metrics on the main listener when set.
	MetricsToken string
	// LogLevel is debug, info, warn or error.
	LogLevel string
	// MaxUploadBytes bounds any uploaded file.
	MaxUploadBytes int64
	// ShutdownTimeout bounds how long in-flight requests get on SIGTERM.
	ShutdownTimeout time.Duration
	// DBMaxConns caps PostgreSQL connections per replica.
	DBMaxConns int
	// SecretKeys is the key ring for field encryption and keyed hashes
	// ("id:base64,id:base64", newest first). Empty on SQLite means a key
	// file generated in DataDir; PostgreSQL replicas must share keys, so
	// there it is required.
	SecretKeys string
	// SMTP settings for email; email is off when SMTPHost is empty.
	SMTPHost     string
	SMTPPort     int
	SMTPUsername string
	SMTPPassword string
	SMTPFrom     string
	// SMTPTLS is "starttls" (default), "tls" or "none" (local relays only).
	SMTPTLS string
	// Report deadlines in days: acknowledge, and give feedback, per kind.
	SafetyAckDays, SafetyFeedbackDays   int
	ConcernAckDays, ConcernFeedbackDays int
	// MaxAttachments is the most files one report or message may carry.
	MaxAttachments int
	// SuspensionReviewDays is the furthest a suspension's next review may
	// be; WellbeingContactDays how often a case's wellbeing contact should
	// be in touch unless set otherwise.
	SuspensionReviewDays, WellbeingContactDays int
	// TrustedProxies lists the reverse proxies (addresses or CIDR
	// prefixes, comma-separated) whose X-Forwarded-For header names the
	// real client. Only the access-code rate limit uses the client's
	// address; without this, every client behind a proxy shares one limit.
	TrustedProxies string
	// EscalateSafety and EscalateConcern list email addresses
	// (comma-separated) told when a patient safety event's or a speak-up
	// concern's deadline passes, beyond the team that handles it.
	EscalateSafety, EscalateConcern string
	// Established is the day the organisation came into being
	// (YYYY-MM-DD): no event reported can have happened before it.
	Established string
}

// EscalationAddresses parses list, as EscalateSafety or EscalateConcern
// hold it, into bare email addresses.
func EscalationAddresses(list string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		a, err := mail.ParseAddress(f)
		if err != nil || a.Name != "" || a.Address != f {
			return nil, fmt.Errorf("%q is not an email address like ftsu.lead@trust.nhs.uk", f)
		}
		out = append(out, a.Address)
	}
	return out, nil
}

// DefaultEstablished is the day the NHS began, the earliest an NHS
// organisation can have existed.
const DefaultEstablished = "1948-07-05"

// EstablishedDate parses Established; Validate has already refused a value
// that does not parse, so the zero time comes back only for unvalidated
// configurations.
func (c *Config) EstablishedDate() time.Time {
	d, err := time.Parse(time.DateOnly, c.Established)
	if err != nil {
		return time.Time{}
	}
	return d
}

// TrustedProxyPrefixes parses TrustedProxies; a bare address is a prefix
// of one address.
func (c *Config) TrustedProxyPrefixes() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(c.TrustedProxies, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, fmt.Errorf("trusted-proxies: %q is not an address or CIDR prefix like 10.0.0.0/8", f)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted-proxies: %q is not an address or CIDR prefix like 10.0.0.0/8", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// Defaults returns the configuration used when nothing is set.
func Defaults() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		DataDir:         "./candour-data",
		LogLevel:        "info",
		MaxUploadBytes:  10 << 20,
		ShutdownTimeout: 20 * time.Second,
		DBMaxConns:      20,
		SMTPPort:        587,
		SMTPTLS:         "starttls",
		SMTPFrom:        "candour@localhost",
		SafetyAckDays:   7, SafetyFeedbackDays: 90,
		ConcernAckDays: 7, ConcernFeedbackDays: 90,
		MaxAttachments:       5,
		SuspensionReviewDays: 14, WellbeingContactDays: 7,
		Established: DefaultEstablished,
	}
}

// Setting describes one configuration item for `candour config check` and docs.
type Setting struct {
	Flag, Env, Help string
	Secret          bool
}

// Settings lists every setting, its flag and its variable.
func Settings() []Setting {
	return []Setting{
		{"addr", "CANDOUR_ADDR", "HOST:PORT to listen on", false},
		{"data-dir", "CANDOUR_DATA_DIR", "directory for the SQLite database and generated keys", false},
		{"database-url", "CANDOUR_DATABASE_URL", "postgres://... for PostgreSQL, or sqlite:PATH; empty for SQLite in the data directory", true},
		{"base-url", "CANDOUR_BASE_URL", "public address, e.g. https://candour.trust.nhs.uk (https makes cookies Secure)", false},
		{"demo", "CANDOUR_DEMO", "load the demo organisation and print its sign-in details", false},
		{"migrate", "CANDOUR_MIGRATE", "bring the database schema up to date before serving", false},
		{"metrics-addr", "CANDOUR_METRICS_ADDR", "separate HOST:PORT for /metrics", false},
		{"metrics-token", "CANDOUR_METRICS_TOKEN", "bearer token that protects /metrics on the main address", true},
		{"log-level", "CANDOUR_LOG_LEVEL", "debug, info, warn or error", false},
		{"max-upload-bytes", "CANDOUR_MAX_UPLOAD_BYTES", "largest accepted upload in bytes", false},
		{"shutdown-timeout", "CANDOUR_SHUTDOWN_TIMEOUT", "time allowed for in-flight requests on shutdown", false},
		{"db-max-conns", "CANDOUR_DB_MAX_CONNS", "PostgreSQL connections per replica", false},
		{"secret-keys", "CANDOUR_SECRET_KEYS", "encryption key ring id:base64[,id:base64] (required on PostgreSQL; `candour config genkey` makes one)", true},
		{"smtp-host", "CANDOUR_SMTP_HOST", "SMTP server for email (empty: no email)", false},
		{"smtp-port", "CANDOUR_SMTP_PORT", "SMTP port", false},
		{"smtp-username", "CANDOUR_SMTP_USERNAME", "SMTP user name", false},
		{"smtp-password", "CANDOUR_SMTP_PASSWORD", "SMTP password", true},
		{"smtp-from", "CANDOUR_SMTP_FROM", "sender address of candour's email", false},
		{"smtp-tls", "CANDOUR_SMTP_TLS", "starttls, tls or none", false},
		{"safety-ack-days", "CANDOUR_SAFETY_ACK_DAYS", "days to acknowledge a patient safety event", false},
		{"safety-feedback-days", "CANDOUR_SAFETY_FEEDBACK_DAYS", "days to give feedback on a patient safety event", false},
		{"concern-ack-days", "CANDOUR_CONCERN_ACK_DAYS", "days to acknowledge a speak-up concern", false},
		{"concern-feedback-days", "CANDOUR_CONCERN_FEEDBACK_DAYS", "days to give feedback on a speak-up concern", false},
		{"max-attachments", "CANDOUR_MAX_ATTACHMENTS", "files allowed per report or message", false},
		{"suspension-review-days", "CANDOUR_SUSPENSION_REVIEW_DAYS", "most days between reviews of a suspension or exclusion", false},
		{"wellbeing-contact-days", "CANDOUR_WELLBEING_CONTACT_DAYS", "default days between a case's wellbeing contacts", false},
		{"trusted-proxies", "CANDOUR_TRUSTED_PROXIES", "reverse proxies (addresses or CIDRs, comma-separated) whose X-Forwarded-For names the client", false},
		{"escalate-safety", "CANDOUR_ESCALATE_SAFETY", "email addresses (comma-separated) told when a patient safety event's deadline passes, besides the safety team", false},
		{"escalate-concern", "CANDOUR_ESCALATE_CONCERN", "email addresses (comma-separated) told when a speak-up concern's deadline passes, besides the guardians", false},
		{"established", "CANDOUR_ESTABLISHED", "the day the organisation was established (YYYY-MM-DD); reports of events before it are refused", false},
	}
}

// Register adds every setting as a flag on fs, writing into c. Call Load after
// fs.Parse to fill in what the environment sets and flags did not.
func (c *Config) Register(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", c.Addr, "HOST:PORT to listen on (CANDOUR_ADDR)")
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "data directory (CANDOUR_DATA_DIR)")
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "database URL (CANDOUR_DATABASE_URL)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public base URL (CANDOUR_BASE_URL)")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "load the demo organisation (CANDOUR_DEMO)")
	fs.BoolVar(&c.Migrate, "migrate", c.Migrate, "migrate the schema before serving (CANDOUR_MIGRATE)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "separate address for /metrics (CANDOUR_METRICS_ADDR)")
	fs.StringVar(&c.MetricsToken, "metrics-token", c.MetricsToken, "bearer token for /metrics (CANDOUR_METRICS_TOKEN)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level (CANDOUR_LOG_LEVEL)")
	fs.Int64Var(&c.MaxUploadBytes, "max-upload-bytes", c.MaxUploadBytes, "largest upload in bytes (CANDOUR_MAX_UPLOAD_BYTES)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout, "shutdown grace period (CANDOUR_SHUTDOWN_TIMEOUT)")
	fs.IntVar(&c.DBMaxConns, "db-max-conns", c.DBMaxConns, "PostgreSQL connections per replica (CANDOUR_DB_MAX_CONNS)")
	fs.StringVar(&c.SecretKeys, "secret-keys", c.SecretKeys, "encryption key ring (CANDOUR_SECRET_KEYS)")
	fs.StringVar(&c.SMTPHost, "smtp-host", c.SMTPHost, "SMTP server (CANDOUR_SMTP_HOST)")
	fs.IntVar(&c.SMTPPort, "smtp-port", c.SMTPPort, "SMTP port (CANDOUR_SMTP_PORT)")
	fs.StringVar(&c.SMTPUsername, "smtp-username", c.SMTPUsername, "SMTP user (CANDOUR_SMTP_USERNAME)")
	fs.StringVar(&c.SMTPPassword, "smtp-password", c.SMTPPassword, "SMTP password (CANDOUR_SMTP_PASSWORD)")
	fs.StringVar(&c.SMTPFrom, "smtp-from", c.SMTPFrom, "email sender (CANDOUR_SMTP_FROM)")
	fs.StringVar(&c.SMTPTLS, "smtp-tls", c.SMTPTLS, "starttls, tls or none (CANDOUR_SMTP_TLS)")
	fs.IntVar(&c.SafetyAckDays, "safety-ack-days", c.SafetyAckDays, "days to acknowledge a safety event (CANDOUR_SAFETY_ACK_DAYS)")
	fs.IntVar(&c.SafetyFeedbackDays, "safety-feedback-days", c.SafetyFeedbackDays, "days to feed back on a safety event (CANDOUR_SAFETY_FEEDBACK_DAYS)")
	fs.IntVar(&c.ConcernAckDays, "concern-ack-days", c.ConcernAckDays, "days to acknowledge a concern (CANDOUR_CONCERN_ACK_DAYS)")
	fs.IntVar(&c.ConcernFeedbackDays, "concern-feedback-days", c.ConcernFeedbackDays, "days to feed back on a concern (CANDOUR_CONCERN_FEEDBACK_DAYS)")
	fs.IntVar(&c.MaxAttachments, "max-attachments", c.MaxAttachments, "files per report or message (CANDOUR_MAX_ATTACHMENTS)")
	fs.IntVar(&c.SuspensionReviewDays, "suspension-review-days", c.SuspensionReviewDays, "most days between suspension reviews (CANDOUR_SUSPENSION_REVIEW_DAYS)")
	fs.IntVar(&c.WellbeingContactDays, "wellbeing-contact-days", c.WellbeingContactDays, "default days between wellbeing contacts (CANDOUR_WELLBEING_CONTACT_DAYS)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", c.TrustedProxies, "reverse proxies whose X-Forwarded-For names the client (CANDOUR_TRUSTED_PROXIES)")
	fs.StringVar(&c.EscalateSafety, "escalate-safety", c.EscalateSafety, "addresses told of overdue safety events (CANDOUR_ESCALATE_SAFETY)")
	fs.StringVar(&c.EscalateConcern, "escalate-concern", c.EscalateConcern, "addresses told of overdue concerns (CANDOUR_ESCALATE_CONCERN)")
	fs.StringVar(&c.Established, "established", c.Established, "day the organisation was established, YYYY-MM-DD (CANDOUR_ESTABLISHED)")
}

// Load fills c from the environment for every setting whose flag was not
// given on the command line, then validates the result. getenv is os.Getenv
// in production.
func (c *Config) Load(fs *flag.FlagSet, getenv func(string) string) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	for _, s := range Settings() {
		if given[s.Flag] || fs.Lookup(s.Flag) == nil {
			continue
		}
		v, err := lookup(getenv, s.Env)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if v == "" {
			continue
		}
		if err := fs.Set(s.Flag, v); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", s.Env, v, err))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return c.Validate()
}

// lookup reads NAME, or the file named by NAME_FILE for secrets kept out of
// the environment (Docker and Kubernetes secrets).
func lookup(getenv func(string) string, name string) (string, error) {
	if f := getenv(name + "_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("%s_FILE: %w", name, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return getenv(name), nil
}

// Validate checks that the settings make sense together.
func (c *Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("addr %q: want HOST:PORT: %w", c.Addr, err))
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			errs = append(errs, fmt.Errorf("metrics-addr %q: want HOST:PORT: %w", c.MetricsAddr, err))
		}
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") &&
		!strings.HasPrefix(c.DatabaseURL, "postgresql://") && !strings.HasPrefix(c.DatabaseURL, "sqlite:") {
		errs = append(errs, fmt.Errorf("database-url: want postgres://..., postgresql://... or sqlite:PATH"))
	}
	if c.DatabaseURL == "" && c.DataDir == "" {
		errs = append(errs, errors.New("data-dir: must be set when no database URL is"))
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("base-url %q: want http(s)://host[:port]", c.BaseURL))
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	if c.MaxUploadBytes < 1024 || c.MaxUploadBytes > 1<<30 {
		errs = append(errs, fmt.Errorf("max-upload-bytes %d: want between 1 KiB and 1 GiB", c.MaxUploadBytes))
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, errors.New("shutdown-timeout: must be positive"))
	}
	if c.DBMaxConns < 1 {
		errs = append(errs, errors.New("db-max-conns: must be at least 1"))
	}
	if strings.HasPrefix(c.DatabaseURL, "postgres") && c.SecretKeys == "" {
		errs = append(errs, errors.New("secret-keys: required with PostgreSQL, so that every replica shares one key ring; run `candour config genkey`"))
	}
	if c.SMTPHost != "" && (c.SMTPPort < 1 || c.SMTPPort > 65535) {
		errs = append(errs, fmt.Errorf("smtp-port %d: want 1-65535", c.SMTPPort))
	}
	switch c.SMTPTLS {
	case "starttls", "tls", "none":
	default:
		errs = append(errs, fmt.Errorf("smtp-tls %q: want starttls, tls or none", c.SMTPTLS))
	}
	for name, days := range map[string]int{"safety-ack-days": c.SafetyAckDays, "safety-feedback-days": c.SafetyFeedbackDays,
		"concern-ack-days": c.ConcernAckDays, "concern-feedback-days": c.ConcernFeedbackDays} {
		if days < 1 || days > 366 {
			errs = append(errs, fmt.Errorf("%s %d: want 1 to 366 days", name, days))
		}
	}
	if _, err := c.TrustedProxyPrefixes(); err != nil {
		errs = append(errs, err)
	}
	if c.SuspensionReviewDays < 1 || c.SuspensionReviewDays > 28 {
		errs = append(errs, fmt.Errorf("suspension-review-days %d: want 1 to 28 days (reviews are meant to be frequent)", c.SuspensionReviewDays))
	}
	if c.WellbeingContactDays < 1 || c.WellbeingContactDays > 90 {
		errs = append(errs, fmt.Errorf("wellbeing-contact-days %d: want 1 to 90 days", c.WellbeingContactDays))
	}
	for name, list := range map[string]string{"escalate-safety": c.EscalateSafety, "escalate-concern": c.EscalateConcern} {
		if _, err := EscalationAddresses(list); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	if d, err := time.Parse(time.DateOnly, c.Established); err != nil {
		errs = append(errs, fmt.Errorf("established %q: want a date like %s", c.Established, DefaultEstablished))
	} else if d.Before(time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)) {
		errs = append(errs, fmt.Errorf("established %q: want a date after 1800", c.Established))
	} else if now := time.Now().In(localtime.London()); d.After(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)) {
		errs = append(errs, fmt.Errorf("established %q: the day is still to come, and every event reported would be refused", c.Established))
	}
	if c.MaxAttachments < 0 || c.MaxAttachments > 20 {
		errs = append(errs, fmt.Errorf("max-attachments %d: want 0 to 20", c.MaxAttachments))
	}
	return errors.Join(errs...)
}

// PublicURL is BaseURL, or an http URL for Addr when none is set.
func (c *Config) PublicURL() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	return "http://" + c.Addr
}

// SecureCookies reports whether cookies must be marked Secure: whenever
// candour is reached over https.
func (c *Config) SecureCookies() bool { return strings.HasPrefix(c.PublicURL(), "https://") }

// StoreOptions returns the options for store.Open.
func (c *Config) StoreOptions() store.Options {
	return store.Options{DataDir: c.DataDir, MaxConns: c.DBMaxConns}
}

// Redacted lists every setting as name=value with secrets hidden, for
// `candour config check`.
func (c *Config) Redacted() []string {
	vals := map[string]string{
		"addr": c.Addr, "data-dir": c.DataDir, "database-url": c.DatabaseURL, "base-url": c.BaseURL,
		"demo": strconv.FormatBool(c.Demo), "migrate": strconv.FormatBool(c.Migrate),
		"metrics-addr": c.MetricsAddr, "metrics-token": c.MetricsToken, "log-level": c.LogLevel,
		"max-upload-bytes": strconv.FormatInt(c.MaxUploadBytes, 10), "shutdown-timeout": c.ShutdownTimeout.String(),
		"db-max-conns": strconv.Itoa(c.DBMaxConns), "secret-keys": c.SecretKeys,
		"smtp-host": c.SMTPHost, "smtp-port": strconv.Itoa(c.SMTPPort), "smtp-username": c.SMTPUsername,
		"smtp-password": c.SMTPPassword, "smtp-from": c.SMTPFrom, "smtp-tls": c.SMTPTLS,
		"safety-ack-days": strconv.Itoa(c.SafetyAckDays), "safety-feedback-days": strconv.Itoa(c.SafetyFeedbackDays),
		"concern-ack-days": strconv.Itoa(c.ConcernAckDays), "concern-feedback-days": strconv.Itoa(c.ConcernFeedbackDays),
		"max-attachments":        strconv.Itoa(c.MaxAttachments),
		"suspension-review-days": strconv.Itoa(c.SuspensionReviewDays), "wellbeing-contact-days": strconv.Itoa(c.WellbeingContactDays),
		"trusted-proxies": c.TrustedProxies, "established": c.Established,
		"escalate-safety": c.EscalateSafety, "escalate-concern": c.EscalateConcern,
	}
	var out []string
	for _, s := range Settings() {
		v := vals[s.Flag]
		if s.Secret && v != "" {
			if s.Flag == "database-url" {
				v = store.Redact(v)
			} else {
				v = "[redacted]"
			}
		}
		out = append(out, fmt.Sprintf("%-22s %-30s %s", s.Flag, s.Env, v))
	}
	return out
}
