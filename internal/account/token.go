package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/store"
)

// TokenPrefix starts every API token, so that secret scanners can spot one.
const TokenPrefix = "cnd_"

// ErrBadToken means an API token is unknown, revoked or its user disabled.
var ErrBadToken = errors.New("API token is not valid")

// Token describes an API token; the secret itself is shown once and never stored.
type Token struct {
	ID         int64
	UserID     int64
	Email      string
	Name       string
	Prefix     string
	CreatedAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// CreateToken makes a personal API token for a user and returns its secret.
func (a *Accounts) CreateToken(ctx context.Context, actor audit.Actor, userID int64, name string) (Token, string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "API token"
	}
	if len(name) > 100 {
		return Token{}, "", errors.New("token name must be 100 characters or fewer")
	}
	secret := newSecret(TokenPrefix)
	now := a.Now()
	t := Token{UserID: userID, Name: name, Prefix: secret[:len(TokenPrefix)+6], CreatedAt: now}
	err := a.DB.InTx(ctx, func(tx *store.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			userID, name, t.Prefix, hashSecret(secret), store.T(now)).Scan(&t.ID)
		if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return audit.Record(ctx, tx, now, actor, "token.create", "api_token", strconv.FormatInt(t.ID, 10), "for user "+strconv.FormatInt(userID, 10))
	})
	if err != nil {
		return Token{}, "", err
	}
	return t, secret, nil
}

// Tokens lists tokens, for one user when userID is not zero.
func (a *Accounts) Tokens(ctx context.Context, userID int64) ([]Token, error) {
	q := `SELECT t.id, t.user_id, u.email, t.name, t.prefix, t.created_at, t.last_used_at, t.revoked_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id`
	var args []any
	if userID != 0 {
		q += ` WHERE t.user_id = ?`
		args = append(args, userID)
	}
	rows, err := a.DB.QueryContext(ctx, q+` ORDER BY t.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		var created, used, revoked store.Time
		if err := rows.Scan(&t.ID, &t.UserID, &t.Email, &t.Name, &t.Prefix, &created, &used, &revoked); err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		t.CreatedAt, t.LastUsedAt, t.RevokedAt = created.Time, used.Time, revoked.Time
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes a token. When userID is not zero the token must belong
// to that user.
func (a *Accounts) RevokeToken(ctx context.Context, actor audit.Actor, tokenID, userID int64) error {
	now := a.Now()
	return a.DB.InTx(ctx, func(tx *store.Tx) error {
		q := `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`
		args := []any{store.T(now), tokenID}
		if userID != 0 {
			q += ` AND user_id = ?`
			args = append(args, userID)
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("active token %d: %w", tokenID, store.ErrNotFound)
		}
		return audit.Record(ctx, tx, now, actor, "token.revoke", "api_token", strconv.FormatInt(tokenID, 10), "")
	})
}

// TokenPrincipal resolves an API token to its user.
func (a *Accounts) TokenPrincipal(ctx context.Context, secret string) (*authz.Principal, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 128 {
		return nil, ErrBadToken
	}
	var p authz.Principal
	var disabled, found bool
	var revoked, used store.Time
	// last_used_at is read but not written here: TouchToken does that, so
	// that a caller can choose not to leave a trace (an anonymous report).
	// The roles come in the same query, one row each (a row with none for
	// a user without roles): every API request asks this, and on SQLite
	// each query outside a transaction is a read transaction of its own.
	rows, err := a.DB.QueryContext(ctx, `SELECT t.id, t.revoked_at, t.last_used_at, u.id, u.email, u.name, u.disabled, r.role
		FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN user_roles r ON r.user_id = u.id
		WHERE t.token_hash = ? ORDER BY r.role`, hashSecret(secret))
	if err != nil {
		return nil, fmt.Errorf("read token: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var role sql.NullString
		if err := rows.Scan(&p.TokenID, &revoked, &used, &p.UserID, &p.Email, &p.Name, &disabled, &role); err != nil {
			return nil, fmt.Errorf("read token: %w", err)
		}
		found = true
		if role.Valid {
			p.Roles = append(p.Roles, authz.Role(role.String))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read token: %w", err)
	}
	if !found || disabled || !revoked.IsZero() {
		return nil, ErrBadToken
	}
	return &p, nil
}

// TouchToken records the day a token was last used (UTC midnight): enough to
// spot unused tokens, with one write a day. Not the minute: a report raised
// in confidence through the API would then share its time with its
// sender's token.
func (a *Accounts) TouchToken(ctx context.Context, tokenID int64) error {
	now := a.Now().UTC()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	_, err := a.DB.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`,
		store.T(day), tokenID, store.T(day))
	if err != nil {
		return fmt.Errorf("mark token used: %w", err)
	}
	return nil
}
