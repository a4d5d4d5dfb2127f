/* export.h — an account as `qpc export accounts` writes it, for the
 * command line and the dashboard's export of the list on screen alike.
 * Its columns are declared once (export.c); profile_qpc_header(
 * IMPORT_ACCOUNTS) is their names, so that a file written so is read back
 * by `qpc import accounts` as qpc's own.
 */
#ifndef QPC_EXPORT_H
#define QPC_EXPORT_H

#include "qpc/csvwrite.h"
#include "qpc/store.h"

/* Writes a text field; NULL for the exact bytes (csvw_field). */
typedef void (*export_text_fn)(void *ctx, struct csvw *w, const char *s);

/* The header's fields of one account, without ending the record. */
void export_account(struct csvw *w, const struct qpc_account_row *r, export_text_fn text,
                    void *ctx);
/* The header, as one record. */
void export_account_header(struct csvw *w);
/* The header's names, NULL-terminated. */
const char *const *export_account_names(void);

#endif
