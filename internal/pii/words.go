package pii

import "strings"

// set builds a lookup set from space-separated lower-case words.
func set(words ...string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words {
		for _, f := range strings.Fields(w) {
			m[f] = true
		}
	}
	return m
}

// givenNames holds common given names in the UK, in lower case.
var givenNames = set(
	// English, and common across the UK
	`olivia amelia isla ava mia emily sophia sophie lily freya ella chloe charlotte jessica evie isabella
	isabelle alice phoebe evelyn harriet hannah lucy megan molly rebecca sarah laura emma rachel claire clare
	helen karen julie susan linda patricia margaret elizabeth mary anne ann jane janet joanne nicola michelle
	lisa kelly amanda angela tracey tracy donna deborah debbie carol caroline catherine katherine kate katie
	kathleen victoria vicky gemma samantha natalie jennifer jenny louise lauren amy zoe abigail bethany
	eleanor leah paige shannon joan dorothy doris edith ethel irene jean joyce maureen pauline sandra sheila
	shirley valerie wendy yvonne brenda barbara beverley christine diane gillian heather jacqueline jill
	judith lorraine lynn marie mandy paula rosemary ruth sally tina theresa teresa anna maria natasha
	stephanie sharon denise alison elaine jayne hayley leanne stacey danielle charlene florence alexandra
	oliver george harry noah jacob leo oscar charlie arthur alfie freddie archie henry theo thomas joshua
	william james daniel samuel joseph benjamin edward alexander lucas ethan isaac dylan adam luke matthew
	ryan liam callum connor jamie kieran lewis aaron nathan owen john david michael paul peter andrew
	richard robert stephen steven christopher chris anthony tony kevin brian gary ian alan martin simon
	philip phil neil keith graham colin trevor barry derek terry roger geoffrey kenneth dennis raymond
	ronald roy leslie norman stanley harold albert alfred ernest frederick walter arnold bernard
	douglas patrick timothy jonathan nicholas nick jason darren wayne carl scott shaun ben sam tom tim
	joe dan jim jimmy steve dave mike pete andy harvey louis toby reuben elliot elliott jake kyle tyler
	mason logan finley riley bradley joel josh luca gabriel elijah rory dominic hugo sebastian felix`,
	// Welsh, Scottish and Irish
	`rhiannon sian cerys ffion seren carys bethan nia gwen angharad lowri eira siobhan niamh aoife ciara
	sinead roisin orla maeve saoirse eilidh mhairi kirsty fiona morag catriona ailsa iona rhys gareth
	dafydd gethin iwan emyr huw aled geraint llewelyn ieuan cai osian hamish angus alasdair alistair
	fraser euan ewan calum ruaridh finlay murray duncan craig stuart stewart gordon malcolm graeme niall
	ciaran cian oisin padraig sean seamus eoin declan conor darragh brendan colm fergus cormac ronan`,
	// South Asian
	`priya anjali aisha ayesha fatima zainab maryam amina khadija sana nadia farah aaliyah hafsa noor
	yasmin shabnam rukhsana nasreen parveen shazia samina saima asma sunita anita geeta gita meera neha
	pooja kavita rekha lakshmi deepa divya shreya ananya simran harpreet gurpreet manpreet jaspreet kiran
	navdeep amrit rajinder sukhwinder baljit raj rajesh ravi sanjay vijay amit anil sunil ashok arjun
	rohan rahul vikram suresh ramesh mahesh dinesh ajay deepak nikhil aarav krishna harjit jaswinder
	kuldeep gurdeep mandeep muhammad mohammed mohammad mohamed ahmed ali hassan hussain omar yusuf
	ibrahim bilal imran tariq zain arif asif khalid rashid faisal usman waqar shahid zahid nadeem naveed
	sajid abdul aziz hamza ayaan rayan farhan adnan kamran irfan junaid shoaib sohail tahir tanvir rafiq
	rahim rizwan salma nazia rubina shamima taslima rahima`,
	// West African
	`adebayo adewale adeola ayodele babatunde oluwaseun olusegun temitope tope folake funmilayo funmi
	yetunde bukola abimbola adaeze chiamaka chidi chinedu chinonso chukwuemeka emeka ngozi nneka obinna
	uche ifeoma ikechukwu kelechi kwame kofi kwabena kwaku akosua abena efua esi adwoa yaw kojo femi
	segun tunde dapo seun chioma ebere amaka nkechi oluwatobi tobi damilola tolu kemi bisi`,
	// Caribbean
	`leroy delroy winston desmond clive errol marcia sonia hyacinth claudette marlene jermaine tyrone
	andre dwayne kareem keisha shanice tanisha latoya althea lorna merle everton lloyd neville
	marcus curtis`,
	// Polish and Eastern European
	`agnieszka katarzyna kasia magdalena magda malgorzata joanna aleksandra monika ewa zofia krystyna
	dorota marta justyna natalia paulina karolina piotr krzysztof tomasz pawel marcin michal jakub kamil
	lukasz mateusz grzegorz wojciech andrzej marek szymon bartosz dariusz rafal maciej mariusz ionut
	andrei elena ioana mihai alexandru florin irina olga svetlana tatiana oksana yulia dmitri sergei
	vasile gheorghe`,
	// Chinese romanisations
	`wei jing xiao jie ming hui mei hong jun hao xin fang ling yun qing xiaoming yan`,
	// Filipino, Keralan, Somali, Turkish, Arabic and others
	`rowena maricel jocelyn rosario reynaldo jomon binu bincy anju reshma smitha sheeba abdi hodan
	fadumo hawa ayan mehmet mustafa emre elif zeynep leyla layla mariam moshe yosef chaim rivka`,
	// Also ordinary words or places; see ambiguousNames.
	`grace hope faith joy may june april august will bill mark rose amber dawn frank guy jack pat sue ruby
	jade summer holly ivy rowan hazel iris daisy poppy robin angel jay kerry devon jordan georgia precious
	blessing patience christian max jan lee dean kim ken rob jo ama carlton courtney`,
)

