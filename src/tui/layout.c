/* layout.c — the dashboard's arithmetic: sizes, scales and labels. */
#include "qpc/uilayout.h"

#include <stdio.h>
#include <string.h>

int uil_eighths(int64_t value, int64_t max, int width)
{
	if (value <= 0 || max <= 0 || width <= 0)
		return 0;
	int64_t all = (int64_t)width * 8;
	if (value >= max)
		return (int)all;
	/* value/max * all, rounded, in 128 bits so that money cannot overflow */
	__extension__ typedef __int128 i128;
	int64_t e = (int64_t)(((i128)value * all + max / 2) / max);
	if (e < 1)
		e = 1;
	if (e >= all)
		e = all - 1;
	return (int)e;
}

void uil_spark(const qpc_money *v, int n, int *levels)
{
	qpc_money max = 0;
	for (int i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	for (int i = 0; i < n; i++) {
		if (v[i] <= 0) {
			levels[i] = -1;
			continue;
		}
		/* ceil(8 v / max) - 1: the largest is level 7 */
		__extension__ typedef __int128 i128;
		levels[i] = (int)(((i128)v[i] * 8 + max - 1) / max) - 1;
	}
}

void uil_curve(const qpc_money *pts, const int64_t *partners, int n, int width, int height,
               int *heights, int *marks)
{
	qpc_money max = 0;
	for (int i = 0; i < n; i++)
		if (pts[i] > max)
			max = pts[i];
	for (int c = 0; c < width; c++) {
		int last = (int)(((int64_t)(c + 1) * n - 1) / width);
		heights[c] = uil_eighths(pts[last], max, height);
		marks[c] = 0;
	}
	for (int s = 0; s < n; s++)
		if (partners[s] > 0)
			marks[(int64_t)s * width / n] = 1;
}

void uil_split(int total, int n, const int *min, const int *want, int *out)
{
	int left = total > 0 ? total : 0;
	for (int i = 0; i < n; i++) {
		out[i] = min[i] <= left ? min[i] : 0;
		left -= out[i];
	}
	int open = -1; /* a pane that takes all the rest */
	for (int i = 0; i < n && left > 0; i++) {
		if (out[i] == 0 && min[i] > 0)
			continue; /* hidden */
		if (want[i] < 0) {
			open = open < 0 ? i : open;
			continue;
		}
		int more = want[i] - out[i];
		if (more > left)
			more = left;
		if (more > 0) {
			out[i] += more;
			left -= more;
		}
	}
	if (open >= 0) {
		out[open] += left;
		return;
	}
	for (int i = n - 1; i >= 0 && left > 0; i--)
		if (out[i] > 0) {
			out[i] += left;
			return;
		}
}

int uil_scroll(int cursor, int top, int visible, int count, int margin)
{
	if (visible <= 0 || count <= 0)
		return 0;
	if (margin > (visible - 1) / 2)
		margin = (visible - 1) / 2;
	if (cursor < top + margin)
		top = cursor - margin;
	if (cursor > top + visible - 1 - margin)
		top = cursor - (visible - 1 - margin);
	if (top > count - visible)
		top = count - visible;
	return top < 0 ? 0 : top;
}

void uil_share(struct qpc_share s, bool ascii, char *buf, size_t n)
{
	if (s.kind == QPC_SHARE_UNDEFINED)
		snprintf(buf, n, "%s", ascii ? "-" : "\xe2\x80\x93");
	else if (s.kind == QPC_SHARE_OVER)
		snprintf(buf, n, "100%%+");
	else
		qpc_permille_format(qpc_round_div(s.bp, 10), buf, n); /* rounded, as the report */
}

void uil_count(int64_t v, char *buf, size_t n)
{
	char digits[24];
	int len = snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
	size_t pos = 0;
	if (v < 0 && pos + 1 < n)
		buf[pos++] = '-';
	for (int i = 0; i < len && pos + 1 < n; i++) {
		buf[pos++] = digits[i];
		if ((len - 1 - i) % 3 == 0 && i < len - 1 && pos + 1 < n)
			buf[pos++] = ',';
	}
	if (n)
		buf[pos < n ? pos : n - 1] = '\0';
}

void uil_money(bool known, qpc_money v, int minor_units, int width, bool ascii, char *buf,
               size_t n)
{
	if (!known) {
		snprintf(buf, n, "%s", ascii ? "-" : "\xe2\x80\x93");
		return;
	}
	qpc_money_format(v, minor_units, QPC_MONEY_WHOLE, buf, n); /* rounded, not cut */
	if ((int)strlen(buf) > width)
		qpc_money_format(v, minor_units, QPC_MONEY_SHORT, buf, n);
}

void uil_age(bool measured, qpc_date on, qpc_date as_of, char *buf, size_t n)
{
	if (!measured) {
		snprintf(buf, n, "none");
		return;
	}
	int days = as_of - on;
	if (days < 0)
		days = 0;
	if (days < 60)
		snprintf(buf, n, "%dd", days);
	else if (days < 730)
		snprintf(buf, n, "%dmo", days * 12 / 365);
	else
		snprintf(buf, n, "%d.%dy", days / 365, days % 365 * 10 / 365);
}
