/* gen_accounts.c — writes a CRM-like account export for the benchmarks.
 *
 *   gen_accounts ROWS [FILE]      (FILE default: standard output)
 *
 * 12 columns, as a CRM account export has them: Account ID, Account Name,
 * Account Owner, Industry, City, Country, Employees, Annual Revenue, Phone,
 * Website, Created Date, Description.  CR LF line ends.  Some fields are
 * quoted: names with a comma ("Acme, Inc.") or with quotes, grouped
 * numbers ("1,200", "$1,234,567.50"), descriptions with commas, doubled
 * quotes and, now and then, a line break.  Amounts use a decimal point
 * throughout, in the formats exports mix: 1234567.50, "$1,234,567.50",
 * 9.9213206E7, or empty.
 *
 * Deterministic: row i depends on i only, so the same ROWS gives the same
 * bytes, and a shorter file is a prefix of a longer one.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* A uniform number in [0, n). */
static unsigned pick(uint64_t *s, unsigned n)
{
	return (unsigned)(splitmix(s) % n);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const first_words[] = {
	"Acme", "Northwind", "Contoso", "Globex", "Initech", "Umbrella", "Stark", "Wayne",
	"Tyrell", "Cyberdyne", "Soylent", "Hooli", "Vandelay", "Wonka", "Gringotts", "Oceanic",
	"Blue Ridge", "Silver Lake", "Red Rock", "Granite", "Harbor", "Summit", "Pioneer",
	"Evergreen", "Lakeside", "Redwood", "Atlas", "Beacon", "Cascade", "Delta", "Falcon",
	"Keystone", "Liberty", "Meridian", "Nova", "Orion", "Pinnacle", "Quantum", "Sterling",
	"Triton", "Unity", "Vertex", "Westfield", "Zenith", "Müller", "Søren", "Café Léon",
	"Østerberg", "Zürich", "Łódź",
};
static const char *const second_words[] = {
	"Widgets", "Traders", "Logistics", "Systems", "Foods", "Industries", "Pharma", "Motors",
	"Analytics", "Consulting", "Holdings", "Energy", "Textiles", "Robotics", "Supply",
	"Partners", "Manufacturing", "Software", "Health", "Retail", "Construction", "Chemicals",
	"Media", "Aerospace", "Marine", "Foods & Beverages", "Paper", "Steel", "Optics", "Labs",
};
static const char *const legal[] = {
	"", "", "", "", "Inc.", "LLC", "Ltd", "GmbH", "S.A.", "AG", "Co.", "Corp.",
};
static const char *const owners[] = {
	"Jane Doe", "John Smith", "María García", "Wei Zhang", "Aisha Khan", "Lars Nilsen",
	"Chloé Martin", "Kenji Sato", "Olga Petrova", "David Cohen", "Fatima Al-Sayed",
	"Tom O'Brien", "Priya Patel", "Lucas Silva", "Emma Brown", "Noah Wilson", "Ava Jones",
	"Liam Miller", "Sofia Rossi", "Mateo López", "Hannah Schmidt", "Yuki Tanaka",
	"Omar Haddad", "Ingrid Berg", "Pierre Dubois", "Anna Kowalska", "Ravi Iyer",
	"Grace Kim", "Ethan Davis", "Mia Fischer",
};
static const char *const industries[] = {
	"Agriculture", "Apparel", "Banking", "Biotechnology", "Chemicals", "Communications",
	"Construction", "Consulting", "Education", "Electronics", "Energy", "Engineering",
	"Entertainment", "Environmental", "Finance", "Food & Beverage", "Government",
	"Healthcare", "Hospitality", "Insurance", "Machinery", "Manufacturing", "Media",
	"Not For Profit", "Recreation", "Retail", "Shipping", "Technology",
	"Telecommunications", "Transportation", "Utilities", "Other",
};
static const struct {
	const char *city, *country, *phone_cc;
} places[] = {
	{ "New York", "United States", "+1" },     { "Chicago", "United States", "+1" },
	{ "San Francisco", "United States", "+1" }, { "Austin", "United States", "+1" },
	{ "Toronto", "Canada", "+1" },             { "Mexico City", "Mexico", "+52" },
	{ "São Paulo", "Brazil", "+55" },          { "London", "United Kingdom", "+44" },
	{ "Manchester", "United Kingdom", "+44" }, { "Dublin", "Ireland", "+353" },
	{ "Paris", "France", "+33" },              { "Lyon", "France", "+33" },
	{ "Berlin", "Germany", "+49" },            { "München", "Germany", "+49" },
	{ "Zürich", "Switzerland", "+41" },        { "Wien", "Austria", "+43" },
	{ "Madrid", "Spain", "+34" },              { "Milano", "Italy", "+39" },
	{ "Amsterdam", "Netherlands", "+31" },     { "Bruxelles", "Belgium", "+32" },
	{ "København", "Denmark", "+45" },         { "Stockholm", "Sweden", "+46" },
	{ "Oslo", "Norway", "+47" },               { "Helsinki", "Finland", "+358" },
	{ "Warszawa", "Poland", "+48" },           { "Praha", "Czech Republic", "+420" },
	{ "Tokyo", "Japan", "+81" },               { "Singapore", "Singapore", "+65" },
	{ "Sydney", "Australia", "+61" },          { "Auckland", "New Zealand", "+64" },
	{ "Mumbai", "India", "+91" },              { "Dubai", "United Arab Emirates", "+971" },
	{ "Johannesburg", "South Africa", "+27" }, { "Seoul", "South Korea", "+82" },
	{ "Washington, D.C.", "United States", "+1" },
};
static const char *const phrases[] = {
	"Key account", "renewal due in Q3", "prefers quarterly invoicing",
	"met at the trade show", "expanding to two new sites", "price sensitive",
	"long sales cycle", "decision by committee", "strong relationship with the CFO",
	"uses a competitor for consumables", "pilot project running", "asked for a demo",
	"budget approved", "procurement via tender", "new purchasing manager",
	"multi-year framework agreement", "ships from three warehouses",
	"EDI ordering, net 60", "seasonal demand peaks in spring", "referral from partner",
};
static const char *const quoted_bits[] = {
	"calls us \"the reliable ones\"", "wants a \"single source\" deal",
	"\"gold\" tier since 2019", "project \"Phoenix\" on hold",
};

struct out {
	FILE *fp;
	char buf[4096];
	size_t n;
};

static void put(struct out *o, const char *s)
{
	size_t len = strlen(s);
	if (o->n + len >= sizeof o->buf) {
		fwrite(o->buf, 1, o->n, o->fp);
		o->n = 0;
	}
	memcpy(o->buf + o->n, s, len);
	o->n += len;
}

/* Writes s as a CSV field: quoted, quotes doubled, when it needs it. */
static void field(struct out *o, const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n")) {
		char q[1024];
		size_t k = 0;
		q[k++] = '"';
		for (const char *p = s; *p && k < sizeof q - 3; p++) {
			if (*p == '"')
				q[k++] = '"';
			q[k++] = *p;
		}
		q[k++] = '"';
		q[k] = '\0';
		put(o, q);
	} else {
		put(o, s);
	}
	put(o, last ? "\r\n" : ",");
}

