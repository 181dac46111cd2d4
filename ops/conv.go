package ops

import "math"

// pads are conv2d's padding parameters: ph rows and pw columns (pw, when
// not given, is ph).
func pads(p []float64) (ph, pw int) {
	ph = int(p[0])
	pw = ph
	if !math.IsNaN(p[1]) {
		pw = int(p[1])
	}
	return ph, pw
}

// conv is the cross-correlation of X, padded with zeros, with K:
// out[i,j] = Σₐ,ᵦ Xp[i+a, j+b]·K[a,b], Xp[u,v] = X[u−ph, v−pw] inside X
// and 0 outside.
func conv(c *Ctx, X, K Mat, p []float64) Mat {
	ph, pw := pads(p)
	out := c.New(X.R+2*ph-K.R+1, X.C+2*pw-K.C+1)
	for i := 0; i < out.R; i++ {
		for j := 0; j < out.C; j++ {
			var s float64
			for a := 0; a < K.R; a++ {
				u := i + a - ph
				if u < 0 || u >= X.R {
					continue
				}
				for b := 0; b < K.C; b++ {
					if v := j + b - pw; v >= 0 && v < X.C {
						s += X.At(u, v) * K.At(a, b)
					}
				}
			}
			out.Set(i, j, s)
		}
	}
	return out
}

// convBack is conv2d's vector-Jacobian product: with G = ∂L/∂out,
// ∂L/∂X[u,v] = Σ G[i,j]·K[u+ph−i, v+pw−j] and ∂L/∂K[a,b] = Σ G[i,j]·Xp[i+a, j+b].
func convBack(c *Ctx, k *Call, in []Mat, _, g Mat, needs []bool) ([]Mat, []Mat) {
	X, K := in[0], in[1]
	ph, pw := pads(k.Params)
	gs := zeros(c, needs, in)
	dx, dk := gs[0], gs[1]
	for i := 0; i < g.R; i++ {
		for j := 0; j < g.C; j++ {
			gv := g.At(i, j)
			for a := 0; a < K.R; a++ {
				u := i + a - ph
				if u < 0 || u >= X.R {
					continue
				}
				for b := 0; b < K.C; b++ {
					v := j + b - pw
					if v < 0 || v >= X.C {
						continue
					}
					if dx.Data != nil {
						dx.Set(u, v, dx.At(u, v)+gv*K.At(a, b))
					}
					if dk.Data != nil {
						dk.Set(a, b, dk.At(a, b)+gv*X.At(u, v))
					}
				}
			}
		}
	}
	return gs, nil
}

// reshaped is m's elements, row-major, as an r×c matrix.
func reshaped(c *Ctx, m Mat, r, cols int) Mat {
	out := c.New(r, cols)
	for k := 0; k < m.R*m.C; k++ {
		out.Data[k] = m.At(k/m.C, k%m.C)
	}
	return out
}
