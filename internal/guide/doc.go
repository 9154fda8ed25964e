// Package guide is the engine for versioned, data-driven decision-support
// guides such as NHS Improvement's "A just culture guide" (2018). It is
// pure: it parses bytes, validates them and walks answers, with no other
// I/O, no database and no HTTP.
//
// # Definitions
//
// A guide is a JSON document of tests, each holding yes/no questions, and
// end points with their recommended actions. Every question routes its
// "yes" and its "no" to another question or to an end point by id;
// questions are asked in the order the routing gives, not file order.
// A small example:
//
//	{
//	  "id": "example-guide",
//	  "version": 1,
//	  "title": "Example guide",
//	  "source": "Who wrote it and what it is based on (optional).",
//	  "summary": "What it is for (optional).",
//	  "cautions": ["Rules of use shown before anyone starts (optional)."],
//	  "start": "q1",
//	  "tests": [
//	    {"id": "harm", "title": "Harm test", "questions": [
//	      {"id": "q1", "text": "Was harm intended?", "help": "Optional guidance.",
//	       "yes": "act", "no": "q2"},
//	      {"id": "q2", "text": "Was the protocol workable?", "yes": "act", "no": "learn"}
//	    ]}
//	  ],
//	  "end_points": [
//	    {"id": "act", "title": "Act", "individual_action": "likely",
//	     "supports_formal_action": true, "summary": "What this means.",
//	     "actions": ["Follow guidance."],
//	     "system_learning": "System learning still applies."},
//	    {"id": "learn", "title": "Learn", "individual_action": "unlikely",
//	     "supports_formal_action": false, "summary": "What this means.",
//	     "actions": ["Improve the system."],
//	     "system_learning": "System learning still applies."}
//	  ]
//	}
//
// Fields:
//
//   - id: the guide's id, lowercase letters, digits, '.', '_' and '-'.
//   - version: a whole number from 1; a guide is identified by id and
//     version, and a changed definition needs a new version.
//   - title (required), source, summary: text. cautions: a list of text.
//   - start: the id of the first question.
//   - tests: a non-empty list of {id, title, questions}; questions is a
//     non-empty list of {id, text, help, yes, no}, help being optional.
//   - end_points: a non-empty list of {id, title, individual_action,
//     supports_formal_action, summary, actions, system_learning}, all
//     required. individual_action is "likely", "may_not_be_appropriate"
//     or "unlikely"; supports_formal_action says whether reaching the end
//     point can support formal action against the individual, and must be
//     false when individual action is unlikely.
//
// Ids of tests, questions and end points use letters, digits, '.', '_'
// and '-', and are unique across all three kinds, ignoring case.
//
// # Validation
//
// Parse decodes strictly (unknown fields, duplicate keys, wrong types,
// nulls and trailing data are refused) and then checks the routing: start
// names a question; every target exists; there are no cycles; every
// question and every end point can be reached from the start; every path
// from the start finishes at an end point. Sizes are bounded (see
// MaxDefinitionBytes, MaxQuestions and the other limits). Every problem
// found is reported as a ValidationError naming the place, for example
//
//	question "3b": "yes" goes to "9z", which is neither a question nor an end point
//
// # Walking
//
// Walk takes a complete set of answers, each with a reason, and returns
// the end point reached and the path taken; Next supports asking one
// question per page. Errors about answers implement AnswerError and name
// the question concerned.
//
// # Built-in guides
//
// Builtin returns the guides that ship with the product, embedded from the
// definitions directory: "nhs-just-culture-2018", NHS Improvement's just
// culture guide (2018) reworded in plain English, with questions 1a to 5a
// and end points A to G. Guide.Raw and Guide.Checksum let a recorded
// assessment keep and prove the exact definition it used.
package guide
