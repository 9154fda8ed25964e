package org

import "testing"

func TestParseEthnicOrigin(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"A", "A", true},
		{"a", "A", true},
		{"A White - British", "A", true},
		{"White - British", "A", true},
		{"White British", "A", true},
		{"B White - Irish", "B", true},
		{"C2 White - Northern Irish", "C", true},
		{"White - Any other White background", "C", true},
		{"D Mixed - White & Black Caribbean", "D", true},
		{"Mixed - White and Asian", "F", true},
		{"Asian or Asian British - Indian", "H", true},
		{"Pakistani", "J", true},
		{"M Black or Black British - Caribbean", "M", true},
		{"Black or Black British - African", "N", true},
		{"Other Ethnic Groups - Chinese", "R", true},
		{"S Other Ethnic Groups - Any other ethnic group", "S", true},
		{"Z Not Stated", "Z", true},
		{"Not Stated", "Z", true},
		{"Prefer not to say", "Z", true},
		{"", "", true},
		{"Not known", "", true},
		{"Unknown", "", true},
		{"99 Not Known", "", true},
		{"Martian", "", false},
		{"Q", "", false},
		{"I Something", "", false},
	}
	for _, tt := range tests {
		got, ok := parseEthnicOrigin(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseEthnicOrigin(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseDisability(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"Yes", "yes", true}, {"Y", "yes", true}, {"no", "no", true}, {"N", "no", true},
		{"Prefer not to say", "prefer_not_to_say", true}, {"Prefer Not To Answer", "prefer_not_to_say", true},
		{"Not Declared", "", true}, {"", "", true}, {"Unknown", "", true},
		{"Sometimes", "", false},
	}
	for _, tt := range tests {
		got, ok := parseDisability(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseDisability(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseESRDate(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"27/03/2024", "2024-03-27", true},
		{"1/2/2010", "2010-02-01", true},
		{"2024-03-27", "2024-03-27", true},
		{"27-MAR-2024", "2024-03-27", true},
		{"27/03/2024 00:00:00", "2024-03-27", true},
		{"31/02/2024", "", false},
		{"03/27/2024", "", false},
		{"27/03/24", "", false},
		{"01/01/1850", "", false},
		{"soon", "", false},
	}
	for _, tt := range tests {
		got, ok := parseESRDate(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseESRDate(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
