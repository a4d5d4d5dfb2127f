/* profiles.c — header names of CRM and ERP exports, by profile and kind. */
#include "qpc/profiles.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "qpc/export.h"

static const char *const kind_names[IMPORT_KINDS] = { "accounts", "sales", "potential" };

static const struct {
	const char *name, *help;
	unsigned kinds; /* bit per import_kind */
} fields[F_FIELDS] = {
#define A (1u << IMPORT_ACCOUNTS)
#define S (1u << IMPORT_SALES)
#define P (1u << IMPORT_POTENTIAL)
	[F_NONE] = { "", "", 0 },
	[F_IGNORED] = { "ignore", "a column not to read", A | S | P },
	[F_EXTERNAL_ID] = { "external_id", "the account's id in the CRM", A | S | P },
	[F_NAME] = { "name", "the account's name", A | S | P },
	[F_OWNER] = { "owner", "the rep who owns the account", A },
	[F_SEGMENT] = { "segment", "segment or industry", A },
	[F_CITY] = { "city", "city", A },
	[F_COUNTRY] = { "country", "country", A },
	[F_EMPLOYEES] = { "employees", "number of employees", A },
	[F_ANNUAL_REVENUE] = { "annual_revenue", "the customer's own annual revenue", A },
	[F_CONTRACT_PARTNER] = { "contract_partner", "bound by a systems contract (yes/no)", A },
	[F_CONTRACT_VALUE] = { "contract_value", "the contract's annual value", A },
	[F_CONTRACT_SIGNED] = { "contract_signed", "the day the systems contract was signed", A },
	[F_CONTRACT_ENDS] = { "contract_ends", "the day the systems contract ends (not bound)", A },
	[F_REP_SHARE] = { "rep_share_estimate", "the rep's own estimate of our share (0.6, 60%)", A },
	[F_COST_TO_SERVE] = { "cost_to_serve", "yearly cost to serve the account", A },
	[F_SALES_12M] = { "sales_12m", "account-level sales over 12 months", A },
	[F_GP_12M] = { "gross_profit_12m", "account-level gross profit over 12 months", A },
	[F_NOTES] = { "notes", "free text", A },
	[F_ACCOUNT_TYPE] = { "account_type", "company or individual (individuals are skipped)", A },
	[F_DELETED] = { "deleted", "rows marked deleted are skipped", A | S },
	[F_DATE] = { "date", "the order, invoice or close date", S },
	[F_CATEGORY] = { "category", "the product category", S | P },
	[F_AMOUNT] = { "amount", "the line's amount (sales) or the QPC (potential)", S | P },
	[F_GROSS_PROFIT] = { "gross_profit", "the line's gross profit", S },
	[F_COST] = { "cost", "the line's cost (gross profit = amount - cost)", S },
	[F_LINE_ID] = { "line_id", "the line's own id, which makes re-imports exact", S },
	[F_QUANTITY] = { "quantity", "quantity, with unit_price when there is no amount", S },
	[F_UNIT_PRICE] = { "unit_price", "unit price, with quantity when there is no amount", S },
	[F_DISCOUNT] = { "discount", "discount fraction applied to unit_price x quantity", S },
	[F_WON] = { "won", "won or lost (only won deals are sales)", S },
	[F_BASIS] = { "basis", "how the QPC was found", P },
	[F_VERIFIED] = { "verified", "whether the QPC is verified (yes/no)", P },
	[F_MEASURED_ON] = { "measured_on", "when the QPC was measured", P },
	[F_MEASURED_BY] = { "measured_by", "who measured the QPC", P },
};

/* One header a profile knows: kinds it applies to, normalised header. */
struct entry {
	unsigned kinds;
	const char *header;
	enum import_field field;
};

struct profile {
	const char *name;
	const struct entry *entries;
	bool salesforce_ids, fill_down, verbatim_keys;
};

