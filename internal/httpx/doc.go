// Package httpx is the HTTP plumbing shared by the web pages, the API and the
// operations endpoints: request ids, structured access logs, panic recovery,
// security headers with a per-request CSP nonce, client-address handling,
// and the one way stored files are sent as downloads (SendDownload).
package httpx
