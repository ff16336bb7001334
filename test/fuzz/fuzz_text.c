/*
 * fuzz_text.c
 *	  libFuzzer harness for the text input of every type of the extension:
 *	  iso_control, soa_entry, trend_ols, trend_rate (both sizes) and
 *	  trend_robust.  The first byte picks the type, the rest is the string.
 *	  Each input either raises an error or gives a value whose text form
 *	  reads back to the very same value (compared by its binary form:
 *	  send(in(out(v))) = send(v)); for the fixed-size trend states, the
 *	  state combined with itself (rollup) either raises an error (a count
 *	  out of range) or reads back from its text too.  Anything else, a
 *	  crash or a sanitizer report, is a finding.
 */
#include "postgres.h"

#include "fmgr.h"

#include "shim.h"

extern Datum iso_control_in(PG_FUNCTION_ARGS);
extern Datum iso_control_out(PG_FUNCTION_ARGS);
extern Datum iso_control_send(PG_FUNCTION_ARGS);
extern Datum soa_entry_in(PG_FUNCTION_ARGS);
extern Datum soa_entry_out(PG_FUNCTION_ARGS);
extern Datum soa_entry_send(PG_FUNCTION_ARGS);
extern Datum trend_ols_in(PG_FUNCTION_ARGS);
extern Datum trend_ols_out(PG_FUNCTION_ARGS);
extern Datum trend_ols_send(PG_FUNCTION_ARGS);
extern Datum trend_ols_combine(PG_FUNCTION_ARGS);
extern Datum trend_rate_in(PG_FUNCTION_ARGS);
extern Datum trend_rate_out(PG_FUNCTION_ARGS);
extern Datum trend_rate_send(PG_FUNCTION_ARGS);
extern Datum trend_rate_combine(PG_FUNCTION_ARGS);
extern Datum trend_rate_in_v2(PG_FUNCTION_ARGS);
extern Datum trend_rate_combine_v2(PG_FUNCTION_ARGS);
extern Datum trend_robust_in(PG_FUNCTION_ARGS);
extern Datum trend_robust_out(PG_FUNCTION_ARGS);
extern Datum trend_robust_send(PG_FUNCTION_ARGS);

static const struct
{
	PGFunction	in;
	PGFunction	out;
	PGFunction	send;
	PGFunction	combine;		/* of a fixed-size state, or NULL */
}			types[] = {
	{iso_control_in, iso_control_out, iso_control_send, NULL},
	{soa_entry_in, soa_entry_out, soa_entry_send, NULL},
	{trend_ols_in, trend_ols_out, trend_ols_send, trend_ols_combine},
	{trend_rate_in, trend_rate_out, trend_rate_send, trend_rate_combine},
	{trend_robust_in, trend_robust_out, trend_robust_send, NULL},
	{trend_rate_in_v2, trend_rate_out, trend_rate_send, trend_rate_combine_v2},
};

/* Are two values of a type the same, byte for byte in their binary form? */
static bool
same_value(int t, Datum a, Datum b)
{
	Datum		sa,
				sb;
	bytea	   *ba,
			   *bb;

	if (!shim_call(types[t].send, a, &sa) || !shim_call(types[t].send, b, &sb))
		return false;
	ba = DatumGetByteaPP(sa);
	bb = DatumGetByteaPP(sb);
	return VARSIZE_ANY_EXHDR(ba) == VARSIZE_ANY_EXHDR(bb) &&
		memcmp(VARDATA_ANY(ba), VARDATA_ANY(bb), VARSIZE_ANY_EXHDR(ba)) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *str;
	Datum		value,
				text,
				value2,
				sum,
				sum_text,
				sum2;
	int			t;

	if (size < 1)
		return 0;
	t = data[0] % lengthof(types);
	str = malloc(size);
	memcpy(str, data + 1, size - 1);
	str[size - 1] = '\0';

	if (shim_call(types[t].in, CStringGetDatum(str), &value))
	{
		if (!shim_call(types[t].out, value, &text) ||
			!shim_call(types[t].in, text, &value2) ||
			!same_value(t, value, value2))
			__builtin_trap();	/* a value that does not read back */
		/* value2 is a copy: the combine function updates its first argument */
		if (types[t].combine != NULL &&
			shim_call2(types[t].combine, value2, value, &sum) &&
			(!shim_call(types[t].out, sum, &sum_text) ||
			 !shim_call(types[t].in, sum_text, &sum2) ||
			 !same_value(t, sum, sum2)))
			__builtin_trap();	/* a combined state that does not read back */
	}
	free(str);
	shim_reset();
	return 0;
}
