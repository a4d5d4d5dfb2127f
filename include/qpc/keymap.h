/* keymap.h — every key of the dashboard, declared once.
 *
 * QPC_KEYMAP is an X-macro (tig's request.h pattern): one line per action
 * with the views it works in, its keys as the help shows them, and what
 * it does.  It generates the action enum and the binding table, from which
 * the help overlay is drawn and which a test compares with the KEYS
 * section of man/qpc.1, so neither can drift from what the keys do.
 *
 * Key names: a printable character stands for itself; otherwise Up, Down,
 * Left, Right, PgUp, PgDn, Home, End, Enter, Esc, Tab, S-Tab, Space, F1, F2,
 * and C-x for Control-x.  This header knows nothing of curses: keymap.c
 * turns the names into key codes.
 */
#ifndef QPC_KEYMAP_H
#define QPC_KEYMAP_H

#include <stddef.h>

/* Where an action works: a bit per kind of view. */
enum qpc_scope {
	QPC_IN_ALL = 1 << 0,        /* everywhere */
	QPC_IN_LISTS = 1 << 1,      /* any list or pane with a cursor */
	QPC_IN_ACCOUNTS = 1 << 2,   /* the accounts list */
	QPC_IN_PANES = 1 << 3,      /* views made of panes: dashboard, account detail, goals */
	QPC_IN_ACCOUNT = 1 << 4,    /* wherever one account is selected */
	QPC_IN_CANDIDATES = 1 << 5, /* the candidates list */
	QPC_IN_CHECKLIST = 1 << 6,  /* a checklist and the board */
	QPC_IN_GOALS = 1 << 7,      /* the goals list */
	QPC_IN_EDITOR = 1 << 8,     /* the QPC editor */
	QPC_IN_DIALOG = 1 << 9,     /* the import dialog */
	QPC_IN_TEMPLATES = 1 << 10, /* the checklist templates */
	QPC_IN_DASHBOARD = 1 << 11, /* the dashboard */
};

/* The scopes above QPC_IN_PANES name what a view is about: their keys come
 * before the general ones, so Enter ticks a step in a checklist and opens
 * the account in other lists, and n writes a note there. */
#define QPC_IN_GENERAL (QPC_IN_ALL | QPC_IN_LISTS | QPC_IN_PANES)

