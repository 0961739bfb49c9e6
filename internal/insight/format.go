package insight

import (
	"fmt"
	"io"
)

// Formats are the export formats by file extension, each with its media
// type: the API's exports and the office's downloads offer the same.
var Formats = map[string]string{
	"csv":  "text/csv; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// Write writes the table in format, an extension of Formats (WriteCSV or
// WriteXLSX); another format is an error.
func Write(w io.Writer, format string, t Table) error {
	switch format {
	case "csv":
		return WriteCSV(w, t)
	case "xlsx":
		return WriteXLSX(w, t)
	}
	return fmt.Errorf("write export: no format %q", format)
}
