package register

import "testing"

// oracleEIK recomputes the check digits as the Registry Agency publishes
// them, written independently of ValidEIK: position weights 1..8 (9-digit),
// falling back to 3..10, remainder 10 → 0; the 13-digit tail over digits
// 9..12 with 2,7,3,5, falling back to 4,9,5,7.
func oracleEIK(s string) bool {
	if len(s) != 9 && len(s) != 13 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	digit := func(i int) int { return int(s[i] - '0') }
	check := func(from int, w1, w2 []int) int {
		sum := 0
		for k, w := range w1 {
			sum += digit(from+k) * w
		}
		if sum%11 != 10 {
			return sum % 11
		}
		sum = 0
		for k, w := range w2 {
			sum += digit(from+k) * w
		}
		if sum%11 != 10 {
			return sum % 11
		}
		return 0
	}
	if check(0, []int{1, 2, 3, 4, 5, 6, 7, 8}, []int{3, 4, 5, 6, 7, 8, 9, 10}) != digit(8) {
		return false
	}
	return len(s) == 9 || check(8, []int{2, 7, 3, 5}, []int{4, 9, 5, 7}) == digit(12)
}

// FuzzValidEIK: ValidEIK agrees with the recomputed check digits on any
// input, and for any 8 (or 12) leading digits exactly one final digit is
// accepted, so a single mistyped last digit is always caught.
func FuzzValidEIK(f *testing.F) {
	for _, s := range []string{"000695235", "121628899", "831641791", "000695236", "1216288990005", "", "12345678a",
		"１２３４５６７８９", "0000000000000", "999999999", "12162889912345"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := ValidEIK(s)
		if want := oracleEIK(s); got != want {
			t.Fatalf("ValidEIK(%q) = %v, recomputed check digits say %v", s, got, want)
		}
		if got && len(s) != 9 && len(s) != 13 {
			t.Fatalf("ValidEIK(%q) accepts length %d", s, len(s))
		}
		// Exactly one last digit completes any all-digit head.
		if (len(s) == 9 || len(s) == 13) && oracleDigits(s[:len(s)-1]) && (len(s) == 9 || ValidEIK(s[:9])) {
			n := 0
			for d := byte('0'); d <= '9'; d++ {
				if ValidEIK(s[:len(s)-1] + string(d)) {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("head %q: %d final digits accepted, want exactly 1", s[:len(s)-1], n)
			}
		}
	})
}

func oracleDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