/* X(ACTION, SCOPE, "keys", "what it does") */
#define QPC_KEYMAP(X)                                                                         \
	X(HELP, QPC_IN_ALL, "? F1", "show or hide this help")                                 \
	X(BACK, QPC_IN_ALL, "q Esc", "close this view; q quits from a top view, Esc does not") \
	X(QUIT, QPC_IN_ALL, "Q", "quit at once")                                              \
	X(VIEW_DASHBOARD, QPC_IN_ALL, "1", "the dashboard: the team's figures")               \
	X(VIEW_ACCOUNTS, QPC_IN_ALL, "2", "accounts")                                         \
	X(VIEW_CANDIDATES, QPC_IN_ALL, "3", "partner candidates and their checklists")        \
	X(VIEW_GOALS, QPC_IN_ALL, "4", "partner goals by year")                               \
	X(REDRAW, QPC_IN_ALL, "C-l", "redraw the screen")                                     \
	X(MOVE_DOWN, QPC_IN_LISTS, "j Down", "move down a row")                               \
	X(MOVE_UP, QPC_IN_LISTS, "k Up", "move up a row")                                     \
	X(PAGE_DOWN, QPC_IN_LISTS, "PgDn C-f Space", "move down a page")                      \
	X(PAGE_UP, QPC_IN_LISTS, "PgUp C-b", "move up a page")                                \
	X(FIRST, QPC_IN_LISTS, "g Home", "go to the first row")                               \
	X(LAST, QPC_IN_LISTS, "G End", "go to the last row")                                  \
	X(OPEN, QPC_IN_LISTS, "Enter l Right", "open the account under the cursor")           \
	X(CLOSE, QPC_IN_LISTS, "h Left", "go back to the list")                               \
	X(SEARCH, QPC_IN_LISTS, "/", "search names and ids as you type")                      \
	X(SEARCH_NEXT, QPC_IN_LISTS, "n", "next match")                                       \
	X(SEARCH_PREV, QPC_IN_LISTS, "N", "previous match")                                   \
	X(NEXT_PANE, QPC_IN_PANES, "Tab", "next pane")                                    \
	X(PREV_PANE, QPC_IN_PANES, "S-Tab", "previous pane")                              \
	X(REP_ESTIMATES, QPC_IN_DASHBOARD, "E", "the reps' share estimates against the measured, by owner") \
	X(SORT_NEXT, QPC_IN_ACCOUNTS, "s >", "sort by the next column")                       \
	X(SORT_PREV, QPC_IN_ACCOUNTS, "S <", "sort by the previous column")                   \
	X(SORT_REVERSE, QPC_IN_ACCOUNTS, "r", "reverse the order")                            \
	X(FILTER_MINE, QPC_IN_ACCOUNTS, "m",                                                     \
	  "only my accounts (--user; on a team server, the login's owner name), or everyone's") \
	X(FILTER_STATUS, QPC_IN_ACCOUNTS, "t", "only partners, candidates, customers, prospects, all") \
	X(FILTER_OWNER, QPC_IN_ACCOUNTS, "o", "only one owner's accounts: pick the owner from a list") \
	X(FILTER_SEGMENT, QPC_IN_ACCOUNTS, "v", "only one segment (vertical): pick it from a list") \
	X(FILTER_TEXT, QPC_IN_ACCOUNTS, "|", "only accounts whose name or id contains a text (/ jumps)") \
	X(FILTER_STALE, QPC_IN_ACCOUNTS, "x", "only accounts whose QPC is stale or missing")  \
	X(FILTER_CLEAR, QPC_IN_ACCOUNTS, "a", "all accounts: clear the filters")                \
	X(EDIT_QPC, QPC_IN_ACCOUNT, "e", "edit the QPC lines and the rep's share estimate")     \
	X(FILTER_UNDER, QPC_IN_ACCOUNTS, "u",                                                   \
	  "only accounts whose measured QPC is under half the formula's estimate")             \
	X(FILTER_PROVISIONAL, QPC_IN_ACCOUNTS, "p",                                             \
	  "only provisional partners: QPC unverified, stale, below sales or incomplete")       \
	X(FILTER_AT_RISK, QPC_IN_ACCOUNTS, "w",                                                 \
	  "only partners at risk: under the threshold within 3 months at their recent pace")    \
	X(EXPORT_LIST, QPC_IN_ACCOUNTS, "E", "export the list as shown (filters, order) to a CSV file") \
	X(ED_NEXT_FIELD, QPC_IN_EDITOR, "Tab Right", "next field")                              \
	X(ED_PREV_FIELD, QPC_IN_EDITOR, "S-Tab Left", "previous field")                         \
	X(ED_EDIT, QPC_IN_EDITOR, "Enter",                                                      \
	  "edit the field (a digit starts an amount, date or share afresh); Enter keeps, Esc undoes") \
	X(ED_ADD, QPC_IN_EDITOR, "a", "add a line: Up and Down pick a category, or type a new one") \
	X(ED_DELETE, QPC_IN_EDITOR, "d", "delete the line")                                     \
	X(ED_VERIFIED, QPC_IN_EDITOR, "v", "verified or not")                                   \
	X(ED_BASIS, QPC_IN_EDITOR, "b",                                                         \
	  "next basis: customer stated, formula, rep estimate, purchasing records")            \
	X(ED_ESTIMATE, QPC_IN_EDITOR, "f", "the amount by formula (size x factor), unverified") \
	X(ED_SAVE, QPC_IN_EDITOR, "w F2", "save in one transaction and close; after a conflict, overwrite") \
	X(ED_RELOAD, QPC_IN_EDITOR, "R", "reload the saved QPC (after a conflict: theirs), losing your changes") \
	X(NOMINATE, QPC_IN_ACCOUNT, "c", "nominate as a partner candidate, choosing a checklist") \
	X(DROP, QPC_IN_ACCOUNT, "d", "drop the candidate, saying why")                        \
	X(CONTRACT, QPC_IN_ACCOUNT, "C",                                                        \
	  "set the systems contract (signed, ends, value), or end it")                         \
	X(RATE, QPC_IN_ACCOUNT, "R", "rate the account on a trait: a score and a note, as of the date") \
	X(BOARD, QPC_IN_CANDIDATES, "b", "the board: every candidate's ticks, step by step")  \
	X(SUGGEST, QPC_IN_CANDIDATES, "p", "suggested candidates, with the reasons")          \
	X(TEMPLATES, QPC_IN_CANDIDATES, "T", "the checklist templates")                       \
	X(WHAT_WORKS, QPC_IN_CANDIDATES, "W", "what works: each step against the partners made") \
	X(CAND_SORT_NEXT, QPC_IN_CANDIDATES, "s >", "sort by the next column")                 \
	X(CAND_SORT_PREV, QPC_IN_CANDIDATES, "S <", "sort by the previous column")             \
	X(CAND_SORT_REVERSE, QPC_IN_CANDIDATES, "r", "reverse the order")                      \
	X(TICK, QPC_IN_CHECKLIST, "x Enter", "tick the step; on a ticked one, untick it (asks first)") \
	X(NOTE, QPC_IN_CHECKLIST, "n", "write the note of a tick (ticks the step)")           \
	X(STEP_ASSIGN, QPC_IN_CHECKLIST, "A", "who is to do the step, and by when")            \
	X(BOARD_SORT, QPC_IN_CHECKLIST, "s", "board: sort by progress (down, up), name, since") \
	X(TEMPLATE_NEW, QPC_IN_TEMPLATES, "N", "new template, starting from the default's steps") \
	X(TEMPLATE_RENAME, QPC_IN_TEMPLATES, "r", "rename the template")                      \
	X(TEMPLATE_DEFAULT, QPC_IN_TEMPLATES, "*", "make it the template new candidates get")  \
	X(TEMPLATE_DELETE, QPC_IN_TEMPLATES, "D", "delete the template, if no candidate used it") \
	X(STEP_ADD, QPC_IN_TEMPLATES, "a", "add a step after the one under the cursor")       \
	X(STEP_RETIRE, QPC_IN_TEMPLATES, "x", "retire the step (its ticks stay in the history)") \
	X(STEP_UP, QPC_IN_TEMPLATES, "K", "move the step up")                                 \
	X(STEP_DOWN, QPC_IN_TEMPLATES, "J", "move the step down") \
	X(STEP_RULE, QPC_IN_TEMPLATES, "R", "the step's rule: what the sales must show (categories>=3 quarters=4)") \
	X(GOAL_EDIT, QPC_IN_GOALS, "Enter e", "set the goal of the year under the cursor; in the plan, open the candidate's checklist")       \
	X(GOAL_MORE, QPC_IN_GOALS, "+ =", "one more partner to create that year")              \
	X(GOAL_LESS, QPC_IN_GOALS, "-", "one fewer")                                           \
	X(IMPORT, QPC_IN_ALL, "i", "import a CSV file: accounts, sales or potential")          \
	X(DIALOG_COMPLETE, QPC_IN_DIALOG, "Tab", "complete the file name; twice: list the choices") \
	X(DIALOG_KIND, QPC_IN_DIALOG, "C-t", "what the file holds: accounts, sales, potential") \
	X(DIALOG_OPTIONS, QPC_IN_DIALOG, "C-o", "how to read it: encoding, delimiter, decimal mark, date order, columns") \
	X(DIALOG_OK, QPC_IN_DIALOG, "Enter y", "preview the import (a dry run); then run it")   \
	X(DIALOG_CANCEL, QPC_IN_DIALOG, "Esc", "cancel, changing nothing; during a run, asks first")

enum qpc_action {
	QPC_ACT_NONE = 0,
#define QPC_ACTION_ENUM(name, scope, keys, help) QPC_ACT_##name,
	QPC_KEYMAP(QPC_ACTION_ENUM)
#undef QPC_ACTION_ENUM
	QPC_ACT_COUNT
};

struct qpc_binding {
	enum qpc_action action;
	unsigned scope;    /* enum qpc_scope bits */
	const char *name;  /* "MOVE_DOWN" */
	const char *keys;  /* "j Down" */
	const char *help;  /* "move down a row" */
};

/* The bindings in the order of QPC_KEYMAP; *n says how many. */
const struct qpc_binding *qpc_keymap(size_t *n);
/* The scopes in the order the help and the manual list them; *n says how
 * many. */
const unsigned *qpc_scopes(size_t *n);
/* The heading of a scope in the help and the manual: "Everywhere" ... */
const char *qpc_scope_title(unsigned scope);

#endif
