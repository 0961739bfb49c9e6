package main

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestCheck: 200 is healthy; any other status, or nothing listening, is not.
func TestCheck(t *testing.T) {
	var status atomic.Int32 // read by the server's goroutine
	status.Store(http.StatusOK)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(int(status.Load())) }))
	if err := check(srv.URL+"/healthz", time.Second); err != nil {
		t.Fatalf("200: %v", err)
	}
	status.Store(http.StatusServiceUnavailable)
	if err := check(srv.URL+"/readyz", time.Second); err == nil {
		t.Fatal("503 passed the check")
	}
	srv.Close()
	if err := check(srv.URL+"/healthz", time.Second); err == nil {
		t.Fatal("a closed server passed the check")
	}
}
