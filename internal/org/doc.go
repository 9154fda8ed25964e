// Package org is the organisation: its sites, the departments (wards, teams,
// departments and services) within them, the national staff groups and the
// people who work there, with their line managers and equality monitoring
// data.
//
// A Directory reads and changes all of these. Every change is validated
// (problems come back as validate.Errors keyed by snake_case field name) and
// written in one transaction with its audit entry. Audit details never hold
// equality monitoring values.
//
// People arrive in bulk from the Electronic Staff Record (ESR) as a CSV
// export: Import checks every row before storing any, reports each problem
// with the physical line number of its row, and applies the good rows in one
// transaction. Headcount counts the people employed on a date by site,
// department, staff group, ethnic group or category, or disability: the
// denominators of the WRES and WDES ratios.
//
// This package has no HTTP and no globals; the web and API layers call it.
package org
