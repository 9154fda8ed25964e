package notify_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"candour/internal/notify"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

func addUser(t *testing.T, db *store.DB, email string) int64 {
	t.Helper()
	now := store.T(time.Now())
	var id int64
	err := db.QueryRowContext(context.Background(),
		`INSERT INTO users (email, name, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
		email, email, now, now).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestNoticesBelongToTheirOwner(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ann, bob := addUser(t, db, "ann@example.org"), addUser(t, db, "bob@example.org")
		c := newClock()
		add := func(n notify.Notice) {
			t.Helper()
			if err := db.InTx(ctx, func(tx *store.Tx) error { return notify.Notify(ctx, tx, c.Now(), n) }); err != nil {
				t.Fatal(err)
			}
			c.Advance(time.Minute)
		}
		add(notify.Notice{UserID: ann, Body: "A concern is due for acknowledgement tomorrow.", Link: "/reports/7"})
		add(notify.Notice{UserID: bob, Body: "You have been assigned a concern."})
		add(notify.Notice{UserID: ann, Body: "A reporter replied.", Link: "/reports/7#messages"})

		// A notice in a rolled-back change never appears.
		boom := errors.New("boom")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := notify.Notify(ctx, tx, c.Now(), notify.Notice{UserID: ann, Body: "ghost"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}

		list, err := notify.Notices(ctx, db, ann, false, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Body != "A reporter replied." || list[1].Link != "/reports/7" {
			t.Fatalf("ann's notices = %+v; want her two, newest first", list)
		}
		first := list[1]
		if first.UserID != ann || first.ReportID != 0 || first.Read() || !first.CreatedAt.Equal(newClock().Now()) {
			t.Errorf("notice = %+v", first)
		}
		if n, _ := notify.UnreadCount(ctx, db, ann); n != 2 {
			t.Errorf("ann unread = %d, want 2", n)
		}

		// Bob cannot mark Ann's notice, and is told only "not found".
		if err := notify.MarkRead(ctx, db, bob, first.ID, c.Now()); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("bob marking ann's notice = %v, want ErrNotFound", err)
		}
		if err := notify.MarkRead(ctx, db, ann, 999999, c.Now()); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("marking a missing notice = %v, want ErrNotFound", err)
		}
		if n, _ := notify.UnreadCount(ctx, db, ann); n != 2 {
			t.Fatalf("ann unread after bob's attempt = %d, want 2", n)
		}

		readAt := c.Now()
		if err := notify.MarkRead(ctx, db, ann, first.ID, readAt); err != nil {
			t.Fatal(err)
		}
		c.Advance(time.Hour)
		if err := notify.MarkRead(ctx, db, ann, first.ID, c.Now()); err != nil {
			t.Fatalf("marking again = %v, want nil", err)
		}
		unread, err := notify.Notices(ctx, db, ann, true, 10)
		if err != nil || len(unread) != 1 || unread[0].Body != "A reporter replied." {
			t.Fatalf("ann's unread = %+v, %v", unread, err)
		}
		all, _ := notify.Notices(ctx, db, ann, false, 10)
		if !all[1].ReadAt.Equal(readAt) {
			t.Errorf("read at %v, want the first mark %v", all[1].ReadAt, readAt)
		}

		if err := notify.MarkAllRead(ctx, db, ann, c.Now()); err != nil {
			t.Fatal(err)
		}
		if n, _ := notify.UnreadCount(ctx, db, ann); n != 0 {
			t.Errorf("ann unread after MarkAllRead = %d", n)
		}
		if n, _ := notify.UnreadCount(ctx, db, bob); n != 1 {
			t.Errorf("bob unread after ann's MarkAllRead = %d, want 1", n)
		}
		if l, _ := notify.Notices(ctx, db, ann, false, 1); len(l) != 1 {
			t.Errorf("limit 1 gave %d notices", len(l))
		}
	})
}

func TestNotifyRefusesBadNotices(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	ann := addUser(t, db, "ann@example.org")
	for _, n := range []notify.Notice{
		{UserID: 0, Body: "no one"},
		{UserID: ann, Body: "  "},
		{UserID: ann, Body: "x", Link: "https://evil.example/"},
		{UserID: ann, Body: "x", Link: "//evil.example/"},
		{UserID: ann, Body: "x", Link: "javascript:alert(1)"},
		{UserID: ann, Body: "x", Link: "/\\evil.example"},
		{UserID: ann, Body: "x", Link: "/reports/1\r\nSet-Cookie: a=b"},
	} {
		err := db.InTx(ctx, func(tx *store.Tx) error { return notify.Notify(ctx, tx, time.Now(), n) })
		if !errors.Is(err, notify.ErrInvalid) {
			t.Errorf("Notify(%+v) = %v, want ErrInvalid", n, err)
		}
	}
	if n, _ := notify.UnreadCount(ctx, db, ann); n != 0 {
		t.Errorf("%d refused notices stored", n)
	}
}
