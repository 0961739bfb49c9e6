// Package client is a typed Go client for the skillsmatch HTTP API v1, for
// programs that talk to a running server and for the product's own
// end-to-end tests.
//
// It duplicates the API's JSON shapes on purpose instead of importing the
// server's packages: this package follows the published contract
// (docs/API.md), so a change that breaks the contract breaks its users'
// builds or tests, not silently the wire format.
//
// A Client keeps the tokens of the last Login or Refresh and sends the
// access token with every request. Use one Client per signed-in person and
// a fresh one for anonymous calls: the server refuses a request that
// carries an invalid token even on public routes.
//
// Every error the server answers with is a *Problem (RFC 9457):
//
//	c := client.New("http://127.0.0.1:8080", client.WithLanguage("en"))
//	if _, err := c.Login(ctx, "ana@example.com", password); err != nil {
//		var p *client.Problem
//		if errors.As(err, &p) && p.Status == http.StatusTooManyRequests {
//			// wait and try again
//		}
//		return err
//	}
//	need, err := c.Need(ctx, id)
//	if client.IsStatus(err, http.StatusNotFound) {
//		// not there, or not visible to this caller
//	}
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// Client calls one skillsmatch server. It is safe for concurrent use.
type Client struct {
	base string
	hc   *http.Client
	lang string

	mu     sync.Mutex
	tokens Tokens
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client used for requests (timeouts,
// transport, proxies). The default is http.DefaultClient.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.hc = hc }
}

// WithLanguage sets the Accept-Language header, which picks the language
// of error messages and labels: "bg" (the server's default) or "en".
func WithLanguage(lang string) Option {
	return func(c *Client) { c.lang = lang }
}

// New returns a client for the server at baseURL, such as
// "https://skillsmatch.example" or "http://127.0.0.1:8080".
func New(baseURL string, opts ...Option) *Client {
	c := &Client{base: strings.TrimRight(baseURL, "/"), hc: http.DefaultClient}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Tokens returns the tokens the client holds now.
func (c *Client) Tokens() Tokens {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tokens
}

// SetTokens replaces the tokens the client holds, for a client that signs
// in with tokens kept from an earlier session. The zero Tokens signs out.
func (c *Client) SetTokens(t Tokens) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tokens = t
}

// do sends a request with in (if not nil) as its JSON body and decodes a
// 2xx answer into out (if not nil). Any other answer is a *Problem.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, in, out any) error {
	res, err := c.send(ctx, method, path, query, in)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return readProblem(res)
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, res.Body)
		return nil
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		return fmt.Errorf("%s %s: decode response: %w", method, path, err)
	}
	return nil
}

func (c *Client) send(ctx context.Context, method, path string, query url.Values, in any) (*http.Response, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("%s %s: encode request: %w", method, path, err)
		}
		body = bytes.NewReader(b)
	}
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json, application/problem+json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	if tok := c.Tokens().AccessToken; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	return res, nil
}

// maxProblem bounds how much of an error body is read.
const maxProblem = 64 << 10

// readProblem turns a non-2xx answer into a *Problem. A body that is not
// problem JSON (a proxy's HTML page, say) keeps the status and shows the
// start of the body as the detail.
func readProblem(res *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(res.Body, maxProblem))
	p := &Problem{}
	mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type"))
	if mt != "application/problem+json" && mt != "application/json" || json.Unmarshal(b, p) != nil {
		p = &Problem{Detail: strings.TrimSpace(string(b))}
		if len(p.Detail) > 200 {
			p.Detail = p.Detail[:200] + "…"
		}
	}
	p.Status = res.StatusCode // the status line wins over the body
	if p.Title == "" {
		p.Title = http.StatusText(res.StatusCode)
	}
	if s := res.Header.Get("Retry-After"); s != "" {
		p.RetryAfter, _ = strconv.Atoi(s)
	}
	return p
}

// Problem is an error answer from the server, an RFC 9457 problem details
// object. Get it with errors.As.
type Problem struct {
	Type     string       `json:"type"`
	Title    string       `json:"title"`
	Status   int          `json:"status"`
	Detail   string       `json:"detail,omitempty"`
	Instance string       `json:"instance,omitempty"`
	Code     string       `json:"code"` // machine-readable reason, such as "email_taken"
	Errors   []FieldError `json:"errors,omitempty"`

	// RetryAfter is the Retry-After header in seconds (on 429), or 0.
	RetryAfter int `json:"-"`
}

// FieldError is one invalid field of a request body or query.
type FieldError struct {
	Field   string `json:"field"` // JSON path, such as "skills[0].level"
	Code    string `json:"code"`
	Message string `json:"message"` // in the client's language
}

// Error implements error.
func (p *Problem) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "skillsmatch: %d", p.Status)
	if p.Code != "" {
		fmt.Fprintf(&b, " %s", p.Code)
	}
	if p.Title != "" {
		fmt.Fprintf(&b, ": %s", p.Title)
	}
	if p.Detail != "" {
		fmt.Fprintf(&b, ": %s", p.Detail)
	}
	for _, f := range p.Errors {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	return b.String()
}

// IsStatus reports whether err is, or wraps, a *Problem with the status.
func IsStatus(err error, status int) bool {
	var p *Problem
	return errors.As(err, &p) && p.Status == status
}

// pathID escapes an id for use as one path segment.
func pathID(id string) string { return url.PathEscape(id) }
