package taxonomy

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// LabelSet is the labels of one concept in one language, as read from an
// official ESCO CSV download.
type LabelSet struct {
	URI         string   `json:"uri"`
	Lang        string   `json:"lang"`
	Preferred   string   `json:"preferred"`
	Alt         []string `json:"alt"`
	Hidden      []string `json:"hidden,omitempty"` // search-only labels (misspellings, old names)
	Description string   `json:"description"`
}

// ApplyReport says what Apply did.
type ApplyReport struct {
	Applied    int `json:"applied"`
	UnknownURI int `json:"unknownUri"`
}

// escoFile matches the files of an ESCO CSV package that carry labels:
// skills_bg.csv, occupations_bg.csv, skillGroups_bg.csv. The language code
// is part of the name; the files carry no language column.
var escoFile = regexp.MustCompile(`^(skills|occupations|skillGroups)_([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\.csv$`)

// ReadESCOCSV reads the label files of an ESCO CSV package in dir (any of
// skills_xx.csv, occupations_xx.csv, skillGroups_xx.csv; other files are
// ignored). Columns are found by their header names (conceptUri,
// preferredLabel, altLabels, hiddenLabels, description), so their order
// and any extra columns do not matter. Multi-line labels are split on new
// lines. It is an error if dir holds none of these files.
func ReadESCOCSV(dir string) ([]LabelSet, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read ESCO CSV dir: %w", err)
	}
	var sets []LabelSet
	found := 0
	for _, de := range des { // ReadDir sorts by name, so the result is stable
		m := escoFile.FindStringSubmatch(de.Name())
		if m == nil || de.IsDir() {
			continue
		}
		found++
		got, err := readESCOFile(filepath.Join(dir, de.Name()), strings.ToLower(m[2]))
		if err != nil {
			return nil, err
		}
		sets = append(sets, got...)
	}
	if found == 0 {
		return nil, fmt.Errorf("read ESCO CSV dir %s: no skills_xx.csv, occupations_xx.csv or skillGroups_xx.csv", dir)
	}
	return sets, nil
}

func readESCOFile(path, lang string) ([]LabelSet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	sets, err := parseESCOCSV(f, lang)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return sets, nil
}

// parseESCOCSV reads one ESCO label file in the given language.
func parseESCOCSV(r io.Reader, lang string) ([]LabelSet, error) {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.FieldsPerRecord = -1 // a short row is reported by column, below
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	cols, err := escoColumns(header)
	if err != nil {
		return nil, err
	}
	var sets []LabelSet
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return sets, nil
		}
		if err != nil {
			return nil, err // a *csv.ParseError already names the line
		}
		uri := strings.TrimSpace(cols.get(row, cols.uri))
		if uri == "" {
			continue
		}
		sets = append(sets, LabelSet{
			URI:         uri,
			Lang:        lang,
			Preferred:   strings.TrimSpace(cols.get(row, cols.pref)),
			Alt:         splitLines(cols.get(row, cols.alt)),
			Hidden:      splitLines(cols.get(row, cols.hidden)),
			Description: strings.TrimSpace(cols.get(row, cols.desc)),
		})
	}
}

// columns holds the positions of the ESCO columns used; -1 if absent.
type columns struct{ uri, pref, alt, hidden, desc int }

func escoColumns(header []string) (columns, error) {
	c := columns{-1, -1, -1, -1, -1}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")) // Excel and ESCO write a BOM
		switch strings.ToLower(h) {
		case "concepturi":
			c.uri = i
		case "preferredlabel":
			c.pref = i
		case "altlabels":
			c.alt = i
		case "hiddenlabels":
			c.hidden = i
		case "description":
			c.desc = i
		}
	}
	if c.uri < 0 || c.pref < 0 {
		return c, fmt.Errorf("header %q: need conceptUri and preferredLabel columns", header)
	}
	return c, nil
}

func (columns) get(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}

// splitLines splits an ESCO multi-value cell: one label per line.
func splitLines(s string) []string {
	var out []string
	for l := range strings.Lines(s) {
		if l = strings.TrimSpace(l); l != "" && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// Apply merges imported labels into the skills, groups and occupations
// with the same URI and rebuilds the autocomplete indexes. For a skill,
// the imported language replaces the project's translation and is marked
// SourceImport. A set without a preferred label changes nothing, so a
// partly translated package cannot blank a name.
//
// Apply is not safe for concurrent use with any other method: call it
// after Load and before serving.
func (t *Taxonomy) Apply(sets []LabelSet) ApplyReport {
	var rep ApplyReport
	for _, ls := range sets {
		r, ok := t.byURI[ls.URI]
		if !ok {
			rep.UnknownURI++
			continue
		}
		if ls.Lang == "" || ls.Preferred == "" {
			continue
		}
		t.applySet(r, ls)
		rep.Applied++
	}
	if rep.Applied > 0 {
		t.buildIndexes()
	}
	return rep
}

func (t *Taxonomy) applySet(r ref, ls LabelSet) {
	switch r.kind {
	case kindSkill:
		s := &t.skills[r.i]
		s.setLabels(ls.Lang, ls.Preferred, ls.Alt, SourceImport)
		s.Description = setText(s.Description, ls.Lang, ls.Description)
		t.skillHidden[r.i] = setList(t.skillHidden[r.i], ls.Lang, ls.Hidden)
	case kindGroup:
		g := &t.groups[r.i]
		g.Labels = setText(g.Labels, ls.Lang, ls.Preferred)
	case kindOccupation:
		o := &t.occs[r.i]
		o.Labels = setText(o.Labels, ls.Lang, ls.Preferred)
		o.AltLabels = setList(o.AltLabels, ls.Lang, ls.Alt)
		o.Description = setText(o.Description, ls.Lang, ls.Description)
		t.occHidden[r.i] = setList(t.occHidden[r.i], ls.Lang, ls.Hidden)
	}
}

// setText sets m[lang] = v unless v is empty, allocating m if needed.
func setText(m map[string]string, lang, v string) map[string]string {
	if v == "" {
		return m
	}
	if m == nil {
		m = map[string]string{}
	}
	m[lang] = v
	return m
}

// setList sets m[lang] = v unless v is empty, allocating m if needed.
func setList(m map[string][]string, lang string, v []string) map[string][]string {
	if len(v) == 0 {
		return m
	}
	if m == nil {
		m = map[string][]string{}
	}
	m[lang] = v
	return m
}
