// Package web serves candour's pages: server-rendered HTML in the NHS.UK
// design system that works without JavaScript. Each action has its own file
// (signin_submit.go, person_update.go...); routes.go lists every route with the
// policy that guards it. Handlers call domain packages and never hold rules
// or SQL of their own.
package web
