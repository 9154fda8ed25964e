package account_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"candour/internal/account"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

const password = "correct horse battery staple"

var tester = audit.Actor{Label: "test"}

// clock is a settable time source.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func newAccounts(db *store.DB) (*account.Accounts, *clock) {
	c := &clock{now: time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)}
	a := account.New(db)
	a.Now = c.Now
	a.Sleep = func(time.Duration) {}
	return a, c
}

func create(t *testing.T, a *account.Accounts, email string, roles ...authz.Role) account.User {
	t.Helper()
	u, err := a.Create(context.Background(), tester, account.NewUser{Email: email, Name: "Someone " + email, Roles: roles, Password: password})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

func TestAuthenticate(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, clk := newAccounts(db)
		u := create(t, a, "ann@example.nhs.uk", authz.Staff)

		if _, err := a.Authenticate(ctx, "nobody@example.nhs.uk", password); !errors.Is(err, account.ErrBadCredentials) {
			t.Errorf("unknown email: %v, want ErrBadCredentials", err)
		}
		got, err := a.Authenticate(ctx, "  ANN@example.nhs.uk ", password)
		if err != nil || got.ID != u.ID || !slices.Equal(got.Roles, []authz.Role{authz.Staff}) {
			t.Fatalf("right password: %+v, %v", got, err)
		}

		for i := 1; i < account.LockoutThreshold; i++ {
			if _, err := a.Authenticate(ctx, u.Email, "wrong password here"); !errors.Is(err, account.ErrBadCredentials) {
				t.Fatalf("failure %d: %v, want ErrBadCredentials", i, err)
			}
		}
		if _, err := a.Authenticate(ctx, u.Email, "wrong password here"); !errors.Is(err, account.ErrLocked) {
			t.Fatalf("failure %d: %v, want ErrLocked", account.LockoutThreshold, err)
		}
		if _, err := a.Authenticate(ctx, u.Email, password); !errors.Is(err, account.ErrLocked) {
			t.Errorf("right password while locked: %v, want ErrLocked", err)
		}
		locked, _ := a.Get(ctx, u.ID)
		if !locked.Locked(clk.now) || locked.Failed != account.LockoutThreshold {
			t.Errorf("after lockout: failed %d, locked until %v", locked.Failed, locked.LockedUntil)
		}
		failures, _, err := audit.List(ctx, db, audit.Filter{Action: "user.sign_in_failed"})
		if err != nil || len(failures) != account.LockoutThreshold {
			t.Errorf("audit has %d failed sign-ins (%v), want %d", len(failures), err, account.LockoutThreshold)
		}

		clk.now = clk.now.Add(account.LockoutDuration + time.Second)
		if _, err := a.Authenticate(ctx, u.Email, password); err != nil {
			t.Fatalf("right password after the lock ran out: %v", err)
		}
		if again, _ := a.Get(ctx, u.ID); again.Failed != 0 {
			t.Errorf("failed attempts after success = %d, want 0", again.Failed)
		}

		// An administrator's unlock lifts the lock at once.
		for range account.LockoutThreshold {
			a.Authenticate(ctx, u.Email, "wrong password here")
		}
		if err := a.Unlock(ctx, tester, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Authenticate(ctx, u.Email, password); err != nil {
			t.Errorf("after unlock: %v", err)
		}

		if err := a.Update(ctx, tester, u.ID, u.Name, u.Roles, true); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Authenticate(ctx, u.Email, password); !errors.Is(err, account.ErrDisabled) {
			t.Errorf("disabled account: %v, want ErrDisabled", err)
		}
		if _, err := a.Authenticate(ctx, u.Email, "wrong password here"); !errors.Is(err, account.ErrBadCredentials) {
			t.Errorf("disabled account, wrong password: %v, want ErrBadCredentials", err)
		}
	})
}

