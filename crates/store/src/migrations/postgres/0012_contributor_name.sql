-- The contributor's name as the client app knows it: compared with the
-- author or copyright holder a file names (copyright.rights_holder).
ALTER TABLE uploads ADD COLUMN contributor_name TEXT;
