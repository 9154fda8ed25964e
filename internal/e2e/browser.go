package e2e

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Environment and paths.
const (
	// ChromiumPath is where Debian's chromium package puts the browser.
	ChromiumPath = "/usr/bin/chromium"
	// BrowserEnv set to "require" makes a missing browser fail the tests
	// instead of skipping them.
	BrowserEnv = "CANDOUR_TEST_BROWSER"
	// ScreenshotsEnv names a folder to save a full-page PNG of every page and
	// state in.
	ScreenshotsEnv = "CANDOUR_SCREENSHOTS"
)

// SkipMessage is what the tests say when they skip for want of a browser.
const SkipMessage = "SKIPPED: browser tests need " + ChromiumPath + " (Debian package chromium: apt-get install chromium); " +
	"none of the accessibility checks ran. Set " + BrowserEnv + "=require to make a missing browser fail instead."

// ErrNoBrowser means Chromium is not installed.
var ErrNoBrowser = errors.New("no browser at " + ChromiumPath)

// Timeouts for one step in a tab: a page load, a form submission, an axe run.
const stepTimeout = 30 * time.Second

// Browser is one headless Chromium, shared by every test in the binary.
type Browser struct {
	ctx    context.Context // the first tab: holds the browser process
	cancel func()
	// Screenshots is the folder screenshots go in; "" for none.
	Screenshots string
}

// StartBrowser starts headless Chromium with a fresh profile. It returns
// ErrNoBrowser when Chromium is not installed.
func StartBrowser() (*Browser, error) {
	if _, err := os.Stat(ChromiumPath); err != nil {
		return nil, ErrNoBrowser
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(ChromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		// A laptop-sized window, so screenshots show the desktop layout.
		chromedp.WindowSize(1280, 900),
		// No user-data-dir: the allocator makes a fresh temporary profile
		// and removes it when the browser stops.
	)
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		cancel()
		allocCancel()
		return nil, fmt.Errorf("start %s: %w", ChromiumPath, err)
	}
	b := &Browser{ctx: ctx, cancel: func() { cancel(); allocCancel() }}
	if dir := os.Getenv(ScreenshotsEnv); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Close()
			return nil, fmt.Errorf("%s: %w", ScreenshotsEnv, err)
		}
		b.Screenshots = dir
	}
	return b, nil
}

// Close stops the browser and removes its profile.
func (b *Browser) Close() { b.cancel() }

// TabOptions configure a new tab.
type TabOptions struct {
	// NoScript turns JavaScript off in the tab, as a browser with scripts
	// disabled would be.
	NoScript bool
}

// Tab is one browser tab in a browser context of its own, so its cookies,
// and so its sign-in, are its own. Use it from one goroutine.
type Tab struct {
	b    *Browser
	ctx  context.Context
	base *url.URL
	// Who is the signed-in role, or "signed-out": the first part of
	// screenshot names.
	Who string

	mu       sync.Mutex
	problems []problem // JavaScript exceptions and console errors
}

// NewTab opens a tab in a fresh browser context for the site at baseURL. The
// tab closes when the test ends.
func (b *Browser) NewTab(t testing.TB, baseURL, who string, o TabOptions) *Tab {
	t.Helper()
	base, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	tab := &Tab{b: b, base: base, Who: who}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(tab.listen))
	t.Cleanup(cancel)
	tab.ctx = ctx
	if err := chromedp.Do(ctx); err != nil { // opens the tab, with no timeout bound to it
		t.Fatalf("open a browser tab: %v", err)
	}
	if o.NoScript {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("turn JavaScript off: %v", err)
		}
	}
	return tab
}

// blockedFont matches the console error for the NHS web fonts, which the
// stylesheet loads from assets.nhs.uk and our Content-Security-Policy
// (font-src 'self') refuses. Only these errors are expected.
// Chromium has worded it both ways.
var blockedFont = regexp.MustCompile(`^(Refused to load|Loading) the font 'https://assets\.nhs\.uk/[^']*'.* Content Security Policy directive`)

// statusError is how Chromium reports a document that came with an error
// status. For the page itself that is no problem of the page's: the tests
// check its status themselves.
var statusError = regexp.MustCompile(`^Failed to load resource: the server responded with a status of \d+`)

// problem is a JavaScript exception or console error.
type problem struct {
	text string
	url  string // the resource a network error is about
	// status says it is an error status of the resource at url.
	status bool
}

