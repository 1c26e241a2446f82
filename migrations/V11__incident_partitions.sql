-- Incidents partitioned by month (issue 11): incident is PARTITION BY RANGE (occurred_at), one partition
-- per month, bounded at the month's start in Europe/London (the month of rollup_month), plus a DEFAULT
-- partition as a safety net. Old months can then be dropped whole (incident_drop_months_before) and a
-- window's query reads only its months' partitions.
--
-- A partitioned table's unique keys must contain the partition key, so the identity and the
-- deduplication live in a small key table:
-- * incident_key (id, source, external_key, occurred_at): PRIMARY KEY (id) and UNIQUE (source, external_key),
--   one row per incident. incident_event, idempotency_key and incident_photo reference it (ON DELETE CASCADE).
-- * Statement-level triggers on incident keep it in step with every write, set-based over the transition
--   tables: an INSERT adds the key rows (a repeated (source, external_key) fails with 23505 on the
--   constraint incident_source_external_key_key, as before), an UPDATE of occurred_at/source/external_key
--   changes them, a DELETE removes them, and with them (cascade) the events, photos and idempotency keys.
--   So deleting an incident is done through incident, as before; incident ids never change.
-- * incident keeps PRIMARY KEY (id, occurred_at): every partition has a unique index led by id, so
--   WHERE id = ? probes one small index per partition.
--
-- Partitions come to exist through incident_ensure_months(from, to): the writers call it in a short
-- transaction of its own before they write (importers for the months of their file, warden reports and
-- edits for their month), so the brief locks of creating one never stay held through a long import. A
-- row whose month has no partition yet lands in incident_default; when its month's partition is created
-- the rows move there (same ids and month, so the rollups do not change).

-- 1. Free the names of the old table's keys and the references to it.
ALTER TABLE incident_event DROP CONSTRAINT incident_event_incident_id_fkey;
ALTER TABLE idempotency_key DROP CONSTRAINT idempotency_key_incident_id_fkey;
ALTER TABLE incident_photo DROP CONSTRAINT incident_photo_incident_id_fkey;
ALTER TABLE incident RENAME TO incident_v10;
ALTER TABLE incident_v10 DROP CONSTRAINT incident_pkey, DROP CONSTRAINT incident_source_external_key_key;
DROP INDEX incident_geom_idx, incident_occurred_idx, incident_category_idx, incident_recorded_by_idx,
    incident_area_only_idx, incident_offset_month_idx;

-- 2. The key table and the partitioned incident table (same columns, order, defaults and checks).
CREATE TABLE incident_key (
    id           bigint      PRIMARY KEY,
    source       text        NOT NULL,
    external_key text        NOT NULL,
    -- the incident's partition key: finds its month without probing every partition
    occurred_at  timestamptz NOT NULL,
    CONSTRAINT incident_source_external_key_key UNIQUE (source, external_key)
);

