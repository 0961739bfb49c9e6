package taxonomy

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
)

// The data ships inside the binary: users clone the project, not the shared
// data folder, and the server must not depend on a file next to it.
//
//go:embed esco/taxonomy.jsonl.gz
var taxonomyGz []byte

//go:embed translations_bg.json
var translationsBG []byte

// record is one line of taxonomy.jsonl.gz. All record types share it; the
// "t" field says which fields are set.
type record struct {
	T         string              `json:"t"`
	URI       string              `json:"uri"`
	Code      string              `json:"code"`
	Parent    string              `json:"parent"`
	ISCO      string              `json:"isco"`
	Type      string              `json:"type"`
	Reuse     string              `json:"reuse"`
	Label     map[string]string   `json:"label"`
	Alt       map[string][]string `json:"alt"`
	Hidden    map[string][]string `json:"hidden"`
	Desc      map[string]string   `json:"desc"`
	Broader   []string            `json:"broader"`
	Col       []string            `json:"col"`
	Related   [][]string          `json:"related"` // [uri, "essential"|"optional"]
	Essential []string            `json:"essential"`
	Optional  []string            `json:"optional"`
	Matches   []struct {
		URI string `json:"uri"`
		Rel string `json:"rel"`
	} `json:"matches"`

	// meta
	Attribution    string `json:"attribution"`
	ModifiedNotice string `json:"modified_notice"`
	Licence        string `json:"licence"`
}

// Load decodes the embedded taxonomy, adds the project's Bulgarian skill
// labels and builds the autocomplete indexes. It takes a few hundred
// milliseconds; call it once at start and share the result.
func Load() (*Taxonomy, error) {
	t, err := decode(bytes.NewReader(taxonomyGz))
	if err != nil {
		return nil, fmt.Errorf("load taxonomy: %w", err)
	}
	if err := t.applyProjectLabels(translationsBG); err != nil {
		return nil, fmt.Errorf("load taxonomy: %w", err)
	}
	t.buildIndexes()
	return t, nil
}

// decode reads gzipped JSON lines into a Taxonomy, without indexes.
//
// Decoding JSON is most of Load's time, so the lines are decoded in
// batches by one worker per CPU while the gzip stream is still being read;
// the records are then stored in file order, so the result is the same on
// every start.
func decode(r io.Reader) (*Taxonomy, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("open gzip: %w", err)
	}
	defer zr.Close()

	batches := make(chan batch)
	var (
		mu      sync.Mutex
		decoded [][]record
		errs    []error
		wg      sync.WaitGroup
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for b := range batches {
				recs, err := b.decode()
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				}
				if len(decoded) <= b.seq {
					decoded = append(decoded, make([][]record, b.seq+1-len(decoded))...)
				}
				decoded[b.seq] = recs
				mu.Unlock()
			}
		})
	}
	readErr := splitBatches(zr, batchBytes, batches)
	close(batches)
	wg.Wait()
	if err := errors.Join(append(errs, readErr)...); err != nil {
		return nil, err
	}

	t := newTaxonomy()
	n := 0
	for _, recs := range decoded {
		for i := range recs {
			n++
			if err := t.add(&recs[i]); err != nil {
				return nil, fmt.Errorf("record %d: %w", n, err)
			}
		}
	}
	if t.attribution.Text == "" {
		return nil, errors.New("no meta record with the ESCO attribution")
	}
	t.linkNKPD()
	return t, nil
}

// linkNKPD collects, per occupation, the titles of NKPD positions that are
// an exact or close match. Broad and narrow matches are left out: they
// name a wider or narrower job and would make search imprecise.
func (t *Taxonomy) linkNKPD() {
	t.occNKPD = make([][]string, len(t.occs))
	for _, code := range sortedKeys(t.nkpd) {
		p := t.nkpd[code]
		for _, m := range p.Matches {
			if m.Relation != "exactMatch" && m.Relation != "closeMatch" {
				continue
			}
			if r, ok := t.byID[m.ID]; ok && r.kind == kindOccupation && p.Label != "" {
				t.occNKPD[r.i] = append(t.occNKPD[r.i], p.Label)
			}
		}
	}
}

