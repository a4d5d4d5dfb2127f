/* history_text.h — a history entry in words, for people.
 *
 * The history stores what changed as the store names it (a field such as
 * "rep_share_estimate_bp" or "verified:Packaging", values as plain text:
 * "9000", "1", "12500.00").  `qpc history` and the account page's history
 * pane both say it with this one formatter: "Rep's estimate of our share"
 * and "– → 90%", "QPC in Packaging" and "verified".  What is stored, and
 * any machine format written from it, stays as it was.
 */
#ifndef QPC_HISTORY_TEXT_H
#define QPC_HISTORY_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct qpc_history_text {
	char what[256];   /* "QPC in Packaging", "Goal 2027", a checklist step */
	char change[512]; /* "5,000.00 → 12,500.00", "verified", "ticked" */
};

/* Says one change.  entity is the history's own ("potential", "tick",
 * "goal"...) or NULL when the caller has not read it: then the field
 * alone decides, and a field no other change uses is a checklist step (the
 * only free text among an account's fields).  old_value and new_value are
 * NULL where there was none.  Amounts are read and shown with minor_units
 * decimals; ascii: "->" and "-" instead of "→" and "–". */
void qpc_history_text(const char *entity, const char *field, const char *old_value,
                      const char *new_value, int minor_units, bool ascii,
                      struct qpc_history_text *out);

/* Basis points as a percent, without trailing zeros: 9000 "90%",
 * 8250 "82.5%", 8255 "82.55%". */
char *qpc_bp_text(int64_t bp, char *buf, size_t n);

#endif
