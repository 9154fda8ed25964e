// Package bench measures report submission through the HTTP API: a real
// candour (App.Serve, every middleware, the group-commit writer) on a
// loopback listener, driven by a closed loop of keep-alive clients for
// throughput and by an open loop at a fixed rate for latency, against a
// baseline of one-row-per-transaction inserts measured in the same run on
// the same disk with the same pragmas.
//
// The full benchmark runs only when asked (CANDOUR_BENCH=1, see
// bench_test.go and docs/benchmarks.md); ordinary test runs do a tiny smoke
// run that proves the harness works.
package bench
