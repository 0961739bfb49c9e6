package register

import "testing"

func TestValidEIK(t *testing.T) {
	tests := []struct {
		eik  string
		want bool
	}{
		{"000695235", true}, // 137 mod 11 = 5
		{"121628899", true}, // 218 mod 11 = 9
		{"831641791", true},
		{"000695236", false},  // wrong check digit
		{"00069523", false},   // too short
		{"0006952350", false}, // 10 digits
		{"00069523a", false},
		{"1216288990005", false}, // valid 9-digit head, wrong 13-digit check
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidEIK(tt.eik); got != tt.want {
			t.Errorf("ValidEIK(%q) = %v, want %v", tt.eik, got, tt.want)
		}
	}
}

func TestValidEIK13(t *testing.T) {
	// Build a 13-digit code from a valid 9-digit one and check that exactly
	// one final digit is accepted.
	base := "121628899" + "123"
	valid := 0
	for d := '0'; d <= '9'; d++ {
		if ValidEIK(base + string(d)) {
			valid++
		}
	}
	if valid != 1 {
		t.Fatalf("13-digit codes with head %s: %d final digits accepted, want 1", base, valid)
	}
}
