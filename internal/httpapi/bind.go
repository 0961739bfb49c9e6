package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/gin-gonic/gin"
	"github.com/go-playground/validator/v10"
)

const maxBody = 1 << 20 // 1 MiB

// validate is shared: the validator caches struct metadata.
var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name := strings.SplitN(f.Tag.Get("json"), ",", 2)[0]
		if name == "-" {
			return ""
		}
		return name
	})
	must(v.RegisterValidation("date", func(fl validator.FieldLevel) bool {
		_, err := time.Parse(time.DateOnly, fl.Field().String())
		return err == nil
	}))
	must(v.RegisterValidation("langcode", func(fl validator.FieldLevel) bool {
		return langCode.MatchString(fl.Field().String())
	}))
	must(v.RegisterValidation("cefr", func(fl validator.FieldLevel) bool {
		return cefr.MatchString(fl.Field().String())
	}))
	must(v.RegisterValidation("phone", func(fl validator.FieldLevel) bool {
		return phone.MatchString(fl.Field().String())
	}))
	// The register's rule, so a bad website is refused with the field
	// named before the service sees it, as the service would refuse it.
	must(v.RegisterValidation("http_url", func(fl validator.FieldLevel) bool {
		return register.ValidWebsite(fl.Field().String())
	}))
	must(v.RegisterValidation("nocontrol", func(fl validator.FieldLevel) bool {
		return !strings.ContainsFunc(fl.Field().String(), func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' && r != '\r' })
	}))
	return v
}

var (
	langCode = regexp.MustCompile(`^[a-z]{2}$`)
	cefr     = regexp.MustCompile(`^[ABC][12]$`)
	phone    = regexp.MustCompile(`^\+?[0-9][0-9 ()./-]{4,24}[0-9]$`)
)

func must(err error) {
	if err != nil {
		panic(err) // programming error at start-up: a validation tag is misregistered
	}
}

// bindStrict decodes a JSON body into dst, rejecting bodies over 1 MiB,
// unknown fields, trailing data and wrong types (such as an object with a
// "$gt" operator where a string belongs), then runs the validator tags.
func bindStrict(c *gin.Context, dst any) error {
	if ct := c.GetHeader("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return failure.New(failure.Invalid, "unsupported_media", "Content-Type must be application/json")
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return failure.New(failure.Invalid, "body_too_large", "the body is larger than 1 MiB")
		}
		return failure.New(failure.Invalid, "bad_json", "could not read the body")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return failure.New(failure.Invalid, "bad_json", "trailing data after the JSON value")
	}
	return validateStruct(dst)
}

func decodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		code := "type"
		if typeErr.Value == "object" {
			code = "operator"
		}
		return failure.Fields(failure.FieldError{Field: field, Code: code, Param: jsonType(typeErr.Type)})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return failure.Field(name, "unknown_field", "")
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return failure.New(failure.Invalid, "bad_json", "the body is not valid JSON")
	default:
		return failure.New(failure.Invalid, "bad_json", "%s", err.Error())
	}
}

func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Pointer:
		return jsonType(t.Elem())
	default:
		return "number"
	}
}

// validateStruct turns validator errors into per-field failures with the
// API's JSON paths ("skills[0].level").
func validateStruct(v any) error {
	err := validate.Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return fmt.Errorf("validate: %w", err)
	}
	fields := make([]failure.FieldError, 0, len(verrs))
	for _, fe := range verrs {
		fields = append(fields, failure.FieldError{Field: jsonPath(fe.Namespace()), Code: ruleCode(fe), Param: ruleParam(fe)})
	}
	return failure.Fields(fields...)
}

// jsonPath drops the struct name: "createNeedRequest.skills[0].level" → "skills[0].level".
func jsonPath(ns string) string {
	if i := strings.IndexByte(ns, '.'); i >= 0 {
		return ns[i+1:]
	}
	return ns
}

func ruleCode(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required", "required_with", "required_without":
		return "required"
	case "gte", "min":
		return "min"
	case "lte", "max":
		return "max"
	case "langcode":
		return "lang_code"
	case "oneof", "email", "url", "date", "latitude", "longitude", "len", "cefr", "unique", "eik":
		return fe.Tag()
	case "nocontrol":
		return "control"
	default:
		return fe.Tag()
	}
}

func ruleParam(fe validator.FieldError) string {
	if fe.Tag() == "oneof" {
		return strings.ReplaceAll(fe.Param(), " ", ", ")
	}
	return fe.Param()
}
