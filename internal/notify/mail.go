package notify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
)

// subjects and leads are the mails' words per kind and language. A mail
// names no one: not the job-seeker to the employer (who may not yet know
// who it is), not the employer's staff or the officer to the job-seeker;
// it says what happened and links back to the page, where the reader sees
// what they are entitled to.
var subjects = map[string]map[Kind]string{
	"bg": {
		Referral: "Ново насочване", MatchMoved: "Промяна по ваше съвпадение", RoundProposal: "Предложение от кръг за насочване",
		OutcomeDue: "Наближава срокът за отговор", OutcomeOverdue: "Срокът за отговор е изтекъл",
		VerificationGranted: "Работодателят е потвърден", VerificationWithdrawn: "Потвърждението на работодателя е оттеглено",
		EventInvitation: "Покана за Ден на кариерата и уменията", EventSchedule: "Графикът за интервюта е готов",
		EventReminder: "Напомняне: Денят на кариерата е утре",
	},
	"en": {
		Referral: "New referral", MatchMoved: "Your match has moved", RoundProposal: "A placement round proposal",
		OutcomeDue: "An outcome is due soon", OutcomeOverdue: "An outcome is overdue",
		VerificationGranted: "Your employer is verified", VerificationWithdrawn: "Your employer's verification was withdrawn",
		EventInvitation: "Invitation to a Career & Skills Day", EventSchedule: "Your interview schedule is ready",
		EventReminder: "Reminder: the Career & Skills Day is tomorrow",
	},
}

var leads = map[string]map[Kind]string{
	"bg": {
		Referral: "Бюрото по труда насочи кандидат по обява.", MatchMoved: "Съвпадение по обява премина в състояние „%s“.",
		RoundProposal: "Кръг за насочване ви предложи място по обява.",
		OutcomeDue:    "Срокът за отговор по насочен кандидат е %s.", OutcomeOverdue: "Срокът за отговор по насочен кандидат (%s) изтече.",
		VerificationGranted: "Бюрото по труда потвърди вашия работодател.", VerificationWithdrawn: "Бюрото по труда оттегли потвърждението на вашия работодател.",
		EventInvitation: "Поканени сте на Ден на кариерата и уменията.", EventSchedule: "Графикът за интервюта е готов.",
		EventReminder: "Денят на кариерата и уменията е утре.",
	},
	"en": {
		Referral: "The labour office referred a candidate for a need.", MatchMoved: "A match for a need moved to “%s”.",
		RoundProposal: "A placement round proposed you for a need.",
		OutcomeDue:    "An outcome for a referred candidate is due on %s.", OutcomeOverdue: "An outcome for a referred candidate was due on %s.",
		VerificationGranted: "The labour office verified your employer.", VerificationWithdrawn: "The labour office withdrew your employer's verification.",
		EventInvitation: "You are invited to a Career & Skills Day.", EventSchedule: "Your interview schedule is ready.",
		EventReminder: "The Career & Skills Day is tomorrow.",
	},
}

var stateWords = map[string]map[string]string{
	"bg": {"applied": "кандидатствано", "proposed": "предложено", "referred": "насочено", "interview": "интервю",
		"offered": "предложена работа", "placed": "назначен", "rejected": "отказано", "withdrawn": "оттеглено"},
	"en": {"applied": "applied", "proposed": "proposed", "referred": "referred", "interview": "interview",
		"offered": "offered", "placed": "placed", "rejected": "rejected", "withdrawn": "withdrawn"},
}

var closings = map[string][2]string{
	"bg": {"Вижте подробностите:", "Получавате това писмо, защото сте включили известията по имейл. Можете да ги промените тук:"},
	"en": {"See the details:", "You receive this mail because you have e-mail notifications on. Change them here:"},
}

// Lang is the mail language of a locale: bg unless en.
func Lang(locale string) string {
	if strings.HasPrefix(locale, "en") {
		return "en"
	}
	return "bg"
}

// InboxPath is the page of a person's notifications in the web app.
func InboxPath(role auth.Role) string {
	if role == auth.RoleJobseeker {
		return "/me/notifications"
	}
	return "/notifications"
}

// Compose puts n into words for its recipient u: subject and plain-text
// body in u's language, with a link (under base, the site's address) back
// to the page.
func Compose(n Notification, u auth.User, base string) (subject, body string) {
	lang := Lang(u.Locale)
	subject = subjects[lang][n.Kind]
	lead := leads[lang][n.Kind]
	if strings.Contains(lead, "%s") {
		arg := n.State
		if w, ok := stateWords[lang][n.State]; ok {
			arg = w
		}
		lead = fmt.Sprintf(lead, arg)
	}
	link := strings.TrimRight(base, "/") + InboxPath(u.Role) + "?lang=" + lang
	c := closings[lang]
	body = lead + "\n\n" + c[0] + "\n" + link + "\n\n-- \n" + c[1] + "\n" + link + "#preferences\n"
	return subject, body
}

var digestWords = map[string][2]string{
	"bg": {"Известия за деня", "Нови известия: %d"},
	"en": {"Your daily notifications", "New notifications: %d"},
}

// composeDigest is one mail listing the recipient's notifications of a day.
func composeDigest(ns []Notification, u auth.User, base string) (subject, body string) {
	lang := Lang(u.Locale)
	w := digestWords[lang]
	var b strings.Builder
	fmt.Fprintf(&b, w[1]+"\n\n", len(ns))
	for _, n := range ns {
		_, one := Compose(n, u, base)
		lead, _, _ := strings.Cut(one, "\n")
		fmt.Fprintf(&b, "- %s\n", lead)
	}
	link := strings.TrimRight(base, "/") + InboxPath(u.Role) + "?lang=" + lang
	fmt.Fprintf(&b, "\n%s\n%s\n", closings[lang][0], link)
	return w[0], b.String()
}

// enqueue puts a stored notification in the outbox if its recipient wants
// it by e-mail: a message each, or for a digest reader one message per day
// that lists the day's notifications when it is sent.
func (s *Service) enqueue(ctx context.Context, n Notification) error {
	p, err := s.store.Preferences(ctx, n.Recipient)
	if err != nil && !isNotFound(err) {
		return err
	}
	if !p.Wants(n.Kind) {
		return nil
	}
	u, err := s.accounts.User(ctx, n.Recipient)
	if err != nil {
		return fmt.Errorf("recipient: %w", err)
	}
	now := s.now().UTC()
	m := Message{Notification: n.Number, Recipient: n.Recipient, To: u.Email, Lang: Lang(u.Locale), Status: Pending,
		Kind: n.Kind, CreatedAt: now, NextAt: now, Version: 1}
	if p.Digest && (u.Role == auth.RoleOfficer || u.Role == auth.RoleEmployer) {
		day := now.Format(time.DateOnly)
		first, err := s.store.FirstTime(ctx, "digest/"+n.Recipient+"/"+day, now)
		if err != nil || !first {
			return err
		}
		m.Digest, m.Kind = day, ""
		m.NextAt = time.Date(now.Year(), now.Month(), now.Day()+1, DigestHour, 0, 0, 0, time.UTC)
	} else {
		m.Subject, m.Body = Compose(n, u, s.base)
	}
	_, err = s.store.InsertMessage(ctx, m)
	return err
}

// DigestHour is the hour (UTC) the daily digest of the day before is sent.
const DigestHour = 6
