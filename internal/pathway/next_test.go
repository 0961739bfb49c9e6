package pathway

import "testing"

func TestNextStageIsTheFirstNotCompleted(t *testing.T) {
	pw := Pathway{Stages: []Stage{{Key: "orientation"}, {Key: "training"}, {Key: "placement"}}}
	for _, c := range []struct {
		name   string
		stages map[string]StageProgress
		want   string
	}{
		{"nothing yet", nil, "orientation"},
		{"first started", map[string]StageProgress{"orientation": {Status: StageStarted}}, "orientation"},
		{"first done", map[string]StageProgress{"orientation": {Status: StageCompleted}}, "training"},
		{"a later one done out of order", map[string]StageProgress{"training": {Status: StageCompleted}}, "orientation"},
		{"all done", map[string]StageProgress{"orientation": {Status: StageCompleted}, "training": {Status: StageCompleted},
			"placement": {Status: StageCompleted}}, ""},
	} {
		st, ok := pw.NextStage(Participant{Stages: c.stages})
		if st.Key != c.want || ok != (c.want != "") {
			t.Errorf("%s: NextStage = %q %v, want %q", c.name, st.Key, ok, c.want)
		}
	}
}
