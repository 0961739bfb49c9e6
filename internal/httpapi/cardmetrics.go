package httpapi

import (
	"github.com/careget/skillsmatch/internal/candidate"
	"github.com/prometheus/client_golang/prometheus"
)

// cardReadsCollector exports the candidate use case's counts: requests for
// candidate cards by role and outcome, and the cards shown. Its labels are
// bounded (two roles, three outcomes); no id is ever a label.
type cardReadsCollector struct{ s *candidate.Service }

var (
	cardReadsDesc = prometheus.NewDesc("skillsmatch_candidate_card_reads_total",
		"Requests for a need's candidate cards by role and outcome (served; refused: employer not verified, need not open or expired; limited: over the day's bound).",
		[]string{"role", "outcome"}, nil)
	cardsShownDesc = prometheus.NewDesc("skillsmatch_candidate_cards_shown_total",
		"Candidate cards shown, by the role of the reader.", []string{"role"}, nil)
)

func (cardReadsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- cardReadsDesc
	ch <- cardsShownDesc
}

func (c cardReadsCollector) Collect(ch chan<- prometheus.Metric) {
	for _, st := range c.s.Stats() {
		ch <- prometheus.MustNewConstMetric(cardReadsDesc, prometheus.CounterValue, float64(st.Reads), string(st.Role), st.Outcome)
		if st.Outcome == candidate.OutcomeServed {
			ch <- prometheus.MustNewConstMetric(cardsShownDesc, prometheus.CounterValue, float64(st.Cards), string(st.Role))
		}
	}
}