/* Names every export tends to use; every profile falls back on these. */
static const struct entry generic[] = {
	{ A | S | P, "externalid", F_EXTERNAL_ID },
	{ A | S | P, "customerid", F_EXTERNAL_ID },
	{ A | S | P, "customerno", F_EXTERNAL_ID },
	{ A | S | P, "customernumber", F_EXTERNAL_ID },
	{ A | S | P, "customercode", F_EXTERNAL_ID },
	{ A | S | P, "accountid", F_EXTERNAL_ID },
	{ A | S | P, "accountnumber", F_EXTERNAL_ID },
	{ A | S | P, "clientid", F_EXTERNAL_ID },
	{ A | S | P, "companyid", F_EXTERNAL_ID },
	{ A, "id", F_EXTERNAL_ID },
	{ A | S | P, "customername", F_NAME },
	{ A | S | P, "customer", F_NAME },
	{ A | S | P, "accountname", F_NAME },
	{ A | S | P, "account", F_NAME },
	{ A | S | P, "companyname", F_NAME },
	{ A | S | P, "company", F_NAME },
	{ A | S | P, "clientname", F_NAME },
	{ A | S | P, "client", F_NAME },
	{ A | P, "name", F_NAME },
	{ A, "owner", F_OWNER },
	{ A, "accountowner", F_OWNER },
	{ A, "salesrep", F_OWNER },
	{ A, "rep", F_OWNER },
	{ A, "salesperson", F_OWNER },
	{ A, "accountmanager", F_OWNER },
	{ A, "segment", F_SEGMENT },
	{ A, "industry", F_SEGMENT },
	{ A, "vertical", F_SEGMENT },
	{ A, "city", F_CITY },
	{ A, "town", F_CITY },
	{ A, "country", F_COUNTRY },
	{ A, "countryregion", F_COUNTRY },
	{ A, "employees", F_EMPLOYEES },
	{ A, "numberofemployees", F_EMPLOYEES },
	{ A, "headcount", F_EMPLOYEES },
	{ A, "annualrevenue", F_ANNUAL_REVENUE },
	{ A, "revenue", F_ANNUAL_REVENUE },
	{ A, "turnover", F_ANNUAL_REVENUE },
	{ A, "contractpartner", F_CONTRACT_PARTNER },
	{ A, "contractvalue", F_CONTRACT_VALUE },
	{ A, "contractsigned", F_CONTRACT_SIGNED },
	{ A, "contractsignedon", F_CONTRACT_SIGNED },
	{ A, "contractsigneddate", F_CONTRACT_SIGNED },
	{ A, "contractstart", F_CONTRACT_SIGNED },
	{ A, "contractstartdate", F_CONTRACT_SIGNED },
	{ A, "contractends", F_CONTRACT_ENDS },
	{ A, "contractend", F_CONTRACT_ENDS },
	{ A, "contractendson", F_CONTRACT_ENDS },
	{ A, "contractenddate", F_CONTRACT_ENDS },
	{ A, "repshareestimate", F_REP_SHARE },
	{ A, "costtoserve", F_COST_TO_SERVE },
	{ A, "sales12m", F_SALES_12M },
	{ A, "grossprofit12m", F_GP_12M },
	{ A, "notes", F_NOTES },
	{ A, "description", F_NOTES },
	{ A, "qpc", F_IGNORED },
	{ A, "share", F_IGNORED },
	{ A, "status", F_IGNORED },
	{ A, "qpcmeasuredon", F_IGNORED },
	{ A, "qpcverified", F_IGNORED },
	{ A | S, "deleted", F_DELETED },
	{ A | S, "isdeleted", F_DELETED },
	{ S | P, "date", F_DATE },
	{ S, "orderdate", F_DATE },
	{ S, "invoicedate", F_DATE },
	{ S, "closedate", F_DATE },
	{ S, "shipdate", F_DATE },
	{ S, "documentdate", F_DATE },
	{ S | P, "category", F_CATEGORY },
	{ S | P, "productcategory", F_CATEGORY },
	{ S | P, "productline", F_CATEGORY },
	{ S | P, "productgroup", F_CATEGORY },
	{ S | P, "amount", F_AMOUNT },
	{ S, "sales", F_AMOUNT },
	{ S, "revenue", F_AMOUNT },
	{ S, "netamount", F_AMOUNT },
	{ S, "linetotal", F_AMOUNT },
	{ S, "total", F_AMOUNT },
	{ S, "value", F_AMOUNT },
	{ P, "qpc", F_AMOUNT },
	{ P, "potential", F_AMOUNT },
	{ P, "capacity", F_AMOUNT },
	{ S, "profit", F_GROSS_PROFIT },
	{ S, "grossprofit", F_GROSS_PROFIT },
	{ S, "margin", F_GROSS_PROFIT },
	{ S, "cost", F_COST },
	{ S, "cogs", F_COST },
	{ S, "lineid", F_LINE_ID },
	{ S, "rowid", F_LINE_ID },
	{ S, "orderlineid", F_LINE_ID },
	{ S, "invoicelineid", F_LINE_ID },
	{ S, "quantity", F_QUANTITY },
	{ S, "qty", F_QUANTITY },
	{ S, "unitprice", F_UNIT_PRICE },
	{ S, "price", F_UNIT_PRICE },
	{ S, "discount", F_DISCOUNT },
	{ S, "won", F_WON },
	{ S, "iswon", F_WON },
	{ P, "basis", F_BASIS },
	{ P, "verified", F_VERIFIED },
	{ P, "measuredon", F_MEASURED_ON },
	{ P, "measuredby", F_MEASURED_BY },
	{ 0, NULL, F_NONE },
};

