-- Revocation and session hygiene: a reviewer's sessions are ended when
-- the account is disabled or its password reset, and expired sessions are
-- purged as new ones open; both delete by these columns.
CREATE INDEX reviewer_sessions_reviewer ON reviewer_sessions (reviewer);
CREATE INDEX reviewer_sessions_expires ON reviewer_sessions (expires_at);