func TestSetPasswordEndsSessions(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, _ := newAccounts(db)
		u := create(t, a, "ben@example.nhs.uk", authz.Guardian)
		other := create(t, a, "cat@example.nhs.uk", authz.Staff)
		token, err := a.StartSession(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		otherToken, err := a.StartSession(ctx, other)
		if err != nil {
			t.Fatal(err)
		}
		p, err := a.Session(ctx, token)
		if err != nil || p.UserID != u.ID || !p.Has(authz.Guardian) {
			t.Fatalf("session: %+v, %v", p, err)
		}

		if err := a.SetPassword(ctx, tester, u.ID, "short"); !errors.Is(err, account.ErrPasswordPolicy) {
			t.Errorf("short password: %v, want ErrPasswordPolicy", err)
		}
		const next = "a brand new passphrase"
		if err := a.SetPassword(ctx, tester, u.ID, next); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Session(ctx, token); !errors.Is(err, account.ErrNoSession) {
			t.Errorf("old session after password change: %v, want ErrNoSession", err)
		}
		if _, err := a.Session(ctx, otherToken); err != nil {
			t.Errorf("someone else's session ended too: %v", err)
		}
		if _, err := a.Authenticate(ctx, u.Email, password); !errors.Is(err, account.ErrBadCredentials) {
			t.Errorf("old password: %v, want ErrBadCredentials", err)
		}
		if _, err := a.Authenticate(ctx, u.Email, next); err != nil {
			t.Errorf("new password: %v", err)
		}
		if err := a.SetPassword(ctx, tester, 9999, next); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing user: %v, want ErrNotFound", err)
		}
	})
}

