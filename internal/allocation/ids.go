package allocation

import (
	"cmp"
	"encoding/binary"
	"hash/maphash"
	"slices"
	"strings"
	"sync"
)

// idIndex numbers ids: an open-addressing hash table from id to its position
// in ids. Against a map[string]int32 it holds no pointers of its own (the
// garbage collector scans nothing new), builds twice as fast for half a
// million ids, and finds an id with one read of its table before comparing
// the string: each slot keeps the top half of the id's hash beside the
// position.
type idIndex struct {
	ids   []string
	slots []uint64 // hash>>32<<32 | position+1, or 0 for an empty slot
	seed  maphash.Seed
}

func newIDIndex(ids []string) *idIndex {
	return &idIndex{ids: ids, slots: make([]uint64, tableSize(len(ids))), seed: maphash.MakeSeed()}
}

// tableSize is the number of slots for n ids: a power of two, at least 2n.
func tableSize(n int) int {
	size := 16
	for size < 2*n {
		size *= 2
	}
	return size
}

// reset empties x for up to n ids, positions in ids (which may grow by
// append, up to n), keeping its table when that is big enough: one index
// serves need after need without allocating.
func (x *idIndex) reset(ids []string, n int) {
	size := tableSize(n)
	if cap(x.slots) < size {
		x.slots = make([]uint64, size)
	} else {
		x.slots = x.slots[:size]
		clear(x.slots)
	}
	x.ids = ids
}

// add indexes ids[i]; it reports false, and indexes nothing, when an earlier
// position holds the same id.
func (x *idIndex) add(i int32) bool {
	id := x.ids[i]
	h := maphash.String(x.seed, id)
	mask := uint64(len(x.slots) - 1)
	for p := h & mask; ; p = (p + 1) & mask {
		v := x.slots[p]
		if v == 0 {
			x.slots[p] = h>>32<<32 | uint64(i+1)
			return true
		}
		if v>>32 == h>>32 && x.ids[uint32(v)-1] == id {
			return false
		}
	}
}

// lookup returns the position of id. It is safe for concurrent use once
// every add is done.
func (x *idIndex) lookup(id string) (int32, bool) {
	h := maphash.String(x.seed, id)
	mask := uint64(len(x.slots) - 1)
	for p := h & mask; ; p = (p + 1) & mask {
		v := x.slots[p]
		if v == 0 {
			return 0, false
		}
		if v>>32 == h>>32 && x.ids[uint32(v)-1] == id {
			return int32(uint32(v) - 1), true
		}
	}
}

// sortByID orders positions by their ids in byte order, equal ids by
// position. Each id's first 8 bytes are copied next to its position, so
// most comparisons read no string data (a cache miss each, which is what
// sorting half a million ids spends its time on otherwise). With parts > 1
// and many ids, two halves are sorted at once and merged.
func sortByID(positions []int32, id func(int32) string, parts int) {
	keys := make([]idKey, len(positions))
	for i, p := range positions {
		var b [8]byte
		copy(b[:], id(p))
		keys[i] = idKey{binary.BigEndian.Uint64(b[:]), p}
	}
	compare := func(a, b idKey) int {
		if a.prefix != b.prefix {
			return cmp.Compare(a.prefix, b.prefix)
		}
		return cmp.Or(strings.Compare(id(a.pos), id(b.pos)), cmp.Compare(a.pos, b.pos))
	}
	if parts == 1 || len(keys) < 1<<16 {
		slices.SortFunc(keys, compare)
		for i, k := range keys {
			positions[i] = k.pos
		}
		return
	}
	half := len(keys) / 2
	var wg sync.WaitGroup
	wg.Go(func() { slices.SortFunc(keys[:half], compare) })
	slices.SortFunc(keys[half:], compare)
	wg.Wait()
	a, b := keys[:half], keys[half:]
	for i := range positions {
		if len(b) == 0 || len(a) > 0 && compare(a[0], b[0]) <= 0 {
			positions[i], a = a[0].pos, a[1:]
		} else {
			positions[i], b = b[0].pos, b[1:]
		}
	}
}

// idKey is a position with the first 8 bytes of its id, zero-padded: for
// ids that differ there, comparing prefixes compares the ids.
type idKey struct {
	prefix uint64
	pos    int32
}
