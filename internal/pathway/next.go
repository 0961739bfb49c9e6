package pathway

// NextStage is the stage the participant works on next: the first stage,
// in pathway order, they have not completed. ok is false when every stage
// is completed. The cohort board offers to start or complete it.
func (p Pathway) NextStage(pt Participant) (st Stage, ok bool) {
	for _, s := range p.Stages {
		if pt.Stages[s.Key].Status != StageCompleted {
			return s, true
		}
	}
	return Stage{}, false
}
