package auth

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
)

// Each argon2id hash or verification holds argonMemory KiB for its whole
// run. Unbounded, a burst of registrations or sign-ins multiplies that by
// the number of requests in flight: 100 at once took the process past
// 2 GB. A Hasher admits a fixed number at a time; the others wait briefly
// and are then told to come back.
const (
	// HashSlotBytes is what one hash in flight costs: its argon2 block,
	// twice, because the collector returns a finished block only at the
	// next cycle (GOGC=100 lets the heap grow to twice what is live).
	HashSlotBytes = 2 * argonMemory * 1024
	// DefaultHashWait is how long a request waits for a hashing slot
	// before it is answered 503: long enough to ride out a short burst,
	// short enough that a client is not left hanging.
	DefaultHashWait = 2 * time.Second
	// hashMemoryShare is the part of the process's memory that hashing
	// may take, at most: a quarter.
	hashMemoryShare = 4
)

// HashSlotsFor is how many hashes may run at once with memBytes of memory
// (the Go memory limit, the cgroup limit or the machine's memory, the
// smallest known) on procs processors: a quarter of the memory, at least
// one, and no more than two per processor (argon2id is CPU-bound, so more
// only queue inside the scheduler while holding their memory).
func HashSlotsFor(memBytes int64, procs int) int {
	n := int64(math.MaxInt32)
	if memBytes > 0 {
		n = memBytes / hashMemoryShare / HashSlotBytes
	}
	return int(max(1, min(n, int64(2*max(procs, 1)))))
}

// Hasher runs password hashing with bounded concurrency.
type Hasher struct {
	slots chan struct{}
	wait  time.Duration
}

// NewHasher admits slots hashes at once (at least one); a request waits
// at most wait for a slot.
func NewHasher(slots int, wait time.Duration) *Hasher {
	return &Hasher{slots: make(chan struct{}, max(slots, 1)), wait: max(wait, 0)}
}

// Slots is how many hashes may run at once.
func (h *Hasher) Slots() int { return cap(h.slots) }

// errHashBusy answers a request that found every hashing slot taken for
// the whole wait: the service is saturated, not broken.
func (h *Hasher) errBusy() error {
	return &failure.Error{Kind: failure.Unavailable, Code: "busy",
		Detail:     "too many sign-ins and registrations at once; try again shortly",
		RetryAfter: max(1, int(math.Ceil(h.wait.Seconds())))}
}

// Acquire takes a slot, waiting at most the Hasher's wait (or until ctx
// ends); release gives it back. A saturated Hasher is failure.Unavailable
// with a Retry-After.
func (h *Hasher) Acquire(ctx context.Context) (release func(), err error) {
	select { // a free slot is taken without arming a timer
	case h.slots <- struct{}{}:
		return h.release, nil
	default:
	}
	wait, cancel := context.WithTimeout(ctx, h.wait)
	defer cancel()
	select {
	case h.slots <- struct{}{}:
		return h.release, nil
	case <-wait.Done():
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("wait for a hashing slot: %w", err)
		}
		return nil, h.errBusy()
	}
}

func (h *Hasher) release() { <-h.slots }

// Hash is HashPassword within a slot.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	release, err := h.Acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return HashPassword(password)
}

// Verify is VerifyPassword within a slot.
func (h *Hasher) Verify(ctx context.Context, hash, password string) (bool, error) {
	release, err := h.Acquire(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	return VerifyPassword(hash, password), nil
}
