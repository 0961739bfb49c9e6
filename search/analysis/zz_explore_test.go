package analysis

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestZZExplore(t *testing.T) {
	words := strings.Fields(os.Getenv("WORDS"))
	for _, w := range words {
		fmt.Printf("%-16s %-14s %s\n", w, string(stem([]rune(w))), bulgarianKey(w))
	}
}
