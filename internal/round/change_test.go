package round

import (
	"slices"
	"testing"

	"github.com/careget/skillsmatch/internal/allocation"
	"github.com/careget/skillsmatch/internal/failure"
)

// TestChangedKeepsOnePinPerPersonAndNoPairTwice: pinning moves a person's
// pin, forbidding a pinned pair unpins it, releasing drops either, and a
// pair outside the round is refused naming the field.
func TestChangedKeepsOnePinPerPersonAndNoPairTwice(t *testing.T) {
	r := Round{NeedIDs: []string{"a", "b"}, Preferences: map[string][]string{"p1": {"a"}, "p2": {"b"}},
		Pins: []allocation.Pair{{Candidate: "p1", Need: "a"}}, Forbidden: []allocation.Pair{{Candidate: "p2", Need: "a"}}}
	pair := func(c, n string) allocation.Pair { return allocation.Pair{Candidate: c, Need: n} }
	steps := []struct {
		ch              Change
		pins, forbidden []allocation.Pair
	}{
		{Change{}, r.Pins, r.Forbidden},
		{Change{ChangePin, pair("p1", "b")}, []allocation.Pair{pair("p1", "b")}, r.Forbidden},
		{Change{ChangePin, pair("p2", "a")}, []allocation.Pair{pair("p1", "a"), pair("p2", "a")}, []allocation.Pair{}},
		{Change{ChangeForbid, pair("p1", "a")}, []allocation.Pair{}, []allocation.Pair{pair("p2", "a"), pair("p1", "a")}},
		{Change{ChangeRelease, pair("p2", "a")}, r.Pins, []allocation.Pair{}},
	}
	for _, s := range steps {
		pins, forbidden, err := changed(r, s.ch)
		if err != nil || !slices.Equal(pins, s.pins) || !slices.Equal(forbidden, s.forbidden) {
			t.Errorf("%+v: pins %v, forbidden %v, %v; want %v, %v", s.ch, pins, forbidden, err, s.pins, s.forbidden)
		}
	}
	_, _, err := changed(r, Change{ChangePin, pair("p9", "c")})
	fe, ok := failure.As(err)
	if !ok || len(fe.Fields) != 2 || fe.Fields[0].Field != "profileId" || fe.Fields[1].Field != "needId" {
		t.Errorf("a pair outside the round: %v, want profileId and needId not_in_round", err)
	}
	if _, _, err := changed(r, Change{"swap", pair("p1", "a")}); !failure.Is(err, failure.Invalid) {
		t.Errorf("an unknown change: %v, want invalid", err)
	}
	if len(r.Pins) != 1 || r.Pins[0] != pair("p1", "a") {
		t.Errorf("changed altered the round's own pins: %v", r.Pins)
	}
}
