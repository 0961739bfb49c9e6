package notify_test

import (
	"context"
	"testing"

	"github.com/careget/skillsmatch/internal/notify"
	"github.com/careget/skillsmatch/internal/profile"
)

// A match born referred (an employer's "continue" at a Career & Skills
// Day) tells the job-seeker and the employer's members, as a referral
// from an application does; the member who said continue is not told of
// their own move.
func TestAMatchBornReferredIsTold(t *testing.T) {
	ctx := context.Background()
	p := newProduct(t)
	svc := p.env.Services.Notify
	person := profile.Profile{ID: p.seeker.UserID, DisplayName: "Ана", BirthDate: "1995-04"}
	if _, err := p.env.Services.Matches.ReferFromEvent(ctx, p.officer, p.need, person, "ev1"); err != nil {
		t.Fatal(err)
	}
	for _, who := range []struct {
		name string
		n    []notify.Notification
	}{{"job-seeker", p.inbox(t, svc, p.seeker)}, {"member", p.inbox(t, svc, p.member)}} {
		if len(who.n) != 1 || who.n[0].Kind != notify.Referral {
			t.Errorf("the %s's inbox = %+v, want the referral", who.name, who.n)
		}
	}
}
