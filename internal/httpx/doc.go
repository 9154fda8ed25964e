// Package httpx is the HTTP plumbing shared by the web pages, the API and the
// operations endpoints: request ids, structured access logs, panic recovery,
// security headers with a per-request CSP nonce, and client-address handling.
package httpx
