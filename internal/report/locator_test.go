package report

import (
	"sort"
	"strings"
	"testing"
)

func TestLocatorsSortAsTheirNumbers(t *testing.T) {
	if len(locatorDigits) != len(codeAlphabet) {
		t.Fatalf("locator digits %q are not the code alphabet %q", locatorDigits, codeAlphabet)
	}
	for _, c := range codeAlphabet {
		if !strings.ContainsRune(locatorDigits, c) {
			t.Fatalf("%c is in the code alphabet but not a locator digit", c)
		}
	}
	var prev string
	for id := int64(1); id < locatorSpace; id++ {
		l := locator(id)
		if l <= prev {
			t.Fatalf("locator(%d) = %s does not sort after locator(%d) = %s", id, l, id-1, prev)
		}
		prev = l
	}
	if locator(locatorSpace) != locator(0) || locator(locatorSpace+7) != locator(7) {
		t.Fatal("locators do not wrap at 22^4")
	}
	if !sort.StringsAreSorted([]string{locator(21), locator(22), locator(23)}) {
		t.Fatal("locators across a carry do not sort")
	}
}
