package synth

import "strings"

// The word lists are the raw material of the generated news. They are
// long enough, together with the made-up names of names.go, that the index
// sees a few thousand distinct terms with a long tail of rare ones, as a
// real archive does; a handful of repeated words would make every posting
// list either huge or empty and the measurements meaningless.

func fields(s string) []string { return strings.Fields(s) }

var firstNames = fields(`James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara
Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony Betty Mark Margaret
Donald Sandra Steven Ashley Paul Kimberly Andrew Emily Joshua Donna Kenneth Michelle Kevin Carol Brian Amanda
George Melissa Edward Deborah Ronald Stephanie Timothy Rebecca Jason Laura Jeffrey Sharon Ryan Cynthia Jacob
Kathleen Gary Amy Nicholas Shirley Eric Angela Jonathan Helen Stephen Anna Larry Brenda Justin Pamela Scott
Nicole Brandon Samantha Benjamin Katherine Samuel Christine Gregory Debra Frank Rachel Alexander Carolyn
Raymond Janet Patrick Maria Jack Heather Dennis Diane Jerry Julie Tyler Joyce Aaron Victoria Jose Kelly Adam
Christina Nathan Lauren Henry Joan Douglas Evelyn Zachary Olivia Peter Judith Kyle Megan Ahmed Fatima Olena
Dmitro Yulia Andriy Svitlana Mohammed Aisha Hamid Leila Omar Nadia Ravi Priya Arjun Ananya Wei Mei Hiroshi
Yuki Kenji Sakura Carlos Lucia Diego Sofia Mateo Valentina Pierre Amelie Lukas Hanna Jonas Ingrid Lars Astrid
Kwame Ama Chidi Ngozi Tariq Yasmin Emre Elif Goran Milena Pavel Katya Tomasz Agnieszka Istvan Zsofia`)

var surnames = fields(`Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez
Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera
Campbell Mitchell Carter Roberts Kovalenko Shevchenko Bondarenko Tkachenko Melnyk Kravchenko Petrenko Novak
Horvath Kowalski Nowak Wisniewski Muller Schmidt Schneider Fischer Weber Meyer Wagner Becker Hoffmann Dubois
Moreau Laurent Lefebvre Rossi Russo Ferrari Esposito Bianchi Romano Tanaka Suzuki Takahashi Watanabe Ito
Yamamoto Nakamura Kobayashi Kato Chen Wang Zhang Liu Yang Huang Zhao Wu Zhou Sun Patel Sharma Singh Kumar Gupta
Reddy Iyer Khan Ahmadi Hosseini Karimi Rahimi Haddad Nasser Mansour Okafor Mensah Adeyemi Balogun Kiprono Mwangi
Ochieng Diallo Traore Silva Santos Oliveira Souza Pereira Costa Almeida Andersson Johansson Karlsson Nilsson
Larsen Hansen Jensen Nielsen Virtanen Korhonen Papadopoulos Georgiou Yilmaz Kaya Demir Sahin Ivanov Popov
Volkov Sokolov Lebedev Kuznetsov Petrov Horvat Kovacevic Babic Jovanovic Nikolic Markovic Balkhi Qureshi`)

// titles come before a name: "Defense Minister Jane Doe said".
var titles = fields(`Minister President Governor Mayor Senator Ambassador General Commissioner Chancellor
Professor Director Chairman Chairwoman Secretary Inspector Judge Colonel Captain Councillor Spokesperson`)

var ministries = fields(`Defense Finance Health Education Energy Transport Agriculture Interior Justice Trade
Labor Environment Culture Tourism Housing Industry Infrastructure Communications Fisheries Veterans`)

var countries = fields(`Ukraine Russia Poland Germany France Italy Spain Portugal Britain Ireland Norway Sweden
Finland Denmark Estonia Latvia Lithuania Belarus Moldova Romania Hungary Austria Switzerland Belgium Netherlands
Greece Turkey Georgia Armenia Azerbaijan Kazakhstan Uzbekistan Afghanistan Pakistan India Nepal Bangladesh China
Japan Korea Vietnam Thailand Indonesia Malaysia Philippines Australia Canada Mexico Brazil Argentina Chile Peru
Colombia Venezuela Ecuador Bolivia Egypt Libya Tunisia Algeria Morocco Nigeria Ghana Kenya Ethiopia Somalia Sudan
Uganda Tanzania Zambia Angola Iran Iraq Syria Jordan Lebanon Israel Yemen Qatar Oman Kuwait Serbia Croatia Bosnia
Albania Slovakia Slovenia Bulgaria Cyprus Iceland Mongolia`)

