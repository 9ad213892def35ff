-- Reference corpora (web or licensed images): a match is internet plagiarism,
-- named with the entry's source URL, licence and rights holder.
ALTER TABLE banks ADD COLUMN kind TEXT NOT NULL DEFAULT 'known';
ALTER TABLE bank_entries ADD COLUMN rights_holder TEXT NOT NULL DEFAULT '';
