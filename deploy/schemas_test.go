package deploy_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
)

// kinds are the API objects deploy/kubernetes may use: a kind missing here has
// no schema, and kubeconform rejects a manifest of that kind.
var kinds = []struct {
	apiVersion string
	object     any
}{
	{"v1", corev1.Service{}},
	{"v1", corev1.ServiceAccount{}},
	{"v1", corev1.ConfigMap{}},
	{"apps/v1", appsv1.StatefulSet{}},
	{"policy/v1", policyv1.PodDisruptionBudget{}},
	{"autoscaling/v2", autoscalingv2.HorizontalPodAutoscaler{}},
	{"networking.k8s.io/v1", networkingv1.NetworkPolicy{}},
	{"networking.k8s.io/v1", networkingv1.Ingress{}},
}

// writeSchemas writes one strict JSON schema per kind into dir, named as
// kubeconform's -schema-location template {{.ResourceKind}}{{.KindSuffix}}.json
// expects (statefulset-apps-v1.json). They are generated from the Go types of
// the k8s.io/api release in go.mod, offline: no schema is downloaded. Every
// object rejects unknown fields (additionalProperties false), and a field is
// required where the Kubernetes OpenAPI generator makes it so: no omitempty in
// its json tag and no +optional marker in its comment; a string type marked
// +enum allows its declared constants only.
func writeSchemas(t *testing.T, dir string) {
	t.Helper()
	g := &schemaGen{defs: map[string]any{}, optional: map[string]bool{}, parsed: map[string]bool{},
		enumType: map[string]bool{}, values: map[string][]string{}, t: t}
	for _, k := range kinds {
		g.defs = map[string]any{}
		typ := reflect.TypeOf(k.object)
		root := g.structSchema(typ)
		props := root["properties"].(map[string]any)
		props["apiVersion"] = map[string]any{"type": "string", "enum": []string{k.apiVersion}}
		props["kind"] = map[string]any{"type": "string", "enum": []string{typ.Name()}}
		root["required"] = appendUnique(root["required"], "apiVersion", "kind")
		root["$schema"] = "http://json-schema.org/draft-07/schema#"
		root["definitions"] = g.defs
		body, err := json.MarshalIndent(root, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, schemaFileName(typ.Name(), k.apiVersion)), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// schemaFileName is kubeconform's naming: kind, then the group's first label
// (if any) and the version, lower case.
func schemaFileName(kind, apiVersion string) string {
	parts := []string{strings.ToLower(kind)}
	if group, version, ok := strings.Cut(apiVersion, "/"); ok {
		parts = append(parts, strings.ToLower(strings.Split(group, ".")[0]), strings.ToLower(version))
	} else {
		parts = append(parts, strings.ToLower(apiVersion))
	}
	return strings.Join(parts, "-") + ".json"
}

type schemaGen struct {
	t        *testing.T
	defs     map[string]any
	optional map[string]bool     // "pkgpath.Type.Field" marked +optional in the source
	enumType map[string]bool     // "pkgpath.Type" of string types marked +enum
	values   map[string][]string // "pkgpath.Type" → its string constants
	parsed   map[string]bool     // package paths whose source was read
}

// openAPITyped is how k8s types with a custom JSON form (Quantity,
// IntOrString, Time, RawExtension…) state their OpenAPI type.
type openAPITyped interface{ OpenAPISchemaType() []string }
type openAPIOneOf interface{ OpenAPIV3OneOfTypes() []string }

func (g *schemaGen) schema(typ reflect.Type) map[string]any {
	if s, ok := g.custom(typ); ok {
		return s
	}
	switch typ.Kind() {
	case reflect.Pointer:
		return g.schema(typ.Elem())
	case reflect.String:
		return g.stringSchema(typ)
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		if typ.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "format": "byte"}
		}
		return map[string]any{"type": "array", "items": g.schema(typ.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(typ.Elem())}
	case reflect.Struct:
		name := definitionName(typ)
		if _, seen := g.defs[name]; !seen {
			g.defs[name] = nil // a recursive type refers to itself while being built
			g.defs[name] = g.structSchema(typ)
		}
		return map[string]any{"$ref": "#/definitions/" + name}
	case reflect.Interface:
		return map[string]any{}
	}
	g.t.Fatalf("schema: no JSON form for %s", typ)
	return nil
}

func (g *schemaGen) custom(typ reflect.Type) (map[string]any, bool) {
	if typ.Kind() == reflect.Pointer {
		return nil, false
	}
	v := reflect.New(typ).Interface() // a pointer: has both receivers' methods
	if o, ok := v.(openAPIOneOf); ok && len(o.OpenAPIV3OneOfTypes()) > 0 {
		var alts []any
		for _, t := range o.OpenAPIV3OneOfTypes() {
			alts = append(alts, map[string]any{"type": t})
		}
		return map[string]any{"oneOf": alts}, true
	}
	if o, ok := v.(openAPITyped); ok {
		if types := o.OpenAPISchemaType(); len(types) == 1 && types[0] != "" {
			return map[string]any{"type": types[0]}, true
		}
		return map[string]any{}, true // int-or-string and the like without a V3 list
	}
	return nil, false
}

func (g *schemaGen) structSchema(typ reflect.Type) map[string]any {
	g.readComments(typ.PkgPath())
	props, required := map[string]any{}, []string{}
	g.fields(typ, props, &required)
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

func (g *schemaGen) fields(typ reflect.Type, props map[string]any, required *[]string) {
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if tag == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		if f.Anonymous && name == "" { // inline: TypeMeta, LocalObjectReference…
			g.readComments(f.Type.PkgPath())
			g.fields(f.Type, props, required)
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = g.schema(f.Type)
		omitted := strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")
		if !omitted && !g.optional[typ.PkgPath()+"."+typ.Name()+"."+f.Name] {
			*required = append(*required, name)
		}
	}
}

// readComments records the fields of pkgPath's structs whose doc comment marks
// them optional, reading the package's source from the module cache.
func (g *schemaGen) readComments(pkgPath string) {
	if pkgPath == "" || g.parsed[pkgPath] {
		return
	}
	g.parsed[pkgPath] = true
	out, err := exec.Command("go", "list", "-f", "{{.Dir}}", pkgPath).Output()
	if err != nil {
		g.t.Fatalf("go list %s: %v", pkgPath, err)
	}
	dir := strings.TrimSpace(string(out))
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		g.t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ParseComments)
		if err != nil {
			g.t.Fatalf("parse %s: %v", name, err)
		}
		g.optionalFields(pkgPath, file)
		g.enums(pkgPath, file)
	}
}

