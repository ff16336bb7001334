/*
 * fuzz_parsers.c
 *	  libFuzzer harness for the backend-free parsers the input functions
 *	  call: annex_a_parse() (controls) and soa_parse() (SoA entries), with
 *	  their formatters.  The first byte picks the parser.  Whatever parses
 *	  must be a valid value that formats and parses back to itself.
 */
#include "postgres.h"

#include "iso_control_parse.h"
#include "soa_entry_parse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *str;

	if (size < 1)
		return 0;
	str = malloc(size);
	memcpy(str, data + 1, size - 1);
	str[size - 1] = '\0';

	if (data[0] % 2 == 0)
	{
		AnnexAParse parse;
		char		buf[ANNEX_A_FORMAT_BUFSIZE];
		uint32		id = annex_a_parse(str, &parse);

		if ((parse.status == ANNEX_A_OK) != (id != 0))
			__builtin_trap();
		if (id != 0)
		{
			if (!annex_a_is_valid(id))
				__builtin_trap();
			annex_a_format(id, buf);
			if (annex_a_parse(buf, &parse) != id)
				__builtin_trap();
		}
	}
	else
	{
		SoaParse	parse;
		char		buf[SOA_FORMAT_BUFSIZE];
		uint16		entry = soa_parse(str, &parse);

		if (parse.status == SOA_OK)
		{
			if (!soa_is_valid(entry))
				__builtin_trap();
			soa_format(entry, buf);
			if (soa_parse(buf, &parse) != entry || parse.status != SOA_OK)
				__builtin_trap();
		}
	}
	free(str);
	return 0;
}