static const struct entry salesforce[] = {
	{ A, "id", F_EXTERNAL_ID },
	{ A, "accountid", F_EXTERNAL_ID },
	{ A, "ownerid", F_OWNER },
	{ A, "owneralias", F_OWNER },
	{ A, "ownername", F_OWNER },
	{ A, "billingcity", F_CITY },
	{ A, "billingcountry", F_COUNTRY },
	{ A, "type", F_IGNORED },
	{ A, "parentid", F_IGNORED },
	{ A, "masterrecordid", F_IGNORED },
	{ S, "id", F_LINE_ID },
	{ S, "opportunityid", F_LINE_ID },
	{ S, "accountid", F_EXTERNAL_ID },
	{ S, "accountname", F_NAME },
	{ S, "name", F_IGNORED }, /* the opportunity's name */
	{ S, "opportunityname", F_IGNORED },
	{ S, "closedate", F_DATE },
	{ S, "amount", F_AMOUNT },
	{ S, "expectedrevenue", F_IGNORED },
	{ S, "iswon", F_WON },
	{ S, "won", F_WON },
	{ A | S, "isdeleted", F_DELETED },
	{ 0, NULL, F_NONE },
};

static const struct entry hubspot[] = {
	{ A, "recordid", F_EXTERNAL_ID },
	{ A, "companyid", F_EXTERNAL_ID },
	{ A, "companyname", F_NAME },
	{ A, "companyowner", F_OWNER },
	{ A, "hubspotowner", F_OWNER },
	{ A, "numberofemployees", F_EMPLOYEES },
	{ S, "recordid", F_LINE_ID },
	{ S, "dealid", F_LINE_ID },
	{ S, "associatedcompanyid", F_EXTERNAL_ID },
	{ S, "associatedcompanyids", F_EXTERNAL_ID },
	{ S, "associatedcompany", F_NAME },
	{ S, "associatedcompanyprimary", F_NAME },
	{ S, "dealname", F_IGNORED },
	{ S, "closedate", F_DATE },
	{ S, "amount", F_AMOUNT },
	{ S, "isclosedwon", F_WON },
	{ S, "dealstage", F_WON },
	{ 0, NULL, F_NONE },
};

