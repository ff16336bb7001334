/*-------------------------------------------------------------------------
 *
 * soa_entry_parse.h
 *	  The vocabulary of a Statement of Applicability entry, and the parser
 *	  and formatter of its text form.
 *
 * Like iso_control_parse.h this depends on c.h only, so that test harnesses can link
 * it without a server.
 *
 * An entry is packed into 16 bits so that integer order is a useful order:
 *
 *	  bits 10-8  state: 0 excluded, 1 not implemented, 2 planned,
 *				 3 partially implemented, 4 implemented (1-4 are applicable)
 *	  bits 5-0   reasons for inclusion, one bit each, in SOA_REASON order
 *
 * An excluded entry has no reasons; an applicable entry has at least one.
 * These two bytes, most significant first, are also the binary wire format.
 *
 * src/soa_entry_parse.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef ISO27001_SOA_ENTRY_PARSE_H
#define ISO27001_SOA_ENTRY_PARSE_H

/* include after c.h (or postgres.h), which gives uint16 and bool */

/* Applicability and implementation, in order of progress */
typedef enum SoaState
{
	SOA_EXCLUDED = 0,
	SOA_NOT_IMPLEMENTED = 1,
	SOA_PLANNED = 2,
	SOA_PARTIALLY_IMPLEMENTED = 3,
	SOA_IMPLEMENTED = 4
} SoaState;

#define SOA_NSTATES			5
#define SOA_NREASONS		6
#define SOA_REASON_MASK		((1 << SOA_NREASONS) - 1)

/* Longest text form: every reason listed, plus a terminating zero */
#define SOA_FORMAT_BUFSIZE	128

/* Room for one phrase of the vocabulary ("partially implemented") */
#define SOA_PHRASE_BUFSIZE	33

#define SOA_PACK(state, reasons)	((uint16) (((state) << 8) | (reasons)))
#define SOA_STATE(entry)			((SoaState) (((entry) >> 8) & 0x7))
#define SOA_REASONS(entry)			((int) ((entry) & SOA_REASON_MASK))

/* Why a string is not an SoA entry */
typedef enum SoaStatus
{
	SOA_OK,
	SOA_BAD_SYNTAX,				/* not "excluded" nor "applicable, x (y)" */
	SOA_EXCLUDED_WITH_MORE,		/* "excluded" followed by something */
	SOA_BAD_IMPLEMENTATION,		/* unknown implementation words */
	SOA_BAD_REASON,				/* unknown reason */
	SOA_NO_REASON,				/* applicable with an empty list */
	SOA_DUPLICATE_REASON		/* a reason listed twice */
} SoaStatus;

/* Outcome of a parse: the status, and the offending reason if any */
typedef struct SoaParse
{
	SoaStatus	status;
	int			reason;			/* for SOA_DUPLICATE_REASON */
} SoaParse;

extern const char *const soa_state_names[SOA_NSTATES];
extern const char *const soa_reason_names[SOA_NREASONS];

extern uint16 soa_parse(const char *str, SoaParse *parse);
extern bool soa_is_valid(uint16 entry);
extern int	soa_format(uint16 entry, char *buf);
extern int	soa_lookup_state(const char *word);
extern int	soa_lookup_reason(const char *word);
extern const char *soa_read_phrase(const char *p, char *buf);

#endif							/* ISO27001_SOA_ENTRY_PARSE_H */
