// Package actions tracks improvement actions: the concrete changes that come
// out of a learning response or straight from a patient safety event (a new
// stock check, a redesigned wristband process, a fixed buzzer). Each action
// has one owner, a due date and a status (open, in progress, done or
// cancelled), and may link to a safety event and to a learning response.
//
// Who may see and change an action: the patient safety team sees and changes
// every action; the owner (any active user, a line manager included) sees
// their own and may move it between open, in progress and done, recording
// evidence of completion. Nobody else sees an action at all, and an action
// they may not see is reported as not existing. Only the patient safety team
// creates actions, edits their title, description, owner, due date and links,
// cancels them (with a reason) and reopens closed ones.
//
// Dates: "today" is the date in England. A new action cannot be due in the
// past, and an existing action's due date cannot be moved into the past; an
// action may still become overdue, and stays overdue until it is done,
// cancelled or given a new date. Completing an action needs evidence of
// completion; cancelling needs a reason. The evidence column holds the
// closing note: the evidence for a done action, the reason for a cancelled
// one.
//
// Reminders: RunReminders, run by the background job on every replica, sends
// the owner a reminder three days before the due date ("due_soon") and, from
// the day after the due date, an escalation to the owner and every active
// member of the patient safety team ("overdue"). Each is an in-app notice and
// an email carrying only the title, the due date and a link. Each fires
// exactly once per action and due date, however many replicas run at once: a
// notice is claimed by inserting its (action, kind) key into action_notices
// in the same transaction that sends it. Moving the due date clears the
// claims so that the new date is reminded about too.
//
// Every change is written to the audit log in the same transaction.
package actions