// listen runs in the tab's event loop: it must be quick and send no command.
func (tab *Tab) listen(ev any) {
	var p problem
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		p.text = "JavaScript exception: " + exceptionText(ev.ExceptionDetails)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			p.text = fmt.Sprintf("console.%s: %s", ev.Type, argsText(ev.Args))
		}
	case *log.EventEntryAdded:
		if e := ev.Entry; e != nil && e.Level == log.EntryLevelError && !blockedFont.MatchString(e.Text) {
			p.text = fmt.Sprintf("console error (%s): %s", e.Source, e.Text)
			if e.URL != "" {
				p.text += " [" + e.URL + "]"
			}
			p.url, p.status = e.URL, e.Source == log.EntrySourceNetwork && statusError.MatchString(e.Text)
		}
	}
	if p.text != "" {
		tab.mu.Lock()
		tab.problems = append(tab.problems, p)
		tab.mu.Unlock()
	}
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "(no details)"
	}
	s := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		s += " " + d.Exception.Description
	}
	if d.URL != "" {
		s += fmt.Sprintf(" at %s:%d:%d", d.URL, d.LineNumber+1, d.ColumnNumber+1)
	}
	return s
}

func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		switch {
		case a == nil:
		case a.Description != "":
			parts = append(parts, a.Description)
		case len(a.Value) > 0:
			parts = append(parts, strings.Trim(string(a.Value), `"`))
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

// takeProblems returns the exceptions and console errors seen since the last
// call and forgets them. It leaves out the error status of the document at
// docURL, which the tests check as the response status.
func (tab *Tab) takeProblems(docURL string) []string {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	var out []string
	for _, p := range tab.problems {
		if p.status && p.url == docURL {
			continue
		}
		out = append(out, p.text)
	}
	tab.problems = nil
	return out
}

// Problems returns the JavaScript exceptions and console errors since the
// page the tab shows began to load, other than its own error status, and
// forgets them.
func (tab *Tab) Problems(t testing.TB) []string {
	t.Helper()
	return tab.takeProblems(tab.Eval(t, `location.href`))
}

// step returns a context for one step, which ends the step (not the tab)
// after stepTimeout.
func (tab *Tab) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(tab.ctx, stepTimeout)
}

// URL returns the absolute URL of path on the site.
func (tab *Tab) URL(path string) string {
	u, err := tab.base.Parse(path)
	if err != nil {
		return tab.base.String() + path
	}
	return u.String()
}

// Response is what a navigation ended with.
type Response struct {
	Status int    // HTTP status of the final document, after redirects
	Path   string // path and query of the page the tab shows
}

// Visit loads path and returns the final response once the page has loaded.
func (tab *Tab) Visit(t testing.TB, path string) Response {
	t.Helper()
	tab.takeProblems("") // anything left from an earlier page is not this page's
	ctx, cancel := tab.step()
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(tab.URL(path)))
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	return tab.response(t, int(res.Status))
}

// Submit runs fill (which may be nil), then clicks the button that submit
// selects (CSS), and returns the response of the page the form leads to.
func (tab *Tab) Submit(t testing.TB, fill func(t testing.TB, tab *Tab), submit string) Response {
	t.Helper()
	tab.takeProblems("")
	if fill != nil {
		fill(t, tab)
	}
	ctx, cancel := tab.step()
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(submit)))
	if err != nil {
		t.Fatalf("submit with %s: %v", submit, err)
	}
	return tab.response(t, int(res.Status))
}

func (tab *Tab) response(t testing.TB, status int) Response {
	t.Helper()
	loc := tab.Eval(t, `location.pathname + location.search`)
	return Response{Status: status, Path: loc}
}

// Type puts text into the field that sel (CSS) selects, after clearing it, as
// typing would: it focuses the field and inserts the text with the browser's
// text input (Input.insertText), which fires the same input events. It is one
// command, where sending each key would be three per character.
func (tab *Tab) Type(t testing.TB, sel, text string) {
	t.Helper()
	ctx, cancel := tab.step()
	defer cancel()
	insert := chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tt, input.InsertText, input.InsertTextParams{Text: text})
		return err
	})
	// Cleared by script, as chromedp.Clear cannot clear an empty textarea
	// (it looks for the text node holding its value).
	var found bool
	tab.EvalInto(t, `(el => { if (!el) return false; el.value = ''; el.dispatchEvent(new Event('input', {bubbles: true})); return true; })(document.querySelector(`+jsString(sel)+`))`, &found)
	if !found {
		t.Fatalf("type into %s: no such field", sel)
	}
	if text != "" {
		if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(sel)), insert); err != nil {
			t.Fatalf("type into %s: %v", sel, err)
		}
	}
	if got := tab.Eval(t, `document.querySelector(`+jsString(sel)+`).value`); got != text {
		t.Fatalf("typed %q into %s, but it holds %q", text, sel, got)
	}
}

