package analysis

import "testing"

// A job need of about sixty words, as an employer writes it.
const needBG = `Многопрофилна болница за активно лечение в Хасково търси медицински
сестри и санитари за работа на смени във вътрешното и хирургичното отделение.
Изисквания: завършено висше образование по специалността „Медицинска сестра“,
опит в грижата за пациенти и възрастни хора е предимство. Предлагаме трудов
договор на пълен работен ден, допълнително възнаграждение за нощен труд,
обучения и транспорт до болницата. Кандидатите да изпратят автобиография
до 30 юни.`

// The same kind of text as people also write it: Cyrillic, English and
// Bulgarian typed in Latin in one field.
const needMixed = `Tarsim medicinska sestra za rabota v bolnicata v Haskovo, 4 dni v
sedmicata. Nurse wanted for the elderly care home: caring for patients,
medication rounds and night shifts. Медицински сестри и санитари с опит в
грижата за възрастни хора, трудов договор и обучения. Candidates with nursing
experience and a driving licence are welcome; pishete ni na imeyl ili
telefon do kraya na mesetsa.`

func benchmarkAnalyze(b *testing.B, analyzer, text string) {
	a := mustMapping(b).AnalyzerNamed(analyzer)
	input := []byte(text)
	tokens := len(a.Analyze(input))
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	for b.Loop() {
		a.Analyze(input)
	}
	b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

func BenchmarkAnalyzeBulgarian(b *testing.B) { benchmarkAnalyze(b, Bulgarian, needBG) }

func BenchmarkAnalyzeMixed(b *testing.B) { benchmarkAnalyze(b, Mixed, needMixed) }

// BenchmarkAnalyzeMixedBulgarian is the Bulgarian text through Mixed, to
// compare with BenchmarkAnalyzeBulgarian.
func BenchmarkAnalyzeMixedBulgarian(b *testing.B) { benchmarkAnalyze(b, Mixed, needBG) }
