/* editor_model.h — the QPC editor's form, without a terminal.
 *
 * The form holds what the user typed into each field as text, and what
 * that text means once parsed (typed.h: "12,500", "12.5k", "€ 12.500,00",
 * "2026-11-27", "today", "40%").  Every change re-validates, so a field
 * knows at once why it is wrong; the preview says what the account's QPC,
 * share and status would be if the form were saved now.  view_editor.c
 * draws it and feeds it keys; tests/check_editor.c drives it directly.
 */
#ifndef QPC_TUI_EDITOR_MODEL_H
#define QPC_TUI_EDITOR_MODEL_H

#include <stdbool.h>

#include "qpc/edit.h"
#include "qpc/figures.h"

enum edm_field { EDM_CATEGORY, EDM_AMOUNT, EDM_BASIS, EDM_VERIFIED, EDM_MEASURED, EDM_NFIELDS };

#define EDM_LINES 32
#define EDM_TEXT 256
/* The named bases, in the order a key cycles them. */
extern const char *const edm_bases[4];

struct edm_line {
	char text[EDM_NFIELDS][EDM_TEXT]; /* the verified field has none */
	bool verified;
	char inputs[256];      /* basis "formula": what it was computed from */
	int from;              /* the loaded line it started as; -1 when added */
	bool dated;            /* its date was typed, not left to follow the amount */
	qpc_money amount;      /* parsed, when valid */
	qpc_date measured_on;
	const char *why[EDM_NFIELDS]; /* why a field is invalid; NULL when valid */
};

struct edm {
	struct qpc_qpc_sheet before; /* as loaded */
	int nlines;
	struct edm_line lines[EDM_LINES];
	char share_text[EDM_TEXT];   /* the rep's estimate of our share */
	bool has_share;
	int32_t share_bp;
	const char *share_why;
	int minor_units;
	qpc_date today;
	/* The account as it stands, for the preview. */
	qpc_money sales_12m;
	bool contract_partner, candidate;
	int32_t threshold_bp;
	enum qpc_status status;
};

struct edm_preview {
	bool complete;          /* every amount valid: the figures are final */
	bool measured;
	qpc_money qpc;
	struct qpc_share share;
	enum qpc_status status;
	const char *change;     /* "becomes a partner", "stops being a partner" or "" */
};

/* Starts from a loaded sheet; the account fields are the caller's to set. */
void edm_load(struct edm *m, const struct qpc_qpc_sheet *sh, int minor_units, qpc_date today);
/* Sets a text field of a line (not EDM_VERIFIED) and re-validates.  A new
 * amount is a new measurement: unless a date was typed, the line is
 * measured today (and on its old date again when the amount goes back). */
void edm_set(struct edm *m, int line, enum edm_field f, const char *text);
void edm_set_share(struct edm *m, const char *text);
/* Adds a line of that category (may be "" to type it), measured today;
 * returns its index, or -1 when the form is full. */
int edm_add(struct edm *m, const char *category);
void edm_delete(struct edm *m, int line);
/* False, with *why, for a formula line: estimates are never verified. */
bool edm_toggle_verified(struct edm *m, int line, const char **why);
/* The next named basis after the line's (the first after free text). */
void edm_cycle_basis(struct edm *m, int line);
/* The amount from the formula estimate: basis "formula", its inputs,
 * unverified, measured today. */
void edm_fill_estimate(struct edm *m, int line, qpc_money amount, const char *inputs);

/* The first invalid field, in form order (line m->nlines: the share). */
bool edm_invalid(const struct edm *m, int *line, enum edm_field *f, const char **why);
/* The sheet to save; false when a field is invalid. */
bool edm_sheet(const struct edm *m, struct qpc_qpc_sheet *after);
/* Whether saving would change anything (an invalid field counts). */
bool edm_dirty(const struct edm *m);
void edm_preview(const struct edm *m, struct edm_preview *p);

/* A share in basis points as the form shows it: "40%", "37.5%". */
void edm_share_text(int32_t bp, char *buf, size_t n);

#endif
