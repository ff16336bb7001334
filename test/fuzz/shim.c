/*
 * shim.c
 *	  Just enough of the PostgreSQL backend for the fuzz harnesses to call
 *	  the extension's input, receive and deserialize functions outside a
 *	  server: memory from an arena freed after each input, ereport(ERROR)
 *	  as a longjmp back to the harness, the wire-format readers and
 *	  writers.  Anything else the linked files name aborts if reached.
 */
#include "postgres.h"

#include <setjmp.h>

#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "shim.h"

/* the backend's globals that the macros name */
sigjmp_buf *PG_exception_stack = NULL;
ErrorContextCallback *error_context_stack = NULL;
volatile sig_atomic_t InterruptPending = false;
MemoryContext CurrentMemoryContext = NULL;

/* An arena: every allocation is a block on this list until shim_reset() */
typedef struct Block
{
	struct Block *next;
	size_t		size;
	max_align_t data[];
} Block;
static Block *blocks = NULL;

static void *
arena_alloc(size_t size, bool zero)
{
	Block	   *b;

	if (size > MaxAllocHugeSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("invalid memory alloc request size %zu", size)));
	b = zero ? calloc(1, sizeof(Block) + size) : malloc(sizeof(Block) + size);
	if (b == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	b->next = blocks;
	b->size = size;
	blocks = b;
	return b->data;
}

/* Free everything allocated since the last reset */
void
shim_reset(void)
{
	while (blocks)
	{
		Block	   *next = blocks->next;

		free(blocks);
		blocks = next;
	}
}

static void
check_size(Size size)
{
	if (!AllocSizeIsValid(size))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("invalid memory alloc request size %zu", size)));
}

void *
palloc(Size size)
{
	check_size(size);
	return arena_alloc(size, false);
}

void *
palloc0(Size size)
{
	check_size(size);
	return arena_alloc(size, true);
}

void *
palloc_extended(Size size, int flags)
{
	if (!(flags & MCXT_ALLOC_HUGE))
		check_size(size);
	return arena_alloc(size, (flags & MCXT_ALLOC_ZERO) != 0);
}

void *
MemoryContextAllocZero(MemoryContext context, Size size)
{
	check_size(size);
	return arena_alloc(size, true);
}

void *
MemoryContextAlloc(MemoryContext context, Size size)
{
	check_size(size);
	return arena_alloc(size, false);
}

void *
MemoryContextAllocHuge(MemoryContext context, Size size)
{
	return arena_alloc(size, false);
}

void *
repalloc_huge(void *pointer, Size size)
{
	Block	   *old = (Block *) ((char *) pointer - offsetof(Block, data));
	void	   *p = arena_alloc(size, false);

	memcpy(p, pointer, Min(old->size, size));
	return p;
}

void *
repalloc(void *pointer, Size size)
{
	check_size(size);
	return repalloc_huge(pointer, size);
}

void
pfree(void *pointer)
{
	/* freed with the arena */
}

char *
pstrdup(const char *in)
{
	size_t		len = strlen(in) + 1;

	return memcpy(palloc(len), in, len);
}

/* ereport(ERROR) jumps back to the harness; lower levels are ignored */
static int	current_level;

bool
errstart(int elevel, const char *domain)
{
	current_level = elevel;
	return elevel >= ERROR;
}

bool
errstart_cold(int elevel, const char *domain)
{
	return errstart(elevel, domain);
}

void
errfinish(const char *filename, int lineno, const char *funcname)
{
	if (current_level >= ERROR)
	{
		if (PG_exception_stack == NULL)
			abort();
		siglongjmp(*PG_exception_stack, 1);
	}
}

/* from 16, errsave(): no ErrorSaveContext here, so a hard error */
#if PG_VERSION_NUM >= 160000
bool
errsave_start(struct Node *context, const char *domain)
{
	return errstart(ERROR, domain);
}

void
errsave_finish(struct Node *context, const char *filename, int lineno, const char *funcname)
{
	errfinish(filename, lineno, funcname);
}
#endif

