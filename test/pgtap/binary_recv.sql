-- The binary receive function accepts exactly the four bytes of an
-- existing control and rejects anything else with SQLSTATE 22P03.
-- A binary COPY of a bytea column writes its bytes as the field, so reading
-- that file into an iso_control column hands those bytes to
-- iso_control_recv.  The files live in the throwaway cluster's data
-- directory (server-side COPY, as a superuser).
\ir ../include/preamble.sql
SET LOCAL search_path = iso27001, public;

CREATE TEMP TABLE raw (b bytea);
CREATE TEMP TABLE target (c iso_control);

-- what COPY FROM makes of a field of these bytes
CREATE FUNCTION pg_temp.recv(bytes bytea) RETURNS iso27001.iso_control
LANGUAGE plpgsql AS $$
DECLARE
	file text := current_setting('data_directory') || '/iso27001_recv_test.bin';
	result iso27001.iso_control;
BEGIN
	TRUNCATE raw, target;
	INSERT INTO raw VALUES (bytes);
	EXECUTE format('COPY raw TO %L WITH (FORMAT binary)', file);
	EXECUTE format('COPY target FROM %L WITH (FORMAT binary)', file);
	SELECT c INTO result FROM target;
	RETURN result;
END $$;

SELECT plan(16);

-- valid bytes: edition code, then the numbers
SELECT is(pg_temp.recv('\x02050700'), 'A.5.7'::iso_control, '\x02050700 is A.5.7');
SELECT is(pg_temp.recv('\x02082200'), 'A.8.34'::iso_control, '\x02082200 is A.8.34');
SELECT is(pg_temp.recv('\x01070202'), 'A.7.2.2'::iso_control, '\x01070202 is A.7.2.2');
SELECT is(pg_temp.recv('\x01120203'), 'A.18.2.3'::iso_control, '\x01120203 is A.18.2.3');
SELECT is(pg_temp.recv(iso_control_send(control)), control,
		  format('%s survives send and receive', control))
  FROM (VALUES ('A.5.37'::iso_control), ('A.12.7.1')) AS t(control);

-- bytes that name no control
SELECT throws_ok(format('SELECT pg_temp.recv(%L)', bytes), '22P03',
				 'invalid external "iso_control" value', why)
  FROM (VALUES ('\x02052600', 'A.5.38 is rejected'),
			   ('\x02050701', 'a 2022 control with a third number is rejected'),
			   ('\x01090501', 'A.9.5.1 is rejected'),
			   ('\x03050700', 'an unknown edition code is rejected'),
			   ('\x00000000', 'all zeros are rejected'),
			   ('\xffffffff', 'all ones are rejected')) AS t(bytes, why);

-- a field of the wrong length
SELECT throws_ok(format('SELECT pg_temp.recv(%L)', bytes), '22P03',
				 'invalid external "iso_control" value',
				 format('%s bytes are rejected', length(bytes::bytea)))
  FROM unnest(ARRAY['\x', '\x020507', '\x0205070000', '\x0205070000000000']) AS bytes;

SELECT * FROM finish();
ROLLBACK;
