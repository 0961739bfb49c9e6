package servebench

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ProcMemory is a process's resident memory as Linux reports it in
// /proc/<pid>/status, in bytes.
type ProcMemory struct {
	HWM int64 // VmHWM: the peak resident set since the process started
	RSS int64 // VmRSS: the resident set now
}

// ReadProcMemory reads VmHWM and VmRSS of a running process. It works on
// Linux only; elsewhere, or for a process that has ended, it returns an
// error.
func ReadProcMemory(pid int) (ProcMemory, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return ProcMemory{}, fmt.Errorf("read memory of process %d: %w", pid, err)
	}
	var m ProcMemory
	var found int
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmHWM" && name != "VmRSS") {
			continue
		}
		n, err := parseKB(value)
		if err != nil {
			return ProcMemory{}, fmt.Errorf("process %d: %s: %w", pid, name, err)
		}
		if name == "VmHWM" {
			m.HWM = n
		} else {
			m.RSS = n
		}
		found++
	}
	if found != 2 {
		return ProcMemory{}, fmt.Errorf("process %d: no VmHWM and VmRSS in /proc status", pid)
	}
	return m, nil
}

// parseKB reads a /proc size such as "  123456 kB" into bytes.
func parseKB(v string) (int64, error) {
	f := strings.Fields(v)
	if len(f) != 2 || f[1] != "kB" {
		return 0, fmt.Errorf("unexpected size %q", strings.TrimSpace(v))
	}
	n, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("unexpected size %q", strings.TrimSpace(v))
	}
	return n << 10, nil
}

// mib returns bytes in MiB, to a tenth, for reports.
func mib(b int64) float64 { return float64(b*10/(1<<20)) / 10 }
