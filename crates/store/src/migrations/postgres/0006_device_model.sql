-- The camera the contributor's app says took the file (its make and model
-- as the OS reports them), checked against what the file's metadata says.
ALTER TABLE uploads ADD COLUMN device_make TEXT;
ALTER TABLE uploads ADD COLUMN device_model TEXT;
