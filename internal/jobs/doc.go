// Package jobs runs candour's background work (deadline reminders and
// escalations, sending the email outbox, retention) on a timer inside each
// replica.
//
// The Runner does not coordinate replicas: every replica runs every job, and
// a job may run at the same moment on several of them. Firing exactly once
// across replicas is therefore each job function's own business, done in the
// shared database, for example by a conditional UPDATE that only one replica
// can win (the email outbox claim in package notify) or by a primary key that
// refuses a second row (deadline_notices). A job function must be safe to run
// concurrently with itself on another replica and to run again after a crash.
package jobs
