// Package claims checks a user's own derivative (a hand derivation, a manual
// backward pass, another program's gradient) against the exact one, and
// says how a wrong claim is wrong.
//
// It knows nothing of YAML, files or reports: the caller hands it plain
// matrices (or, for a scalar derivative, the points x with the claimed and
// exact values there) and gets back plain values.
//
// # Agreement
//
// [Check] compares element by element: a claim agrees when, for every
// element,
//
//	|claimed − exact| ≤ Atol + Rtol·|exact|
//
// (defaults Rtol = 1e-9, Atol = 1e-12). claim_error is |claimed − exact|
// per element. A NaN or infinite claim never agrees; neither does any claim
// where the exact value is not finite. A claim of the wrong shape is a
// failed claim naming both shapes — never a panic and never an invalid file.
//
// # Diagnosis
//
// [Diagnose] applies the rules below in this order; the first that fires
// gives the [Diagnosis]. Each rule is a small function in the table
// matrixRules.
//
//  1. agrees: the claim is right; nothing to diagnose.
//  2. shape: the shapes differ. Then, in order: the claim is exactᵀ
//     (transpose); the claim is exact summed over its rows (a 1×n claim) or
//     its columns (an m×1 claim) (summed: "forgot to broadcast?"); the claim
//     repeats a 1×n or m×1 exact gradient over the rows or columns
//     (broadcast); the claim summed over an axis equals exact (unsummed:
//     "forgot to sum?"); otherwise both shapes are named.
//  3. non-finite: some claimed elements are NaN or infinite.
//  4. zero: the claim is zero wherever it is compared, the exact gradient is
//     not.
//  5. sign and factor: every element is claimed = c·exact (elements where
//     both are about zero are skipped). c is rounded to the significant
//     digits on which the smallest and largest per-element ratio agree (at
//     most 12), so "10", not "9.999999999999998". c = −1 is reported as a
//     flipped sign. When |c| or 1/|c| equals one of the caller's named
//     dimensions (e.g. "the rows of X" = 10), the diagnosis names it: the
//     gradient of a sum where the loss takes a mean (|c| = n), or of a mean
//     where the loss takes a sum (1/|c| = n). A claim of a single element
//     is called a factor only when c is −1, a named dimension or its
//     inverse, or a whole number up to 100 or its inverse; otherwise any
//     wrong scalar would be "a factor".
//  6. transpose: a square claim equals exactᵀ.
//  7. kinks: every disagreeing element is one the caller marked as a kink,
//     where the derivative is not defined and the exact value is a
//     convention.
//  8. elements: how many elements disagree out of how many, and the worst
//     few.
//
// [DiagnosePoints] does the same for a scalar derivative sampled at points
// x: a length mismatch, then zero, sign and factor, and otherwise the
// regions of x where the claim fails, as intervals ("fails for x in
// [-3, -0.5] and [2, 3]; right elsewhere").
//
// Every [Diagnosis] carries a one-line Summary (for stderr), a short
// Markdown paragraph (for the report) and machine fields (Kind, Factor,
// Dims, Axis, Regions) for the caller's own use.
package claims
