package servebench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// server is a running `skillsmatch serve`.
type server struct {
	cmd     *exec.Cmd
	logPath string
	started time.Time
	done    chan struct{} // closed when the process has ended
	waitErr error         // why it ended; read after done
	startup startupLog    // what its log said while starting
	base    string        // http://host:port, once it listens
}

// startupLog is what the server logs on its way up (JSON log lines).
type startupLog struct {
	Addr      string // "serving": where it listens
	Reindexed int    // "index caught up": documents indexed at start
	CatchUp   string // "index caught up": how long that took
	Startup   string // "serving": from start to listening, as the server measured it
}

// startServer starts `binary serve` with args, its standard error (the
// log) appended to logPath. It listens on a port the system chooses; the
// address is read from the log (see waitReady), so no port is guessed.
func startServer(binary string, args, env []string, logPath string) (*server, error) {
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open server log: %w", err)
	}
	defer logFile.Close() // the child has its own descriptor
	cmd := exec.Command(binary, append([]string{"serve", "--addr", "127.0.0.1:0", "--log", "json"}, args...)...)
	cmd.Env = env
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	s := &server{cmd: cmd, logPath: logPath, done: make(chan struct{})}
	s.started = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s serve: %w", binary, err)
	}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.done)
	}()
	return s, nil
}

func (s *server) pid() int { return s.cmd.Process.Pid }

func (s *server) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// waitReady waits until the server has logged where it listens and
// answers GET /readyz with 200, and returns how long that took since the
// start. It fails early if the process ends.
func (s *server) waitReady(ctx context.Context, timeout time.Duration) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	hc := &http.Client{Timeout: 5 * time.Second}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if s.exited() {
			return 0, fmt.Errorf("server ended before it was ready (%v); its log ends:\n%s", s.waitErr, tail(s.logPath, 2000))
		}
		if s.base == "" {
			if st, err := readStartupLog(s.logPath); err == nil && st.Addr != "" {
				s.startup, s.base = st, "http://"+st.Addr
			}
		}
		if s.base != "" && s.ready(ctx, hc) {
			return time.Since(s.started), nil
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("server not ready after %s: %w; its log ends:\n%s", timeout, ctx.Err(), tail(s.logPath, 2000))
		case <-s.done:
		case <-tick.C:
		}
	}
}

func (s *server) ready(ctx context.Context, hc *http.Client) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/readyz", nil)
	if err != nil {
		return false
	}
	res, err := hc.Do(req)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// stop sends SIGTERM, as an operator would, and waits for the server to
// drain and close its store; after grace it kills it.
func (s *server) stop(grace time.Duration) error {
	if s.exited() {
		return s.exitError()
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("stop server: %w", err)
	}
	select {
	case <-s.done:
		return s.exitError()
	case <-time.After(grace):
		_ = s.cmd.Process.Kill()
		<-s.done
		return fmt.Errorf("server did not stop within %s of SIGTERM; killed", grace)
	}
}

// exitError is nil when the server ended cleanly.
func (s *server) exitError() error {
	if s.waitErr != nil {
		return fmt.Errorf("server: %w; its log ends:\n%s", s.waitErr, tail(s.logPath, 2000))
	}
	return nil
}

// readStartupLog reads the start-up lines of the server's JSON log. The
// log is small until the server listens, which is when this is read.
func readStartupLog(path string) (startupLog, error) {
	f, err := os.Open(path)
	if err != nil {
		return startupLog{}, err
	}
	defer f.Close()
	var st startupLog
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.Contains(line, []byte(`"msg":"serving"`)) && !bytes.Contains(line, []byte(`"msg":"index caught up"`)) {
			continue
		}
		var rec struct {
			Msg       string `json:"msg"`
			Addr      string `json:"addr"`
			Reindexed int    `json:"reindexed"`
			Took      string `json:"took"`
			Startup   string `json:"startup"`
		}
		if json.Unmarshal(line, &rec) != nil {
			continue
		}
		switch rec.Msg {
		case "serving":
			st.Addr, st.Startup = rec.Addr, rec.Startup
			return st, nil
		case "index caught up":
			st.Reindexed, st.CatchUp = rec.Reindexed, rec.Took
		}
	}
	return st, sc.Err()
}

// tail returns about the last n bytes of a file, for error messages.
func tail(path string, n int64) string {
	f, err := os.Open(path)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	off := max(fi.Size()-n, 0)
	b := make([]byte, fi.Size()-off)
	if _, err := f.ReadAt(b, off); err != nil {
		return "(unreadable log: " + err.Error() + ")"
	}
	return strings.TrimSpace(string(b))
}
