package casework

// Labels for the values people choose from. Stored values never change;
// labels are what people read, in plain English.

// EntryAccess is the system entry written when the employee is given, or
// loses, read access to their own case timeline.
const EntryAccess = "access"

// EntryParty is the system entry written when someone is named in a case, or
// taken off it.
const EntryParty = "party"

// Types lists the case types with labels.
func Types() []Option {
	return []Option{
		{Value: string(Disciplinary), Label: "Disciplinary", Hint: "A concern about conduct"},
		{Value: string(Grievance), Label: "Grievance", Hint: "A concern or complaint raised by the employee"},
		{Value: string(BullyingHarassment), Label: "Bullying and harassment"},
		{Value: string(CapabilityPerformance), Label: "Capability (performance)", Hint: "Support to reach the standard the role needs"},
		{Value: string(CapabilityIllHealth), Label: "Capability (ill health)", Hint: "Health affecting the ability to do the role"},
		{Value: string(SicknessAbsence), Label: "Sickness absence"},
		{Value: string(Appeal), Label: "Appeal", Hint: "An appeal against the outcome of a closed case"},
		{Value: string(EmploymentTribunal), Label: "Employment tribunal", Hint: "A claim made to an employment tribunal"},
	}
}

// TypeLabel is the label of a case type.
func TypeLabel(t Type) string { return optionLabel(Types(), string(t)) }

// validType reports whether t is a known case type.
func validType(t Type) bool { return validOption(Types(), string(t)) }

// StatusLabel is the label of a case status.
func StatusLabel(s Status) string {
	switch s {
	case EarlyConcern:
		return "Early concern"
	case Formal:
		return "Formal"
	case Closed:
		return "Closed"
	}
	return string(s)
}

// Outcomes lists the outcomes with labels.
func Outcomes() []Option {
	return []Option{
		{Value: string(NoCaseToAnswer), Label: "No case to answer"},
		{Value: string(InformalResolution), Label: "Resolved informally", Hint: "For example through a conversation, mediation or a restorative meeting"},
		{Value: string(FirstWrittenWarning), Label: "First written warning"},
		{Value: string(FinalWrittenWarning), Label: "Final written warning"},
		{Value: string(Dismissal), Label: "Dismissal"},
		{Value: string(OtherOutcome), Label: "Another outcome", Hint: "Say what it was"},
	}
}

// OutcomeLabel is the label of an outcome.
func OutcomeLabel(o Outcome) string { return optionLabel(Outcomes(), string(o)) }

// sanction reports whether the outcome is a sanction, which only a formal
// process can reach.
func sanction(o Outcome) bool {
	return o == FirstWrittenWarning || o == FinalWrittenWarning || o == Dismissal
}

// PartyRoles lists the roles a party may hold.
func PartyRoles() []Option {
	return []Option{
		{Value: RoleInvestigator, Label: "Investigator"},
		{Value: RoleDecisionMaker, Label: "Decision maker", Hint: "Cannot be the investigator"},
		{Value: RoleWitness, Label: "Witness"},
		{Value: RoleManager, Label: "Manager"},
		{Value: RoleHRAdviser, Label: "HR adviser"},
		{Value: RoleUnionRep, Label: "Trade union representative", Hint: "Must hold the trade union representative role in candour"},
	}
}

// PartyRoleLabel is the label of a party role.
func PartyRoleLabel(role string) string { return optionLabel(PartyRoles(), role) }

// EntryKinds lists the timeline entry kinds a handler may add. A manager
// may add meetings, updates and reasons for delay; a representative adds
// only their own notes (see EntryKindsFor).
func EntryKinds() []Option {
	return []Option{
		{Value: EntryMeeting, Label: "Meeting"},
		{Value: EntryUpdate, Label: "Update given to the employee"},
		{Value: EntryDelay, Label: "Reason for a delay"},
		{Value: EntryDecision, Label: "Decision and its reasons"},
		{Value: EntryOHReferal, Label: "Occupational health referral"},
		{Value: EntryNote, Label: "HR note", Hint: "Seen only by HR. Never shown to the employee, the manager or the representative"},
	}
}

// EntryKindLabel is the label of any entry kind, including system ones.
func EntryKindLabel(kind string) string {
	switch kind {
	case EntryRepNote:
		return "Representative's note"
	case EntryOpened:
		return "Concern opened"
	case EntryChecklist:
		return "Checklist updated"
	case EntrySignOff:
		return "Checklist signed off"
	case EntryFormal:
		return "Became a formal case"
	case EntryStage:
		return "Stage"
	case EntryAssigned:
		return "Handlers changed"
	case EntryRep:
		return "Representative"
	case EntrySuspension:
		return "Suspension"
	case EntryClosed:
		return "Case closed"
	case EntryDocument:
		return "Document added"
	case EntryAccess:
		return "Employee access"
	case EntryParty:
		return "People in the case"
	}
	return optionLabel(EntryKinds(), kind)
}

// LearningCategories lists process, policy and system.
func LearningCategories() []Option {
	return []Option{
		{Value: "process", Label: "Process", Hint: "How the case was run: timeliness, communication, support"},
		{Value: "policy", Label: "Policy", Hint: "What our policies say or leave out"},
		{Value: "system", Label: "System", Hint: "The conditions that led to the concern: staffing, training, equipment, culture"},
	}
}

// LearningCategoryLabel is the label of a learning category.
func LearningCategoryLabel(c string) string { return optionLabel(LearningCategories(), c) }

// DesignationOptions lists the designations with labels.
func DesignationOptions() []Option {
	return []Option{
		{Value: string(ERLead), Label: "Employee relations lead", Hint: "Must hold the HR role"},
		{Value: string(NonExecReviewer), Label: "Non-executive reviewer of suspensions", Hint: "Must hold the executive role"},
		{Value: string(StaffSideLead), Label: "Staff-side lead", Hint: "Must hold the trade union representative role"},
	}
}

// DesignationLabel is the label of a designation.
func DesignationLabel(d Designation) string { return optionLabel(DesignationOptions(), string(d)) }

func optionLabel(opts []Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

func validOption(opts []Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}