static const struct entry dynamics[] = {
	{ A, "donotmodifyaccount", F_EXTERNAL_ID },
	{ A | S, "donotmodifyrowchecksum", F_IGNORED },
	{ A | S, "donotmodifymodifiedon", F_IGNORED },
	{ A, "accountname", F_NAME },
	{ A, "address1city", F_CITY },
	{ A, "address1countryregion", F_COUNTRY },
	{ A, "territory", F_IGNORED },
	{ S, "donotmodifyopportunity", F_LINE_ID },
	{ S, "potentialcustomer", F_NAME },
	{ S, "actualrevenue", F_AMOUNT },
	{ S, "actualclosedate", F_DATE },
	{ S, "status", F_WON },
	{ S, "estrevenue", F_IGNORED },
	{ S, "estclosedate", F_IGNORED },
	{ S, "revenue", F_IGNORED }, /* "User Provided" / "System Calculated" */
	{ S, "createdon", F_IGNORED },
	{ S, "topic", F_IGNORED },
	{ S, "owner", F_IGNORED },
	{ 0, NULL, F_NONE },
};

static const struct entry zoho[] = {
	{ A, "recordid", F_EXTERNAL_ID },
	{ A, "accountid", F_EXTERNAL_ID },
	{ A, "accountowner", F_OWNER },
	{ A, "billingcity", F_CITY },
	{ A, "billingcountry", F_COUNTRY },
	{ S, "recordid", F_LINE_ID },
	{ S, "dealname", F_IGNORED },
	{ S, "closingdate", F_DATE },
	{ S, "stage", F_WON },
	{ 0, NULL, F_NONE },
};

static const struct entry pipedrive[] = {
	{ A, "organizationid", F_EXTERNAL_ID },
	{ A, "organizationname", F_NAME },
	{ A, "organizationowner", F_OWNER },
	{ A, "organizationaddresscity", F_CITY },
	{ A, "organizationaddresscountry", F_COUNTRY },
	{ A, "organizationnumberofemployees", F_EMPLOYEES },
	{ A, "organizationannualrevenue", F_ANNUAL_REVENUE },
	{ S, "dealid", F_LINE_ID },
	{ S, "dealorganizationid", F_EXTERNAL_ID },
	{ S, "dealorganization", F_NAME },
	{ S, "dealvalue", F_AMOUNT },
	{ S, "dealwontime", F_DATE },
	{ S, "dealstatus", F_WON },
	{ S, "dealtitle", F_IGNORED },
	{ 0, NULL, F_NONE },
};

static const struct entry odoo[] = {
	{ A, "id", F_EXTERNAL_ID },
	{ A, "companytype", F_ACCOUNT_TYPE },
	{ A, "relatedcompany", F_IGNORED },
	{ A, "salesperson", F_OWNER },
	{ S, "orderreference", F_LINE_ID },
	{ S, "customer", F_NAME },
	{ S, "orderdate", F_DATE },
	{ S, "orderlinesproductcategory", F_CATEGORY },
	{ S, "orderlinessubtotal", F_AMOUNT },
	{ S, "orderlinesquantity", F_QUANTITY },
	{ S, "orderlinesunitprice", F_UNIT_PRICE },
	{ 0, NULL, F_NONE },
};

/* qpc's own files: the generic names, and "name" is the account's. */
static const struct entry qpc_own[] = {
	{ S, "name", F_NAME },
	{ 0, NULL, F_NONE },
};

static const struct profile profiles[] = {
	{ "qpc", qpc_own, false, false, true },
	{ "salesforce", salesforce, true, false, false },
	{ "hubspot", hubspot, false, false, false },
	{ "dynamics", dynamics, false, false, false },
	{ "zoho", zoho, false, false, false },
	{ "pipedrive", pipedrive, false, false, false },
	{ "odoo", odoo, false, true, false },
	{ "generic", generic, false, false, false },
};
#define QPC_PROFILE (&profiles[0])

static const char *const qpc_sales[] = {
	"external_id", "name", "date", "category", "amount", "gross_profit", "line_id", NULL,
};
static const char *const qpc_potential[] = {
	"external_id", "name", "category", "amount", "basis", "verified", "measured_on",
	"measured_by", NULL,
};

