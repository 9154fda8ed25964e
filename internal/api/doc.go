// Package api serves candour's JSON API under /api/v1: bearer-token
// authentication with personal API tokens, snake_case JSON, lists shaped as
// {"items": [...], "next": "..."}, RFC 9457 problem details for every error,
// and an OpenAPI 3.1 document that a test keeps in step with the routes.
package api