var cities = fields(`Kyiv Kharkiv Odesa Lviv Dnipro Warsaw Krakow Berlin Hamburg Munich Paris Lyon Marseille Rome
Milan Naples Madrid Barcelona Lisbon London Manchester Dublin Oslo Stockholm Helsinki Copenhagen Tallinn Riga
Vilnius Minsk Bucharest Budapest Vienna Geneva Zurich Brussels Amsterdam Rotterdam Athens Ankara Istanbul Tbilisi
Yerevan Baku Almaty Tashkent Kabul Islamabad Karachi Lahore Delhi Mumbai Chennai Kathmandu Dhaka Beijing Shanghai
Tokyo Osaka Seoul Hanoi Bangkok Jakarta Manila Sydney Melbourne Toronto Montreal Vancouver Chicago Houston Denver
Boston Seattle Atlanta Miami Dallas Phoenix Detroit Washington Brasilia Santiago Lima Bogota Caracas Quito Cairo
Tripoli Tunis Algiers Rabat Lagos Abuja Accra Nairobi Mombasa Khartoum Kampala Tehran Baghdad Damascus Amman
Beirut Doha Muscat Belgrade Zagreb Sarajevo Tirana Sofia Reykjavik`)

var sources = fields(`StoryWire Courier Ledger Dispatch Herald Sentinel Tribune Gazette Chronicle Observer
Bulletin Monitor Examiner Beacon Record`)

// orgKinds head institutional names: "the Northern Grain Council".
var orgKinds = fields(`Council Agency Commission Authority Union Federation Institute Association Committee
Bureau Board Alliance Foundation Coalition Office Service Court Assembly Network Group`)

var orgAdjectives = fields(`National Regional Federal Northern Southern Eastern Western Central Independent
International United Joint Public Civil Metropolitan Coastal Rural Interim`)

// nouns are the everyday vocabulary of news, singular; plural forms are
// derived with plural.
var nouns = fields(`budget election ceasefire vaccine pipeline harvest tariff pension reform strike protest
treaty sanction loan subsidy deficit surplus inflation wage contract merger lawsuit verdict appeal investigation
inquiry audit report survey census border checkpoint corridor convoy shipment cargo port harbor airport runway
railway highway bridge tunnel dam reservoir river coastline flood drought wildfire earthquake storm hurricane
heatwave blackout outage grid reactor turbine refinery factory plant mine quarry warehouse hospital clinic school
university campus library museum stadium theater festival exhibition concert market exchange currency bond
stock share dividend profit revenue forecast estimate target quota license permit visa passport refugee migrant
asylum citizen resident voter candidate campaign ballot referendum parliament senate assembly cabinet coalition
opposition minister ministry official spokesman negotiator diplomat envoy delegation summit conference meeting
talks agreement deal proposal plan strategy policy law bill amendment regulation decree order ban moratorium
deadline schedule timetable delay shortage surplus supply demand price cost fee tax levy fine penalty compensation
grant fund donation aid relief assistance package stimulus program project initiative scheme network platform
system database server software app device sensor satellite rocket launch mission spacecraft telescope laboratory
experiment trial study research discovery patent innovation startup company firm bank lender insurer retailer
supplier manufacturer carrier airline shipper farmer worker union employer teacher nurse doctor surgeon patient
student pilot driver soldier officer commander troop brigade battalion unit drone missile tank artillery shell
fighter jet warship submarine base garrison frontline offensive counteroffensive retreat advance siege attack
raid strike explosion blast fire rescue evacuation shelter curfew lockdown quarantine outbreak epidemic pandemic
infection case death injury casualty victim survivor witness suspect defendant prosecutor judge jury court tribunal
prison sentence arrest detention bail hearing testimony evidence document archive record memo letter email
statement announcement interview speech address broadcast channel newspaper magazine journalist editor reporter
photographer camera footage video image photo map chart graph figure number percentage rate ratio index average
majority minority crowd population community village town city district province region county state territory
capital neighborhood suburb street square avenue building tower apartment house home family child parent teenager
generation youth elder community volunteer charity church mosque temple monastery cemetery monument memorial
anniversary holiday weekend season winter spring summer autumn morning evening night century decade era
water electricity gas oil coal fuel diesel gasoline steel copper aluminum lithium cobalt grain wheat corn rice
sugar coffee cocoa cotton timber fertilizer pesticide livestock cattle poultry fishery forest park wildlife
species habitat climate emission carbon pollution waste recycling plastic battery vehicle truck bus train ferry
ship tanker container bicycle scooter road lane parking traffic accident collision crash derailment landslide
avalanche volcano tsunami typhoon cyclone tornado blizzard frost rainfall temperature record milestone breakthrough
setback failure success victory defeat loss gain risk threat danger warning alert concern fear hope doubt
criticism praise support opposition resistance pressure tension dispute conflict crisis war peace security
safety stability recovery growth recession slowdown downturn boom rally slump debt credit mortgage rent tenant
landlord property estate land plot acreage border fence wall gate barrier`)

