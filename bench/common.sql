-- Included by the benchmark scripts: the session settings and the timer.
SET max_parallel_workers_per_gather = 0;
SET jit = off;

-- Median wall time in milliseconds of a statement run several times
CREATE FUNCTION bench(stmt text, runs int) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	times numeric[] := '{}';
BEGIN
	FOR i IN 1..runs LOOP
		t0 := clock_timestamp();
		EXECUTE stmt;
		times := times || (extract(epoch FROM clock_timestamp() - t0) * 1000)::numeric;
	END LOOP;
	RETURN (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t)
			  FROM unnest(times) AS t)::numeric(12, 3);
END $$;