func TestTokens(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, _ := newAccounts(db)
		u := create(t, a, "dee@example.nhs.uk", authz.Safety, authz.Staff)
		other := create(t, a, "eve@example.nhs.uk", authz.Staff)

		tok, secret, err := a.CreateToken(ctx, tester, u.ID, "reporting script")
		if err != nil {
			t.Fatal(err)
		}
		if len(secret) < 40 || secret[:len(account.TokenPrefix)] != account.TokenPrefix || tok.Prefix != secret[:len(tok.Prefix)] {
			t.Errorf("token %+v with secret %q", tok, secret)
		}
		p, err := a.TokenPrincipal(ctx, secret)
		if err != nil || p.UserID != u.ID || p.TokenID != tok.ID || fmt.Sprint(p.Roles) != "[safety staff]" {
			t.Fatalf("resolve: %+v, %v", p, err)
		}
		// Roles are read with the token each time: a change counts at once,
		// and an account left with none resolves with none.
		if err := a.Update(ctx, tester, u.ID, u.Name, []authz.Role{authz.Staff}, false); err != nil {
			t.Fatal(err)
		}
		if p, err := a.TokenPrincipal(ctx, secret); err != nil || fmt.Sprint(p.Roles) != "[staff]" {
			t.Fatalf("after losing a role: %+v, %v", p, err)
		}
		if _, err := db.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = ?`, u.ID); err != nil {
			t.Fatal(err)
		}
		if p, err := a.TokenPrincipal(ctx, secret); err != nil || p.UserID != u.ID || len(p.Roles) != 0 {
			t.Fatalf("without roles: %+v, %v", p, err)
		}
		if err := a.Update(ctx, tester, u.ID, u.Name, u.Roles, false); err != nil {
			t.Fatal(err)
		}
		if _, err := a.TokenPrincipal(ctx, secret+"x"); !errors.Is(err, account.ErrBadToken) {
			t.Errorf("wrong secret: %v, want ErrBadToken", err)
		}
		if _, err := a.TokenPrincipal(ctx, "not-a-token"); !errors.Is(err, account.ErrBadToken) {
			t.Errorf("no prefix: %v, want ErrBadToken", err)
		}

		if err := a.RevokeToken(ctx, tester, tok.ID, other.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("someone else revoking: %v, want ErrNotFound", err)
		}
		if _, err := a.TokenPrincipal(ctx, secret); err != nil {
			t.Errorf("still valid after a refused revoke: %v", err)
		}
		if err := a.RevokeToken(ctx, tester, tok.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.TokenPrincipal(ctx, secret); !errors.Is(err, account.ErrBadToken) {
			t.Errorf("revoked token: %v, want ErrBadToken", err)
		}
		if err := a.RevokeToken(ctx, tester, tok.ID, u.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoking twice: %v, want ErrNotFound", err)
		}
		list, err := a.Tokens(ctx, u.ID)
		if err != nil || len(list) != 1 || list[0].RevokedAt.IsZero() {
			t.Errorf("tokens: %+v, %v; want one, revoked", list, err)
		}

		// A token stops working when its account is turned off.
		_, secret2, err := a.CreateToken(ctx, tester, u.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Update(ctx, tester, u.ID, u.Name, u.Roles, true); err != nil {
			t.Fatal(err)
		}
		if _, err := a.TokenPrincipal(ctx, secret2); !errors.Is(err, account.ErrBadToken) {
			t.Errorf("token of a disabled account: %v, want ErrBadToken", err)
		}
	})
}

func TestLastAdmin(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, _ := newAccounts(db)
		ann := create(t, a, "ann@example.nhs.uk", authz.Admin, authz.Staff)
		bob := create(t, a, "bob@example.nhs.uk", authz.Admin)
		asAnn := audit.Actor{UserID: ann.ID, Label: ann.Email}
		asBob := audit.Actor{UserID: bob.ID, Label: bob.Email}

		roles := func(id int64) []authz.Role {
			u, err := a.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return u.Roles
		}

		// With two administrators either may stop being one.
		if err := a.Update(ctx, asAnn, ann.ID, ann.Name, []authz.Role{authz.Staff}, false); err != nil {
			t.Fatalf("removing admin while another remains: %v", err)
		}
		// Now Bob is the last: neither he nor anyone else may take his role away or turn him off.
		if err := a.Update(ctx, asBob, bob.ID, bob.Name, []authz.Role{authz.Staff}, false); !errors.Is(err, account.ErrLastAdmin) {
			t.Errorf("last admin removing own role: %v, want ErrLastAdmin", err)
		}
		if err := a.Update(ctx, audit.System, bob.ID, bob.Name, bob.Roles, true); !errors.Is(err, account.ErrLastAdmin) {
			t.Errorf("turning off the last admin: %v, want ErrLastAdmin", err)
		}
		if got := roles(bob.ID); !slices.Contains(got, authz.Admin) {
			t.Errorf("refused change still took Bob's role: %v", got)
		}
		if u, _ := a.Get(ctx, bob.ID); u.Disabled {
			t.Error("refused change still turned Bob off")
		}
		if entries, _, _ := audit.List(ctx, db, audit.Filter{Action: "user.update", EntityID: strconv.FormatInt(bob.ID, 10)}); len(entries) != 0 {
			t.Errorf("a refused change was audited: %+v", entries)
		}
		// Changing his name while keeping the role is fine.
		if err := a.Update(ctx, asBob, bob.ID, "Bob Admin", bob.Roles, false); err != nil {
			t.Errorf("last admin renaming: %v", err)
		}

		// An administrator cannot turn off their own account, even when others remain.
		if err := a.Update(ctx, asBob, ann.ID, ann.Name, []authz.Role{authz.Admin}, false); err != nil {
			t.Fatal(err)
		}
		if err := a.Update(ctx, asBob, bob.ID, bob.Name, bob.Roles, true); !errors.Is(err, account.ErrDisableSelf) {
			t.Errorf("admin turning off own account: %v, want ErrDisableSelf", err)
		}
		if err := a.Update(ctx, asAnn, bob.ID, bob.Name, bob.Roles, true); err != nil {
			t.Errorf("admin turning off another admin: %v", err)
		}
		// A turned-off administrator does not count: Ann is now the last active one.
		if err := a.Update(ctx, asAnn, ann.ID, ann.Name, []authz.Role{authz.Staff}, false); !errors.Is(err, account.ErrLastAdmin) {
			t.Errorf("removing the last active admin while a disabled one remains: %v, want ErrLastAdmin", err)
		}
		// Changing people who are not administrators is never affected.
		carl := create(t, a, "carl@example.nhs.uk", authz.Staff)
		if err := a.Update(ctx, asAnn, carl.ID, carl.Name, []authz.Role{authz.HR}, true); err != nil {
			t.Errorf("updating a non-admin: %v", err)
		}
		if err := a.Update(ctx, asAnn, 9999, "Nobody", []authz.Role{authz.Staff}, false); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing user: %v, want ErrNotFound", err)
		}
	})
}

func TestCreate(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, _ := newAccounts(db)
		create(t, a, "ann@example.nhs.uk", authz.Staff)
		_, err := a.Create(ctx, tester, account.NewUser{Email: "ANN@example.nhs.uk", Name: "Another Ann", Roles: []authz.Role{authz.Staff}})
		if !errors.Is(err, account.ErrEmailTaken) {
			t.Errorf("duplicate email: %v, want ErrEmailTaken", err)
		}
		u, err := a.Create(ctx, tester, account.NewUser{Email: "nopw@example.nhs.uk", Name: "No Password", Roles: []authz.Role{authz.Staff}})
		if err != nil || u.HasPassword {
			t.Fatalf("create without password: %+v, %v", u, err)
		}
		if _, err := a.Authenticate(ctx, u.Email, ""); !errors.Is(err, account.ErrBadCredentials) {
			t.Errorf("account without a password signing in: %v, want ErrBadCredentials", err)
		}
	})
}