// batch is a run of consecutive JSON lines.
type batch struct {
	seq   int
	first int    // line number of the first line, for error messages
	data  []byte // whole lines, each ending in a newline except maybe the last
}

const batchBytes = 256 << 10

// splitBatches reads r in blocks of about size bytes, cut after the last
// complete line so that no line is split across batches, and sends them.
func splitBatches(r io.Reader, size int, out chan<- batch) error {
	var carry []byte
	line := 1
	for seq := 0; ; seq++ {
		buf := make([]byte, len(carry), len(carry)+size)
		copy(buf, carry)
		n, err := io.ReadFull(r, buf[len(carry):cap(buf)])
		buf = buf[:len(carry)+n]
		done := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !done {
			return fmt.Errorf("read after line %d: %w", line, err)
		}
		cut := len(buf)
		if !done {
			cut = bytes.LastIndexByte(buf, '\n') + 1
			if cut == 0 { // a line longer than a batch: read on until it ends
				carry = buf
				continue
			}
		}
		carry = buf[cut:]
		if cut > 0 {
			out <- batch{seq: seq, first: line, data: buf[:cut]}
			line += bytes.Count(buf[:cut], []byte{'\n'})
		}
		if done {
			return nil
		}
	}
}

func (b batch) decode() ([]record, error) {
	recs := make([]record, 0, bytes.Count(b.data, []byte{'\n'})+1)
	line := b.first
	for l := range bytes.Lines(b.data) {
		if l = bytes.TrimSpace(l); len(l) > 0 {
			recs = append(recs, record{})
			if err := json.Unmarshal(l, &recs[len(recs)-1]); err != nil {
				return nil, fmt.Errorf("decode line %d: %w", line, err)
			}
		}
		line++
	}
	return recs, nil
}

func newTaxonomy() *Taxonomy {
	return &Taxonomy{
		skills:      make([]Skill, 0, 14000),
		groups:      make([]Group, 0, 640),
		occs:        make([]Occupation, 0, 3010),
		skillHidden: make([]map[string][]string, 0, 14000),
		occHidden:   make([]map[string][]string, 0, 3010),
		byID:        make(map[string]ref, 17600),
		byURI:       make(map[string]ref, 17600),
		isco:        make(map[string]ISCOGroup, 620),
		nkpd:        make(map[string]NKPDPosition, 5410),
	}
}

// add stores one decoded record. Unknown record types are skipped so that
// a newer data file with extra record types still loads.
func (t *Taxonomy) add(rec *record) error {
	switch rec.T {
	case "meta":
		t.attribution = Attribution{Text: rec.Attribution, Modified: rec.ModifiedNotice, Licence: rec.Licence}
	case "isco":
		t.isco[rec.Code] = ISCOGroup{Code: rec.Code, URI: rec.URI, Parent: rec.Parent, Labels: rec.Label}
	case "nkpd":
		t.nkpd[rec.Code] = toNKPD(rec)
	case "sgroup":
		return t.register(rec.URI, ref{kindGroup, int32(len(t.groups))}, func() {
			t.groups = append(t.groups, Group{
				ID: idOf(rec.URI), URI: rec.URI, Code: rec.Code, Labels: rec.Label, Broader: idsOf(rec.Broader),
			})
		})
	case "skill":
		return t.register(rec.URI, ref{kindSkill, int32(len(t.skills))}, func() {
			t.skills = append(t.skills, toSkill(rec))
			t.skillHidden = append(t.skillHidden, rec.Hidden)
		})
	case "occ":
		return t.register(rec.URI, ref{kindOccupation, int32(len(t.occs))}, func() {
			t.occs = append(t.occs, toOccupation(rec))
			t.occHidden = append(t.occHidden, rec.Hidden)
		})
	}
	return nil
}

// register checks that the id and URI are new before storing the concept.
// Skills, groups and occupations share one id space so that Label and
// Ancestors can take any of them; ESCO ids are unique across all three
// (UUIDs, and ISCED-F codes for some groups), and a collision would mean
// the data changed shape, so it fails loudly instead of merging concepts.
func (t *Taxonomy) register(uri string, r ref, store func()) error {
	id := idOf(uri)
	if id == "" {
		return fmt.Errorf("concept without uri")
	}
	if _, dup := t.byID[id]; dup {
		return fmt.Errorf("duplicate id %q (uri %s)", id, uri)
	}
	t.byID[id] = r
	t.byURI[uri] = r
	store()
	return nil
}