// ambiguousNames are given names that are also ordinary words, months or
// places. They count as names after a title, before a surname, or after a
// trigger word, but not alone.
var ambiguousNames = set(`grace hope faith joy may june april august will bill mark rose amber dawn frank guy
	jack pat sue ruby jade summer holly ivy rowan hazel iris daisy poppy robin angel jay kerry devon jordan
	georgia precious blessing patience christian max jan lee dean kim ken rob jo ama carlton courtney
	victoria florence`)

// months and days are never the first word of a name.
var calendar = set(`january february march april may june july august september october november december
	jan feb mar apr jun jul aug sep sept oct nov dec
	monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun`)

// placeWords end a ward, unit, hospital or place name: a run of capitalised
// words directly before one of them (in any case) is not a person's name.
var placeWords = set(`ward wards unit units hospital hospitals infirmary hospice centre center clinic clinics
	surgery practice suite theatre theatres building wing block floor site campus trust foundation
	university college school academy house lodge court hall road street lane avenue close way drive
	crescent terrace gardens park square place green hill row station line bridge estate village town
	city county district bay department dept service services team teams board group partnership
	pharmacy library chapel ground annexe pavilion tower garden`)

// stopWords can never be part of a name: roles, places, organisations,
// calendar words, common clinical acronyms and function words.
var stopWords = set(`nhs trust ae a&e icu itu hdu ccu amu sau mau cdu ed edu scbu nicu picu ot opd ct mri gp gps
	ecg cpr dnacpr dnar resus iv im sc news news2 sbar ipc pals psirf datix ssi uti vte copd chf ckd
	mdt aar swarm psii hca hcas rn rmn rgn fy1 fy2 sho spr cns anp acp odp
	nurse nurses sister matron doctor doctors consultant consultants registrar registrars practitioner
	practitioners manager managers lead leads director officer assistant assistants worker workers
	support staff porter porters physio physiotherapist therapist therapists midwife midwives guardian
	paramedic paramedics pharmacist surgeon anaesthetist anaesthetics coordinator co-ordinator
	charge head deputy senior junior student students trainee chief executive medical surgical
	royal general community mental health maternity emergency acute day night shift bed beds room
	side lounge office reception lab laboratory radiology imaging orthopaedics orthopaedic cardiology
	oncology paediatrics paediatric renal respiratory stroke elderly care safety patient patients
	learning review report response meeting huddle handover round rounds call bleep rota policy
	incident incidents event events risk risks harm falls fall pressure ulcer sepsis escalation
	men women ladies gentlemen people family families children child adult adults baby babies
	the a an and or but of in on at to for from by with as is was were be been has had have
	this that these those it its he she they we i you his her their our my your who which what when
	where why how not no yes all any some each every one two three four five first second third
	then than there here also after before during while until since if so very more most`,
	`north south east west upper lower new old great little saint st mount`,
)

// titles come before a name: "Dr Patel", "Sister Okafor".
var titles = set(`mr mrs ms miss mx dr prof professor sister nurse matron sr doctor`)

// triggers are lower-case words after which a lone given name is taken as a
// name even when it is also an ordinary word: "the patient Grace".
var triggers = set(`patient patients called named colleague colleagues nurse doctor hca carer relative
	daughter son wife husband partner mother father mum dad brother sister friend student registrar
	consultant midwife porter paramedic manager asked told informed contacted phoned rang`)

// triggerPairs are phrases after which a lone given name is taken as a
// name: "known as Grace", "handed over to Will".
var triggerPairs = set() // filled in init

func init() {
	for _, p := range []string{"known as", "spoke to", "spoken to", "talked to", "handed over to"} {
		triggerPairs[p] = true
	}
}

// prefixes make the capitalised run that follows a place or institution:
// "Queen Elizabeth", "St Mary's", "the John Radcliffe".
var prefixes = set(`the st saint queen king prince princess royal lady sir mount port fort lake`)
