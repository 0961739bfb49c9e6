package config

import (
	"bufio"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// MemoryBytes is the memory this process may use, the smallest of those
// known: the Go memory limit (GOMEMLIMIT), the cgroup's limit (v2, then
// v1) and the machine's memory. 0 means none is known.
func MemoryBytes() int64 {
	var limits []int64
	if l := debug.SetMemoryLimit(-1); l > 0 && l < math.MaxInt64 {
		limits = append(limits, l)
	}
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if b, err := os.ReadFile(f); err == nil {
			// "max" and v1's huge "unlimited" value are no limit.
			if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && n < 1<<50 {
				limits = append(limits, n)
			}
		}
	}
	if n := memTotal(); n > 0 {
		limits = append(limits, n)
	}
	if len(limits) == 0 {
		return 0
	}
	least := limits[0]
	for _, l := range limits[1:] {
		least = min(least, l)
	}
	return least
}

// memTotal is MemTotal of /proc/meminfo in bytes, or 0.
func memTotal() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			fields := strings.Fields(v)
			if len(fields) == 2 && fields[1] == "kB" {
				n, _ := strconv.ParseInt(fields[0], 10, 64)
				return n << 10
			}
		}
	}
	return 0
}
