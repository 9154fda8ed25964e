// Package equality computes the equality measures of employee-relations
// casework and the board's oversight figures: WRES indicator 3 (the relative
// likelihood of ethnic minority staff entering a formal disciplinary
// investigation compared with white staff) and WDES metric 3 (the relative
// likelihood of disabled staff entering the formal capability process
// compared with non-disabled staff), from the cases and the people
// directory, with small numbers suppressed and a data-quality note beside
// every ratio. It reads; it never changes a case.
package equality
