package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/store"
)

// ErrNoSession means the session token is unknown or has expired.
var ErrNoSession = errors.New("no such session")

// StartSession records a sign-in and returns the session token for the
// cookie. Only a hash of the token is stored.
func (a *Accounts) StartSession(ctx context.Context, u User) (string, error) {
	token := newSecret("")
	now := a.Now()
	err := a.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			hashSecret(token), u.ID, store.T(now), store.T(now.Add(a.SessionTTL))); err != nil {
			return fmt.Errorf("start session: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Actor{UserID: u.ID, Label: u.Email}, "user.sign_in", "user", strconv.FormatInt(u.ID, 10), "")
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// Session resolves a session token to the signed-in principal. A session is
// extended when more than half of its lifetime has passed, so an active user
// stays signed in while an idle one is signed out.
func (a *Accounts) Session(ctx context.Context, token string) (*authz.Principal, error) {
	if token == "" || len(token) > 128 {
		return nil, ErrNoSession
	}
	h := hashSecret(token)
	var userID int64
	var expires store.Time
	var email, name string
	var disabled bool
	err := a.DB.QueryRowContext(ctx, `SELECT s.user_id, s.expires_at, u.email, u.name, u.disabled
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, h).Scan(&userID, &expires, &email, &name, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("read session: %w", err)
	}
	now := a.Now()
	if disabled || !expires.After(now) {
		return nil, ErrNoSession
	}
	if expires.Sub(now) < a.SessionTTL/2 {
		if _, err := a.DB.ExecContext(ctx, `UPDATE sessions SET expires_at = ? WHERE token_hash = ?`, store.T(now.Add(a.SessionTTL)), h); err != nil {
			return nil, fmt.Errorf("extend session: %w", err)
		}
	}
	u := User{ID: userID}
	if err := a.loadRoles(ctx, a.DB, &u); err != nil {
		return nil, err
	}
	return &authz.Principal{UserID: userID, Email: email, Name: name, Roles: u.Roles, SessionID: h[:16]}, nil
}

// EndSession signs out one session.
func (a *Accounts) EndSession(ctx context.Context, p *authz.Principal, token string) error {
	now := a.Now()
	return a.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashSecret(token)); err != nil {
			return fmt.Errorf("end session: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Actor{UserID: p.UserID, Label: p.Email}, "user.sign_out", "user", strconv.FormatInt(p.UserID, 10), "")
	})
}

// EndAllSessions signs a user out on every device and every replica, and
// returns how many sessions ended.
func (a *Accounts) EndAllSessions(ctx context.Context, actor audit.Actor, userID int64) (int64, error) {
	now := a.Now()
	var n int64
	err := a.DB.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
		if err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		n, _ = res.RowsAffected()
		return audit.Record(ctx, tx, now, actor, "user.sign_out_everywhere", "user", strconv.FormatInt(userID, 10), fmt.Sprintf("%d sessions ended", n))
	})
	return n, err
}

// PurgeExpiredSessions deletes sessions past their expiry.
func (a *Accounts) PurgeExpiredSessions(ctx context.Context) (int64, error) {
	res, err := a.DB.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ?`, store.T(a.Now()))
	if err != nil {
		return 0, fmt.Errorf("purge sessions: %w", err)
	}
	return res.RowsAffected()
}
