/*-------------------------------------------------------------------------
 *
 * iso_control_parse.c
 *	  The shape of ISO/IEC 27001 Annex A in both editions, and the parser
 *	  and formatter of control identifiers.
 *
 * An edition's Annex A never changes, so the number of controls in each
 * 2022 theme and in each 2013 control objective is compiled in here.  That
 * lets the type's input function validate a control without reading a
 * table and stay truly IMMUTABLE.  The catalogue tables seeded by the
 * install script hold the titles and attributes; the regression tests check
 * that both agree control by control.
 *
 * src/iso_control_parse.c
 *
 *-------------------------------------------------------------------------
 */
#include "c.h"

#include "iso_control_parse.h"

/*
 * ISO/IEC 27001:2022 Annex A: controls per theme, indexed by theme number
 * (5 Organizational, 6 People, 7 Physical, 8 Technological).
 */
static const uint8 theme_size_2022[ANNEX_A_LAST_THEME + 1] = {
	0, 0, 0, 0, 0, 37, 8, 14, 34
};

/*
 * ISO/IEC 27001:2013 Annex A: controls per control objective, indexed by
 * clause (A.5 .. A.18) and objective number; a zero ends a clause's list.
 */
static const uint8 objective_size_2013[ANNEX_A_LAST_CLAUSE + 1][8] = {
	[5] = {2},
	[6] = {5, 2},
	[7] = {2, 3, 1},
	[8] = {4, 3, 3},
	[9] = {2, 6, 1, 5},
	[10] = {2},
	[11] = {6, 9},
	[12] = {4, 1, 1, 4, 1, 2, 1},
	[13] = {3, 4},
	[14] = {3, 9, 1},
	[15] = {3, 2},
	[16] = {7},
	[17] = {3, 1},
	[18] = {5, 3},
};

/* Number of controls in a 2022 theme, or 0 if there is no such theme */
int
annex_a_theme_size(int theme)
{
	if (theme < ANNEX_A_FIRST_THEME || theme > ANNEX_A_LAST_THEME)
		return 0;
	return theme_size_2022[theme];
}

/* Number of control objectives in a 2013 clause, or 0 if there is none */
int
annex_a_objective_count(int clause)
{
	int			n = 0;

	if (clause < ANNEX_A_FIRST_CLAUSE || clause > ANNEX_A_LAST_CLAUSE)
		return 0;
	while (n < (int) lengthof(objective_size_2013[clause]) &&
		   objective_size_2013[clause][n] != 0)
		n++;
	return n;
}

/* Number of controls in a 2013 control objective, or 0 if there is none */
int
annex_a_objective_size(int clause, int objective)
{
	if (objective < 1 || objective > annex_a_objective_count(clause))
		return 0;
	return objective_size_2013[clause][objective - 1];
}

/* Is c a blank that may surround an identifier? */
static inline bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		c == '\v' || c == '\f';
}

/* Check the numbers read by the parser against the edition's shape */
static AnnexAStatus
check_shape(int nparts, const int *part)
{
	if (nparts == 2)
	{
		if (annex_a_theme_size(part[0]) == 0)
			return ANNEX_A_NO_SUCH_THEME;
		if (part[1] < 1 || part[1] > annex_a_theme_size(part[0]))
			return ANNEX_A_NO_SUCH_CONTROL_2022;
	}
	else
	{
		if (annex_a_objective_count(part[0]) == 0)
			return ANNEX_A_NO_SUCH_CLAUSE;
		if (annex_a_objective_size(part[0], part[1]) == 0)
			return ANNEX_A_NO_SUCH_OBJECTIVE;
		if (part[2] < 1 || part[2] > annex_a_objective_size(part[0], part[1]))
			return ANNEX_A_NO_SUCH_CONTROL_2013;
	}
	return ANNEX_A_OK;
}

/*
 * Parse a control identifier.
 *
 * Accepted: optional blanks, an optional "A." or "a.", two (2022) or three
 * (2013) numbers of one or two ASCII digits separated by periods, optional
 * blanks.  Leading zeros are allowed ("05.1.1" is how ISO/IEC 27002:2022
 * Annex B prints A.5.1.1).  Returns the packed identifier, or 0 with
 * parse->status saying why the string is not a control.
 */
