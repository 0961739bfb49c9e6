package client_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/careget/skillsmatch/pkg/client"
)

// An employer signs in, registers the organisation and publishes a need
// for a skill found through autocomplete. The need stays private until a
// labour-office officer verifies the employer.
func Example() {
	ctx := context.Background()
	c := client.New("http://127.0.0.1:8080", client.WithLanguage("en"))

	if _, err := c.Login(ctx, "hr@example.bg", "a long pass phrase"); err != nil {
		log.Fatal(err)
	}
	emp, err := c.CreateEmployer(ctx, client.NewEmployer{Name: "Home Care Ltd", EIK: "000695235",
		Sector: "care", Municipality: "Haskovo", Location: client.GeoPoint{Lat: 41.93, Lon: 25.55}})
	if client.IsStatus(err, http.StatusConflict) {
		log.Fatal("this EIK is registered already")
	} else if err != nil {
		log.Fatal(err)
	}
	skills, err := c.SuggestSkills(ctx, client.SkillQuery{Q: "nursing", Limit: 1})
	if err != nil || len(skills) == 0 {
		log.Fatal("no skill found: ", err)
	}
	need, err := c.CreateNeed(ctx, client.NewNeed{EmployerID: emp.ID, Kind: "job", Title: "Home care nurse",
		Sector: "care", Skills: []client.SkillRequirement{{ID: skills[0].ID, Level: 2, Required: true}},
		Location: client.NeedLocation{Municipality: "Haskovo", Lat: 41.93, Lon: 25.55},
		WorkMode: "onsite", Positions: 2, Hours: "full_time", StartDate: "2026-09-01"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(need.ID)
}
