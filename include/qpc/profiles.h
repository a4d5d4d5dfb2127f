/* profiles.h — which CSV column is which field, for every CRM we know.
 *
 * A profile maps header names to qpc fields for one kind of import.  The
 * fields are named as the export headers name them, so `--map
 * 'Header=field'` uses the same words (external_id, name, owner, ...).
 * Headers match case-insensitively, ignoring spaces and punctuation.
 */
#ifndef QPC_PROFILES_H
#define QPC_PROFILES_H

#include <stdbool.h>
#include <stddef.h>

enum import_kind {
	IMPORT_ACCOUNTS = 0,
	IMPORT_SALES,
	IMPORT_POTENTIAL,
	IMPORT_KINDS
};

enum import_field {
	F_NONE = 0,       /* not read: listed once as unknown */
	F_IGNORED,        /* known and deliberately not read (computed, noise) */
	/* every kind: the account */
	F_EXTERNAL_ID,
	F_NAME,
	/* accounts */
	F_OWNER,
	F_SEGMENT,
	F_CITY,
	F_COUNTRY,
	F_EMPLOYEES,
	F_ANNUAL_REVENUE,
	F_CONTRACT_PARTNER,
	F_CONTRACT_VALUE,
	F_CONTRACT_SIGNED,
	F_CONTRACT_ENDS,
	F_REP_SHARE,
	F_COST_TO_SERVE,
	F_SALES_12M,
	F_GP_12M,
	F_NOTES,
	F_ACCOUNT_TYPE,   /* "Individual" rows are contacts, skipped */
	F_DELETED,        /* rows marked deleted are skipped */
	/* sales and potential */
	F_DATE,
	F_CATEGORY,
	F_AMOUNT,
	F_GROSS_PROFIT,
	F_COST,
	F_LINE_ID,
	F_QUANTITY,
	F_UNIT_PRICE,
	F_DISCOUNT,
	F_WON,            /* only won deals are sales */
	F_BASIS,
	F_VERIFIED,
	F_MEASURED_ON,
	F_MEASURED_BY,
	F_FIELDS
};

const char *import_kind_name(enum import_kind k);
bool import_kind_parse(const char *s, enum import_kind *out);

/* The field's name ("external_id"); "" for F_NONE. */
const char *import_field_name(enum import_field f);
/* A field of kind k by name, for --map; false when k has no such field. */
bool import_field_parse(enum import_kind k, const char *name, enum import_field *out);
/* Whether kind k reads field f at all. */
bool import_field_allowed(enum import_kind k, enum import_field f);
/* One line saying what the field holds, for --help and errors. */
const char *import_field_help(enum import_field f);

struct profile;

/* Looks a profile up by name (qpc, salesforce, hubspot, dynamics, zoho,
 * pipedrive, odoo, generic); NULL when unknown. */
const struct profile *profile_find(const char *name);
const char *profile_name(const struct profile *p);
/* The profile that best explains a header row for kind k (generic when
 * none is better). */
const struct profile *profile_detect(enum import_kind k, const char *const *headers, size_t n);
/* The field a header means under profile p for kind k. */
enum import_field profile_field(const struct profile *p, enum import_kind k, const char *header);
/* For a header no profile lists: the field its words name for kind k
 * (date, amount, city, country; in English, German, French, Spanish,
 * Italian or Dutch, case and accents aside), and in *score how plainly:
 * 3 alone or with the words that usually qualify it ("Posting Date",
 * "Buchungsdatum", "Billing Address City"), 2 with words that say nothing
 * either way ("Mailing City"), 1 among words of their own ("Shipping
 * Address Country"); F_NONE and 0 when they name none, or another thing
 * ("Due Date", "Tax Amount"). */
enum import_field profile_words(enum import_kind k, const char *header, int *score);
/* The same for field f alone: its score, or -1 when the words name
 * another thing of its kind (a due date is not a sale's date). */
int profile_words_for(enum import_kind k, const char *header, enum import_field f);
/* What a file with this header row most likely holds: order or invoice
 * lines (a date and an amount), QPC lines (a category and an amount), or
 * accounts (a name or an id); false when none fits. */
bool import_kind_guess(const char *const *headers, size_t n, enum import_kind *out);
/* The header qpc's own export writes for kind k, NULL-terminated: a file
 * with exactly this header is read with the "qpc" profile, whose sales
 * line ids are the lines' keys as they are, so that export, import and
 * export again give the same bytes. */
const char *const *profile_qpc_header(enum import_kind k);

/* Profile quirks. */
bool profile_salesforce_ids(const struct profile *p); /* 15/18-char ids are one account */
bool profile_fill_down(const struct profile *p);      /* blank cells continue the row above */
bool profile_verbatim_keys(const struct profile *p);  /* line ids are keys as they are */
/* All profile names, space-separated, for messages. */
const char *profile_names(void);

/* Salesforce: a 15-character id and its 18-character form name the same
 * record; writes the 18-character form into out (19 bytes) and returns
 * true when s is either. */
bool profile_sfid18(const char *s, char out[19]);

#endif