int			errcode(int sqlerrcode) { return 0; }
int			errmsg(const char *fmt,...) { return 0; }
int			errmsg_internal(const char *fmt,...) { return 0; }
int			errdetail(const char *fmt,...) { return 0; }
int			errdetail_plural(const char *fmt_singular, const char *fmt_plural, unsigned long n,...) { return 0; }
int			errhint(const char *fmt,...) { return 0; }

void
ProcessInterrupts(void)
{
}

void
float_overflow_error(void)
{
	ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE), errmsg("value out of range: overflow")));
}

/* Aggregate support: a deserialize function asks for its context */
int
AggCheckCallContext(FunctionCallInfo fcinfo, MemoryContext *aggcontext)
{
	if (aggcontext)
		*aggcontext = NULL;
	return AGG_CONTEXT_AGGREGATE;
}

/* Values are never toasted here: the harness builds plain varlenas */
struct varlena *
pg_detoast_datum(struct varlena *datum)
{
	return datum;
}

struct varlena *
pg_detoast_datum_packed(struct varlena *datum)
{
	return datum;
}

struct varlena *
pg_detoast_datum_copy(struct varlena *datum)
{
	struct varlena *copy = palloc(VARSIZE_ANY(datum));

	memcpy(copy, datum, VARSIZE_ANY(datum));
	return copy;
}

char *
text_to_cstring(const text *t)
{
	int			len = VARSIZE_ANY_EXHDR(t);
	char	   *result = palloc(len + 1);

	memcpy(result, VARDATA_ANY(t), len);
	result[len] = '\0';
	return result;
}

text *
cstring_to_text(const char *s)
{
	int			len = strlen(s);
	text	   *result = palloc(len + VARHDRSZ);

	SET_VARSIZE(result, len + VARHDRSZ);
	memcpy(VARDATA(result), s, len);
	return result;
}

/* The wire format, as src/backend/libpq/pqformat.c defines it */
static void
read_bytes(StringInfo msg, void *buf, int n)
{
	if (n < 0 || n > msg->len - msg->cursor)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("insufficient data left in message")));
	memcpy(buf, &msg->data[msg->cursor], n);
	msg->cursor += n;
}

unsigned int
pq_getmsgint(StringInfo msg, int b)
{
	uint8		n8;
	uint16		n16;
	uint32		n32;

	switch (b)
	{
		case 1:
			read_bytes(msg, &n8, 1);
			return n8;
		case 2:
			read_bytes(msg, &n16, 2);
			return pg_ntoh16(n16);
		case 4:
			read_bytes(msg, &n32, 4);
			return pg_ntoh32(n32);
	}
	abort();
}

int64
pq_getmsgint64(StringInfo msg)
{
	uint64		n64;

	read_bytes(msg, &n64, 8);
	return pg_ntoh64(n64);
}

float8
pq_getmsgfloat8(StringInfo msg)
{
	union
	{
		float8		f;
		int64		i;
	}			swap;

	swap.i = pq_getmsgint64(msg);
	return swap.f;
}

void
pq_begintypsend(StringInfo buf)
{
	initStringInfo(buf);
	appendStringInfoSpaces(buf, VARHDRSZ);
}

bytea *
pq_endtypsend(StringInfo buf)
{
	bytea	   *result = (bytea *) buf->data;

	SET_VARSIZE(result, buf->len);
	return result;
}

void
#if PG_VERSION_NUM >= 160000
pq_sendbytes(StringInfo buf, const void *data, int datalen)
#else
pq_sendbytes(StringInfo buf, const char *data, int datalen)
#endif
{
	appendBinaryStringInfo(buf, data, datalen);
}

/* The harness's database speaks UTF-8 */
bool
pg_verifymbstr(const char *mbstr, int len, bool noError)
{
	if (pg_encoding_verifymbstr(PG_UTF8, mbstr, len) == len)
		return true;
	if (!noError)
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("invalid byte sequence for encoding \"UTF8\"")));
	return false;
}

void
pq_sendfloat8(StringInfo buf, float8 f)
{
	union
	{
		float8		f;
		int64		i;
	}			swap;

	swap.f = f;
	pq_sendint64(buf, swap.i);
}
