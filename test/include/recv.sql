-- Included by the pgTAP tests of binary forms.  recv_as(bytes, type) is
-- what COPY FROM makes of a field of these bytes in a column of that
-- type: a binary COPY of a bytea writes its bytes as the field, so reading
-- the file back hands them to the type's receive function.  The file lives
-- in the throwaway cluster's data directory (server-side COPY, as a
-- superuser).
CREATE TEMP TABLE recv_raw (b bytea);
CREATE FUNCTION pg_temp.recv_as(bytes bytea, target regtype) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	file text := current_setting('data_directory') || '/iso27001_recv_test.bin';
	result text;
BEGIN
	TRUNCATE recv_raw;
	INSERT INTO recv_raw VALUES (bytes);
	EXECUTE format('COPY recv_raw TO %L WITH (FORMAT binary)', file);
	EXECUTE format('CREATE TEMP TABLE recv_target (v %s)', target);
	EXECUTE format('COPY recv_target FROM %L WITH (FORMAT binary)', file);
	EXECUTE 'SELECT v::text FROM recv_target' INTO result;
	DROP TABLE recv_target;
	RETURN result;
END $$;
