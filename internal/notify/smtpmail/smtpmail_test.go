package smtpmail_test

import (
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/config"
	"github.com/careget/skillsmatch/internal/notify/smtpmail"
)

func TestSettings(t *testing.T) {
	for _, ok := range []string{"smtps://u:p@mail.example.bg:465", "smtp://mail.example.bg:587", "smtp://127.0.0.1:2525?tls=none", "smtp://h?tls=opportunistic"} {
		if _, err := smtpmail.New(ok, "noreply@example.bg"); err != nil {
			t.Errorf("New(%q) = %v, want it taken", ok, err)
		}
	}
	for _, bad := range []string{"http://mail.example.bg", "smtp://", "smtp://h:port", "smtp://h?tls=maybe", "::"} {
		if _, err := smtpmail.New(bad, "noreply@example.bg"); err == nil {
			t.Errorf("New(%q) taken, want refused", bad)
		}
	}
	if _, err := smtpmail.New("smtp://h:587", ""); err == nil {
		t.Errorf("no sender address taken, want refused")
	}
	cfg, err := config.Parse(nil, func(k string) string {
		return map[string]string{"SKILLSMATCH_SMTP_URL": "smtps://user:s3cret@mail.example.bg:465", "SKILLSMATCH_MAIL_FROM": "noreply@example.bg"}[k]
	}, &strings.Builder{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SMTPURL == "" || cfg.MailFrom != "noreply@example.bg" || strings.Contains(cfg.Masked().SMTPURL, "s3cret") {
		t.Errorf("config = %q %q, masked %q: want both read and the password hidden when logged", cfg.SMTPURL, cfg.MailFrom, cfg.Masked().SMTPURL)
	}
}
