package httpapi

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// The API speaks Bulgarian by default and English on request.
var (
	languages = []language.Tag{language.Bulgarian, language.English}
	matcher   = language.NewMatcher(languages)
)

// lang picks "bg" or "en" from an Accept-Language header (or ?lang=).
func lang(header string) string {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return "bg"
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return "bg"
	}
	if languages[idx] == language.English {
		return "en"
	}
	return "bg"
}

// messages are the user-facing texts of errors, by code and language. %s
// is the rule's parameter where it has one.
var messages = map[string][2]string{ // code → {bg, en}
	// titles
	"validation":         {"Невалидни данни", "Invalid input"},
	"not_found":          {"Не е намерено", "Not found"},
	"forbidden":          {"Нямате право на това действие", "You may not do this"},
	"unauthorized":       {"Нужен е вход в системата", "Authentication required"},
	"bad_token":          {"Невалиден или изтекъл токен за достъп", "Invalid or expired access token"},
	"bad_credentials":    {"Грешен имейл или парола", "Wrong e-mail or password"},
	"bad_refresh_token":  {"Невалиден токен за опресняване", "Invalid refresh token"},
	"too_many_attempts":  {"Твърде много неуспешни опити. Опитайте по-късно", "Too many failed attempts. Try again later"},
	"email_taken":        {"Вече има профил с този имейл", "An account with this e-mail already exists"},
	"eik_taken":          {"Вече има работодател с този ЕИК", "An employer with this EIK already exists"},
	"duplicate":          {"Вече съществува", "Already exists"},
	"conflict":           {"Конфликт със състоянието на ресурса", "Conflicts with the resource's state"},
	"internal":           {"Вътрешна грешка", "Internal error"},
	"unavailable":        {"Услугата временно не е готова", "The service is not ready"},
	"body_too_large":     {"Тялото на заявката е по-голямо от 1 MiB", "The request body is larger than 1 MiB"},
	"bad_json":           {"Невалиден JSON", "Malformed JSON"},
	"route_not_found":    {"Няма такъв адрес", "No such route"},
	"method_not_allowed": {"Методът не е позволен", "Method not allowed"},
	"unsupported_media":  {"Очаква се application/json", "Expected application/json"},

	// accounts: registration throttle, hashing slots, deletion
	"too_many_registrations": {"Твърде много регистрации от този адрес. Опитайте по-късно", "Too many registrations from this address. Try again later"},
	"busy":                   {"Твърде много заявки за вход и регистрация в момента. Опитайте след малко", "Too many sign-ins and registrations at once. Try again shortly"},
	"password_wrong":         {"текущата парола е грешна", "the current password is wrong"},

	// field rules
	"required":           {"задължително поле", "is required"},
	"unknown_field":      {"непознато поле", "is not a known field"},
	"type":               {"грешен тип (очаква се %s)", "has the wrong type (want %s)"},
	"min":                {"трябва да е поне %s", "must be at least %s"},
	"max":                {"трябва да е най-много %s", "must be at most %s"},
	"len":                {"трябва да има дължина %s", "must have length %s"},
	"oneof":              {"трябва да е едно от: %s", "must be one of: %s"},
	"email":              {"невалиден имейл адрес", "is not a valid e-mail address"},
	"url":                {"невалиден уеб адрес", "is not a valid URL"},
	"http_url":           {"трябва да е уеб адрес с http:// или https://", "must be a web address starting http:// or https://"},
	"too_long":           {"е по-дълго от %s знака", "is longer than %s characters"},
	"too_many":           {"повтаря се повече от %s пъти", "is repeated more than %s times"},
	"utf8":               {"не е валиден UTF-8 текст", "is not valid UTF-8 text"},
	"query_too_long":     {"Параметрите на заявката са твърде дълги", "The query string is too long"},
	"bad_query":          {"Невалидни параметри на заявката", "Malformed query string"},
	"date":               {"трябва да е дата ГГГГ-ММ-ДД", "must be a date YYYY-MM-DD"},
	"latitude":           {"невалидна географска ширина", "is not a valid latitude"},
	"longitude":          {"невалидна географска дължина", "is not a valid longitude"},
	"eik":                {"невалиден ЕИК/БУЛСТАТ (9 или 13 цифри с вярна контролна цифра)", "is not a valid EIK/BULSTAT (9 or 13 digits with a valid check digit)"},
	"unknown_skill":      {"непознато умение", "is not a known skill"},
	"unknown_occupation": {"непозната професия", "is not a known occupation"},
	"unique":             {"има повторения", "has duplicates"},
	"after_start":        {"трябва да е след началната дата", "must be after the start date"},
	"slug":               {"само малки латински букви, цифри, _ и -", "only lower-case latin letters, digits, _ and -"},
	"already_enrolled":   {"вече участва в тази пътека", "already enrolled in this pathway"},
	"not_pending":        {"участникът не чака одобрение", "the participant is not pending"},
	"not_active":         {"участникът не е активен", "the participant is not active"},
	"stage_completed":    {"етапът вече е завършен", "the stage is already completed"},
	"withdrawn":          {"участникът се е оттеглил", "the participant withdrew"},
	"concurrent_move":    {"друга заявка промени записа междувременно", "another request changed it meanwhile"},
	"concurrent_change":  {"друга заявка промени записа междувременно", "another request changed it meanwhile"},
	"edit_conflict":      {"записът се променяше от други заявки; заредете го отново и опитайте пак", "other requests kept changing it; reload it and try again"},
	"stale_version":      {"друга заявка промени записа междувременно", "another request changed it meanwhile"},
	"already_applied":    {"вече сте кандидатствали", "you already applied"},
	"forbidden_move":     {"този преход не е позволен от текущото състояние", "this move is not allowed from the current state"},
	"not_open":           {"потребността не приема кандидатури", "the need does not take applications"},
	"minor_not_allowed":  {"правилата за работа на непълнолетни не позволяват тази работа", "the rules for young workers do not allow this work"},
	"guardian_pending":   {"профилът чака съгласие на родител или настойник", "the profile waits for a parent's or guardian's consent"},
	"age_unknown":        {"профилът няма дата на раждане", "the profile has no birth date"},
	"birth_month_needed": {"нужни са година и месец на раждане", "the year and month of birth are needed"},
	"birth_date":         {"трябва да е дата ГГГГ-ММ или ГГГГ-ММ-ДД", "must be a date YYYY-MM or YYYY-MM-DD"},
	"birth_year_differs": {"не съвпада с годината от датата на раждане", "does not match the year of the birth date"},
	"not_future":         {"не може да е в бъдещето", "must not be in the future"},
	"no_guardian_needed": {"профилът не се нуждае от съгласие на родител или настойник", "the profile needs no parent's or guardian's consent"},
	"guardian_recorded":  {"съгласието на родител или настойник вече е записано", "a parent's or guardian's consent is already recorded"},
	"round_published":    {"кръгът е публикуван", "the round is published"},
	"round_closed":       {"кръгът е затворен за предпочитания", "the round is closed for preferences"},
	"round_not_run":      {"първо изпълнете кръга", "run the round first"},
	"not_in_round":       {"не е част от кръга", "is not part of the round"},
	"unknown_need":       {"непозната потребност", "unknown need"},
	"unknown_candidate":  {"не участва в кръга", "is not a candidate of the round"},
	"pinned":             {"двойката е закрепена и не може да е забранена", "the pair is pinned and cannot be forbidden"},
	"pins_exceed":        {"закрепените са повече от местата", "more pins than places"},
	"control":            {"съдържа непозволени управляващи знаци", "contains control characters"},
	"phone":              {"невалиден телефонен номер", "is not a valid phone number"},
	"org_labour_office":  {"Бюро по труда", "labour office"},
	"lang_code":          {"невалиден код на език (ISO 639-1)", "is not a valid language code (ISO 639-1)"},
	"cefr":               {"трябва да е ниво A1..C2", "must be a level A1..C2"},
	"page_size":          {"трябва да е между 1 и 100", "must be between 1 and 100"},
	"range":              {"трябва да е в границите %s", "must be within %s"},
	"password_short":     {"паролата трябва да е поне %s знака", "the password must have at least %s characters"},
	"password_long":      {"паролата трябва да е най-много %s знака", "the password must have at most %s characters"},
	"password_common":    {"паролата е твърде често срещана", "the password is too common"},
	"password_email":     {"паролата не бива да съдържа имейла", "the password must not contain the e-mail"},
	"password_control":   {"паролата съдържа непозволени знаци", "the password contains control characters"},
	"operator":           {"стойността не може да е обект или оператор", "must not be an object or operator"},
	"not_member":         {"не сте член на този работодател", "you are not a member of this employer"},
	"age":                {"възрастта трябва да е между %s години", "age must be between %s years"},
	"no_profile":         {"първо създайте профил", "create a profile first"},
	// referral requests and direct referrals (match.Referrals, match.Service.Refer)
	"already_referred":       {"кандидатът вече е насочен към тази потребност", "the candidate is already referred to this need"},
	"request_declined":       {"бюрото по труда отказа това искане", "the labour office declined this request"},
	"request_exists":         {"искане за този кандидат вече има", "a request for this candidate exists"},
	"request_decided":        {"искането вече е решено", "the request is decided already"},
	"no_consent":             {"лицето не е съгласно да бъде насочвано", "the person does not consent to being matched"},
	"unknown_candidate_card": {"не е кандидат за тази потребност", "is not a candidate for this need"},
	// candidate cards (internal/candidate)
	"employer_not_verified": {"Работодателят още не е потвърден от бюрото по труда: кандидати се показват само на потвърдени работодатели",
		"The employer is not yet verified by the labour office: only verified employers see candidates"},
	"need_not_open": {"Потребността не е отворена: кандидати се показват само за отворени потребности",
		"The need is not open: candidates are shown only for open needs"},
	"need_expired": {"Срокът за кандидатстване по потребността е изтекъл: кандидати вече не се показват",
		"The need's apply-by date has passed: its candidates are no longer shown"},
	"card_reads_exceeded": {"Дневният лимит за преглед на кандидати е изчерпан. Опитайте утре",
		"The day's limit of candidate views is used up. Try again tomorrow"},
	// Career & Skills Days (internal/event)
	"event_employer_not_verified": {"само потвърдени работодатели участват в събития", "only verified employers take part in events"},
	"event_past":                  {"събитието е минало", "the event is over"},
	"event_full":                  {"събитието е пълно", "the event is full"},
	"interviews_started":          {"интервютата вече имат резултати: графикът остава", "interviews have outcomes: the schedule stays"},
	"outcome_recorded":            {"интервюто вече има резултат", "the interview already has an outcome"},
	"need_gone":                   {"потребността вече не съществува", "the need no longer exists"},
	"profile_gone":                {"профилът вече не съществува", "the profile no longer exists"},
	"no_outcome":                  {"интервюто няма резултат за отмяна", "the interview has no outcome to undo"},
	"undo_too_late":               {"резултатът може да се отмени само в деня, в който е записан", "an outcome can be undone only on the day it was recorded"},
}

// message returns the text for code in lang, filling in param.
func message(code, lang, param string) string {
	m, ok := messages[code]
	if !ok {
		return code
	}
	text := m[0]
	if lang == "en" {
		text = m[1]
	}
	if strings.Contains(text, "%s") {
		return fmt.Sprintf(text, param)
	}
	return text
}
