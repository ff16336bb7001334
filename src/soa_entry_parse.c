/*-------------------------------------------------------------------------
 *
 * soa_entry_parse.c
 *	  The vocabulary of a Statement of Applicability entry, and the parser
 *	  and formatter of its text form:
 *
 *		excluded
 *		applicable, <implementation> (<reason>[, <reason> ...])
 *
 *	  for example "applicable, implemented (risk treatment, contractual)".
 *	  Words are matched case-insensitively and blanks between them may be
 *	  any run of white space; the output is the canonical form above, with
 *	  the reasons in vocabulary order.
 *
 * src/soa_entry_parse.c
 *
 *-------------------------------------------------------------------------
 */
#include "c.h"

#include "soa_entry_parse.h"

/* Implementation states, indexed by SoaState; [0] is the excluded entry */
const char *const soa_state_names[SOA_NSTATES] = {
	"excluded",
	"not implemented",
	"planned",
	"partially implemented",
	"implemented"
};

/* Reasons for inclusion, in bit order */
const char *const soa_reason_names[SOA_NREASONS] = {
	"risk treatment",
	"legal",
	"regulatory",
	"contractual",
	"business requirement",
	"best practice"
};

/* Longest phrase worth reading: longer ones match no word anyway */
#define PHRASE_MAX	(SOA_PHRASE_BUFSIZE - 1)

/* Is c a blank between words? */
static inline bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		c == '\v' || c == '\f';
}

/* Lower-case an ASCII letter, leave every other byte alone */
static inline char
ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* Skip blanks */
static inline const char *
skip_blanks(const char *p)
{
	while (is_blank(*p))
		p++;
	return p;
}

/*
 * Read a phrase up to the next ',', '(' or ')' or the end into buf (of
 * SOA_PHRASE_BUFSIZE bytes): lower-cased, each run of blanks as one space,
 * without surrounding blanks.  A phrase too long to be a word of the
 * vocabulary comes back as "?".  Returns where reading stopped.
 */
const char *
soa_read_phrase(const char *p, char *buf)
{
	int			n = 0;
	bool		overflow = false;

	p = skip_blanks(p);
	while (*p != '\0' && *p != ',' && *p != '(' && *p != ')')
	{
		char		c = is_blank(*p) ? ' ' : ascii_lower(*p);

		p++;
		if (c == ' ' && (n == 0 || buf[n - 1] == ' '))
			continue;
		if (n == PHRASE_MAX)
			overflow = true;
		else
			buf[n++] = c;
	}
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	if (overflow)
		strcpy(buf, "?");
	return p;
}

/* Index of an implementation state (1..4) named by word, or -1 */
int
soa_lookup_state(const char *word)
{
	for (int i = SOA_NOT_IMPLEMENTED; i < SOA_NSTATES; i++)
		if (strcmp(word, soa_state_names[i]) == 0)
			return i;
	return -1;
}

/* Bit number of the reason named by word, or -1 */
int
soa_lookup_reason(const char *word)
{
	for (int i = 0; i < SOA_NREASONS; i++)
		if (strcmp(word, soa_reason_names[i]) == 0)
			return i;
	return -1;
}

/*
 * Parse the text form of an entry.  Returns the packed entry, or 0 with
 * parse->status saying why the string is not an entry (0 is also the
 * excluded entry: look at the status).
 */
uint16
soa_parse(const char *str, SoaParse *parse)
{
	char		word[PHRASE_MAX + 1];
	const char *p;
	int			state;
	int			reasons = 0;

	parse->status = SOA_BAD_SYNTAX;
	parse->reason = -1;

	p = soa_read_phrase(str, word);
	if (strcmp(word, "excluded") == 0)
	{
		if (*p != '\0')
		{
			parse->status = SOA_EXCLUDED_WITH_MORE;
			return 0;
		}
		parse->status = SOA_OK;
		return SOA_PACK(SOA_EXCLUDED, 0);
	}
	if (strcmp(word, "applicable") != 0 || *p != ',')
		return 0;

	p = soa_read_phrase(p + 1, word);
	if (*p != '(')
		return 0;
	state = soa_lookup_state(word);
	if (state < 0)
	{
		parse->status = SOA_BAD_IMPLEMENTATION;
		return 0;
	}

	/* the reasons, up to the closing parenthesis */
	p++;
	for (;;)
	{
		int			reason;

		p = soa_read_phrase(p, word);
		if (*p != ',' && *p != ')')
			return 0;
		if (word[0] == '\0' && *p == ')' && reasons == 0)
		{
			parse->status = SOA_NO_REASON;
			return 0;
		}
		reason = soa_lookup_reason(word);
		if (reason < 0)
		{
			parse->status = word[0] == '\0' ? SOA_BAD_SYNTAX : SOA_BAD_REASON;
			return 0;
		}
		if (reasons & (1 << reason))
		{
			parse->status = SOA_DUPLICATE_REASON;
			parse->reason = reason;
			return 0;
		}
		reasons |= 1 << reason;
		if (*p++ == ')')
			break;
	}

	if (*skip_blanks(p) != '\0')
		return 0;
	parse->status = SOA_OK;
	return SOA_PACK(state, reasons);
}

/* Is a packed value (from the wire, say) a valid entry? */
bool
soa_is_valid(uint16 entry)
{
	if (entry & ~(0x700 | SOA_REASON_MASK))
		return false;
	if (SOA_STATE(entry) == SOA_EXCLUDED)
		return SOA_REASONS(entry) == 0;
	return SOA_STATE(entry) < SOA_NSTATES && SOA_REASONS(entry) != 0;
}

/* Copy a string to p; returns the end of the copy */
static inline char *
append(char *p, const char *s)
{
	size_t		len = strlen(s);

	memcpy(p, s, len);
	return p + len;
}

/*
 * Write the canonical text form of a valid entry into buf, which has
 * SOA_FORMAT_BUFSIZE bytes; returns the length.
 */
int
soa_format(uint16 entry, char *buf)
{
	char	   *p = buf;
	bool		first = true;

	if (SOA_STATE(entry) == SOA_EXCLUDED)
	{
		strcpy(buf, soa_state_names[SOA_EXCLUDED]);
		return (int) strlen(buf);
	}

	p = append(p, "applicable, ");
	p = append(p, soa_state_names[SOA_STATE(entry)]);
	p = append(p, " (");
	for (int i = 0; i < SOA_NREASONS; i++)
	{
		if (!(SOA_REASONS(entry) & (1 << i)))
			continue;
		if (!first)
			p = append(p, ", ");
		p = append(p, soa_reason_names[i]);
		first = false;
	}
	*p++ = ')';
	*p = '\0';
	return (int) (p - buf);
}
