package follow

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Rules say how a Set knows its documents.
type Rules[T any] struct {
	// ID is a document's key.
	ID func(T) string
	// Version orders the writes of one document: only a newer version
	// replaces the one held. A collection whose documents never change
	// may give a constant: the first one read stays.
	Version func(T) int64
	// Group, if given, is a second key the Set indexes (a need's matches,
	// a pathway's participants), answered by InGroup without a scan.
	Group func(T) string
	// Gone, if given, says a document is not to be held: a tombstone of
	// an erasure, or one the service has forgotten since start-up. It is
	// asked under the Set's lock, so a document it refuses never enters,
	// whatever the order of the poll and the forgetting; the one held
	// under its key is dropped.
	Gone func(T) bool
}

// Set is a followed collection held in memory: every document by its key,
// filled by Load at start-up, kept in step with the other replicas' writes
// by Poll and with this replica's own writes by Keep. A document read or
// stored replaces the held one only if it is newer, because the writes of
// one document reach a replica in any order: a poll may bring a version
// newer than the one an own write has just stored. Documents are values:
// a caller changes a copy and Keeps it, never the one it was handed.
type Set[T any] struct {
	name  string
	read  Reader[T]
	rules Rules[T]

	mu     sync.RWMutex
	held   map[string]T
	groups map[string]map[string]struct{} // group → ids, when Rules.Group is given
	mark   Mark                           // how far the other replicas' writes have been read
}

// NewSet is an empty set of the collection read reads; name is for errors.
func NewSet[T any](name string, read Reader[T], rules Rules[T]) *Set[T] {
	return &Set[T]{name: name, read: read, rules: rules, held: map[string]T{}, groups: map[string]map[string]struct{}{}}
}

// Load reads every document, replacing what was held, and starts the mark
// past the last: start-up only, it scans the collection.
func (s *Set[T]) Load(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.held, s.groups = map[string]T{}, map[string]map[string]struct{}{}
	err := Load(ctx, &s.mark, s.read, func(doc T) { s.keep(doc) })
	if err != nil {
		return fmt.Errorf("load %s: %w", s.name, err)
	}
	return nil
}

// Poll reads what the other replicas wrote past the mark and keeps each
// document newer than the one held; it returns how many changed the set.
func (s *Set[T]) Poll(ctx context.Context, now time.Time) (int, error) {
	n, err := Poll(ctx, &s.mark, now, s.read, s.Keep)
	if err != nil {
		return n, fmt.Errorf("follow %s: %w", s.name, err)
	}
	return n, nil
}

// Keep holds doc if nothing newer of it is held (or drops the held one if
// doc is Gone), and says whether the set changed. Call it after each own
// write the store accepted.
func (s *Set[T]) Keep(doc T) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keep(doc)
}

func (s *Set[T]) keep(doc T) bool {
	id := s.rules.ID(doc)
	cur, ok := s.held[id]
	if s.rules.Gone != nil && s.rules.Gone(doc) {
		if ok {
			s.drop(id, cur)
		}
		return ok
	}
	if ok && s.rules.Version(doc) <= s.rules.Version(cur) {
		return false
	}
	if ok {
		s.drop(id, cur)
	}
	s.held[id] = doc
	if s.rules.Group != nil {
		g := s.rules.Group(doc)
		if s.groups[g] == nil {
			s.groups[g] = map[string]struct{}{}
		}
		s.groups[g][id] = struct{}{}
	}
	return true
}

// Drop forgets the document with key id, after the store deleted it.
func (s *Set[T]) Drop(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, ok := s.held[id]; ok {
		s.drop(id, cur)
	}
}

func (s *Set[T]) drop(id string, cur T) {
	delete(s.held, id)
	if s.rules.Group == nil {
		return
	}
	g := s.rules.Group(cur)
	delete(s.groups[g], id)
	if len(s.groups[g]) == 0 {
		delete(s.groups, g)
	}
}

// Get returns the document with key id.
func (s *Set[T]) Get(id string) (T, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	doc, ok := s.held[id]
	return doc, ok
}

// Len is how many documents are held.
func (s *Set[T]) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.held)
}

// Filter returns the documents keep accepts, in no order. keep runs under
// the read lock: it must not call the Set.
func (s *Set[T]) Filter(keep func(T) bool) []T {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []T
	for _, doc := range s.held {
		if keep(doc) {
			out = append(out, doc)
		}
	}
	return out
}

// Values returns every document, in no order.
func (s *Set[T]) Values() []T {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]T, 0, len(s.held))
	for _, doc := range s.held {
		out = append(out, doc)
	}
	return out
}

// Each calls fn with every document, in no order, under the read lock:
// fn must not call the Set.
func (s *Set[T]) Each(fn func(T)) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, doc := range s.held {
		fn(doc)
	}
}

// Count is how many documents match accepts. match runs under the read
// lock: it must not call the Set.
func (s *Set[T]) Count(match func(T) bool) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	for _, doc := range s.held {
		if match(doc) {
			n++
		}
	}
	return n
}

// InGroup returns the documents of one group (Rules.Group), in no order.
func (s *Set[T]) InGroup(g string) []T {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]T, 0, len(s.groups[g]))
	for id := range s.groups[g] {
		out = append(out, s.held[id])
	}
	return out
}

// Groups returns every group that holds a document, in no order.
func (s *Set[T]) Groups() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.groups))
	for g := range s.groups {
		out = append(out, g)
	}
	return out
}