// stringSchema gives a string type marked +enum its constants as the allowed
// values, as the Kubernetes OpenAPI document does.
func (g *schemaGen) stringSchema(typ reflect.Type) map[string]any {
	g.readComments(typ.PkgPath())
	key := typ.PkgPath() + "." + typ.Name()
	if g.enumType[key] && len(g.values[key]) > 0 {
		return map[string]any{"type": "string", "enum": g.values[key]}
	}
	return map[string]any{"type": "string"}
}

// enums records the string types marked +enum and every typed string
// constant of file.
func (g *schemaGen) enums(pkgPath string, file *ast.File) {
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, spec := range gen.Specs {
			switch spec := spec.(type) {
			case *ast.TypeSpec:
				doc := spec.Doc
				if doc == nil && len(gen.Specs) == 1 {
					doc = gen.Doc
				}
				if doc != nil && strings.Contains(doc.Text(), "+enum") {
					g.enumType[pkgPath+"."+spec.Name.Name] = true
				}
			case *ast.ValueSpec:
				ident, ok := spec.Type.(*ast.Ident)
				if !ok || gen.Tok != token.CONST || len(spec.Values) != 1 {
					continue
				}
				if lit, ok := spec.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if v, err := strconv.Unquote(lit.Value); err == nil {
						g.values[pkgPath+"."+ident.Name] = append(g.values[pkgPath+"."+ident.Name], v)
					}
				}
			}
		}
	}
}

func (g *schemaGen) optionalFields(pkgPath string, file *ast.File) {
	ast.Inspect(file, func(n ast.Node) bool {
		spec, ok := n.(*ast.TypeSpec)
		if !ok {
			return true
		}
		st, ok := spec.Type.(*ast.StructType)
		if !ok {
			return false
		}
		for _, field := range st.Fields.List {
			if field.Doc == nil || !markedOptional(field.Doc.Text()) {
				continue
			}
			for _, id := range field.Names {
				g.optional[pkgPath+"."+spec.Name.Name+"."+id.Name] = true
			}
		}
		return false
	})
}

func markedOptional(doc string) bool {
	for line := range strings.SplitSeq(doc, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "+optional") || strings.HasSuffix(line, "+k8s:optional") {
			return true
		}
	}
	return false
}

// definitionName follows the OpenAPI names: k8s.io/api/core/v1.PodSpec is
// io.k8s.api.core.v1.PodSpec.
func definitionName(typ reflect.Type) string {
	path := typ.PkgPath()
	if rest, ok := strings.CutPrefix(path, "k8s.io/"); ok {
		path = "io.k8s." + rest
	}
	return strings.ReplaceAll(path, "/", ".") + "." + typ.Name()
}

func appendUnique(list any, names ...string) []string {
	out, _ := list.([]string)
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