const char *const *profile_qpc_header(enum import_kind k)
{
	return k == IMPORT_ACCOUNTS ? export_account_names()
	       : k == IMPORT_SALES  ? qpc_sales
	                            : qpc_potential;
}

bool profile_verbatim_keys(const struct profile *p)
{
	return p->verbatim_keys;
}
#define NPROFILES (sizeof profiles / sizeof *profiles)
#define GENERIC (&profiles[NPROFILES - 1])

const char *import_kind_name(enum import_kind k)
{
	return (unsigned)k < IMPORT_KINDS ? kind_names[k] : "?";
}

bool import_kind_parse(const char *s, enum import_kind *out)
{
	for (int k = 0; k < IMPORT_KINDS; k++)
		if (strcmp(s, kind_names[k]) == 0) {
			*out = (enum import_kind)k;
			return true;
		}
	return false;
}

const char *import_field_name(enum import_field f)
{
	return (unsigned)f < F_FIELDS ? fields[f].name : "";
}

const char *import_field_help(enum import_field f)
{
	return (unsigned)f < F_FIELDS ? fields[f].help : "";
}

bool import_field_allowed(enum import_kind k, enum import_field f)
{
	return (unsigned)f < F_FIELDS && (fields[f].kinds & (1u << k));
}

bool import_field_parse(enum import_kind k, const char *name, enum import_field *out)
{
	for (int f = F_IGNORED; f < F_FIELDS; f++)
		if (strcmp(name, fields[f].name) == 0 && import_field_allowed(k, (enum import_field)f)) {
			*out = (enum import_field)f;
			return true;
		}
	return false;
}

/* Lower-case ASCII letters and digits only; other bytes of UTF-8 kept. */
static void normalise(const char *s, char *out, size_t n)
{
	size_t j = 0;
	for (; *s && j + 1 < n; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x80)
			out[j++] = (char)c;
		else if (isalnum(c))
			out[j++] = (char)tolower(c);
	}
	out[j] = '\0';
}

static enum import_field lookup(const struct entry *list, enum import_kind k, const char *norm)
{
	for (const struct entry *e = list; e->header; e++)
		if ((e->kinds & (1u << k)) && strcmp(e->header, norm) == 0)
			return e->field;
	return F_NONE;
}

