/*
 * fuzz_binary.c
 *	  libFuzzer harness for the binary input of every type (the receive
 *	  functions of iso_control, soa_entry, trend_ols, trend_rate of both
 *	  sizes and trend_robust) and for the deserialize functions of the
 *	  robust trend and of the validator's census aggregates (of the
 *	  register and of the evidence records).  The first byte picks the
 *	  function (modulo 16: the seeds' ASCII digit '0' is 48; a byte naming
 *	  none is skipped), the rest is the message.  Each input either raises an error or
 *	  gives a value that sends and receives back to the same bytes;
 *	  anything else is a finding.
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

#include "shim.h"

extern Datum iso_control_recv(PG_FUNCTION_ARGS);
extern Datum iso_control_send(PG_FUNCTION_ARGS);
extern Datum soa_entry_recv(PG_FUNCTION_ARGS);
extern Datum soa_entry_send(PG_FUNCTION_ARGS);
extern Datum trend_ols_recv(PG_FUNCTION_ARGS);
extern Datum trend_ols_send(PG_FUNCTION_ARGS);
extern Datum trend_rate_recv(PG_FUNCTION_ARGS);
extern Datum trend_rate_send(PG_FUNCTION_ARGS);
extern Datum trend_rate_recv_v2(PG_FUNCTION_ARGS);
extern Datum trend_robust_recv(PG_FUNCTION_ARGS);
extern Datum trend_robust_send(PG_FUNCTION_ARGS);
extern Datum trend_robust_deserialize(PG_FUNCTION_ARGS);
extern Datum trend_robust_serialize(PG_FUNCTION_ARGS);
extern Datum soa_census_deserialize(PG_FUNCTION_ARGS);
extern Datum soa_census_serialize(PG_FUNCTION_ARGS);
extern Datum evidence_census_deserialize(PG_FUNCTION_ARGS);
extern Datum evidence_census_serialize(PG_FUNCTION_ARGS);

static const struct
{
	PGFunction	recv;
	PGFunction	send;
	bool		bytea_arg;		/* deserialize takes a bytea, recv a message */
}			functions[] = {
	{iso_control_recv, iso_control_send, false},
	{soa_entry_recv, soa_entry_send, false},
	{trend_ols_recv, trend_ols_send, false},
	{trend_rate_recv, trend_rate_send, false},
	{trend_robust_recv, trend_robust_send, false},
	{trend_robust_deserialize, trend_robust_serialize, true},
	{soa_census_deserialize, soa_census_serialize, true},
	{trend_rate_recv_v2, trend_rate_send, false},
	{evidence_census_deserialize, evidence_census_serialize, true},
};

/* Read a value from bytes as the function expects them */
static bool
read_value(int f, const char *bytes, int len, Datum *value)
{
	if (functions[f].bytea_arg)
	{
		bytea	   *b = palloc(len + VARHDRSZ);

		SET_VARSIZE(b, len + VARHDRSZ);
		memcpy(VARDATA(b), bytes, len);
		return shim_call(functions[f].recv, PointerGetDatum(b), value);
	}
	else
	{
		StringInfoData msg;
		bool		ok;

		initStringInfo(&msg);
		appendBinaryStringInfo(&msg, bytes, len);
		ok = shim_call(functions[f].recv, PointerGetDatum(&msg), value);
		/* a receive function must read the whole message (record_recv checks) */
		return ok && msg.cursor == msg.len;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Datum		value,
				sent1,
				value2,
				sent2;
	int			f;

	if (size < 1 || size > 1 << 20)
		return 0;
	f = data[0] % 16;
	if (f >= (int) lengthof(functions))
		return 0;

	if (read_value(f, (const char *) data + 1, size - 1, &value))
	{
		bytea	   *b1,
				   *b2;

		if (!shim_call(functions[f].send, value, &sent1))
			__builtin_trap();
		b1 = DatumGetByteaPP(sent1);
		if (!read_value(f, VARDATA_ANY(b1), VARSIZE_ANY_EXHDR(b1), &value2) ||
			!shim_call(functions[f].send, value2, &sent2))
			__builtin_trap();	/* a value that does not read back */
		b2 = DatumGetByteaPP(sent2);
		if (VARSIZE_ANY_EXHDR(b1) != VARSIZE_ANY_EXHDR(b2) ||
			memcmp(VARDATA_ANY(b1), VARDATA_ANY(b2), VARSIZE_ANY_EXHDR(b1)) != 0)
			__builtin_trap();
	}
	shim_reset();
	return 0;
}
