package spec

import _ "embed"

// Schema is the JSON Schema (draft 2020-12) of the experiment file, for
// editors: experiment files that start with
//
//	# yaml-language-server: $schema=../spec/experiment.schema.json
//
// are validated and completed as they are typed. The loader, not the schema,
// is the authority: it checks more (names used, shapes, ranges' values).
//
//go:embed experiment.schema.json
var Schema []byte
