package store_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"candour/internal/store"
	"candour/internal/store/storetest"
)

// With RunCheckpoints going, what is committed reaches the database file
// itself within moments, long before the log would reach SQLite's own
// checkpoint threshold; without it, it stays in the log.
func TestCommitsReachTheDatabaseFileInTheBackground(t *testing.T) {
	for _, background := range []bool{false, true} {
		db := storetest.SQLite(t)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		if background {
			go func() { db.RunCheckpoints(ctx, 5*time.Millisecond); close(done) }()
		} else {
			close(done)
		}
		path := strings.TrimPrefix(db.Location, "sqlite:")
		size := func() int64 {
			t.Helper()
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			return fi.Size()
		}
		if _, err := db.ExecContext(ctx, `CREATE TABLE notes (body TEXT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		before := size()
		// About 100 pages of log: a tenth of SQLite's threshold.
		for i := 0; i < 100; i++ {
			if err := db.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO notes (body) VALUES (?)`, strings.Repeat("x", 6000))
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		grew := false
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if size() > before+400_000 {
				grew = true
				break
			}
			if !background {
				time.Sleep(100 * time.Millisecond)
				break
			}
		}
		cancel()
		<-done
		if grew != background {
			t.Errorf("background checkpoints %v: database file grew from %d to %d bytes", background, before, size())
		}
		if background {
			logged, copied, err := db.Checkpoint(context.Background())
			if err != nil || logged != copied {
				t.Errorf("after the background checkpoints: %d pages logged, %d copied (%v)", logged, copied, err)
			}
		}
	}
}
