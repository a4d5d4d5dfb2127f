/* keymap.c — the binding table from QPC_KEYMAP, and key names to codes. */
#include <string.h>

#include "ui.h"

static const struct qpc_binding bindings[] = {
#define QPC_BINDING(name, scope, keys, help) { QPC_ACT_##name, scope, #name, keys, help },
	QPC_KEYMAP(QPC_BINDING)
#undef QPC_BINDING
};
#define NBINDINGS (sizeof bindings / sizeof *bindings)

const struct qpc_binding *qpc_keymap(size_t *n)
{
	*n = NBINDINGS;
	return bindings;
}

static const unsigned scopes[] = {
	QPC_IN_ALL,        QPC_IN_LISTS,     QPC_IN_PANES, QPC_IN_ACCOUNTS, QPC_IN_ACCOUNT,
	QPC_IN_CANDIDATES, QPC_IN_CHECKLIST, QPC_IN_GOALS, QPC_IN_EDITOR,   QPC_IN_DIALOG,
	QPC_IN_TEMPLATES,
};

/* The scopes that have keys, so that neither the help nor the manual
 * shows a heading with nothing under it. */
const unsigned *qpc_scopes(size_t *n)
{
	static unsigned used[sizeof scopes / sizeof *scopes];
	static size_t nused;
	if (!nused)
		for (size_t s = 0; s < sizeof scopes / sizeof *scopes; s++)
			for (size_t b = 0; b < NBINDINGS; b++)
				if (bindings[b].scope == scopes[s]) {
					used[nused++] = scopes[s];
					break;
				}
	*n = nused;
	return used;
}

const char *qpc_scope_title(unsigned scope)
{
	switch (scope) {
	case QPC_IN_ALL: return "Everywhere";
	case QPC_IN_LISTS: return "Lists and panes";
	case QPC_IN_PANES: return "Dashboard, account detail and goals";
	case QPC_IN_ACCOUNTS: return "Accounts";
	case QPC_IN_ACCOUNT: return "Wherever an account is selected";
	case QPC_IN_CANDIDATES: return "Candidates";
	case QPC_IN_CHECKLIST: return "Checklist and board";
	case QPC_IN_GOALS: return "Goals";
	case QPC_IN_EDITOR: return "QPC editor";
	case QPC_IN_DIALOG: return "Import dialog";
	case QPC_IN_TEMPLATES: return "Checklist templates";
	default: return "?";
	}
}

/* A key as the loop sees it: a character, or a curses key code. */
struct key {
	int code;
	bool is_key_code;
};

static const struct {
	const char *name;
	struct key k[3];
} named[] = {
	{ "Up", { { KEY_UP, true } } },
	{ "Down", { { KEY_DOWN, true } } },
	{ "Left", { { KEY_LEFT, true } } },
	{ "Right", { { KEY_RIGHT, true } } },
	{ "PgUp", { { KEY_PPAGE, true } } },
	{ "PgDn", { { KEY_NPAGE, true } } },
	{ "Home", { { KEY_HOME, true }, { KEY_A1, true } } },
	{ "End", { { KEY_END, true }, { KEY_C1, true } } },
	{ "Enter", { { '\n', false }, { '\r', false }, { KEY_ENTER, true } } },
	{ "Esc", { { 27, false } } },
	{ "Tab", { { '\t', false } } },
	{ "S-Tab", { { KEY_BTAB, true } } },
	{ "Space", { { ' ', false } } },
	{ "F1", { { KEY_F(1), true } } },
	{ "F2", { { KEY_F(2), true } } },
};

/* Resolved once: key codes per binding. */
#define KEYS_PER_ACTION 8
static struct key resolved[NBINDINGS][KEYS_PER_ACTION];

static void add_key(struct key *slots, struct key k)
{
	for (int i = 0; i < KEYS_PER_ACTION; i++)
		if (slots[i].code == 0) {
			slots[i] = k;
			return;
		}
}

static void resolve(const char *name, size_t len, struct key *slots)
{
	if (len == 1) {
		add_key(slots, (struct key){ (unsigned char)name[0], false });
		return;
	}
	if (len == 3 && name[0] == 'C' && name[1] == '-') {
		add_key(slots, (struct key){ name[2] & 0x1f, false });
		return;
	}
	for (size_t i = 0; i < sizeof named / sizeof *named; i++)
		if (strlen(named[i].name) == len && strncmp(named[i].name, name, len) == 0)
			for (int j = 0; j < 3 && named[i].k[j].code; j++)
				add_key(slots, named[i].k[j]);
}

void keymap_init(void)
{
	memset(resolved, 0, sizeof resolved);
	for (size_t b = 0; b < NBINDINGS; b++) {
		const char *s = bindings[b].keys;
		while (*s) {
			size_t len = strcspn(s, " ");
			resolve(s, len, resolved[b]);
			s += len;
			s += strspn(s, " ");
		}
	}
}

static enum qpc_action find(int key, bool is_key_code, unsigned scope)
{
	for (size_t b = 0; b < NBINDINGS; b++) {
		if (!(bindings[b].scope & scope))
			continue;
		for (int i = 0; i < KEYS_PER_ACTION && resolved[b][i].code; i++)
			if (resolved[b][i].code == key && resolved[b][i].is_key_code == is_key_code)
				return bindings[b].action;
	}
	return QPC_ACT_NONE;
}

enum qpc_action keymap_lookup(int key, bool is_key_code, unsigned scope)
{
	/* what the view is about first, then what every list has */
	enum qpc_action a = find(key, is_key_code, scope & ~QPC_IN_GENERAL);
	return a != QPC_ACT_NONE ? a : find(key, is_key_code, (scope & QPC_IN_GENERAL) | QPC_IN_ALL);
}

/* Escape sequences curses may not know for this terminal type, as tmux
 * and others send them (tmux sends End as ESC [ 4 ~ whatever TERM says). */
static const struct {
	const char *seq;
	int key;
} sequences[] = {
	{ "[A", KEY_UP },     { "OA", KEY_UP },      { "[B", KEY_DOWN },   { "OB", KEY_DOWN },
	{ "[C", KEY_RIGHT },  { "OC", KEY_RIGHT },   { "[D", KEY_LEFT },   { "OD", KEY_LEFT },
	{ "[H", KEY_HOME },   { "OH", KEY_HOME },    { "[1~", KEY_HOME },  { "[7~", KEY_HOME },
	{ "[F", KEY_END },    { "OF", KEY_END },     { "[4~", KEY_END },   { "[8~", KEY_END },
	{ "[5~", KEY_PPAGE }, { "[6~", KEY_NPAGE },  { "[Z", KEY_BTAB },   { "OP", KEY_F(1) },
	{ "[11~", KEY_F(1) }, { "OQ", KEY_F(2) },    { "[12~", KEY_F(2) },
};

int keymap_escape(const char *seq)
{
	for (size_t i = 0; i < sizeof sequences / sizeof *sequences; i++)
		if (strcmp(sequences[i].seq, seq) == 0)
			return sequences[i].key;
	return 0;
}
