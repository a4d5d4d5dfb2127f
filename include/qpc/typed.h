/* typed.h — values as a person types them into a form or a command line.
 *
 * Amounts: "12500", "12,500", "12.5k", "1.2M", "12 500", "12,5" (a comma
 * before other than three digits is a decimal comma), "$12,500.00".
 * Shares: "60%", "0.6", "60".  Dates: "2026-11-27", "today", "yesterday".
 *
 * The limits are the importer's, so that what is typed can be exported
 * and imported again: amounts within AMOUNT_MAX_MAJOR, years within
 * DATEPARSE_YEAR_MIN and _MAX.  The reasons (*why) are short phrases
 * that read after the value and a colon, on a command line as beside a
 * field: "out of range (years 1900 to 2200)".
 */
#ifndef QPC_TYPED_H
#define QPC_TYPED_H

#include <stdint.h>

#include "qpc/date.h"
#include "qpc/money.h"

/* false with *why (a static sentence) when not an amount. */
bool typed_amount(const char *s, int minor_units, qpc_money *out, const char **why);
bool typed_share(const char *s, int32_t *bp, const char **why);
bool typed_date(const char *s, qpc_date today, qpc_date *out, const char **why);

/* Why a QPC measured on `on` is refused when it is recorded as of today,
 * wherever it comes from (the editor, the command line, an import), or
 * NULL: a measure is not taken in the future. */
const char *typed_measured_on_why(qpc_date on, qpc_date today);

#endif
