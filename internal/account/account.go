package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/store"
)

// Lockout settings: after LockoutThreshold failures in a row an account is
// locked for LockoutDuration; from SlowdownAfter failures each further attempt
// is slowed down, so guessing is slow even before the lock.
const (
	SlowdownAfter    = 3
	LockoutThreshold = 10
	LockoutDuration  = 15 * time.Minute
)

// Errors a caller can act on.
var (
	ErrBadCredentials = errors.New("email address or password is not correct")
	ErrLocked         = errors.New("account is locked after too many failed sign-in attempts")
	ErrDisabled       = errors.New("account is disabled")
	ErrEmailTaken     = errors.New("an account with this email address already exists")
	// ErrLastAdmin refuses a change that would leave no active system
	// administrator, so that nobody could manage accounts any more.
	ErrLastAdmin = errors.New("this is the last active system administrator: give another account the administrator role first")
	// ErrDisableSelf refuses an administrator turning off their own account.
	ErrDisableSelf = errors.New("you cannot turn off your own account")
)

// adminLockKey is the PostgreSQL advisory lock that serialises changes to
// who is an active administrator, so that two administrators removing each
// other at the same moment cannot leave none. SQLite has a single writer.
const adminLockKey = 7261_2027

// User is a sign-in account.
type User struct {
	ID          int64
	Email       string
	Name        string
	Roles       []authz.Role
	PersonID    int64 // zero when not linked to the people directory
	Disabled    bool
	Failed      int
	LockedUntil time.Time
	CreatedAt   time.Time
	HasPassword bool
}

// Locked reports whether the account is locked at now.
func (u User) Locked(now time.Time) bool { return u.LockedUntil.After(now) }

// Accounts manages users, sessions and tokens.
type Accounts struct {
	DB  *store.DB
	Now func() time.Time
	// Sleep delays a failing sign-in; tests replace it.
	Sleep func(time.Duration)
	// SessionTTL is how long a web session lasts without use.
	SessionTTL time.Duration
}

// New returns Accounts over db with the real clock.
func New(db *store.DB) *Accounts {
	return &Accounts{DB: db, Now: time.Now, Sleep: time.Sleep, SessionTTL: 12 * time.Hour}
}

// NormaliseEmail lower-cases and trims an address and checks its form.
func NormaliseEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", errors.New("enter an email address")
	}
	if len(s) > 254 {
		return "", errors.New("email address must be 254 characters or fewer")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@"):], ".") {
		return "", errors.New("enter an email address in the correct format, like name@example.nhs.uk")
	}
	return s, nil
}

// NewUser describes an account to create.
type NewUser struct {
	Email    string
	Name     string
	Roles    []authz.Role
	Password string // optional: without one the account cannot sign in until reset
	PersonID int64
}

// Create adds a user and records it in the audit log.
func (a *Accounts) Create(ctx context.Context, actor audit.Actor, nu NewUser) (User, error) {
	email, err := NormaliseEmail(nu.Email)
	if err != nil {
		return User{}, err
	}
	name := strings.TrimSpace(nu.Name)
	if name == "" || len(name) > 200 {
		return User{}, errors.New("enter a name of 1 to 200 characters")
	}
	if len(nu.Roles) == 0 {
		return User{}, errors.New("choose at least one role")
	}
	for _, r := range nu.Roles {
		if !r.Valid() {
			return User{}, fmt.Errorf("unknown role %q", r)
		}
	}
	var hash string
	if nu.Password != "" {
		if err := CheckPasswordPolicy(nu.Password); err != nil {
			return User{}, err
		}
		if hash, err = HashPassword(nu.Password); err != nil {
			return User{}, err
		}
	}
	now := a.Now()
	var u User
	err = a.DB.InTx(ctx, func(tx *store.Tx) error {
		var personID any
		if nu.PersonID != 0 {
			personID = nu.PersonID
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO users (email, name, password_hash, person_id, created_at, updated_at, password_changed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, email, name, hash, personID, store.T(now), store.T(now), store.T(now)).Scan(&u.ID)
		if store.IsUniqueViolation(err) {
			return ErrEmailTaken
		}
		if err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		if err := setRoles(ctx, tx, u.ID, nu.Roles); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, actor, "user.create", "user", strconv.FormatInt(u.ID, 10),
			"roles: "+joinRoles(nu.Roles))
	})
	if err != nil {
		return User{}, err
	}
	return a.Get(ctx, u.ID)
}

func setRoles(ctx context.Context, tx *store.Tx, userID int64, roles []authz.Role) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("set roles: %w", err)
	}
	seen := map[authz.Role]bool{}
	for _, r := range roles {
		if seen[r] {
			continue
		}
		seen[r] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, userID, string(r)); err != nil {
			return fmt.Errorf("set roles: %w", err)
		}
	}
	return nil
}

