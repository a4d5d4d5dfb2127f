/* w_input.c — one line of text being typed: the search prompt, a form
 * field, a question on the message line, a file path.
 *
 * The text is UTF-8 and the cursor a byte offset that always sits on the
 * start of a character.  The keys are those of a shell's line editor:
 * Left, Right, Home (C-a), End (C-e), Backspace, Delete (C-d), C-u (to the
 * start), C-k (to the end) and C-w (the word before).  What is drawn
 * goes through draw_text, so a pasted control character shows escaped.
 *
 * A pre-filled value (input_prefill) starts selected, so that typing a
 * new goal over "1" gives "60", not "160": the first character typed
 * replaces the whole text, Backspace or Delete clears it, and a cursor key
 * drops the selection and keeps the text to edit.
 */
#include <limits.h>
#include <string.h>
#include <wchar.h>

#include "ui_widgets.h"

/* Where the terminal's cursor goes once the screen is drawn: the field
 * being typed in, if any (the status bar is drawn after the view). */
static struct {
	bool on;
	int y, x;
} want;

void input_set(struct input *in, const char *s)
{
	snprintf(in->text, sizeof in->text, "%s", s ? s : "");
	/* never leave half a character at the end of a cut */
	size_t len = strlen(in->text);
	if (len == sizeof in->text - 1) {
		while (len > 0 && ((unsigned char)in->text[len - 1] & 0xc0) == 0x80)
			len--;
		if (len > 0 && ((unsigned char)in->text[len - 1] & 0x80))
			len--;
		in->text[len] = '\0';
	}
	in->cur = strlen(in->text);
	in->selected = false;
}

void input_prefill(struct input *in, const char *s)
{
	input_set(in, s);
	in->selected = in->text[0] != '\0';
}

static size_t prev_char(const char *s, size_t at)
{
	while (at > 0 && ((unsigned char)s[--at] & 0xc0) == 0x80)
		;
	return at;
}

static size_t next_char(const char *s, size_t at)
{
	if (!s[at])
		return at;
	at++;
	while (s[at] && ((unsigned char)s[at] & 0xc0) == 0x80)
		at++;
	return at;
}

/* Removes the bytes [from, to) of the text. */
static void cut(struct input *in, size_t from, size_t to)
{
	size_t len = strlen(in->text);
	memmove(in->text + from, in->text + to, len - to + 1);
	in->cur = from;
}

static bool is_erase(wint_t ch, bool is_code)
{
	return is_code ? ch == KEY_BACKSPACE || ch == KEY_DC : ch == 4 || ch == 8 || ch == 127;
}

static bool is_text(wint_t ch)
{
	return !(ch < 32 || ch == 127 || (ch >= 0x80 && ch < 0xa0));
}

static enum input_result edit_key(struct input *in, wint_t ch, bool is_code);

/* A key on a selected text: a character or an erase takes the whole text
 * with it; any other key the field knows drops the selection first. */
static enum input_result selected_key(struct input *in, wint_t ch, bool is_code)
{
	if (is_erase(ch, is_code)) {
		input_set(in, "");
		return INPUT_EDITED;
	}
	if (!is_code && is_text(ch)) {
		struct input was = *in;
		input_set(in, "");
		enum input_result r = edit_key(in, ch, false);
		if (r != INPUT_EDITED)
			*in = was; /* a character that cannot be written */
		return r;
	}
	enum input_result r = edit_key(in, ch, is_code);
	if (r != INPUT_IGNORED) /* Enter, Esc, Tab... leave it as it was */
		in->selected = false;
	return r;
}

enum input_result input_key(struct input *in, wint_t ch, bool is_code)
{
	if (in->selected)
		return selected_key(in, ch, is_code);
	return edit_key(in, ch, is_code);
}

static enum input_result edit_key(struct input *in, wint_t ch, bool is_code)
{
	size_t len = strlen(in->text);
	if (is_code) {
		switch (ch) {
		case KEY_LEFT: in->cur = prev_char(in->text, in->cur); return INPUT_MOVED;
		case KEY_RIGHT: in->cur = next_char(in->text, in->cur); return INPUT_MOVED;
		case KEY_HOME: in->cur = 0; return INPUT_MOVED;
		case KEY_END: in->cur = len; return INPUT_MOVED;
		case KEY_BACKSPACE:
			if (in->cur == 0)
				return INPUT_MOVED;
			cut(in, prev_char(in->text, in->cur), in->cur);
			return INPUT_EDITED;
		case KEY_DC:
			if (!in->text[in->cur])
				return INPUT_MOVED;
			cut(in, in->cur, next_char(in->text, in->cur));
			return INPUT_EDITED;
		default: return INPUT_IGNORED;
		}
	}
	switch (ch) {
	case 1: in->cur = 0; return INPUT_MOVED;   /* C-a */
	case 5: in->cur = len; return INPUT_MOVED; /* C-e */
	case 2: in->cur = prev_char(in->text, in->cur); return INPUT_MOVED; /* C-b */
	case 6: in->cur = next_char(in->text, in->cur); return INPUT_MOVED; /* C-f */
	case 4: /* C-d */
		return edit_key(in, KEY_DC, true);
	case 8:
	case 127: return edit_key(in, KEY_BACKSPACE, true);
	case 21: cut(in, 0, in->cur); return INPUT_EDITED; /* C-u */
	case 11: in->text[in->cur] = '\0'; return INPUT_EDITED; /* C-k */
	case 23: { /* C-w: the word before the cursor, and the spaces after it */
		size_t at = in->cur;
		while (at > 0 && in->text[at - 1] == ' ')
			at--;
		while (at > 0 && in->text[at - 1] != ' ')
			at--;
		cut(in, at, in->cur);
		return INPUT_EDITED;
	}
	default: break;
	}
	if (!is_text(ch))
		return INPUT_IGNORED; /* Enter, Esc, Tab and the like are the caller's */
	char mb[MB_LEN_MAX];
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	size_t k = wcrtomb(mb, (wchar_t)ch, &ps);
	if (k == (size_t)-1 || len + k >= sizeof in->text)
		return INPUT_FULL;
	memmove(in->text + in->cur + k, in->text + in->cur, len - in->cur + 1);
	memcpy(in->text + in->cur, mb, k);
	in->cur += k;
	return INPUT_EDITED;
}

int input_draw(const struct input *in, int y, int x, int w, attr_t attr, bool cursor)
{
	if (w <= 0)
		return x;
	char before[sizeof in->text];
	memcpy(before, in->text, in->cur);
	before[in->cur] = '\0';
	/* the cursor stays in sight: drop characters from the left until the
	 * text before it fits with a cell to spare */
	const char *shown = before;
	int cw = (int)textcell_width(shown);
	while (cw >= w && *shown) {
		shown += next_char(shown, 0);
		cw = (int)textcell_width(shown);
	}
	size_t skip = (size_t)(shown - before);
	if (in->selected) { /* the value alone, not the rest of the field */
		draw_text(y, x, w, "", TEXTCELL_LEFT, attr);
		draw_span(y, x, w, in->text + skip, attr ^ A_REVERSE);
	} else {
		draw_text(y, x, w, in->text + skip, TEXTCELL_LEFT, attr);
	}
	if (cursor) {
		want.on = true;
		want.y = y;
		want.x = x + cw;
	}
	return x + cw;
}

void input_cursor_place(bool reset)
{
	if (!reset && want.on) {
		move(want.y, want.x);
		curs_set(1);
	} else {
		curs_set(0);
	}
	if (reset)
		want.on = false;
}