CREATE TABLE incident (LIKE incident_v10 INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    PARTITION BY RANGE (occurred_at);
ALTER SEQUENCE incident_id_seq OWNED BY incident.id;
CREATE TABLE incident_default PARTITION OF incident DEFAULT;

CREATE FUNCTION incident_partition_name(m date) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN 'incident_' || to_char(m, 'YYYY_MM');

-- Creates the partition of month m (its first day) unless it exists. Built as a plain table with a CHECK
-- constraint matching its bounds, filled with the month's rows waiting in the default partition, then
-- attached (the CHECK spares the validation scan of the new table; the default partition is scanned, and
-- is normally empty). Locks: SHARE UPDATE EXCLUSIVE on incident, ACCESS EXCLUSIVE on incident_default
-- until the transaction ends, so call it in a short transaction (incident_ensure_months).
CREATE FUNCTION incident_create_month(m date) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    name text := incident_partition_name(m);
    lo   timestamptz := m::timestamp AT TIME ZONE 'Europe/London';
    hi   timestamptz := (m + interval '1 month')::timestamp AT TIME ZONE 'Europe/London';
BEGIN
    IF m <> date_trunc('month', m)::date THEN RAISE EXCEPTION 'not the first day of a month: %', m; END IF;
    -- One creator of a month at a time: the loser of a race (another writer, or an import building this
    -- month, which holds the same advisory lock) waits for the winner's commit. The table lock that follows
    -- also makes this session read the catalogue afresh (an advisory lock does not: to_regclass would still
    -- miss the winner's table; ReportConcurrencyTest, fifty reports at once in a month without a partition).
    -- The attach's locks come in the order incident_insert_rows takes them (no deadlock between the two).
    PERFORM pg_advisory_xact_lock(hashtext('incident_create_month'), hashtext(name));
    LOCK TABLE incident IN SHARE UPDATE EXCLUSIVE MODE;
    IF to_regclass(name) IS NOT NULL THEN RETURN false; END IF;
    LOCK TABLE incident_default IN ACCESS EXCLUSIVE MODE;
    EXECUTE format('CREATE TABLE %I (LIKE incident INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name);
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (occurred_at >= %L AND occurred_at < %L)',
                   name, name || '_bounds', lo, hi);
    -- direct partition access fires none of incident's statement triggers: the rows only move
    EXECUTE format('WITH moved AS (DELETE FROM incident_default WHERE occurred_at >= %L AND occurred_at < %L RETURNING *)
                    INSERT INTO %I SELECT * FROM moved', lo, hi, name);
    EXECUTE format('ALTER TABLE incident ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, lo, hi);
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', name, name || '_bounds');
    RETURN true;
END $$;

-- Makes sure every month from p_from to p_to (dates; any day of the month) has its partition; returns
-- how many were created. Existing months cost a catalogue lookup each and take no lock.
CREATE FUNCTION incident_ensure_months(p_from date, p_to date) RETURNS integer
    LANGUAGE plpgsql AS $$
DECLARE
    m    date;
    made integer := 0;
BEGIN
    FOR m IN SELECT generate_series(date_trunc('month', p_from), date_trunc('month', p_to), interval '1 month')::date LOOP
        IF to_regclass(incident_partition_name(m)) IS NULL AND incident_create_month(m) THEN made := made + 1; END IF;
    END LOOP;
    RETURN made;
END $$;

-- 3. The existing rows: a partition per month they fall in, then the rows, their keys and the references.
SELECT incident_create_month(m)
FROM (SELECT DISTINCT rollup_month(occurred_at) AS m FROM incident_v10) months ORDER BY m;
INSERT INTO incident SELECT * FROM incident_v10;
INSERT INTO incident_key (id, source, external_key, occurred_at)
SELECT id, source, external_key, occurred_at FROM incident_v10;
DROP TABLE incident_v10;

ALTER TABLE incident ADD CONSTRAINT incident_pkey PRIMARY KEY (id, occurred_at);
CREATE INDEX incident_geom_idx ON incident USING gist (geom);
CREATE INDEX incident_occurred_idx ON incident (occurred_at);
CREATE INDEX incident_category_idx ON incident (category);
CREATE INDEX incident_recorded_by_idx ON incident (recorded_by, recorded_at);
CREATE INDEX incident_area_only_idx ON incident (occurred_at) WHERE geom IS NULL;
CREATE INDEX incident_offset_month_idx ON incident (occurred_at)
    WHERE occurred_precision = 'month'
      AND occurred_at <> (date_trunc('month', occurred_at AT TIME ZONE 'Europe/London') AT TIME ZONE 'Europe/London');

ALTER TABLE incident_event ADD CONSTRAINT incident_event_incident_id_fkey
    FOREIGN KEY (incident_id) REFERENCES incident_key (id) ON DELETE CASCADE;
ALTER TABLE idempotency_key ADD CONSTRAINT idempotency_key_incident_id_fkey
    FOREIGN KEY (incident_id) REFERENCES incident_key (id) ON DELETE CASCADE;
ALTER TABLE incident_photo ADD CONSTRAINT incident_photo_incident_id_fkey
    FOREIGN KEY (incident_id) REFERENCES incident_key (id) ON DELETE CASCADE;

-- 4. What every write does besides storing the rows, set-based over the statement's transition tables.
--
-- Added rows (INSERT): one implementation, incident_added_statements(rel), run by the insert trigger over
-- its transition table and by incident_insert_rows over the rows of months it builds as whole tables:
-- the category check (V10's, with its lock and error), the key rows, then the rollups
-- (rollup_added_statements: a new rollup adds its statement THERE, so that both paths keep it).
CREATE FUNCTION incident_category_missing(code text) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'incident category "%" is not in incident_category', code
        USING ERRCODE = 'foreign_key_violation', TABLE = 'incident', COLUMN = 'category', CONSTRAINT = 'incident_category_fkey';
END $$;

-- The statements that add the incidents of rel to every rollup. rel is SQL text naming rows with incident's
-- columns: a table, a transition table, or a parenthesised query (each statement gives it an alias).
-- One statement keeps incident_area, cell_month_count and area_month_count: each distinct point (exact, or
-- generalised for sensitive categories) is located once, by the pieces of V10 with the tie rule, and its
-- neighbourhoods through its ward; the incidents take their points' areas (police.uk points are a fixed
-- set of anonymised map points, so many incidents share one), and are counted per point and key once for
-- both the cells and the areas. A new rollup adds its own statement to this array.
CREATE FUNCTION rollup_added_statements(rel text) RETURNS text[]
    LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY[format($q$
        WITH p AS (
            SELECT n.id, 'exact' AS located_as, ST_X(n.geom) AS x, ST_Y(n.geom) AS y, rollup_month(n.occurred_at) AS month,
                   n.category, n.source
            FROM %1$s n WHERE n.geom IS NOT NULL
            UNION ALL
            SELECT n.id, 'generalised', ST_X(g.geom), ST_Y(g.geom), rollup_month(n.occurred_at), n.category, n.source
            FROM %1$s n JOIN incident_category c ON c.code = n.category AND c.sensitive
            CROSS JOIN LATERAL (SELECT rollup_generalised(n.geom) AS geom) g
            WHERE n.geom IS NOT NULL),
        point AS (SELECT x, y, ST_SetSRID(ST_MakePoint(x, y), 27700) AS g FROM (SELECT DISTINCT x, y FROM p) d),
        -- wards, LSOAs and zones: the pieces near the point. A piece decides alone unless the point lies
        -- within a millimetre of its outline (its area's edge, or a cut whose vertices PostGIS rounded):
        -- then the area itself decides. The tie rule then keeps the smallest code per set.
        place AS (
            SELECT DISTINCT ON (pt.x, pt.y, bp.set_id) pt.x, pt.y, bp.set_id, bp.boundary_id
            FROM point pt JOIN boundary_piece bp ON bp.geom && ST_Expand(pt.g, 0.001)
            WHERE CASE WHEN ST_DWithin(bp.outline, pt.g, 0.001)
                       THEN ST_Intersects((SELECT b.geom FROM boundary b WHERE b.id = bp.boundary_id), pt.g)
                       ELSE ST_Intersects(bp.geom, pt.g) END
            ORDER BY pt.x, pt.y, bp.set_id, bp.code),
        -- neighbourhoods: those of the point's ward
        placed AS (
            SELECT * FROM place
            UNION ALL
            SELECT pl.x, pl.y, n.set_id, n.id
            FROM place pl
            JOIN neighbourhood_ward nw ON nw.ward_id = pl.boundary_id
            JOIN boundary n ON n.id = nw.neighbourhood_id
            JOIN boundary_set ns ON ns.id = n.set_id AND ns.based_on = pl.set_id AND ns.level = 'neighbourhood'
            JOIN rollup_set r ON r.set_id = ns.id),
        stored AS (
            INSERT INTO incident_area (incident_id, set_id, located_as, boundary_id)
            SELECT p.id, pl.set_id, p.located_as, pl.boundary_id FROM p JOIN placed pl ON pl.x = p.x AND pl.y = p.y),
        -- the counts: incidents per point and key first, then per 50 m cell and per area
        counted AS (
            SELECT x, y, month, category, source, located_as, count(*) AS n FROM p GROUP BY 1, 2, 3, 4, 5, 6),
        -- one row per key, in key order (concurrent writers lock counter rows in the same order)
        cells AS (
            INSERT INTO cell_month_count AS cm (month, i, j, category, source, located_as, n)
            SELECT month, floor(x / 50)::integer, floor(y / 50)::integer, category, source, located_as, sum(n)
            FROM counted GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
            ON CONFLICT (month, i, j, category, source, located_as) DO UPDATE SET n = cm.n + excluded.n)
        INSERT INTO area_month_count AS a (boundary_id, month, category, source, located_as, n)
        SELECT pl.boundary_id, c.month, c.category, c.source, c.located_as, sum(c.n)
        FROM counted c JOIN placed pl ON pl.x = c.x AND pl.y = c.y
        GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (boundary_id, month, category, source, located_as) DO UPDATE SET n = a.n + excluded.n$q$, rel)]
$$;

-- Everything an INSERT of the rows of rel does besides storing them: the category check (locking the
-- categories used, as the foreign key did), the key rows (a repeated (source, external_key) fails with
-- 23505), then the rollups.
CREATE FUNCTION incident_added_statements(rel text) RETURNS text[]
    LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY[
        format('SELECT 1 FROM incident_category WHERE code IN (SELECT DISTINCT r.category FROM %1$s r) FOR KEY SHARE', rel),
        format($q$SELECT incident_category_missing(min(n.category)) FROM (SELECT DISTINCT r.category FROM %1$s r) n
                  WHERE NOT EXISTS (SELECT 1 FROM incident_category c WHERE c.code = n.category) HAVING count(*) > 0$q$, rel),
        format('INSERT INTO incident_key (id, source, external_key, occurred_at) SELECT r.id, r.source, r.external_key, r.occurred_at FROM %1$s r', rel)]
        || rollup_added_statements(rel)
$$;

CREATE FUNCTION incident_added() RETURNS trigger
    LANGUAGE plpgsql SET work_mem = '64MB' AS $$
DECLARE
    q text;
BEGIN
    FOREACH q IN ARRAY incident_added_statements('new_rows') LOOP
        EXECUTE q;
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER incident_insert AFTER INSERT ON incident
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_added();

-- Updates and deletes: the key rows follow (a delete cascades to events, photos and idempotency keys).
CREATE FUNCTION incident_key_sync() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM incident_key WHERE id IN (SELECT id FROM old_rows);
    ELSE
        UPDATE incident_key k SET source = n.source, external_key = n.external_key, occurred_at = n.occurred_at
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE k.id = n.id
          AND (n.source, n.external_key, n.occurred_at) IS DISTINCT FROM (o.source, o.external_key, o.occurred_at);
        IF EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM incident_key k WHERE k.id = n.id)) THEN
            RAISE EXCEPTION 'an incident id cannot change' USING ERRCODE = 'feature_not_supported';
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER incident_key_update AFTER UPDATE ON incident
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_key_sync();
CREATE TRIGGER incident_key_delete AFTER DELETE ON incident
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_key_sync();

-- 5. V9's update and delete triggers and V10's category check on update, on the partitioned table
-- (statement-level: they fire once per statement on incident, whichever partitions the rows are in; an
-- UPDATE that moves a row to another month's partition is seen by the UPDATE triggers as an update, so
-- the rollups move its counts). V10's rollup_incident_insert is replaced by rollup_added_statements.
DROP FUNCTION rollup_incident_insert();
CREATE TRIGGER incident_category_update AFTER UPDATE ON incident
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_category_check();
CREATE TRIGGER incident_rollup_delete AFTER DELETE ON incident
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_incident_delete();
CREATE TRIGGER incident_rollup_update AFTER UPDATE ON incident
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_incident_update();

-- 6. Retention: the rollup rows of months before p_before (the first day of a month). New rollups kept by
-- month add their own DELETE here.
CREATE FUNCTION rollup_forget_months_before(p_before date) RETURNS void
    LANGUAGE sql AS $$
    DELETE FROM area_month_count WHERE month < p_before;
    DELETE FROM cell_month_count WHERE month < p_before;
$$;

-- Drops every month before p_before: whole partitions (with their incident_area and key rows, and by
-- cascade their events, photos and idempotency keys), the rows of those months waiting in the default
-- partition, and the months' rollup rows, in the caller's transaction. Returns each month dropped with
-- its incident count (month NULL: rows from the default partition). Holds ACCESS EXCLUSIVE on incident.
CREATE FUNCTION incident_drop_months_before(p_before date) RETURNS TABLE (month date, incidents bigint)
    LANGUAGE plpgsql AS $$
DECLARE
    cut  timestamptz := p_before::timestamp AT TIME ZONE 'Europe/London';
    part record;
BEGIN
    IF p_before <> date_trunc('month', p_before)::date THEN RAISE EXCEPTION 'not the first day of a month: %', p_before; END IF;
    LOCK TABLE incident IN ACCESS EXCLUSIVE MODE;
    FOR part IN
        SELECT c.relname, to_date(substr(c.relname, 10), 'YYYY_MM') AS m
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'incident'::regclass AND c.relname ~ '^incident_[0-9]{4}_[0-9]{2}$'
          AND to_date(substr(c.relname, 10), 'YYYY_MM') < p_before
        ORDER BY 2
    LOOP
        month := part.m;
        EXECUTE format('DELETE FROM incident_area WHERE incident_id IN (SELECT id FROM %I)', part.relname);
        EXECUTE format('DELETE FROM incident_key WHERE id IN (SELECT id FROM %I)', part.relname);
        GET DIAGNOSTICS incidents = ROW_COUNT;
        EXECUTE format('DROP TABLE %I', part.relname);
        RETURN NEXT;
    END LOOP;
    -- what is left before the cut is in the default partition: deleted row by row, through the triggers
    DELETE FROM incident WHERE occurred_at < cut;
    GET DIAGNOSTICS incidents = ROW_COUNT;
    IF incidents > 0 THEN
        month := NULL;
        RETURN NEXT;
    END IF;
    PERFORM rollup_forget_months_before(p_before);
END $$;

-- 7. Bulk inserts (the importers): rows prepared in a table with incident's columns in incident's order
-- (ids already taken from incident_id_seq, an index on occurred_at) go in by incident_insert_rows.
-- * Months that have a partition: an ordinary INSERT into incident (its trigger does the rest).
-- * A month that has none is built as a plain table: filled, indexed in bulk (an index build sorts once,
--   where row-by-row inserts walk every index for every row), then attached with a CHECK constraint that
--   matches its bounds (no validation scan). incident_added_statements runs over those rows first: the
--   category check, the key rows and the rollups are exactly the trigger's.
-- The new months' advisory locks are held to the end of the transaction (a writer creating one of those
-- months waits for the import); incident and its default partition are locked only for the attach, at the end.
-- Each month table is analysed before it is attached (until autovacuum comes by, the planner would take a new
-- month to hold no rows and read hotspot windows whole). It returns where its time went, one row per step
-- (seconds of wall-clock time, steps of the same name summed over the months), which ./aim bench
-- incident-import prints.
-- The serving role has row access only (aim.db.Database.grantServing): creating, filling and attaching a
-- month's partition needs incident's owner, so this and incident_create_month run as their owner, with a
-- pinned search_path. The importer grants SELECT on its session's (temporary) staging table so the owner may read it.
CREATE FUNCTION incident_insert_rows(rel regclass) RETURNS TABLE (step text, seconds double precision)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET work_mem = '64MB' AS $$
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
    EXECUTE format('SELECT array_agg(DISTINCT rollup_month(occurred_at)) FROM %s', rel) INTO months;
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
            -- to hold no rows and reads hotspot windows whole (3–7x slower, ./aim bench scale with and without --analyze)
            EXECUTE format('ANALYZE %I', name);
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
