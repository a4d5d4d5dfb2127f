/* keymap.c — the binding table from QPC_KEYMAP, the keys in force (the
 * defaults, as a config file rebinds them), and key names to codes. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui.h"

static const struct qpc_binding defaults[] = {
#define QPC_BINDING(name, scope, keys, help) { QPC_ACT_##name, scope, #name, keys, help },
	QPC_KEYMAP(QPC_BINDING)
#undef QPC_BINDING
};
#define NBINDINGS (sizeof defaults / sizeof *defaults)

/* The bindings in force: the defaults, their keys as a config file set
 * them ("j Down"). */
#define KEYS_TEXT 64
static struct qpc_binding live[NBINDINGS];
static char live_keys[NBINDINGS][KEYS_TEXT];
static bool live_ready;

static void live_reset(void)
{
	for (size_t b = 0; b < NBINDINGS; b++) {
		live[b] = defaults[b];
		snprintf(live_keys[b], KEYS_TEXT, "%s", defaults[b].keys);
		live[b].keys = live_keys[b];
	}
	live_ready = true;
}

const struct qpc_binding *qpc_keymap(size_t *n)
{
	if (!live_ready)
		live_reset();
	*n = NBINDINGS;
	return live;
}

static const unsigned scopes[] = {
	QPC_IN_ALL,        QPC_IN_LISTS,     QPC_IN_PANES, QPC_IN_DASHBOARD, QPC_IN_ACCOUNTS, QPC_IN_ACCOUNT,
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
				if (defaults[b].scope == scopes[s]) {
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
	case QPC_IN_DASHBOARD: return "Dashboard";
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
	{ "F3", { { KEY_F(3), true } } },
	{ "F4", { { KEY_F(4), true } } },
	{ "F5", { { KEY_F(5), true } } },
	{ "F6", { { KEY_F(6), true } } },
	{ "F7", { { KEY_F(7), true } } },
	{ "F8", { { KEY_F(8), true } } },
	{ "F9", { { KEY_F(9), true } } },
	{ "F10", { { KEY_F(10), true } } },
	{ "Delete", { { KEY_DC, true } } },
	{ "Backspace", { { KEY_BACKSPACE, true }, { 127, false }, { 8, false } } },
};

/* The key codes of each binding in force. */
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

/* The codes of one key's name ("j", "C-f", "PgDn"); how many, 0 for a
 * name that is no key. */
static int codes_of(const char *name, size_t len, struct key out[3])
{
	if (len == 1 && isgraph((unsigned char)name[0])) {
		out[0] = (struct key){ (unsigned char)name[0], false };
		return 1;
	}
	if (len == 3 && name[0] == 'C' && name[1] == '-' && isalpha((unsigned char)name[2])) {
		out[0] = (struct key){ toupper((unsigned char)name[2]) & 0x1f, false };
		return 1;
	}
	for (size_t i = 0; i < sizeof named / sizeof *named; i++)
		if (strlen(named[i].name) == len && strncasecmp(named[i].name, name, len) == 0) {
			int n = 0;
			while (n < 3 && named[i].k[n].code) {
				out[n] = named[i].k[n];
				n++;
			}
			return n;
		}
	return 0;
}

static void resolve_all(void)
{
	memset(resolved, 0, sizeof resolved);
	for (size_t b = 0; b < NBINDINGS; b++) {
		for (const char *s = live[b].keys; *s;) {
			size_t len = strcspn(s, " ");
			struct key k[3];
			int n = codes_of(s, len, k);
			for (int i = 0; i < n; i++)
				add_key(resolved[b], k[i]);
			s += len;
			s += strspn(s, " ");
		}
	}
}

void keymap_init(void)
{
	live_reset();
	resolve_all();
}

/* --- the config file ------------------------------------------------------ */

/* "move-down", "MOVE_DOWN", "Move_Down": the binding named so, or -1. */
static int action_named(const char *name)
{
	for (size_t b = 0; b < NBINDINGS; b++) {
		const char *a = defaults[b].name, *n = name;
		for (; *a && *n; a++, n++)
			if (!(*a == '_' ? (*n == '_' || *n == '-') : toupper((unsigned char)*n) == *a))
				break;
		if (!*a && !*n)
			return (int)b;
	}
	return -1;
}

static bool scopes_meet(unsigned a, unsigned b)
{
	return (a & b) || ((a & (QPC_IN_GENERAL)) && (b & (QPC_IN_GENERAL)));
}

/* Takes the keys with these codes from every other binding they would
 * compete with: a key does one thing in a view. */
static void take_keys(size_t to, const struct key *k, int nk)
{
	for (size_t b = 0; b < NBINDINGS; b++) {
		if (b == to || !scopes_meet(live[b].scope, live[to].scope))
			continue;
		char kept[KEYS_TEXT] = "";
		size_t used = 0;
		for (const char *s = live[b].keys; *s;) {
			size_t len = strcspn(s, " ");
			struct key c[3];
			int n = codes_of(s, len, c);
			bool taken = false;
			for (int i = 0; i < n; i++)
				for (int j = 0; j < nk; j++)
					taken |= c[i].code == k[j].code && c[i].is_key_code == k[j].is_key_code;
			if (!taken && used + len + 2 < sizeof kept) {
				used += (size_t)snprintf(kept + used, sizeof kept - used, "%s%.*s",
				                         used ? " " : "", (int)len, s);
			}
			s += len;
			s += strspn(s, " ");
		}
		snprintf(live_keys[b], KEYS_TEXT, "%s", kept);
	}
}

/* One line, "bind ACTION KEY..."; false with why in msg and the column
 * of the word at fault in *col (past the end for one missing). */
static bool bind_line(char *line, char *msg, size_t n, int *col)
{
	size_t len = strlen(line);
	char *save = NULL, *word = strtok_r(line, " \t", &save);
	*col = (int)len + 1;
	if (!word)
		return true;
	*col = (int)(word - line) + 1;
	if (strcmp(word, "bind") != 0) {
		snprintf(msg, n, "'%.40s' is not a command here (bind ACTION KEY...)", word);
		return false;
	}
	char *action = strtok_r(NULL, " \t", &save);
	int b = action ? action_named(action) : -1;
	*col = action ? (int)(action - line) + 1 : (int)len + 1;
	if (b < 0) {
		snprintf(msg, n, action ? "no action '%.40s' (the manual's KEYS section names them)"
		                        : "bind needs an action and its keys%s",
		         action ? action : "");
		return false;
	}
	char text[KEYS_TEXT] = "";
	struct key codes[KEYS_PER_ACTION];
	int ncodes = 0;
	size_t used = 0;
	for (char *key; (key = strtok_r(NULL, " \t", &save));) {
		struct key k[3];
		int nk = codes_of(key, strlen(key), k);
		*col = (int)(key - line) + 1;
		if (nk == 0) {
			snprintf(msg, n, "'%.20s' is no key (a character, C-x, or a name: Up, PgDn, Enter, F5...)",
			         key);
			return false;
		}
		if (ncodes + nk > KEYS_PER_ACTION || used + strlen(key) + 2 > sizeof text) {
			snprintf(msg, n, "too many keys for %s", defaults[b].name);
			return false;
		}
		for (int i = 0; i < nk; i++)
			codes[ncodes++] = k[i];
		used += (size_t)snprintf(text + used, sizeof text - used, "%s%s", used ? " " : "", key);
	}
	if (ncodes == 0) {
		*col = (int)len + 1;
		snprintf(msg, n, "bind %s names no key", defaults[b].name);
		return false;
	}
	take_keys((size_t)b, codes, ncodes);
	snprintf(live_keys[b], KEYS_TEXT, "%s", text);
	return true;
}

bool keymap_config_path(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int w;
	if (xdg && xdg[0] == '/')
		w = snprintf(buf, n, "%s/qpc/config", xdg);
	else if (home && home[0])
		w = snprintf(buf, n, "%s/.config/qpc/config", home);
	else
		return false;
	return w > 0 && (size_t)w < n;
}

int keymap_load(const char *path, char *msg, size_t n)
{
	if (!live_ready)
		live_reset();
	msg[0] = '\0';
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(msg, n, "%s: %s; the default keys are in force", path, strerror(errno));
		return 1;
	}
	char line[512];
	int lineno = 0, bad = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		size_t len = strcspn(line, "\r\n");
		bool whole = line[len] != '\0' || feof(f);
		line[len] = '\0';
		if (!whole) { /* the rest of an overlong line */
			int c;
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
		}
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char why[200];
		int col = 1;
		if (!whole) {
			snprintf(why, sizeof why, "the line is longer than %zu bytes", sizeof line - 2);
		} else if (bind_line(line, why, sizeof why, &col)) {
			continue;
		}
		if (bad++ == 0)
			snprintf(msg, n, "%s:%d:%d: %s; that line is left out", path, lineno, col, why);
	}
	fclose(f);
	if (bad > 1) {
		size_t used = strlen(msg);
		snprintf(msg + used, n - used, " (and %d more)", bad - 1);
	}
	resolve_all();
	return bad;
}

static enum qpc_action find(int key, bool is_key_code, unsigned scope)
{
	for (size_t b = 0; b < NBINDINGS; b++) {
		if (!(live[b].scope & scope))
			continue;
		for (int i = 0; i < KEYS_PER_ACTION && resolved[b][i].code; i++)
			if (resolved[b][i].code == key && resolved[b][i].is_key_code == is_key_code)
				return live[b].action;
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