uint32
annex_a_parse(const char *str, AnnexAParse *parse)
{
	const char *p = str;
	int			n = 0;

	parse->nparts = 0;
	parse->status = ANNEX_A_BAD_SYNTAX;

	while (is_blank(*p))
		p++;
	if ((p[0] == 'A' || p[0] == 'a') && p[1] == '.')
		p += 2;

	for (;;)
	{
		int			digits = 0;
		int			value = 0;

		while (*p >= '0' && *p <= '9')
		{
			if (++digits > 2)
			{
				parse->status = ANNEX_A_BAD_DIGITS;
				return 0;
			}
			value = value * 10 + (*p - '0');
			p++;
		}
		if (digits == 0 || n == 3)
			return 0;
		parse->part[n++] = value;
		if (*p != '.')
			break;
		p++;
	}

	while (is_blank(*p))
		p++;
	if (*p != '\0' || n < 2)
		return 0;

	parse->nparts = n;
	parse->status = check_shape(n, parse->part);
	if (parse->status != ANNEX_A_OK)
		return 0;

	if (n == 2)
		return ANNEX_A_PACK(ANNEX_A_EDITION_2022, parse->part[0],
							parse->part[1], 0);
	return ANNEX_A_PACK(ANNEX_A_EDITION_2013, parse->part[0],
						parse->part[1], parse->part[2]);
}

/* Is a packed value (from the wire, say) an existing control? */
bool
annex_a_is_valid(uint32 id)
{
	int			part[3] = {ANNEX_A_PART1(id), ANNEX_A_PART2(id), ANNEX_A_PART3(id)};

	switch (ANNEX_A_CODE(id))
	{
		case ANNEX_A_EDITION_2022:
			return part[2] == 0 && check_shape(2, part) == ANNEX_A_OK;
		case ANNEX_A_EDITION_2013:
			return check_shape(3, part) == ANNEX_A_OK;
		default:
			return false;
	}
}

/* Edition year of a packed identifier */
int
annex_a_edition(uint32 id)
{
	return ANNEX_A_CODE(id) == ANNEX_A_EDITION_2013 ? 2013 : 2022;
}

/* Append the decimal digits of a number below 100 */
static inline char *
put_number(char *p, int value)
{
	if (value >= 10)
		*p++ = '0' + value / 10;
	*p++ = '0' + value % 10;
	return p;
}

/*
 * Write the canonical text form ("A.5.7", "A.7.2.2") of a valid packed
 * identifier into buf, which has ANNEX_A_FORMAT_BUFSIZE bytes; returns
 * the length.
 */
int
annex_a_format(uint32 id, char *buf)
{
	char	   *p = buf;

	*p++ = 'A';
	*p++ = '.';
	p = put_number(p, ANNEX_A_PART1(id));
	*p++ = '.';
	p = put_number(p, ANNEX_A_PART2(id));
	if (ANNEX_A_CODE(id) == ANNEX_A_EDITION_2013)
	{
		*p++ = '.';
		p = put_number(p, ANNEX_A_PART3(id));
	}
	*p = '\0';
	return (int) (p - buf);
}

/*
 * Place of a valid packed identifier in the catalogue of both editions,
 * 0 .. ANNEX_A_CONTROLS - 1: the 93 controls of 2022 in their order, then
 * the 114 of 2013 in theirs.  Sets of controls are bitmaps over it.
 */
int
annex_a_ordinal(uint32 id)
{
	int			n = 0;

	if (ANNEX_A_CODE(id) == ANNEX_A_EDITION_2022)
	{
		for (int theme = ANNEX_A_FIRST_THEME; theme < ANNEX_A_PART1(id); theme++)
			n += theme_size_2022[theme];
		return n + ANNEX_A_PART2(id) - 1;
	}
	n = ANNEX_A_CONTROLS_2022;
	for (int clause = ANNEX_A_FIRST_CLAUSE; clause < ANNEX_A_PART1(id); clause++)
		for (int objective = 1; objective <= annex_a_objective_count(clause); objective++)
			n += annex_a_objective_size(clause, objective);
	for (int objective = 1; objective < ANNEX_A_PART2(id); objective++)
		n += annex_a_objective_size(ANNEX_A_PART1(id), objective);
	return n + ANNEX_A_PART3(id) - 1;
}

/* The packed identifier at a place of the catalogue (the inverse of annex_a_ordinal) */
uint32
annex_a_at_ordinal(int ordinal)
{
	int			n = ordinal;

	Assert(ordinal >= 0 && ordinal < ANNEX_A_CONTROLS);
	for (int theme = ANNEX_A_FIRST_THEME; theme <= ANNEX_A_LAST_THEME; theme++)
	{
		if (n < theme_size_2022[theme])
			return ANNEX_A_PACK(ANNEX_A_EDITION_2022, theme, n + 1, 0);
		n -= theme_size_2022[theme];
	}
	for (int clause = ANNEX_A_FIRST_CLAUSE; clause <= ANNEX_A_LAST_CLAUSE; clause++)
		for (int objective = 1; objective <= annex_a_objective_count(clause); objective++)
		{
			if (n < annex_a_objective_size(clause, objective))
				return ANNEX_A_PACK(ANNEX_A_EDITION_2013, clause, objective, n + 1);
			n -= annex_a_objective_size(clause, objective);
		}
	return 0;					/* can't happen */
}
