package register

// ValidEIK reports whether s is a valid Bulgarian UIC (ЕИК) or BULSTAT
// code: 9 digits, or 13 digits for a branch, each with its check digit
// computed as the Registry Agency publishes it (weights 1..8, falling back
// to 3..10 when the remainder is 10; the 13-digit tail uses 2,7,3,5 and
// 4,9,5,7).
func ValidEIK(s string) bool {
	if len(s) != 9 && len(s) != 13 {
		return false
	}
	d := make([]int, len(s))
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		d[i] = int(s[i] - '0')
	}
	if checkDigit(d[:8], []int{1, 2, 3, 4, 5, 6, 7, 8}, []int{3, 4, 5, 6, 7, 8, 9, 10}) != d[8] {
		return false
	}
	if len(s) == 9 {
		return true
	}
	return checkDigit(d[8:12], []int{2, 7, 3, 5}, []int{4, 9, 5, 7}) == d[12]
}

func checkDigit(digits, weights, fallback []int) int {
	if r := weighted(digits, weights) % 11; r != 10 {
		return r
	}
	if r := weighted(digits, fallback) % 11; r != 10 {
		return r
	}
	return 0
}

func weighted(digits, weights []int) int {
	sum := 0
	for i, d := range digits {
		sum += d * weights[i]
	}
	return sum
}
