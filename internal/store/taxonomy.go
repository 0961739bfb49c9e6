package store

import (
	"context"
	"fmt"

	"github.com/careget/skillsmatch/internal/taxonomy"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// TaxonomyLabels keeps labels imported from official ESCO CSV downloads,
// keyed by concept URI and language, so every replica applies them at start.
type TaxonomyLabels struct{ c Collection }

// TaxonomyLabels returns the imported-labels collection.
func (s *Store) TaxonomyLabels() TaxonomyLabels {
	return TaxonomyLabels{s.Collection("taxonomy_labels", "taxonomy label")}
}

type labelSetDoc struct {
	ID          string   `bson:"_id"` // lang + " " + URI
	URI         string   `bson:"uri"`
	Lang        string   `bson:"lang"`
	Preferred   string   `bson:"preferred"`
	Alt         []string `bson:"alt,omitempty"`
	Hidden      []string `bson:"hidden,omitempty"`
	Description string   `bson:"description,omitempty"`
}

// Save upserts the label sets.
func (t TaxonomyLabels) Save(ctx context.Context, sets []taxonomy.LabelSet) error {
	for _, s := range sets {
		id := s.Lang + " " + s.URI
		err := t.c.Put(ctx, id, labelSetDoc{ID: id, URI: s.URI, Lang: s.Lang, Preferred: s.Preferred, Alt: s.Alt, Hidden: s.Hidden, Description: s.Description})
		if err != nil {
			return fmt.Errorf("save label %s: %w", id, err)
		}
	}
	return nil
}

// All returns every imported label set; read once at start-up.
func (t TaxonomyLabels) All(ctx context.Context) ([]taxonomy.LabelSet, error) {
	var out []taxonomy.LabelSet
	err := t.c.Scan(ctx, nil, func(cur *mongo.Cursor) error {
		var d labelSetDoc
		if err := cur.Decode(&d); err != nil {
			return err
		}
		out = append(out, taxonomy.LabelSet{URI: d.URI, Lang: d.Lang, Preferred: d.Preferred, Alt: d.Alt, Hidden: d.Hidden, Description: d.Description})
		return nil
	})
	return out, err
}
