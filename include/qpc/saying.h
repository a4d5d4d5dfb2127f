/* saying.h — the one-line result of a write, in the dashboard's words.
 *
 * The dashboard shows these in its message line after a save; the
 * command line prints the same sentence after the same write, so that a
 * person who knows one knows the other.
 */
#ifndef QPC_SAYING_H
#define QPC_SAYING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qpc/browse.h"
#include "qpc/store.h"

/* "Saved: QPC 12,500, share 64.0%, status customer": the account's
 * figures after its QPC changed.  ascii: "-" for none instead of "–". */
char *say_saved_qpc(const struct qpc_browse_row *row, int minor_units, bool ascii, char *buf,
                    size_t n);
/* "Ticked 2. Knows our senior executives", "Unticked 2. ..." */
char *say_ticked(bool ticked, int position, const char *text, char *buf, size_t n);
/* "Goal 2027: 60 new partners" */
char *say_goal(int year, int64_t target, char *buf, size_t n);
/* "Acme is a candidate now, with the checklist 'Default'" */
char *say_nominated(const char *name, const char *tmpl, char *buf, size_t n);
/* "Acme is no longer a candidate" */
char *say_dropped(const char *name, char *buf, size_t n);
/* "Contract saved: signed 2026-03-10, no end, 120,000 a year" */
char *say_contract_saved(const struct qpc_contract_rec *c, int minor_units, bool ascii, char *buf,
                         size_t n);
/* "Contract ends on 2026-09-01: a partner by contract up to the day before" */
char *say_contract_ended(qpc_date on, char *buf, size_t n);

#endif
