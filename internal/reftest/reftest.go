// Package reftest reads the reference values in testdata/ref that tests
// compare against: values computed outside the project, each file written
// by the script beside it.
package reftest

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Func is one case of testdata/ref/funcs.csv (gen_funcs.py: mpmath at 120
// or more digits): a registry function with its parameters at X, its value
// and first three derivatives.
type Func struct {
	Name       string
	ParamText  string // as written in the file: "0.2", "1;2"
	Params     []float64
	X          float64
	Value      float64
	D1, D2, D3 float64
}

// Funcs reads the registry references from path (testdata/ref/funcs.csv).
func Funcs(path string) ([]Func, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	var out []Func
	for i, r := range rows[1:] {
		c := Func{Name: r[0], ParamText: r[1]}
		if r[1] != "" {
			for _, p := range strings.Split(r[1], ";") {
				v, err := strconv.ParseFloat(p, 64)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: parameter %q: %v", path, i+2, p, err)
				}
				c.Params = append(c.Params, v)
			}
		}
		for k, dst := range []*float64{&c.X, &c.Value, &c.D1, &c.D2, &c.D3} {
			if *dst, err = strconv.ParseFloat(r[2+k], 64); err != nil {
				return nil, fmt.Errorf("%s:%d: column %d: %v", path, i+2, 3+k, err)
			}
		}
		out = append(out, c)
	}
	return out, nil
}
