/* date.c — civil calendar arithmetic on day counts.
 *
 * days_from_civil / civil_from_days are Howard Hinnant's public-domain
 * algorithms: exact for the whole proleptic Gregorian calendar.
 */
#include "qpc/date.h"

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int qpc_date_days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool qpc_date_valid_ymd(int y, int m, int d)
{
	return y >= QPC_DATE_MIN_YEAR && y <= QPC_DATE_MAX_YEAR && m >= 1 && m <= 12 && d >= 1 &&
	       d <= qpc_date_days_in_month(y, m);
}

static qpc_date days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

bool qpc_date_from_ymd(int y, int m, int d, qpc_date *out)
{
	if (!qpc_date_valid_ymd(y, m, d))
		return false;
	*out = days_from_civil(y, m, d);
	return true;
}

void qpc_date_to_ymd(qpc_date date, int *y, int *m, int *d)
{
	int z = date + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int dd = doy - (153 * mp + 2) / 5 + 1;
	int mm = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (mm <= 2);
	*m = mm;
	*d = dd;
}

int qpc_date_year(qpc_date date)
{
	int y, m, d;
	qpc_date_to_ymd(date, &y, &m, &d);
	return y;
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool qpc_date_parse_iso(const char *s, qpc_date *out)
{
	int y, m, d;
	if (!s || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || s[10] != '\0')
		return false;
	return qpc_date_from_ymd(y, m, d, out);
}

char *qpc_date_format(qpc_date date, char *buf)
{
	int y, m, d;
	qpc_date_to_ymd(date, &y, &m, &d);
	unsigned uy = (unsigned)y % 10000u, um = (unsigned)m % 100u, ud = (unsigned)d % 100u;
	buf[0] = (char)('0' + uy / 1000);
	buf[1] = (char)('0' + uy / 100 % 10);
	buf[2] = (char)('0' + uy / 10 % 10);
	buf[3] = (char)('0' + uy % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + um / 10);
	buf[6] = (char)('0' + um % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + ud / 10);
	buf[9] = (char)('0' + ud % 10);
	buf[10] = '\0';
	return buf;
}

qpc_date qpc_date_add_months(qpc_date date, int months)
{
	int y, m, d;
	qpc_date_to_ymd(date, &y, &m, &d);
	long total = (long)y * 12 + (m - 1) + months;
	int ny = (int)(total >= 0 ? total / 12 : (total - 11) / 12);
	int nm = (int)(total - (long)ny * 12) + 1;
	int dim = qpc_date_days_in_month(ny, nm);
	return days_from_civil(ny, nm, d > dim ? dim : d);
}

qpc_date qpc_date_from_unix(int64_t t)
{
	int64_t days = t / 86400;
	if (t % 86400 < 0)
		days--;
	return (qpc_date)days;
}
