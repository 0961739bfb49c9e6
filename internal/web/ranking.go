package web

import (
	"strconv"

	"github.com/careget/skillsmatch/search/score"
)

// nextSkillWords says what a next skill does for the person: a skill to
// learn opens needs; a held one to raise meets the level that needs ask
// for, named as the profile form names levels.
func nextSkillWords(t tr, ns score.NextSkill) string {
	if ns.Kind == score.NextRaise {
		return t.NP("ranking_next_raise", ns.Opens, "Level", t.T("level_short."+strconv.Itoa(ns.Level)))
	}
	return t.NP("js.next_opens", ns.Opens)
}
