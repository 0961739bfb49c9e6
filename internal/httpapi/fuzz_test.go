package httpapi

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// The fuzz targets of the HTTP layer: every request body type through
// bindStrict, and the query-string parsers. `make test` runs their seed
// corpora; `make fuzz` runs each for FUZZTIME.

// bodyType is one request DTO: a fresh value and, where the handler turns it
// into a domain value, that conversion (which must not panic on anything the
// binder accepted).
type bodyType struct {
	new func() any
	use func(v any)
}

// bodyTypes lists every request body the API binds. TestFuzzCoversEveryRequestType
// fails when a type named *Request is added without a row here.
var bodyTypes = []bodyType{
	{func() any { return new(registerRequest) }, nil},
	{func() any { return new(createUserRequest) }, nil},
	{func() any { return new(loginRequest) }, nil},
	{func() any { return new(refreshRequest) }, nil},
	{func() any { return new(createPathwayRequest) }, func(v any) { v.(*createPathwayRequest).toDomain() }},
	{func() any { return new(enrolRequest) }, nil},
	{func() any { return new(progressRequest) }, nil},
	{func() any { return new(checkRequest) }, nil},
	{func() any { return new(putProfileRequest) }, func(v any) { v.(*putProfileRequest).toDomain() }},
	{func() any { return new(createEmployerRequest) }, nil},
	{func() any { return new(updateEmployerRequest) }, nil},
	{func() any { return new(verificationRequest) }, nil},
	{func() any { return new(createNeedRequest) }, func(v any) { v.(*createNeedRequest).toDomain() }},
	{func() any { return new(updateNeedRequest) }, func(v any) { v.(*updateNeedRequest).toPatch() }},
	{func() any { return new(transitionRequest) }, nil},
	{func() any { return new(createRoundRequest) }, nil},
	{func() any { return new(runRoundRequest) }, nil},
	{func() any { return new(rankingRequest) }, nil},
	{func() any { return new(candidateRankingRequest) }, nil},
	{func() any { return new(passwordRequest) }, nil},
	{func() any { return new(guardianConsentRequest) }, nil},
	{func() any { return new(createEventRequest) }, nil},
	{func() any { return new(joinEventRequest) }, nil},
	{func() any { return new(eventEnrolRequest) }, nil},
	{func() any { return new(profileIDsRequest) }, nil},
	{func() any { return new(checkInRequest) }, nil},
	{func() any { return new(outcomeRequest) }, nil},
	{func() any { return new(preferencesRequest) }, nil},
	{func() any { return new(inPersonRequest) }, nil},
	{func() any { return new(referralAskRequest) }, nil},
	{func() any { return new(declineRequest) }, nil},
	{func() any { return new(directReferralRequest) }, nil},
}

// TestFuzzCoversEveryRequestType: every struct type whose name ends in
// "Request" in this package's non-test sources is fuzzed by FuzzBindStrict.
func TestFuzzCoversEveryRequestType(t *testing.T) {
	fuzzed := map[string]bool{}
	for _, b := range bodyTypes {
		fuzzed[reflect.TypeOf(b.new()).Elem().Name()] = true
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			if _, isStruct := ts.Type.(*ast.StructType); isStruct && strings.HasSuffix(ts.Name.Name, "Request") && !fuzzed[ts.Name.Name] {
				t.Errorf("%s (%s) is a request body that FuzzBindStrict does not fuzz: add it to bodyTypes in fuzz_test.go", ts.Name.Name, name)
			}
			return true
		})
	}
}

// The binder runs in gin's release mode, as the server does (httpapi.New),
// also when a fuzz target runs before any server is built: test contexts
// would otherwise print gin's debug-mode warning for every input.
func init() { gin.SetMode(gin.ReleaseMode) }