func toSkill(rec *record) Skill {
	s := Skill{
		ID: idOf(rec.URI), URI: rec.URI, Type: rec.Type, Reuse: rec.Reuse,
		Labels: rec.Label, AltLabels: rec.Alt, Groups: idsOf(rec.Broader),
		Collections: rec.Col, Description: rec.Desc,
		LabelSources: make(map[string]string, len(rec.Label)+1),
	}
	for lang := range rec.Label {
		s.LabelSources[lang] = SourceESCO
	}
	if len(rec.Related) > 0 {
		s.Related = make([]string, 0, len(rec.Related))
		for _, rel := range rec.Related {
			if len(rel) > 0 {
				s.Related = append(s.Related, idOf(rel[0]))
			}
		}
	}
	return s
}

func toOccupation(rec *record) Occupation {
	return Occupation{
		ID: idOf(rec.URI), URI: rec.URI, ISCO: rec.ISCO, Code: rec.Code,
		Labels: rec.Label, AltLabels: rec.Alt, Description: rec.Desc,
		Essential: idsOf(rec.Essential), Optional: idsOf(rec.Optional),
	}
}

func toNKPD(rec *record) NKPDPosition {
	p := NKPDPosition{Code: rec.Code, ISCO: rec.ISCO, Label: rec.Label["bg"]}
	p.Matches = make([]NKPDMatch, len(rec.Matches))
	for i, m := range rec.Matches {
		p.Matches[i] = NKPDMatch{ID: idOf(m.URI), URI: m.URI, Relation: m.Rel}
	}
	return p
}

// idOf returns the public id of an ESCO URI: its last path segment.
// The result shares memory with the URI, which the Taxonomy keeps anyway.
func idOf(uri string) string {
	return uri[strings.LastIndexByte(uri, '/')+1:]
}

func idsOf(uris []string) []string {
	if len(uris) == 0 {
		return nil
	}
	ids := make([]string, len(uris))
	for i, u := range uris {
		ids[i] = idOf(u)
	}
	return ids
}

// projectLabels is the shape of translations_bg.json.
type projectLabels struct {
	Lang   string `json:"lang"`
	Skills []struct {
		URI   string   `json:"uri"`
		Label string   `json:"label"`
		Alt   []string `json:"alt"`
	} `json:"skills"`
}

// applyProjectLabels adds the project's own translations. Entries for URIs
// not in the data are skipped: a data update may retire a skill, and the
// tests report such entries instead of failing every server start.
func (t *Taxonomy) applyProjectLabels(data []byte) error {
	var pl projectLabels
	if err := json.Unmarshal(data, &pl); err != nil {
		return fmt.Errorf("decode project translations: %w", err)
	}
	if pl.Lang == "" {
		return errors.New("project translations: no lang")
	}
	for _, e := range pl.Skills {
		r, ok := t.byURI[e.URI]
		if !ok || r.kind != kindSkill || e.Label == "" {
			continue
		}
		s := &t.skills[r.i]
		if src := s.LabelSources[pl.Lang]; src == SourceESCO || src == SourceImport {
			continue // never override ESCO's own words
		}
		s.setLabels(pl.Lang, e.Label, e.Alt, SourceProject)
	}
	return nil
}

// setLabels replaces the labels of s in one language. The maps may be nil
// (not every skill has alternative labels), or shared with an earlier copy
// handed out by Skill; Apply documents that it runs before serving.
func (s *Skill) setLabels(lang, label string, alt []string, source string) {
	if s.Labels == nil {
		s.Labels = map[string]string{}
	}
	if s.AltLabels == nil {
		s.AltLabels = map[string][]string{}
	}
	if s.LabelSources == nil {
		s.LabelSources = map[string]string{}
	}
	s.Labels[lang] = label
	if len(alt) > 0 {
		s.AltLabels[lang] = alt
	} else {
		delete(s.AltLabels, lang)
	}
	s.LabelSources[lang] = source
}