const struct profile *profile_find(const char *name)
{
	for (size_t i = 0; i < NPROFILES; i++)
		if (strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	return NULL;
}

const char *profile_name(const struct profile *p)
{
	return p->name;
}

const char *profile_names(void)
{
	return "qpc salesforce hubspot dynamics zoho pipedrive odoo generic";
}

bool profile_salesforce_ids(const struct profile *p)
{
	return p->salesforce_ids;
}

bool profile_fill_down(const struct profile *p)
{
	return p->fill_down;
}

enum import_field profile_field(const struct profile *p, enum import_kind k, const char *header)
{
	char norm[256];
	normalise(header, norm, sizeof norm);
	enum import_field f = lookup(p->entries, k, norm);
	if (f == F_NONE && p != GENERIC)
		f = lookup(generic, k, norm);
	return f;
}

const struct profile *profile_detect(enum import_kind k, const char *const *headers, size_t n)
{
	const char *const *own = profile_qpc_header(k);
	size_t i;
	for (i = 0; i < n && own[i] && strcmp(headers[i], own[i]) == 0; i++)
		;
	/* an accounts export made before cost_to_serve was added ends one
	 * column earlier */
	if (i == n && (!own[i] || (k == IMPORT_ACCOUNTS && !own[i + 1])))
		return QPC_PROFILE;
	const struct profile *best = GENERIC;
	size_t best_score = 0;
	for (i = 1; i + 1 < NPROFILES; i++) {
		size_t score = 0;
		for (size_t h = 0; h < n; h++) {
			char norm[256];
			normalise(headers[h], norm, sizeof norm);
			/* a header only this profile knows is evidence for it */
			if (lookup(profiles[i].entries, k, norm) != F_NONE &&
			    lookup(generic, k, norm) == F_NONE)
				score++;
		}
		if (score > best_score) {
			best = &profiles[i];
			best_score = score;
		}
	}
	return best;
}

bool import_kind_guess(const char *const *headers, size_t n, enum import_kind *out)
{
	bool has[IMPORT_KINDS][F_FIELDS] = { { false } };
	for (int k = 0; k < IMPORT_KINDS; k++) {
		const struct profile *p = profile_detect((enum import_kind)k, headers, n);
		for (size_t h = 0; h < n; h++) {
			enum import_field f = profile_field(p, (enum import_kind)k, headers[h]);
			int score;
			/* a label no profile lists, by its words, as the import
			 * reads it ("Posting Date") */
			if (f == F_NONE && (f = profile_words((enum import_kind)k, headers[h], &score)) !=
			                       F_NONE && score < 2)
				f = F_NONE;
			if (f > F_IGNORED && f < F_FIELDS)
				has[k][f] = true;
		}
	}
	const bool *sale = has[IMPORT_SALES], *pot = has[IMPORT_POTENTIAL];
	/* an order or invoice line has a date and an amount (or a price) */
	if (sale[F_DATE] && (sale[F_AMOUNT] || (sale[F_UNIT_PRICE] && sale[F_QUANTITY]))) {
		*out = IMPORT_SALES;
		return true;
	}
	/* a QPC line has a category and an amount, and no order date */
	if (pot[F_CATEGORY] && pot[F_AMOUNT]) {
		*out = IMPORT_POTENTIAL;
		return true;
	}
	if (has[IMPORT_ACCOUNTS][F_NAME] || has[IMPORT_ACCOUNTS][F_EXTERNAL_ID]) {
		*out = IMPORT_ACCOUNTS;
		return true;
	}
	return false;
}

/* The checksum suffix of an 18-character Salesforce id: for each 5-char
 * chunk, a bit per upper-case letter, as an index into A-Z0-5. */
bool profile_sfid18(const char *s, char out[19])
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
	size_t n = strlen(s);
	if (n != 15 && n != 18)
		return false;
	for (size_t i = 0; i < 15; i++)
		if (!isalnum((unsigned char)s[i]))
			return false;
	memcpy(out, s, 15);
	for (int chunk = 0; chunk < 3; chunk++) {
		int bits = 0;
		for (int i = 0; i < 5; i++)
			if (isupper((unsigned char)s[chunk * 5 + i]))
				bits |= 1 << i;
		out[15 + chunk] = alphabet[bits];
	}
	out[18] = '\0';
	/* an 18-character id must carry the right suffix (case-insensitive) */
	if (n == 18)
		for (int i = 15; i < 18; i++)
			if (toupper((unsigned char)s[i]) != out[i])
				return false;
	return true;
}

/* --- headers no profile lists: the words in them ------------------------ */

/* A field told by the words of a header, in the languages exports come
 * in (English, German, French, Spanish, Italian, Dutch): its nouns, and
 * stems of the words that qualify it, ranked.  "primary" qualifiers say
 * it is the one a sale or an address usually means (Posting Date, Billing
 * City); "neutral" ones say nothing either way (Mailing City);
 * "secondary" ones name a lesser one (Shipping City); "veto" ones name
 * another thing (Due Date, Tax Amount).  A stem matches any word it
 * starts; "compound" nouns end German and Dutch words (Buchungsdatum). */
struct words {
	enum import_field field;
	unsigned kinds;
	const char *nouns, *compound, *primary, *neutral, *secondary, *veto;
};


/* The words around a city or a country in an address's label, from the
 * best to the worst fit (the main address, any address, the shipping
 * one, another's): one list for both fields. */
#define ADDRESS_WORDS                                                                          \
	"bill invoic main primary head hq registered 1 rechnung haupt sitz firmen factur principal " \
	"siege sede fatturaz legal hoofd vestig",                                                    \
	"address addr mail postal company account organi business office visit physical "            \
	"anschrift adress direcc domicil indirizz adres bezoek",                                      \
	"ship deliver liefer livraison envio entrega consegna spediz lever 2 3",                      \
	"other birth geburt naiss nacim nascit"

