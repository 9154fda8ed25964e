package library_test

import (
	"testing"

	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// precisionFloor is the precision at 5 that similar events must reach on
// the labelled set (testdata/similar_labelled.tsv): the share of each
// event's five most similar events that are in its own cluster, averaged
// over every event. Measured values are in docs/benchmarks.md.
// The floors are for words alone (NoThesaurus) and with the thesaurus.
var precisionFloor = map[bool]map[store.Engine]float64{
	false: {store.SQLite: 0.28, store.Postgres: 0.28},
	true:  {store.SQLite: 0.77, store.Postgres: 0.70},
}

func TestSimilarPrecisionAt5(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		clusters, texts := labelled(t)
		ids := make([]int64, len(texts))
		cluster := map[int64]string{}
		for i, text := range texts {
			ids[i] = f.report(t, "safety_event", "safety", text)
			cluster[ids[i]] = clusters[i]
		}
		// A concern sharing the falls vocabulary must never be returned.
		concern := f.report(t, "concern", "guardian", "Patient fall on the ward at night, bed rails down, call bell out of reach, floor wet")
		safety := f.user(t, "Safety Lead", 0, authz.Safety)
		for _, thesaurus := range []bool{false, true} {
			f.svc.NoThesaurus = !thesaurus
			p := precisionAt5(t, f, safety, ids, cluster, concern)
			t.Logf("precision@5 on %d labelled events in 7 clusters, thesaurus %v: %.3f (%s)", len(ids), thesaurus, p, db.Engine)
			if floor := precisionFloor[thesaurus][db.Engine]; p < floor {
				t.Errorf("precision@5 with thesaurus %v = %.3f, below the floor %.2f", thesaurus, p, floor)
			}
		}
	})
}

func precisionAt5(t *testing.T, f *fixture, p *authz.Principal, ids []int64, cluster map[int64]string, never int64) float64 {
	t.Helper()
	total := 0.0
	byCluster := map[string][]float64{}
	for _, id := range ids {
		sim, err := f.svc.Similar(ctx, p, id, 5)
		if err != nil {
			t.Fatal(err)
		}
		hits := 0
		for _, e := range sim.Events {
			if e.ReportID == never {
				t.Fatalf("similar events for %d include a speak-up concern", id)
			}
			if e.ReportID == id {
				t.Fatalf("similar events for %d include itself", id)
			}
			if cluster[e.ReportID] == cluster[id] {
				hits++
			}
		}
		prec := float64(hits) / 5
		byCluster[cluster[id]] = append(byCluster[cluster[id]], prec)
		total += prec
	}
	for c, ps := range byCluster {
		sum := 0.0
		for _, x := range ps {
			sum += x
		}
		t.Logf("  %-15s %.3f", c, sum/float64(len(ps)))
	}
	return total / float64(len(ids))
}