// verbs are transitive news verbs, base form; past and third-person forms
// are derived, with the irregular ones in irregularPast.
var verbs = fields(`approve reject announce launch delay postpone cancel suspend resume extend expand reduce cut
raise lower increase double halve freeze unfreeze block sign ratify veto endorse oppose support fund finance
build repair rebuild demolish close reopen open inspect investigate audit review revise publish release leak
unveil present submit propose draft adopt amend repeal enforce impose lift ease tighten relax restrict allow
permit ban deploy withdraw evacuate relocate rescue protect defend attack target capture recapture seize
destroy damage restore secure guard patrol monitor track detect intercept shoot arrest detain charge convict
acquit sentence release pardon hire dismiss appoint nominate elect replace promote recruit train equip supply
deliver ship export import purchase sell acquire merge sue settle negotiate mediate broker host visit tour
inaugurate celebrate commemorate honor criticize condemn praise welcome question challenge dispute confirm
deny document record measure estimate calculate forecast predict test trial develop design manufacture produce
process distribute donate allocate transfer invest borrow lend repay refinance restructure privatize nationalize
regulate license certify register inspect vaccinate treat diagnose screen`)

var irregularPast = map[string]string{
	"build": "built", "rebuild": "rebuilt", "cut": "cut", "sell": "sold", "shoot": "shot", "lend": "lent",
	"lift": "lifted", "seize": "seized", "ship": "shipped",
	"ban": "banned", "permit": "permitted", "target": "targeted", "equip": "equipped", "refinance": "refinanced",
	"patrol": "patrolled", "acquit": "acquitted", "veto": "vetoed",
	"freeze": "froze", "unfreeze": "unfroze",
}

var adjectives = fields(`new major key final first second large small modest significant massive sweeping
temporary permanent emergency national regional local federal rural urban coastal northern southern eastern
western central foreign domestic public private military civilian economic political financial legal medical
environmental industrial agricultural digital nuclear renewable strategic controversial ambitious costly cheap
expensive rapid slow sudden gradual unexpected long-awaited delayed disputed contested widespread limited
partial full joint bilateral multilateral annual monthly weekly daily historic unprecedented record critical
urgent fragile stable volatile uncertain steady sharp steep mild severe heavy light fresh renewed revised
preliminary official unofficial independent cross-border overseas offshore underground elevated interim
provisional landmark flagship pilot experimental secret classified transparent`)

// participles open a trailing clause; none is a speech verb, so the
// annotator does not mistake the clause for a statement.
var participles = fields(`prompting leaving forcing drawing sparking fueling easing deepening disrupting
affecting delaying boosting`)

var prepositions = fields(`near outside across along beyond inside around behind`)

var weekdays = fields(`Monday Tuesday Wednesday Thursday Friday Saturday Sunday`)

var dayParts = fields(`morning afternoon evening night`)

// quoteOpeners and quoteClosers frame what a speaker says in their own
// words; the middle is generated.
var quoteOpeners = []string{
	"We will", "We cannot", "Our priority is to", "Nobody expected us to", "It is time to",
	"The government must", "We are ready to", "I have asked my team to", "We have no choice but to",
	"People deserve to know why we", "This is not the moment to", "We intend to",
}

var quoteVerdicts = []string{
	"This is a %s day for %s", "The %s is a warning to %s", "Nobody should underestimate the %s facing %s",
	"The situation remains %s for %s", "What happened is a %s lesson for %s",
}