static const struct words words[] = {
	{ F_DATE, S, "date datum fecha data dato", "datum",
	  "post book doc invoic bill order sale sold transact txn buchung beleg rechnung faktur "
	  "auftrag bestell verkauf factur comptab commande vente ecriture piece pedido venta contab "
	  "fattur ordine registr vendit boeking factuur verkoop",
	  "entry value valuta wert", "ship deliver liefer livraison envio entrega consegna spedi lever",
	  "creat modif updat chang due birth expir last next start begin end valid paid pay zahl "
	  "fallig echeanc vencim scadenz verval geburt naiss nacim nascit erstell anleg aender "
	  "gewijzig aangemaakt cancel storno annul est" },
	{ F_AMOUNT, S | P, "amount amt total betrag summe montant importe importo bedrag totaal "
	  "totale valor valore waarde value", "betrag summe bedrag",
	  "net line sale invoic order doc zeile rechnung verkauf umsatz auftrag beleg factur vente "
	  "commande fattur vendit ordine factuur verkoop regel",
	  "gross brutto bruto lordo", "",
	  "tax vat mwst ust steuer tva iva btw discount rabatt remise descuento sconto korting cost "
	  "kost cout coste costo profit margin marge margen margine gewinn quantit qty menge "
	  "cantidad aantal price preis prix precio prezzo prijs unit einzel due open offen "
	  "outstanding paid bezahlt balance saldo weight gewicht freight fracht est expect forecast "
	  "prob" },
	{ F_CITY, A, "city town ort stadt ville ciudad localidad poblacion citta comune localita "
	  "plaats woonplaats stad cidade municipality locality gemeente gemeinde", "",
	  ADDRESS_WORDS },
	{ F_COUNTRY, A, "country land pays pais paese nazione nation", "",
	  ADDRESS_WORDS },
	/* what was sold: "Item Category", "Warengruppe", "Famille d'articles";
	 * not the customer's group or the price's */
	{ F_CATEGORY, S | P, "category categories categorie categoria kategorie warengruppe "
	  "productgroep gruppe groep famille familia famiglia", "kategorie gruppe groep",
	  "item product prod article artikel produit producto prodotto articolo waren merch "
	  "sortiment", "main haupt", "sub unter",
	  "customer cust kunde client cliente klant account konto compte cuenta conto price preis "
	  "prix precio prezzo prijs tax steuer cost kost vendor supplier lieferant fournisseur "
	  "proveedor fornitore leverancier user benutzer risk" },
};

/* Words that join others ("Date de facturation", "Data della fattura"). */
static const char stopwords[] = "a and d da de del della dei der des di die du e el et l la "
                                "le les of the und van y";

#define MAX_WORDS 12
#define WORD_LEN 32

/* Whether the space-separated list holds w: whole, or as a stem of it. */
static bool listed(const char *list, const char *w, bool stem)
{
	size_t wn = strlen(w);
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, " ");
		if (n && (stem ? n <= wn : n == wn) && strncmp(p, w, n) == 0)
			return true;
		p += n;
		p += *p == ' ';
	}
	return false;
}

/* An accented Latin letter (UTF-8 C3 xx) as ASCII: "e" for é, "ss" for ß. */
static const char *unaccent(unsigned char c2)
{
	static const char *const lower[64] = {
		"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
		"d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
		"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
		"d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y",
	};
	return c2 >= 0x80 && c2 <= 0xbf ? lower[c2 - 0x80] : NULL;
}

/* A header's words: lower case, accents off, split at anything but
 * letters and digits, where camelCase turns upper, and between letters
 * and digits ("Address1City" is address, 1, city). */
