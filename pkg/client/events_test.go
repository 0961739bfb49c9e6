package client_test

import (
	"encoding/json"
	"testing"

	"github.com/careget/skillsmatch/pkg/client"
)

// TestEventBodiesMatchTheContract: the events' request bodies carry the
// API's field names and leave out what the caller left out.
func TestEventBodiesMatchTheContract(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"NewEvent", client.NewEvent{Name: client.Text{BG: "Ден", EN: "Day"}, Date: "2027-03-02", Starts: "09:00", Ends: "12:00",
			Municipality: "Русе", Location: "Зала", Capacity: 5, InterviewMinutes: 15, Slots: 4},
			`{"name":{"bg":"Ден","en":"Day"},"date":"2027-03-02","starts":"09:00","ends":"12:00","municipality":"Русе",` +
				`"location":"Зала","capacity":5,"interviewMinutes":15,"slots":4}`},
		{"Enrolment wishes", client.Enrolment{Wishes: []string{"e1"}}, `{"wishes":["e1"]}`},
		{"Enrolment group", client.Enrolment{ProfileIDs: []string{"p1"}, Group: "12 Б", Contact: "teacher"},
			`{"profileIds":["p1"],"group":"12 Б","contact":"teacher"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("json.Marshal(%s) = %s, want %s", tt.name, b, tt.want)
			}
		})
	}
}