func joinRoles(roles []authz.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	slices.Sort(s)
	return strings.Join(s, ",")
}

const userColumns = `id, email, name, password_hash, COALESCE(person_id, 0), disabled, failed_attempts, locked_until, created_at`

func scanUser(s interface{ Scan(...any) error }) (User, string, error) {
	var u User
	var hash string
	var locked, created store.Time
	err := s.Scan(&u.ID, &u.Email, &u.Name, &hash, &u.PersonID, &u.Disabled, &u.Failed, &locked, &created)
	u.LockedUntil, u.CreatedAt, u.HasPassword = locked.Time, created.Time, hash != ""
	return u, hash, err
}

func (a *Accounts) loadRoles(ctx context.Context, q store.Querier, u *User) error {
	rows, err := q.QueryContext(ctx, `SELECT role FROM user_roles WHERE user_id = ? ORDER BY role`, u.ID)
	if err != nil {
		return fmt.Errorf("load roles: %w", err)
	}
	defer rows.Close()
	u.Roles = nil
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return fmt.Errorf("load roles: %w", err)
		}
		u.Roles = append(u.Roles, authz.Role(r))
	}
	return rows.Err()
}

// Get returns the user with id.
func (a *Accounts) Get(ctx context.Context, id int64) (User, error) {
	u, _, err := scanUser(a.DB.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if err != nil {
		return User{}, store.NotFound(err, "user "+strconv.FormatInt(id, 10))
	}
	return u, a.loadRoles(ctx, a.DB, &u)
}

// ByEmail returns the user with the given email address.
func (a *Accounts) ByEmail(ctx context.Context, email string) (User, error) {
	u, _, err := scanUser(a.DB.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, strings.ToLower(strings.TrimSpace(email))))
	if err != nil {
		return User{}, store.NotFound(err, "user "+email)
	}
	return u, a.loadRoles(ctx, a.DB, &u)
}

// List returns users ordered by name, optionally only those whose name or
// email contains query.
func (a *Accounts) List(ctx context.Context, query string) ([]User, error) {
	q := `SELECT ` + userColumns + ` FROM users`
	var args []any
	if query = strings.TrimSpace(strings.ToLower(query)); query != "" {
		q += ` WHERE lower(name) LIKE ? ESCAPE '\' OR email LIKE ? ESCAPE '\'`
		like := "%" + audit.LikeEscape(query) + "%"
		args = append(args, like, like)
	}
	q += ` ORDER BY lower(name), id LIMIT 1000`
	rows, err := a.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	var users []User
	for rows.Next() {
		u, _, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("list users: %w", err)
		}
		users = append(users, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	roles := map[int64][]authz.Role{}
	rrows, err := a.DB.QueryContext(ctx, `SELECT user_id, role FROM user_roles ORDER BY role`)
	if err != nil {
		return nil, fmt.Errorf("list roles: %w", err)
	}
	defer rrows.Close()
	for rrows.Next() {
		var id int64
		var r string
		if err := rrows.Scan(&id, &r); err != nil {
			return nil, fmt.Errorf("list roles: %w", err)
		}
		roles[id] = append(roles[id], authz.Role(r))
	}
	for i := range users {
		users[i].Roles = roles[users[i].ID]
	}
	return users, rrows.Err()
}

// Update changes a user's name, roles and whether the account is disabled.
// Disabling an account ends its sessions. It refuses, with ErrLastAdmin, a
// change that would leave no active administrator (taking the role away
// from, or turning off, the last one), and, with ErrDisableSelf, an actor
// turning off their own account.
func (a *Accounts) Update(ctx context.Context, actor audit.Actor, id int64, name string, roles []authz.Role, disabled bool) error {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 200 {
		return errors.New("enter a name of 1 to 200 characters")
	}
	if len(roles) == 0 {
		return errors.New("choose at least one role")
	}
	for _, r := range roles {
		if !r.Valid() {
			return fmt.Errorf("unknown role %q", r)
		}
	}
	now := a.Now()
	return a.DB.InTx(ctx, func(tx *store.Tx) error {
		if tx.Dialect() == store.Postgres {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, adminLockKey); err != nil {
				return fmt.Errorf("update user: lock administrators: %w", err)
			}
		}
		var wasDisabled bool
		err := tx.QueryRowContext(ctx, `SELECT disabled FROM users WHERE id = ?`, id).Scan(&wasDisabled)
		if err != nil {
			return store.NotFound(err, "user "+strconv.FormatInt(id, 10))
		}
		if disabled && !wasDisabled && actor.UserID == id {
			return ErrDisableSelf
		}
		wasActiveAdmin, err := isActiveAdmin(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET name = ?, disabled = ?, updated_at = ? WHERE id = ?`, name, disabled, store.T(now), id); err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if err := setRoles(ctx, tx, id, roles); err != nil {
			return err
		}
		if wasActiveAdmin {
			var admins int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id
				WHERE r.role = ? AND NOT u.disabled`, string(authz.Admin)).Scan(&admins); err != nil {
				return fmt.Errorf("count administrators: %w", err)
			}
			if admins == 0 {
				return ErrLastAdmin
			}
		}
		if disabled {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
				return fmt.Errorf("end sessions: %w", err)
			}
		}
		detail := "roles: " + joinRoles(roles)
		if disabled {
			detail += "; disabled"
		}
		return audit.Record(ctx, tx, now, actor, "user.update", "user", strconv.FormatInt(id, 10), detail)
	})
}