static size_t split_words(const char *s, char w[][WORD_LEN], size_t max)
{
	size_t n = 0, len = 0;
	int last = 0; /* 0 none, 1 lower, 2 upper, 3 digit */
	for (const unsigned char *p = (const unsigned char *)s;; p++) {
		const char *add = NULL;
		char one[2] = { 0, 0 };
		int kind = 0;
		if (*p == 0xc3 && (add = unaccent(p[1]))) {
			kind = p[1] < 0xa0 ? 2 : 1;
			p++;
		} else if (*p && isalpha(*p) && *p < 0x80) {
			one[0] = (char)tolower(*p);
			add = one;
			kind = isupper(*p) ? 2 : 1;
		} else if (*p && isdigit(*p)) {
			one[0] = (char)*p;
			add = one;
			kind = 3;
		}
		bool split = !add || (kind == 2 && last == 1) || ((kind == 3) != (last == 3));
		if (split && len) {
			w[n][len] = '\0';
			if (++n == max)
				return n;
			len = 0;
		}
		if (!*p)
			return n;
		for (; add && *add && len + 1 < WORD_LEN; add++)
			w[n][len++] = *add;
		last = kind;
		if (*p >= 0x80 && !add) /* another script's byte: it too separates */
			last = 0;
	}
}

/* Whether w is a qualifier of the field at all, and of which rank:
 * 3 primary, 2 neutral, 1 secondary, 0 veto, -1 unknown. */
static int qualifier(const struct words *t, const char *w)
{
	if (listed(t->veto, w, true))
		return 0;
	if (listed(t->primary, w, true))
		return 3;
	if (listed(t->neutral, w, true))
		return 2;
	if (listed(t->secondary, w, true))
		return 1;
	return -1;
}

/* The rank of the head of a compound x ending in one of t's nouns
 * ("buchungs" of "buchungsdatum", "billing" of "billingcity"), -1 for
 * an unknown head of a noun that makes compounds freely; -2 when x is no
 * such compound. */
static int compound(const struct words *t, const char *x)
{
	size_t xn = strlen(x);
	for (const char *p = t->nouns; *p;) {
		size_t k = strcspn(p, " ");
		char noun[WORD_LEN], head[WORD_LEN];
		snprintf(noun, sizeof noun, "%.*s", (int)k, p);
		p += k;
		p += *p == ' ';
		if (k < 4 || xn < k + 3 || strcmp(x + xn - k, noun) != 0)
			continue;
		snprintf(head, sizeof head, "%.*s", (int)(xn - k), x);
		int q = qualifier(t, head);
		if (q >= 0 || listed(t->compound, noun, false))
			return q;
	}
	return -2;
}

/* How plainly the words name t's field: 0 not at all, -1 another thing
 * of its kind ("Due Date"), 1 among words of their own, 2 with neutral
 * qualifiers only, 3 alone or with a primary one. */
static int words_score(const struct words *t, char w[][WORD_LEN], size_t n)
{
	bool noun = false, primary = false, neutral = false, other = false, veto = false;
	for (size_t i = 0; i < n; i++) {
		if (listed(t->nouns, w[i], false)) {
			noun = true;
			continue;
		}
		if (listed(stopwords, w[i], false))
			continue;
		int q = compound(t, w[i]);
		if (q != -2)
			noun = true;
		else
			q = qualifier(t, w[i]);
		veto |= q == 0;
		primary |= q == 3;
		neutral |= q == 2;
		other |= q == 1 || q == -1;
	}
	return !noun ? 0 : veto ? -1 : other ? 1 : primary || !neutral ? 3 : 2;
}

int profile_words_for(enum import_kind k, const char *header, enum import_field f)
{
	char w[MAX_WORDS][WORD_LEN];
	size_t n = split_words(header, w, MAX_WORDS);
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (words[i].field == f && (words[i].kinds & (1u << k)))
			return words_score(&words[i], w, n);
	return 0;
}

enum import_field profile_words(enum import_kind k, const char *header, int *score)
{
	enum import_field best = F_NONE;
	*score = 0;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		int s = profile_words_for(k, header, words[i].field);
		if (s > *score) {
			*score = s;
			best = words[i].field;
		}
	}
	return best;
}
