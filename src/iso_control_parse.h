/*-------------------------------------------------------------------------
 *
 * iso_control_parse.h
 *	  The shape of ISO/IEC 27001 Annex A in both editions, and the parser
 *	  and formatter of control identifiers.
 *
 * Nothing here depends on a running backend: the code uses only c.h, so
 * test harnesses (fuzzers, for one) can link it without a server.
 *
 * A control identifier is packed into 32 bits so that integer order is the
 * natural catalogue order:
 *
 *	  bits 31-24  edition code (1 = ISO/IEC 27001:2013, 2 = ISO/IEC 27001:2022)
 *	  bits 23-16  first number  (2022 theme, 2013 clause)
 *	  bits 15-8   second number (2022 control, 2013 objective)
 *	  bits 7-0    third number  (2013 control; always 0 in 2022)
 *
 * so A.5.7 (2022) is 0x02050700 and A.7.2.2 (2013) is 0x01070202.  These
 * four bytes, most significant first, are also the binary wire format.
 *
 * src/iso_control_parse.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef ISO27001_ISO_CONTROL_PARSE_H
#define ISO27001_ISO_CONTROL_PARSE_H

/* include after c.h (or postgres.h), which gives uint32 and bool */

#define ANNEX_A_EDITION_2013	1
#define ANNEX_A_EDITION_2022	2

/* Controls of each edition, and of both: the places annex_a_ordinal gives */
#define ANNEX_A_CONTROLS_2022	93
#define ANNEX_A_CONTROLS_2013	114
#define ANNEX_A_CONTROLS		(ANNEX_A_CONTROLS_2022 + ANNEX_A_CONTROLS_2013)

/* Longest canonical text form: "A.18.2.3" plus a terminating zero */
#define ANNEX_A_FORMAT_BUFSIZE	12

/* Why a string is not a control identifier */
typedef enum AnnexAStatus
{
	ANNEX_A_OK,
	ANNEX_A_BAD_SYNTAX,			/* not "A.n.n" or "A.n.n.n" */
	ANNEX_A_BAD_DIGITS,			/* a number with more than two digits */
	ANNEX_A_NO_SUCH_THEME,		/* 2022: theme outside 5..8 */
	ANNEX_A_NO_SUCH_CONTROL_2022,	/* 2022: number beyond the theme's size */
	ANNEX_A_NO_SUCH_CLAUSE,		/* 2013: clause outside A.5..A.18 */
	ANNEX_A_NO_SUCH_OBJECTIVE,	/* 2013: objective beyond the clause's */
	ANNEX_A_NO_SUCH_CONTROL_2013	/* 2013: number beyond the objective's */
} AnnexAStatus;

/* Outcome of a parse: the status and the numbers read so far */
typedef struct AnnexAParse
{
	AnnexAStatus status;
	int			nparts;			/* 2 (2022) or 3 (2013) when numbers were read */
	int			part[3];
} AnnexAParse;

extern uint32 annex_a_parse(const char *str, AnnexAParse *parse);
extern bool annex_a_is_valid(uint32 id);
extern int	annex_a_format(uint32 id, char *buf);

extern int	annex_a_edition(uint32 id);
extern int	annex_a_ordinal(uint32 id);
extern uint32 annex_a_at_ordinal(int ordinal);
extern int	annex_a_theme_size(int theme);
extern int	annex_a_objective_count(int clause);
extern int	annex_a_objective_size(int clause, int objective);

/* Pack and unpack the numbers of an identifier */
#define ANNEX_A_PACK(edition, a, b, c) \
	(((uint32) (edition) << 24) | ((uint32) (a) << 16) | \
	 ((uint32) (b) << 8) | (uint32) (c))
#define ANNEX_A_CODE(id)	((int) (((id) >> 24) & 0xFF))
#define ANNEX_A_PART1(id)	((int) (((id) >> 16) & 0xFF))
#define ANNEX_A_PART2(id)	((int) (((id) >> 8) & 0xFF))
#define ANNEX_A_PART3(id)	((int) ((id) & 0xFF))

/* The first and last theme of 2022 and clause of 2013 */
#define ANNEX_A_FIRST_THEME		5
#define ANNEX_A_LAST_THEME		8
#define ANNEX_A_FIRST_CLAUSE	5
#define ANNEX_A_LAST_CLAUSE		18

#endif							/* ISO27001_ISO_CONTROL_PARSE_H */
