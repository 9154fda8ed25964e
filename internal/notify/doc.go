// Package notify tells people that something needs them: in-app notices
// shown in candour itself, and email sent through an outbox.
//
// Email is never sent from inside a request. A change that causes an email
// calls Enqueue with the change's own transaction, so the email exists if and
// only if the change commits. A Sender, run by a background job on every
// replica, later claims due outbox rows one at a time, sends each over SMTP,
// and records the result; the claim is a conditional UPDATE that only one
// replica can win, so several replicas never send the same row at the same
// time. Failures are retried with exponential back-off and given up after
// MaxAttempts, left in the outbox with their last error for an operator to
// see (Pending, Failed).
//
// Delivery is at least once: if a replica dies after the SMTP server accepted
// a message but before it recorded that, the row is sent again once its claim
// lapses. Each row keeps one Message-ID across attempts so that mail systems
// can recognise the repeat.
//
// Privacy: email leaves the organisation's control, so callers put as little
// in it as will do (a prompt and a link, never a narrative), and never enqueue
// an email to, or about the identity of, an anonymous reporter. This package
// cannot tell who an address belongs to; that rule is enforced where reports
// are handled.
package notify
