-- API tokens expire (AIM_TOKEN_DAYS after they are issued, checked by the application) and are
-- revoked by setting revoked_at. Tokens issued before this migration expire 180 days after they were
-- created, but not sooner than 30 days from now, so an upgrade does not cut off devices at once.
ALTER TABLE api_token ADD COLUMN expires_at timestamptz;
UPDATE api_token SET expires_at = GREATEST(created_at + interval '180 days', now() + interval '30 days');
ALTER TABLE api_token ALTER COLUMN expires_at SET NOT NULL;
CREATE INDEX api_token_user_idx ON api_token (user_id);

-- Failed log-ins are counted per name as typed (trimmed, lower-cased), whether or not such a user
-- exists, so an unknown name locks exactly like a known one and the answers reveal nothing.
-- The counter restarts when a lock has expired or the last failure is an hour old; such rows are purged.
CREATE TABLE login_failure (
    username       text        PRIMARY KEY,
    failures       integer     NOT NULL,
    last_failed_at timestamptz NOT NULL,
    locked_until   timestamptz
);
CREATE INDEX login_failure_last_failed_idx ON login_failure (last_failed_at);

ALTER TABLE app_user DROP COLUMN failed_logins, DROP COLUMN locked_until;