// bind runs bindStrict on body as a request would, returning the decoded
// value or the response the handler would send.
func bind(i int, body []byte, contentType string) (any, *httptest.ResponseRecorder, error) {
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodPost, "/x", bytes.NewReader(body))
	if contentType != "" {
		c.Request.Header.Set("Content-Type", contentType)
	}
	dst := bodyTypes[i].new()
	err := bindStrict(c, dst)
	if err != nil {
		writeProblem(c, err)
	}
	return dst, w, err
}

// FuzzBindStrict: for every request type and any body, bindStrict either
// refuses with a 4xx problem (never a 5xx, never a panic), or yields a value
// that passes validation, that the handler can convert without panicking,
// and that survives a JSON round trip unchanged (so what was checked is
// what is used).
func FuzzBindStrict(f *testing.F) {
	seeds := []string{`{}`, `null`, `[]`, `"x"`, `{"email":{"$gt":""},"password":"x"}`, `{"a":1} {"b":2}`,
		`{"location":{"lat":null,"lon":1}}`, `{"birthYear":1e400}`, "{\"name\":\"\xff\"}"}
	for i, b := range bodyTypes {
		for _, s := range append(seeds, validBodies[reflect.TypeOf(b.new()).Elem().Name()]) {
			f.Add(uint8(i), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		i := int(which) % len(bodyTypes)
		dst, w, err := bind(i, body, "application/json")
		if err != nil {
			if w.Code < 400 || w.Code >= 500 {
				t.Fatalf("%T: refused body %q answered %d, want a 4xx problem: %v", dst, body, w.Code, err)
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
				t.Fatalf("%T: refusal Content-Type %q", dst, ct)
			}
			var p problem
			if json.Unmarshal(w.Body.Bytes(), &p) != nil || p.Status != w.Code {
				t.Fatalf("%T: refusal is not a problem body: %s", dst, w.Body)
			}
			return
		}
		if verr := validateStruct(dst); verr != nil {
			t.Fatalf("%T: bound %q but it fails validation: %v", dst, body, verr)
		}
		if use := bodyTypes[i].use; use != nil {
			use(dst)
		}
		again, err := json.Marshal(dst)
		if err != nil {
			t.Fatalf("%T: re-encode: %v", dst, err)
		}
		dst2, w2, err := bind(i, again, "application/json")
		if err != nil {
			t.Fatalf("%T: accepted %q, but its re-encoding %s is refused: %d %s", dst, body, again, w2.Code, w2.Body)
		}
		if !reflect.DeepEqual(dst, dst2) {
			t.Fatalf("%T: %q decodes differently after a round trip:\n%#v\n%#v", dst, body, dst, dst2)
		}
	})
}

// validBodies holds one accepted body per request type: seeds from which the
// fuzzer reaches the round trip, checked by TestValidBodiesBind.
var validBodies = map[string]string{
	"registerRequest":         `{"email":"a@b.bg","password":"pw","role":"jobseeker","name":"A","locale":"bg"}`,
	"createUserRequest":       `{"email":"o@b.bg","password":"pw","role":"officer","name":"O"}`,
	"loginRequest":            `{"email":"a@b.bg","password":"pw"}`,
	"refreshRequest":          `{"refreshToken":"abc"}`,
	"createPathwayRequest":    `{"name":{"bg":"П","en":"P"},"stages":[{"key":"a","name":{"bg":"б","en":"e"},"requirements":[{"key":"m","name":{"bg":"м","en":"m"}}],"grantsSkills":[{"id":"s","level":3}]}]}`,
	"enrolRequest":            `{"profileId":"p1"}`,
	"progressRequest":         `{"stage":"s","status":"started","mentor":"m","nextStep":"n"}`,
	"checkRequest":            `{"requirement":"medical","checked":true,"on":"2026-01-02"}`,
	"putProfileRequest":       `{"displayName":"М","birthDate":"2004-05","phone":"+359888123456","municipality":"Х","location":{"lat":41.9,"lon":25.5},"maxTravelKm":30,"workModes":["onsite"],"educationLevel":3,"availableFrom":"2027-01-01","consent":{"matching":true},"skills":[{"id":"s","level":2,"source":"work"}],"languages":[{"code":"bg","level":"C2"}],"interests":{"kinds":["job"],"sectors":["h"]},"summary":"s"}`,
	"createEmployerRequest":   `{"name":"МБАЛ","eik":"123456789","sector":"h","municipality":"Х","location":{"lat":41.9,"lon":25.5},"address":"ул. 1","website":"https://a.bg"}`,
	"updateEmployerRequest":   `{"name":"МБАЛ","location":{"lat":41.9,"lon":25.5},"website":"http://a.bg/x"}`,
	"verificationRequest":     `{"verified":true,"note":"ok"}`,
	"createNeedRequest":       `{"employerId":"e","kind":"job","title":"Сестра","sector":"h","skills":[{"id":"s","level":3,"required":true}],"languages":[{"code":"bg","level":"C1"}],"location":{"municipality":"Х","lat":41.9,"lon":25.5},"workMode":"onsite","positions":2,"hours":"full_time","startDate":"2027-01-15"}`,
	"updateNeedRequest":       `{"title":"Нов","skills":[{"id":"s","level":1}],"location":{"municipality":"Х","lat":1,"lon":2},"positions":3}`,
	"transitionRequest":       `{"to":"referred","note":"n","reason":"skills"}`,
	"passwordRequest":         `{"currentPassword":"old one","newPassword":"a new long passphrase"}`,
	"guardianConsentRequest":  `{"name":"Мария Петрова","relation":"parent","givenOn":"2026-11-30"}`,
	"createRoundRequest":      `{"name":"Round","programme":"internship","needIds":["a"],"closesAt":"2027-01-01T00:00:00+02:00"}`,
	"runRoundRequest":         `{"pins":[{"profileId":"p","needId":"n"}],"forbidden":[]}`,
	"rankingRequest":          `{"needIds":["n1"]}`,
	"candidateRankingRequest": `{"profileIds":["p1"]}`,
	"createEventRequest":      `{"name":{"bg":"Ден на кариерата","en":"Career Day"},"description":{"bg":"д","en":"d"},"date":"2027-03-10","starts":"10:00","ends":"14:00","municipality":"Х","location":"Младежки дом","sectors":["h"],"capacity":100,"interviewMinutes":10,"slots":12,"perPersonLimit":3}`,
	"joinEventRequest":        `{"employerId":"e","needIds":["n"],"tables":2}`,
	"eventEnrolRequest":       `{"wishes":["e1","e2"],"profileIds":[],"group":"11 б","contact":"Г-жа Иванова"}`,
	"profileIDsRequest":       `{"profileIds":["p1","p2"]}`,
	"checkInRequest":          `{"ticket":"T-1234"}`,
	"outcomeRequest":          `{"outcome":"continue"}`,
	"preferencesRequest":      `{"emailOff":["match_moved"],"digest":true}`,
	"inPersonRequest":         `{"displayName":"М","birthDate":"2004-05","municipality":"Х","location":{"lat":41.9,"lon":25.5},"maxTravelKm":30,"workModes":["onsite"],"educationLevel":3,"availableFrom":"2027-01-01","consent":{"matching":true,"recordedBy":"Елена Иванова"}}`,
	"referralAskRequest":      `{"candidateId":"c-0123abcd"}`,
	"declineRequest":          `{"reason":"the person moved away"}`,
	"directReferralRequest":   `{"needId":"n","profileId":"p","note":"fits","visibility":"shared"}`,
}

// TestValidBodiesBind: each request type has a seed the binder accepts, so
// the fuzzer starts from bodies that reach validation and the round trip.
func TestValidBodiesBind(t *testing.T) {
	for i, b := range bodyTypes {
		name := reflect.TypeOf(b.new()).Elem().Name()
		body, ok := validBodies[name]
		if !ok {
			t.Errorf("validBodies lacks %s", name)
			continue
		}
		if _, w, err := bind(i, []byte(body), "application/json"); err != nil {
			t.Errorf("%s: seed refused: %d %s", name, w.Code, w.Body)
		}
	}
}

// queryContext is a gin context for a GET with the raw query q.
func queryContext(q string) *gin.Context {
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/x", RawQuery: q}, Header: http.Header{}}
	return c
}

// FuzzQueryParams: the query-string parsers accept exactly the values in
// their stated ranges, and the needs search never lets an over-long text,
// an unknown kind or too many skills through.
func FuzzQueryParams(f *testing.F) {
	for _, s := range []string{"", "1", "0", "50", "51", "-1", "+5", "05", "1e1", "9223372036854775808", "x", "NaN", "Inf", "0x10", " 3", "3 "} {
		f.Add(s, "42.1,23.3", "job", "q")
	}
	f.Add("20", "91,0", "intern", strings.Repeat("я", 201))
	f.Add("20", "NaN,NaN", "", "")
	f.Add("20", "42, 23", "care_pathway", "%zz")
	f.Add("1", "-90,-180", "forecast", "a&skill=b")
	f.Add("3", "", "2026-01-01", "2026-02-30")
	f.Add("3", "", "2026-03-01", "2026-02-28")
	f.Fuzz(func(t *testing.T, limit, near, kind, text string) {
		// queryLimit
		c := queryContext("limit=" + url.QueryEscape(limit))
		n, err := queryLimit(c, 10, 50)
		want, aerr := strconv.Atoi(limit)
		switch {
		case limit == "":
			if err != nil || n != 10 {
				t.Fatalf("queryLimit(empty) = %d, %v; want the default 10", n, err)
			}
		case aerr == nil && want >= 1 && want <= 50:
			if err != nil || n != want {
				t.Fatalf("queryLimit(%q) = %d, %v; want %d", limit, n, err, want)
			}
		default:
			if err == nil {
				t.Fatalf("queryLimit(%q) = %d, want an error", limit, n)
			}
		}
		// parseLatLon
		if lat, lon, ok := parseLatLon(near); ok {
			if math.IsNaN(lat) || math.IsNaN(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
				t.Fatalf("parseLatLon(%q) = %v, %v, ok", near, lat, lon)
			}
		}
		// floatParam
		if v, err := floatParam(queryContext("r="+url.QueryEscape(near)), "r", 25, 0.1, 1000); err == nil {
			if math.IsNaN(v) || v < 0.1 || v > 1000 {
				t.Fatalf("floatParam(%q) = %v, want within [0.1, 1000]", near, v)
			}
		}
		// period: two dates, in order, or an error.
		if from, to, err := period(queryContext("from=" + url.QueryEscape(kind) + "&to=" + url.QueryEscape(text))).Range(time.Now()); err == nil && to.Before(from) {
			t.Fatalf("period(%q, %q) = %v … %v, out of order", kind, text, from, to)
		}
		// needSearchParams: the whole query string as a client may send it.
		raw := "q=" + url.QueryEscape(text) + "&kind=" + url.QueryEscape(kind) + "&pageSize=" + url.QueryEscape(limit) +
			"&near=" + url.QueryEscape(near) + "&" + text
		q, err := needSearchParams(queryContext(raw))
		if err != nil {
			return
		}
		if utf8.RuneCountInString(q.Text) > 200 || len(q.Problems()) > 0 || len(q.Skills) > 20 {
			t.Fatalf("needSearchParams(%q) let through %+v", raw, q)
		}
		if q.Page < 1 || q.Page > 1000 || q.PageSize < 1 || q.PageSize > 100 {
			t.Fatalf("needSearchParams(%q): page %d size %d", raw, q.Page, q.PageSize)
		}
		if q.Near != nil && (q.RadiusKm < 0.1 || q.RadiusKm > 1000 || q.Near.Lat < -90 || q.Near.Lat > 90) {
			t.Fatalf("needSearchParams(%q): near %+v radius %v", raw, q.Near, q.RadiusKm)
		}
	})
}