/* v with a comma every three digits. */
static void grouped(char *buf, size_t n, uint64_t v)
{
	char t[32];
	int len = snprintf(t, sizeof t, "%" PRIu64, v), k = 0;
	for (int i = 0; i < len && (size_t)k + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = t[i];
	}
	buf[k] = '\0';
}

static void row(struct out *o, uint64_t i)
{
	uint64_t s = i * 0x2545F4914F6CDD1DULL + 12345;
	char b[1024], t[512];
	unsigned place = pick(&s, N(places));

	snprintf(b, sizeof b, "ACC-%07" PRIu64, i + 1);
	field(o, b, 0);

	const char *w1 = first_words[pick(&s, N(first_words))];
	const char *w2 = second_words[pick(&s, N(second_words))];
	const char *lg = legal[pick(&s, N(legal))];
	if (pick(&s, 50) == 0)
		snprintf(b, sizeof b, "The \"%s\" %s", w1, w2);
	else if (*lg && pick(&s, 2))
		snprintf(b, sizeof b, "%s %s, %s", w1, w2, lg);
	else
		snprintf(b, sizeof b, "%s %s%s%s", w1, w2, *lg ? " " : "", lg);
	field(o, b, 0);

	field(o, owners[pick(&s, N(owners))], 0);
	field(o, industries[pick(&s, N(industries))], 0);
	field(o, places[place].city, 0);
	field(o, places[place].country, 0);

	/* Employees: log-spread from 1 to ~200,000; a quarter grouped. */
	uint64_t emp = 1;
	for (unsigned k = pick(&s, 18); k; k--)
		emp = emp * 2 + pick(&s, 2);
	if (emp >= 1000 && pick(&s, 4) == 0)
		grouped(b, sizeof b, emp);
	else
		snprintf(b, sizeof b, "%" PRIu64, emp);
	field(o, b, 0);

	/* Annual revenue in cents: ~200 per employee-dollar, spread. */
	uint64_t cents = (emp * (50000 + pick(&s, 400000))) * 100 + pick(&s, 100);
	unsigned fmt = pick(&s, 20);
	if (fmt < 2) {
		b[0] = '\0';
	} else if (fmt < 12) {
		snprintf(b, sizeof b, "%" PRIu64 ".%02u", cents / 100, (unsigned)(cents % 100));
	} else if (fmt < 18) {
		grouped(t, sizeof t, cents / 100);
		snprintf(b, sizeof b, "$%s.%02u", t, (unsigned)(cents % 100));
	} else {
		uint64_t whole = cents / 100; /* as some CRMs write whole amounts */
		snprintf(b, sizeof b, "%.7E", (double)whole);
	}
	field(o, b, 0);

	snprintf(b, sizeof b, "%s %03u %03u %04u", places[place].phone_cc, 200 + pick(&s, 800),
		 pick(&s, 1000), pick(&s, 10000));
	field(o, b, 0);

	char host[128];
	size_t h = 0;
	for (const char *p = w1; *p && h < 40; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
			host[h++] = (char)(*p | 0x20);
	for (const char *p = w2; *p && h < 80; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
			host[h++] = (char)(*p | 0x20);
	host[h] = '\0';
	snprintf(b, sizeof b, "%s%s.com", pick(&s, 2) ? "https://www." : "www.", host);
	field(o, b, 0);

	snprintf(b, sizeof b, "%04u-%02u-%02uT%02u:%02u:%02u.000Z", 2005 + pick(&s, 20),
		 1 + pick(&s, 12), 1 + pick(&s, 28), pick(&s, 24), pick(&s, 60), pick(&s, 60));
	field(o, b, 0);

	/* Description: half empty; else phrases joined by ", " or "; ". */
	b[0] = '\0';
	if (pick(&s, 2)) {
		unsigned np = 1 + pick(&s, 4);
		size_t k = 0;
		for (unsigned j = 0; j < np; j++) {
			const char *ph = pick(&s, 12) == 0 ? quoted_bits[pick(&s, N(quoted_bits))]
							   : phrases[pick(&s, N(phrases))];
			const char *sep = j == 0 ? "" : pick(&s, 30) == 0 ? "\n" : pick(&s, 2) ? ", " : "; ";
			k += (size_t)snprintf(b + k, sizeof b - k, "%s%s", sep, ph);
		}
	}
	field(o, b, 1);
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fputs("usage: gen_accounts ROWS [FILE]\n", stderr);
		return 2;
	}
	char *end;
	errno = 0;
	unsigned long long rows = strtoull(argv[1], &end, 10);
	if (errno || *end || end == argv[1]) {
		fprintf(stderr, "gen_accounts: bad row count '%s'\n", argv[1]);
		return 2;
	}
	struct out o = { .fp = argc == 3 ? fopen(argv[2], "wb") : stdout };
	if (!o.fp) {
		fprintf(stderr, "gen_accounts: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	static char iobuf[1 << 20];
	setvbuf(o.fp, iobuf, _IOFBF, sizeof iobuf);
	put(&o, "Account ID,Account Name,Account Owner,Industry,City,Country,Employees,"
		"Annual Revenue,Phone,Website,Created Date,Description\r\n");
	for (uint64_t i = 0; i < rows; i++)
		row(&o, i);
	fwrite(o.buf, 1, o.n, o.fp);
	if (fflush(o.fp) != 0 || ferror(o.fp) || (o.fp != stdout && fclose(o.fp) != 0)) {
		fprintf(stderr, "gen_accounts: write failed: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
