package translit

import "testing"

func TestFoldUnifiesSpellings(t *testing.T) {
	tests := []struct {
		a, b string
	}{
		{"болница", "bolnica"},
		{"болница", "bolnitsa"},
		{"болница", "BOLNITZA"},
		{"медицинска сестра", "medicinska sestra"},
		{"учител", "u4itel"},
		{"шофьор", "6ofyor"},
		{"училище", "uchilishte"},
		{"пациентите", "pacientite"},
		{"Хасково", "haskovo"},
		{"юрист", "jurist"},
		{"грижа за възрастни", "grizha za vazrastni"},
		{"café", "cafe"},
		{"санитарка", "sanitarka"},
		{"й", "y"},
	}
	for _, tt := range tests {
		if got, want := Fold(tt.a), Fold(tt.b); got != want {
			t.Errorf("Fold(%q) = %q, Fold(%q) = %q; want equal", tt.a, got, tt.b, want)
		}
	}
}

func TestFoldKeepsNumbersAndDistinctWords(t *testing.T) {
	if got := Fold("4 часа"); got != "4 chasa" {
		t.Errorf("Fold(%q) = %q, want %q", "4 часа", got, "4 chasa")
	}
	if Fold("сестра") == Fold("сестри") {
		t.Errorf("Fold must not merge different words")
	}
	for _, s := range []string{"болница", "u4itel", "Щастие", "nursing care"} {
		if once, twice := Fold(s), Fold(Fold(s)); once != twice {
			t.Errorf("Fold not idempotent on %q: %q then %q", s, once, twice)
		}
	}
}

func TestToLatin(t *testing.T) {
	tests := map[string]string{
		"Хасково":           "Haskovo",
		"медицинска сестра": "meditsinska sestra",
		"Щастие":            "Shtastie",
		"care":              "care",
	}
	for in, want := range tests {
		if got := ToLatin(in); got != want {
			t.Errorf("ToLatin(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHasCyrillic(t *testing.T) {
	if !HasCyrillic("nurse сестра") || HasCyrillic("nurse") {
		t.Error("HasCyrillic misclassifies")
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"болница", "u4itel", "\xff", "й"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := Fold(s)
		if twice := Fold(once); twice != once {
			t.Errorf("Fold(Fold(%q)) = %q, want %q", s, twice, once)
		}
	})
}