// SetValue sets the value of a field (for example a select) that sel (CSS)
// selects.
func (tab *Tab) SetValue(t testing.TB, sel, value string) {
	t.Helper()
	ctx, cancel := tab.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(sel), value)); err != nil {
		t.Fatalf("set %s: %v", sel, err)
	}
}

// Click clicks the element that sel (CSS) selects, without waiting for a
// navigation.
func (tab *Tab) Click(t testing.TB, sel string) {
	t.Helper()
	ctx, cancel := tab.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
}

// UploadFile sets the files of the file input that sel (CSS) selects.
func (tab *Tab) UploadFile(t testing.TB, sel string, files ...string) {
	t.Helper()
	ctx, cancel := tab.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(sel), files)); err != nil {
		t.Fatalf("choose files for %s: %v", sel, err)
	}
}

// Eval evaluates a JavaScript expression that gives a string. It uses
// Runtime.evaluate, so it works in a tab with scripts turned off too.
func (tab *Tab) Eval(t testing.TB, expr string) string {
	t.Helper()
	var s string
	tab.EvalInto(t, expr, &s)
	return s
}

// EvalInto evaluates a JavaScript expression and decodes its JSON value into v.
func (tab *Tab) EvalInto(t testing.TB, expr string, v any) {
	t.Helper()
	ctx, cancel := tab.step()
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
	if err == nil {
		err = decodeJSON(raw, v)
	}
	if err != nil {
		t.Fatalf("evaluate %.80q: %v", expr, err)
	}
}

// Exists reports whether sel (CSS) selects an element.
func (tab *Tab) Exists(t testing.TB, sel string) bool {
	t.Helper()
	var ok bool
	tab.EvalInto(t, `document.querySelector(`+jsString(sel)+`) !== null`, &ok)
	return ok
}

// Fetched is what a fetch of a file gave.
type Fetched struct {
	Status       int    `json:"status"`
	ContentType  string `json:"contentType"`
	Disposition  string `json:"disposition"`
	CacheControl string `json:"cacheControl"`
	Size         int    `json:"size"`
}

// Fetch gets path with the page's fetch, with the tab's cookies, as a link
// to a download would, without leaving the page: a navigation to a download
// shows no page. The tab must show a page of the site.
func (tab *Tab) Fetch(t testing.TB, path string) Fetched {
	t.Helper()
	if origin := tab.Eval(t, `location.origin`); origin != strings.TrimSuffix(tab.URL("/"), "/") {
		t.Fatalf("fetch %s: the tab shows %s, not the site", path, origin)
	}
	var f Fetched
	tab.EvalInto(t, `fetch(`+jsString(path)+`, {credentials: 'same-origin', redirect: 'manual'}).then(async r => ({
		status: r.status,
		contentType: r.headers.get('content-type') || '',
		disposition: r.headers.get('content-disposition') || '',
		cacheControl: r.headers.get('cache-control') || '',
		size: (await r.arrayBuffer()).byteLength,
	}))`, &f)
	return f
}

// Text returns the visible text of the first element sel (CSS) selects, or ""
// when there is none.
func (tab *Tab) Text(t testing.TB, sel string) string {
	t.Helper()
	return tab.Eval(t, fmt.Sprintf(`(document.querySelector(%s) || {innerText: ""}).innerText`, jsString(sel)))
}

// SignIn signs in through the sign-in form as a person would: types the
// email address and password and presses the button. It fails the test
// unless that leads to a signed-in page.
func (tab *Tab) SignIn(t testing.TB, email, password string) {
	t.Helper()
	if res := tab.Visit(t, "/sign-in"); res.Status != 200 {
		t.Fatalf("GET /sign-in: status %d", res.Status)
	}
	res := tab.Submit(t, func(t testing.TB, tab *Tab) {
		tab.Type(t, "#email", email)
		tab.Type(t, "#password", password)
	}, signInButton)
	if res.Status != 200 || res.Path == "/sign-in" {
		t.Fatalf("sign in as %s: status %d at %s, h1 %q, errors %q", email, res.Status, res.Path,
			tab.Text(t, "h1"), tab.Text(t, ".nhsuk-error-summary"))
	}
	if got := tab.Text(t, `.nhsuk-header__account a[href="/account"]`); got == "" {
		t.Fatalf("signed in as %s but the header has no link to the account", email)
	}
	tab.takeProblems("")
}

// signInButton selects the sign-in form's button.
const signInButton = `main form[action="/sign-in"] button[type=submit]`

