package insight

// words holds every user-facing text of the exports, in Bulgarian and
// English: headers, sheet names, indicator names and the names of kinds,
// states and reasons.
var words = map[string][2]string{ // key → {bg, en}
	// Sheet names (31 characters at most: an Excel limit).
	"sheet.needs":      {"Потребности", "Needs"},
	"sheet.matches":    {"Съвпадения", "Matches"},
	"sheet.indicators": {"Показатели", "Indicators"},
	"sheet.gap":        {"Недостиг на умения", "Skills gap"},
	"sheet.events":     {"Дни на кариерата", "Career days"},

	// Columns.
	"col.id":             {"Идентификатор", "ID"},
	"col.employerId":     {"Идентификатор на работодател", "Employer ID"},
	"col.employer":       {"Работодател", "Employer"},
	"col.sector":         {"Сектор", "Sector"},
	"col.kind":           {"Вид", "Kind"},
	"col.title":          {"Наименование", "Title"},
	"col.occupationId":   {"Код на професия", "Occupation ID"},
	"col.occupation":     {"Професия", "Occupation"},
	"col.skills":         {"Умения (ниво)", "Skills (level)"},
	"col.positions":      {"Брой места", "Positions"},
	"col.status":         {"Статус", "Status"},
	"col.openNow":        {"Активна днес", "Open today"},
	"col.applyBy":        {"Кандидатстване до", "Apply by"},
	"col.startDate":      {"Начало", "Start date"},
	"col.municipality":   {"Община", "Municipality"},
	"col.createdAt":      {"Създадена на", "Created at"},
	"col.needId":         {"Идентификатор на потребност", "Need ID"},
	"col.needTitle":      {"Потребност", "Need"},
	"col.programme":      {"Програма", "Programme"},
	"col.origin":         {"Произход", "Origin"},
	"col.roundId":        {"Кръг", "Round"},
	"col.profileId":      {"Идентификатор на профил", "Profile ID"},
	"col.ageGroup":       {"Възрастова група", "Age group"},
	"col.permit":         {"Нужно разрешение (под 18 г.)", "Permit needed (under 18)"},
	"col.state":          {"Състояние", "State"},
	"col.reason":         {"Причина за отказ", "Rejection reason"},
	"col.matchCreatedAt": {"Създадено на", "Created at"},
	"col.referredAt":     {"Насочено на", "Referred at"},
	"col.outcomeDue":     {"Резултат до", "Outcome due"},
	"col.overdue":        {"Просрочен резултат", "Outcome overdue"},
	"col.updatedAt":      {"Последна промяна", "Updated at"},
	"col.indicator":      {"Показател", "Indicator"},
	"col.breakdown":      {"Разбивка", "Breakdown"},
	"col.value":          {"Стойност", "Value"},
	"col.dimension":      {"Измерение", "Dimension"},
	"col.label":          {"Наименование", "Label"},
	"col.groupId":        {"Код на група", "Group ID"},
	"col.group":          {"Група умения", "Skill group"},
	"col.minLevel":       {"Минимално ниво", "Minimum level"},
	"col.needs":          {"Потребности", "Needs"},
	"col.demand":         {"Търсене (места)", "Demand (positions)"},
	"col.supply":         {"Предлагане (профили)", "Supply (profiles)"},
	"col.gap":            {"Недостиг", "Gap"},
	"col.eventId":        {"Идентификатор на събитие", "Event ID"},
	"col.event":          {"Събитие", "Event"},
	"col.date":           {"Дата", "Date"},
	"col.venue":          {"Община на събитието", "Event municipality"},
	"col.registered":     {"Регистрирани", "Registered"},
	"col.attended":       {"Присъствали", "Attended"},
	"col.interviewsHeld": {"Проведени интервюта", "Interviews held"},
	"col.continued":      {"Продължили", "Continued"},
	"col.placedLater":    {"Назначени впоследствие", "Placed later"},

	// Indicators.
	"ind.from":                   {"Период от", "Period from"},
	"ind.to":                     {"Период до", "Period to"},
	"ind.asOf":                   {"Текущо състояние към", "Current figures as of"},
	"ind.employers.registered":   {"Регистрирани работодатели", "Employers registered"},
	"ind.employers.verified":     {"Потвърдени работодатели", "Employers verified"},
	"ind.employers.verifiedNow":  {"Потвърдени работодатели (общо, днес)", "Employers verified (all, today)"},
	"ind.needs.created":          {"Създадени потребности", "Needs created"},
	"ind.needs.createdPositions": {"Места в създадените потребности", "Positions in needs created"},
	"ind.needs.open":             {"Активни потребности (днес)", "Needs open (today)"},
	"ind.needs.openPositions":    {"Места в активните потребности (днес)", "Positions in open needs (today)"},
	"ind.profiles.registered":    {"Регистрирани профили", "Profiles registered"},
	"ind.profiles.consenting":    {"От тях със съгласие за съвпадения", "Of which consenting to matching"},
	"ind.profiles.aged15to29":    {"От тях на 15–29 години", "Of which aged 15–29"},
	"ind.profiles.share15to29":   {"Дял на 15–29 години", "Share aged 15–29"},
	"ind.profiles.byAgeGroup":    {"Профили по възрастова група", "Profiles by age group"},
	"ind.profiles.totalNow":      {"Профили (общо, днес)", "Profiles (all, today)"},
	"ind.profiles.consentingNow": {"Профили със съгласие (общо, днес)", "Profiles consenting (all, today)"},
	"ind.matches.created":        {"Създадени съвпадения", "Matches created"},
	"ind.matches.byState":        {"Създадени съвпадения по текущо състояние", "Matches created, by current state"},
	"ind.matches.referred":       {"Насочвания", "Referrals"},
	"ind.matches.placed":         {"Назначения", "Placements"},
	"ind.matches.placedBy":       {"Назначения по програма", "Placements by programme"},
	"ind.matches.rejected":       {"Откази", "Rejections"},
	"ind.matches.reasons":        {"Откази по причина", "Rejections by reason"},
	"ind.matches.overdueNow":     {"Просрочени резултати (днес)", "Overdue outcomes (today)"},
	"ind.pathways.participants":  {"Участници в Кариерен път в грижите (днес)", "Care Career Path participants (today)"},
	"ind.pathways.people":        {"Лица в Кариерен път в грижите (днес)", "Care Career Path people (today)"},
	"ind.pathways.byPathway":     {"Участници по път", "Participants by pathway"},
	"ind.pathways.byStage":       {"Участници по етап", "Participants by stage"},
	"ind.pathways.byStatus":      {"Участници по статус", "Participants by status"},

	// Values.
	"yes":            {"да", "yes"},
	"no":             {"не", "no"},
	"unspecified":    {"(неуточнено)", "(unspecified)"},
	"unknown":        {"неизвестна", "unknown"},
	"skill":          {"умение", "skill"},
	"group":          {"група умения", "skill group"},
	"occupation":     {"професия", "occupation"},
	"sector":         {"сектор", "sector"},
	"job":            {"работа", "job"},
	"internship":     {"стаж", "internship"},
	"apprenticeship": {"чиракуване", "apprenticeship"},
	"care_pathway":   {"Кариерен път в грижите", "Care Career Path"},
	"forecast":       {"прогноза", "forecast"},
	"draft":          {"чернова", "draft"},
	"open":           {"отворена", "open"},
	"filled":         {"заета", "filled"},
	"closed":         {"затворена", "closed"},
	"applied":        {"кандидатствал", "applied"},
	"proposed":       {"предложен", "proposed"},
	"referred":       {"насочен", "referred"},
	"interview":      {"интервю", "interview"},
	"offered":        {"отправено предложение", "offered"},
	"placed":         {"назначен", "placed"},
	"rejected":       {"отказан", "rejected"},
	"withdrawn":      {"оттеглен", "withdrawn"},
	"application":    {"кандидатура", "application"},
	"round":          {"кръг за разпределение", "placement round"},
	"referral":       {"насочване от бюрото", "referral by the office"},
	"event":          {"Ден на кариерата и уменията", "Career & Skills Day"},
	"all":            {"общо", "all"},
	"ageGroup":       {"възрастова група", "age group"},
	"municipality":   {"община", "municipality"},

	// Rejection reasons.
	"reason.skills":          {"умения", "skills"},
	"reason.availability":    {"разположение във времето", "availability"},
	"reason.distance":        {"разстояние", "distance"},
	"reason.no_reply":        {"без отговор", "no reply"},
	"reason.position_filled": {"мястото е заето", "position filled"},
	"reason.other":           {"друга", "other"},
	"reason.unspecified":     {"(неуточнена)", "(unspecified)"},
}

// word returns the text of key in lang ("en", else Bulgarian), or the key
// itself when there is none, so an unknown value still shows.
func word(key, lang string) string {
	w, ok := words[key]
	if !ok {
		return key
	}
	if lang == "en" {
		return w[1]
	}
	return w[0]
}

// valueWord names a kind, status, state or origin value, or shows it as it
// is when it has no name.
func valueWord(v, lang string) string {
	if v == "" {
		return ""
	}
	return word(v, lang)
}

// reasonWord names a rejection reason.
func reasonWord(r, lang string) string {
	if r == "" {
		return ""
	}
	if _, ok := words["reason."+r]; ok {
		return word("reason."+r, lang)
	}
	return r
}
