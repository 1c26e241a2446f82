-- Faster imports, the steps besides the rollups (issue 11, session 7; ./aim bench incident-import, see the README).
-- * incident_insert_rows: the months of the rows from their distinct moments (rollup_month once per moment, not per
--   row: 0.75 s to 0.38 s at 1,000,000 police.uk rows), and each new month analysed on the columns that queries filter,
--   join or group on only (the free text and the external key are never a condition: about 15% of a month's ANALYZE;
--   the geometry's statistics are most of the rest, and the hotspot reads need them). Otherwise as in V11 (with V20's
--   work_mem). incident_added_statements and rollup_added_statements are unchanged here.

CREATE OR REPLACE FUNCTION incident_insert_rows(rel regclass) RETURNS TABLE (step text, seconds double precision)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET work_mem = '256MB' AS $$
DECLARE
    months date[];
    fresh  date[] := '{}';
    m      date;
    name   text;
    lo     timestamptz;
    hi     timestamptz;
    q      text;
    k      integer := 0;
    ix     record;
    t      timestamptz := clock_timestamp();
    names  text[] := '{}';
    secs   double precision[] := '{}';
BEGIN
    -- the distinct moments first (police.uk: one per month), then their months: rollup_month once per moment, not per row
    EXECUTE format('SELECT array_agg(DISTINCT rollup_month(t)) FROM (SELECT DISTINCT occurred_at AS t FROM %s) d', rel) INTO months;
    FOREACH m IN ARRAY coalesce(months, '{}') LOOP
        name := incident_partition_name(m);
        IF to_regclass(name) IS NULL THEN
            PERFORM pg_advisory_xact_lock(hashtext('incident_create_month'), hashtext(name));
            -- read from pg_class, not to_regclass: the cached catalogue may not show a creator's table yet
            IF NOT EXISTS (SELECT FROM pg_class WHERE relname = name AND relnamespace = current_schema()::regnamespace) THEN
                fresh := fresh || m;
            END IF;
        END IF;
    END LOOP;
    names := array_append(names, 'months of the rows'::text); secs := array_append(secs, extract(epoch FROM clock_timestamp() - t)); t := clock_timestamp();
    IF cardinality(fresh) < cardinality(months) THEN
        EXECUTE format('INSERT INTO incident SELECT * FROM %s WHERE rollup_month(occurred_at) <> ALL ($1)', rel) USING fresh;
        names := array_append(names, 'insert into existing months (with triggers)'::text); secs := array_append(secs, extract(epoch FROM clock_timestamp() - t)); t := clock_timestamp();
    END IF;
    IF cardinality(fresh) > 0 THEN
        FOREACH q IN ARRAY incident_added_statements(CASE WHEN cardinality(fresh) = cardinality(months) THEN rel::text
                ELSE format('(SELECT * FROM %s WHERE rollup_month(occurred_at) = ANY (%L::date[]))', rel, fresh) END) LOOP
            EXECUTE q;
            k := k + 1;
            names := array_append(names, CASE WHEN k <= 2 THEN 'category check' WHEN k = 3 THEN 'key rows (incident_key)'
                                              ELSE 'rollup statement ' || (k - 3) END);
            secs := array_append(secs, extract(epoch FROM clock_timestamp() - t)); t := clock_timestamp();
        END LOOP;
        FOREACH m IN ARRAY fresh LOOP
            name := incident_partition_name(m);
            lo := m::timestamp AT TIME ZONE 'Europe/London';
            hi := (m + interval '1 month')::timestamp AT TIME ZONE 'Europe/London';
            EXECUTE format('CREATE TABLE %I (LIKE incident INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name);
            EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (occurred_at >= %L AND occurred_at < %L)',
                           name, name || '_bounds', lo, hi);
            EXECUTE format('INSERT INTO %I SELECT * FROM %s WHERE occurred_at >= %L AND occurred_at < %L', name, rel, lo, hi);
            names := array_append(names, 'partition fill'::text); secs := array_append(secs, extract(epoch FROM clock_timestamp() - t)); t := clock_timestamp();
            FOR ix IN SELECT i.indexrelid, c.oid AS constraint_oid
                      FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
                      WHERE i.indrelid = 'incident'::regclass ORDER BY i.indexrelid LOOP
                IF ix.constraint_oid IS NOT NULL THEN
                    EXECUTE format('ALTER TABLE %I ADD %s', name, pg_get_constraintdef(ix.constraint_oid));
                ELSE
                    EXECUTE regexp_replace(pg_get_indexdef(ix.indexrelid), '^(CREATE (UNIQUE )?INDEX) \S+ ON ONLY \S+',
                                           '\1 ON ' || quote_ident(name));
                END IF;
                names := array_append(names, 'index ' || ix.indexrelid::regclass::text);
                secs := array_append(secs, extract(epoch FROM clock_timestamp() - t)); t := clock_timestamp();
            END LOOP;
            -- the month's statistics now, not when autovacuum comes by: until then the planner takes a new month
            -- to hold no rows and reads hotspot windows whole (3–7x slower, ./aim bench scale with and without --analyze).
            -- Only the columns that queries filter, join or group on: the free text (location, outcome, description,
            -- reporter, assignee), the external key and updated_at are never a condition. ANALYZE sets the month's
            -- row and page counts whatever the columns.
            EXECUTE format('ANALYZE %I (id, source, category, occurred_at, occurred_precision, geom, location_precision, '
                           'accuracy_m, area_code, status, fly_size, fly_waste_type, fly_land_type, recorded_by, recorded_at)', name);
            names := array_append(names, 'statistics'::text);
            secs := array_append(secs, extract(epoch FROM clock_timestamp() - t)); t := clock_timestamp();
        END LOOP;

        LOCK TABLE incident IN SHARE UPDATE EXCLUSIVE MODE;
        LOCK TABLE incident_default IN ACCESS EXCLUSIVE MODE;
        FOREACH m IN ARRAY fresh LOOP
            name := incident_partition_name(m);
            lo := m::timestamp AT TIME ZONE 'Europe/London';
            hi := (m + interval '1 month')::timestamp AT TIME ZONE 'Europe/London';
            EXECUTE format('WITH moved AS (DELETE FROM incident_default WHERE occurred_at >= %L AND occurred_at < %L RETURNING *)
                            INSERT INTO %I SELECT * FROM moved', lo, hi, name);
            EXECUTE format('ALTER TABLE incident ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, lo, hi);
            EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', name, name || '_bounds');
        END LOOP;
        names := array_append(names, 'attach'::text); secs := array_append(secs, extract(epoch FROM clock_timestamp() - t));
    END IF;
    RETURN QUERY SELECT s.n, sum(s.v) FROM unnest(names, secs) WITH ORDINALITY AS s(n, v, o) GROUP BY s.n ORDER BY min(s.o);
END $$;