// Screenshot saves a full-page PNG named Who_path_state.png when
// CANDOUR_SCREENSHOTS is set.
func (tab *Tab) Screenshot(t testing.TB, path, state string) {
	t.Helper()
	if tab.b.Screenshots == "" {
		return
	}
	ctx, cancel := tab.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot of %s: %v", path, err)
		return
	}
	name := ScreenshotName(tab.Who, path, state)
	if err := os.WriteFile(filepath.Join(tab.b.Screenshots, name), png, 0o644); err != nil {
		t.Errorf("save screenshot: %v", err)
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9.-]+`)

// ScreenshotName is role_path_state.png with the path's slashes as dashes
// ("home" for /).
func ScreenshotName(who, path, state string) string {
	p := strings.Trim(path, "/")
	if p == "" {
		p = "home"
	}
	clean := func(s string) string { return strings.Trim(unsafeName.ReplaceAllString(s, "-"), "-") }
	return clean(who) + "_" + clean(p) + "_" + clean(state) + ".png"
}

// pageFacts are the structural facts every page must get right.
type pageFacts struct {
	Title      string   `json:"title"`
	H1s        []string `json:"h1s"`
	Mains      int      `json:"mains"`
	SkipLink   bool     `json:"skipLink"`
	SkipTarget bool     `json:"skipTarget"`
	Lang       string   `json:"lang"`
}

const pageFactsJS = `(() => {
	const skip = document.querySelector('a.nhsuk-skip-link');
	const href = skip ? skip.getAttribute('href') : '';
	const target = href && href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
	return {
		title: document.title,
		h1s: Array.from(document.querySelectorAll('h1'), h => h.innerText.trim()),
		mains: document.querySelectorAll('main, [role=main]').length,
		skipLink: !!skip && !!href,
		skipTarget: !!target && (target.matches('main, [role=main]')),
		lang: document.documentElement.lang,
	};
})()`

// TitleSuffix ends every page title.
const TitleSuffix = " – candour"

// CheckPage checks the page the tab shows: one h1, the title, the skip link,
// the main landmark, no JavaScript exception or console error, and no axe
// violation. It saves a screenshot named after path and state.
func (tab *Tab) CheckPage(t testing.TB, path, state string) {
	t.Helper()
	tab.Screenshot(t, path, state)
	var doc struct{ Type, Text string }
	tab.EvalInto(t, `({type: document.contentType, text: document.body ? document.body.innerText : ""})`, &doc)
	if doc.Type != "text/html" {
		// No page to check: say what came instead of a list of everything
		// a page would have.
		t.Errorf("%s: not an HTML page but %s: %q", path, doc.Type, clip(oneLine(doc.Text), 200))
		tab.takeProblems("")
		return
	}
	var f pageFacts
	tab.EvalInto(t, pageFactsJS, &f)
	if len(f.H1s) != 1 {
		t.Errorf("%s: want exactly one h1, got %d: %q", path, len(f.H1s), f.H1s)
	}
	if !strings.HasSuffix(f.Title, TitleSuffix) {
		t.Errorf("%s: title %q does not end with %q", path, f.Title, TitleSuffix)
	}
	if !f.SkipLink {
		t.Errorf("%s: no skip link (a.nhsuk-skip-link)", path)
	} else if !f.SkipTarget {
		t.Errorf("%s: the skip link does not lead to the main landmark", path)
	}
	if f.Mains != 1 {
		t.Errorf("%s: want one main landmark, got %d", path, f.Mains)
	}
	if f.Lang != "en" {
		t.Errorf("%s: html lang is %q, want en", path, f.Lang)
	}
	if violations := tab.Axe(t); len(violations) > 0 {
		t.Errorf("%s (%s, %s): %d axe violation(s):\n%s", path, tab.Who, state, len(violations), FormatViolations(violations))
	}
	// Axe itself may log; the page's own problems were collected during
	// the load and any interaction since.
	if p := tab.Problems(t); len(p) > 0 {
		t.Errorf("%s: JavaScript exceptions or console errors:\n  %s", path, strings.Join(p, "\n  "))
	}
}

// CheckScriptsRan fails the test unless the NHS.UK frontend's inline script
// ran (it adds js-enabled to the body), which shows the Content-Security-Policy
// nonce works.
func (tab *Tab) CheckScriptsRan(t testing.TB) {
	t.Helper()
	if cls := tab.Eval(t, `document.body.className`); !strings.Contains(cls, "js-enabled") {
		t.Errorf("the page's inline script did not run: body class %q", cls)
	}
}

// Ctx is the tab's context, for chromedp actions the helpers do not cover.
// Derive a timeout from it for each action.
func (tab *Tab) Ctx() context.Context { return tab.ctx }
