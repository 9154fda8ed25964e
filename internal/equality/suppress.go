package equality

import "fmt"

// suppressor withholds counts below the threshold (but above zero) and
// records what it withheld and why.
type suppressor struct {
	threshold int
	withheld  []Suppression
}

func (s *suppressor) tooFew() string {
	return fmt.Sprintf("The number is fewer than %d, which could identify people.", s.threshold)
}

// revealing is why a figure that is not small itself is withheld.
const revealing = "Withheld because it would let a hidden number be worked out."

func (s *suppressor) small(n int) bool { return n > 0 && n < s.threshold }

func (s *suppressor) withhold(what, why string) {
	s.withheld = append(s.withheld, Suppression{What: what, Why: why})
}

// count withholds a single count when it is small.
func (s *suppressor) count(what, label string, n int) Count {
	if s.small(n) {
		s.withhold(what, label+": "+s.tooFew())
		return Count{Suppressed: true}
	}
	return Count{N: n}
}

// node is a count in a table whose parts are shown too: a total and its
// breakdown, or a subtotal and its parts.
type node struct {
	what, label string
	raw         int
	hidden      bool
	secondary   bool
	children    []*node
}

// suppressTree withholds small counts in a tree of totals and their parts,
// then withholds more until no hidden count can be worked out by
// subtraction: wherever counts are hidden under a total, they must add up
// to at least the threshold, and a hidden total must have at least that
// much hidden beneath it. Each round hides the smallest shown part above
// zero, which keeps as much as possible on show.
func (s *suppressor) suppressTree(root *node) {
	var all []*node
	var walk func(n *node)
	walk = func(n *node) {
		all = append(all, n)
		if s.small(n.raw) {
			n.hidden = true
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(root)
	for changed := true; changed; {
		changed = false
		for _, n := range all {
			if len(n.children) == 0 {
				continue
			}
			hiddenSum, anyShown := 0, false
			for _, c := range n.children {
				if c.hidden {
					hiddenSum += c.raw
				} else if c.raw > 0 {
					anyShown = true
				}
			}
			safe := hiddenSum == 0 || hiddenSum >= s.threshold
			if n.hidden {
				safe = hiddenSum >= s.threshold || hiddenSum == n.raw
			}
			if safe || !anyShown {
				continue
			}
			var next *node
			for _, c := range n.children {
				if !c.hidden && c.raw > 0 && (next == nil || c.raw < next.raw) {
					next = c
				}
			}
			next.hidden, next.secondary, changed = true, true, true
		}
	}
	for _, n := range all {
		switch {
		case n.what == "":
			// A copy of a total recorded in another tree.
		case n.secondary:
			s.withhold(n.what, n.label+": "+revealing)
		case n.hidden:
			s.withhold(n.what, n.label+": "+s.tooFew())
		}
	}
}

// shown is the node's count as it may be shown.
func (n *node) shown() Count {
	if n.hidden {
		return Count{Suppressed: true}
	}
	return Count{N: n.raw}
}

// leaves makes a node per option with its count.
func leaves(prefix string, opts []Option, counts map[string]int) []*node {
	out := make([]*node, len(opts))
	for i, o := range opts {
		out[i] = &node{what: prefix + "." + o.Key, label: o.Label, raw: counts[o.Key]}
	}
	return out
}

// toRows turns nodes back into rows, with labels from opts.
func toRows(opts []Option, nodes []*node) []Row {
	out := make([]Row, len(nodes))
	for i, n := range nodes {
		out[i] = Row{Key: opts[i].Key, Label: opts[i].Label, Count: n.shown()}
	}
	return out
}
