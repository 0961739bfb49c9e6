// Package failure is the small vocabulary of errors that every domain
// package returns and that the HTTP layer turns into status codes in one
// place. A domain says what went wrong (not found, conflict, forbidden, …);
// it never says which HTTP status that is.
package failure

import (
	"errors"
	"fmt"
)

// Kind classifies an error for the caller.
type Kind int

// The kinds of failure a caller can act on. Anything else is internal.
const (
	Internal     Kind = iota // a bug or an outage; the caller can only retry
	Invalid                  // the input breaks a rule; Fields says which
	Unauthorized             // no valid credentials
	Forbidden                // the caller may see the thing but not do this
	NotFound                 // absent, or not visible to the caller
	Conflict                 // a unique value is taken, or the state forbids the move
	TooMany                  // throttled; RetryAfter says for how long
	Unavailable              // a dependency is not ready (index catching up, store down)
)

// FieldError names one invalid input field, in the API's JSON path syntax
// (for example "skills[0].level"), with a message key and its arguments.
type FieldError struct {
	Field string
	Code  string // a message key such as "required", "oneof", "eik"
	Param string // the rule's parameter, e.g. "1..4", shown in the message
}

// Error is a classified error. Code is a stable machine key for the
// message (translated by the HTTP layer); Detail is an English detail for logs
// and for clients that want more than the title.
type Error struct {
	Kind       Kind
	Code       string
	Detail     string
	Fields     []FieldError
	RetryAfter int // seconds, for TooMany
	Err        error
}

func (e *Error) Error() string {
	msg := e.Code
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// As returns the first *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is reports whether err is classified as kind.
func Is(err error, kind Kind) bool { return KindOf(err) == kind && err != nil }

// New returns an error of the given kind with a message code and detail.
func New(kind Kind, code, detail string, args ...any) *Error {
	if len(args) > 0 {
		detail = fmt.Sprintf(detail, args...)
	}
	return &Error{Kind: kind, Code: code, Detail: detail}
}

// Wrap classifies err.
func Wrap(kind Kind, code string, err error) *Error {
	return &Error{Kind: kind, Code: code, Err: err}
}

// NotFoundf is the usual "no such thing (for you)" answer.
func NotFoundf(what string) *Error {
	return &Error{Kind: NotFound, Code: "not_found", Detail: what + " not found"}
}

// Forbiddenf is the usual "you may see it but not do this" answer.
func Forbiddenf(detail string, args ...any) *Error {
	return New(Forbidden, "forbidden", detail, args...)
}

// Conflictf is the usual "taken or not allowed in this state" answer.
func Conflictf(code, detail string, args ...any) *Error {
	return New(Conflict, code, detail, args...)
}

// Fields returns an Invalid error for the given field errors.
func Fields(fields ...FieldError) *Error {
	return &Error{Kind: Invalid, Code: "validation", Detail: "the request has invalid fields", Fields: fields}
}

// Field returns an Invalid error for one field.
func Field(field, code, param string) *Error {
	return Fields(FieldError{Field: field, Code: code, Param: param})
}