// isActiveAdmin reports whether the user holds the administrator role on an
// account that is not turned off.
func isActiveAdmin(ctx context.Context, q store.Querier, id int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE u.id = ? AND r.role = ? AND NOT u.disabled`, id, string(authz.Admin)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check administrator: %w", err)
	}
	return n > 0, nil
}

// SetPassword sets a new password for a user (an administrator's reset, or
// the user's own change), unlocks the account and ends every session, so
// that whoever knew the old password is signed out everywhere.
func (a *Accounts) SetPassword(ctx context.Context, actor audit.Actor, id int64, pw string) error {
	if err := CheckPasswordPolicy(pw); err != nil {
		return err
	}
	hash, err := HashPassword(pw)
	if err != nil {
		return err
	}
	now := a.Now()
	return a.DB.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, failed_attempts = 0, locked_until = NULL,
			password_changed_at = ?, updated_at = ? WHERE id = ?`, hash, store.T(now), store.T(now), id)
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("user %d: %w", id, store.ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return audit.Record(ctx, tx, now, actor, "user.password_set", "user", strconv.FormatInt(id, 10), "")
	})
}

// Unlock clears failed attempts and any lock.
func (a *Accounts) Unlock(ctx context.Context, actor audit.Actor, id int64) error {
	now := a.Now()
	return a.DB.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE id = ?`, store.T(now), id)
		if err != nil {
			return fmt.Errorf("unlock: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("user %d: %w", id, store.ErrNotFound)
		}
		return audit.Record(ctx, tx, now, actor, "user.unlock", "user", strconv.FormatInt(id, 10), "")
	})
}

// Authenticate checks an email and password. Failures are counted; from
// SlowdownAfter failures the answer is delayed, and at LockoutThreshold the
// account locks for LockoutDuration. Unknown addresses take as long as known
// ones and give the same error.
func (a *Accounts) Authenticate(ctx context.Context, email, pw string) (User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	u, hash, err := scanUser(a.DB.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
	if errors.Is(err, sql.ErrNoRows) {
		VerifyPassword(dummyHash, pw)
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, fmt.Errorf("authenticate: %w", err)
	}
	now := a.Now()
	if u.Locked(now) {
		return User{}, ErrLocked
	}
	if len(pw) > MaxPasswordLength || hash == "" || !VerifyPassword(hash, pw) {
		failed := u.Failed + 1
		var lockedUntil store.Time
		if failed >= LockoutThreshold {
			lockedUntil = store.T(now.Add(LockoutDuration))
		}
		err := a.DB.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_attempts = failed_attempts + 1, locked_until = ? WHERE id = ?`, lockedUntil, u.ID); err != nil {
				return err
			}
			detail := fmt.Sprintf("failed attempt %d", failed)
			if !lockedUntil.IsZero() {
				detail += "; account locked"
			}
			return audit.Record(ctx, tx, now, audit.Actor{Label: email}, "user.sign_in_failed", "user", strconv.FormatInt(u.ID, 10), detail)
		})
		if err != nil {
			return User{}, fmt.Errorf("record failed sign-in: %w", err)
		}
		if failed >= SlowdownAfter {
			a.Sleep(time.Duration(min(failed-SlowdownAfter+1, 5)) * time.Second)
		}
		if !lockedUntil.IsZero() {
			return User{}, ErrLocked
		}
		return User{}, ErrBadCredentials
	}
	if u.Disabled {
		return User{}, ErrDisabled
	}
	if u.Failed > 0 {
		if _, err := a.DB.ExecContext(ctx, `UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?`, u.ID); err != nil {
			return User{}, fmt.Errorf("reset failed attempts: %w", err)
		}
		u.Failed = 0
	}
	return u, a.loadRoles(ctx, a.DB, &u)
}

// newSecret returns a random token with the given prefix: 32 bytes of
// entropy in unpadded base32, easy to copy.
func newSecret(prefix string) string {
	b := make([]byte, 32)
	rand.Read(b)
	return prefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// hashSecret hashes a high-entropy token. A plain SHA-256 suffices: unlike a
// password, a 256-bit random token cannot be guessed from its hash.
func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
