//! Banks: named collections of known PDQ hashes with their provenance. A
//! bank is `known` (a stock catalogue, known fakes, the allowlist) or a
//! `reference` corpus (web or licensed images: a match is internet
//! plagiarism, named with its source URL, licence and rights holder).

use sqlx::Row;

use crate::{
    Result, Store, StoreError,
    embeddings::{from_f16_bytes, to_f16_bytes},
    now_ms,
    perceptual_hashes::pdq_column,
};

/// Rows per INSERT statement when adding entries. PostgreSQL takes 100-row
/// statements twice as fast as single rows; SQLite looks `$n` parameters up
/// by name, so a statement of thousands of them slows it down fourfold —
/// 50 rows is as fast as single rows there (`bonafide-lab bench import`).
const INSERT_ROWS: usize = 50;

/// One known hash in a bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankEntry {
    /// Insertion order (ignored when adding).
    pub seq: i64,
    /// The bank's name.
    pub bank: String,
    /// The 256-bit PDQ hash.
    pub pdq: [u8; 32],
    /// PDQ quality 0–100.
    pub quality: u8,
    /// Where the content was found (a URL, a catalogue id, a file name).
    pub source: String,
    /// Its licence, as known.
    pub licence: String,
    /// Who holds its rights, as known (empty when unknown).
    pub rights_holder: String,
    /// Its image embedding, when one was computed or imported.
    pub embedding: Option<EntryEmbedding>,
    /// Its copy-detection descriptor (SSCD), when one was computed or
    /// imported.
    pub descriptor: Option<EntryEmbedding>,
    /// For one frame of a known video: where in the video it is (ms).
    pub frame_ms: Option<u64>,
}

/// A bank entry's image embedding or copy descriptor and the model that
/// computed it (only vectors of one model compare).
#[derive(Debug, Clone, PartialEq)]
pub struct EntryEmbedding {
    /// The model file's name.
    pub model: String,
    /// The vector (unit length; stored as f16).
    pub vector: Vec<f32>,
}

// Vectors compare after an f16 round trip; equality is for tests.
impl Eq for EntryEmbedding {}

/// What a bank holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BankKind {
    /// Known content: a catalogue, known fakes, the allowlist, rejects.
    Known,
    /// A reference corpus of images found elsewhere (the web, licensed
    /// sets): a match is content that is not the contributor's own.
    Reference,
}

impl BankKind {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Known => "known",
            Self::Reference => "reference",
        }
    }

    /// Parses [`BankKind::as_str`] output.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "known" => Some(Self::Known),
            "reference" => Some(Self::Reference),
            _ => None,
        }
    }
}

/// What the bank index needs to know of a bank besides its entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankScope {
    /// Name.
    pub name: String,
    /// Known content or a reference corpus.
    pub kind: BankKind,
    /// The one tenant it is matched for; `None` for every tenant.
    pub tenant: Option<String>,
}

/// A bank and how many entries it holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BankSummary {
    /// Name.
    pub name: String,
    /// What it holds.
    pub description: String,
    /// Known content or a reference corpus.
    pub kind: BankKind,
    /// The one tenant whose uploads it is matched against (a tenant's
    /// rejected bank); `None` for every tenant's.
    pub tenant: Option<String>,
    /// Entries.
    pub entries: i64,
}

impl Store {
    /// Creates a bank of known content if it does not exist.
    pub async fn ensure_bank(&self, name: &str, description: &str) -> Result<()> {
        self.ensure_bank_of(name, description, BankKind::Known)
            .await
    }

    /// Creates a bank of the given kind, matched for every tenant, if it
    /// does not exist (an existing bank keeps its kind).
    pub async fn ensure_bank_of(
        &self,
        name: &str,
        description: &str,
        kind: BankKind,
    ) -> Result<()> {
        self.create_bank(name, description, kind, None).await
    }

    /// Creates a bank of known content matched only for `tenant`'s uploads
    /// (its rejected bank), if it does not exist.
    pub async fn ensure_tenant_bank(
        &self,
        name: &str,
        description: &str,
        tenant: &str,
    ) -> Result<()> {
        self.create_bank(name, description, BankKind::Known, Some(tenant))
            .await
    }

    async fn create_bank(
        &self,
        name: &str,
        description: &str,
        kind: BankKind,
        tenant: Option<&str>,
    ) -> Result<()> {
        let ok = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if !ok {
            return Err(StoreError::Config(format!(
                "bank name {name:?}: use 1-64 of a-z 0-9 _ -"
            )));
        }
        sqlx::query("INSERT INTO banks (name, description, created_at, kind, tenant) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(description)
            .bind(now_ms())
            .bind(kind.as_str())
            .bind(tenant)
            .execute(&self.db.pool)
            .await?;
        Ok(())
    }

    /// Adds entries in one transaction (multi-row inserts, so a large
    /// import is bound by the database, not by round trips); an entry whose
    /// hash the bank already holds is skipped. Returns how many were new.
    pub async fn add_bank_entries(&self, entries: &[BankEntry]) -> Result<u64> {
        let mut tx = self.db.pool.begin().await?;
        let added = insert_entries(&mut tx, entries).await?;
        tx.commit().await?;
        Ok(added)
    }

    /// Adds entries and records that the first `done` items of `input`
    /// are imported, in one transaction: an interrupted import resumes
    /// after the last batch that committed. Returns how many were new.
    pub async fn add_bank_entries_at(
        &self,
        entries: &[BankEntry],
        bank: &str,
        input: &str,
        done: u64,
    ) -> Result<u64> {
        let mut tx = self.db.pool.begin().await?;
        let added = insert_entries(&mut tx, entries).await?;
        sqlx::query(
            "INSERT INTO bank_imports (bank, input, done, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (bank, input) DO UPDATE SET done = excluded.done, updated_at = excluded.updated_at",
        )
        .bind(bank)
        .bind(input)
        .bind(done as i64)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(added)
    }

    /// How many items of `input` an earlier, unfinished import into `bank`
    /// stored (0 when none).
    pub async fn bank_import_done(&self, bank: &str, input: &str) -> Result<u64> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT done FROM bank_imports WHERE bank = $1 AND input = $2")
                .bind(bank)
                .bind(input)
                .fetch_optional(&self.db.pool)
                .await?;
        Ok(row.map_or(0, |(n,)| n.max(0) as u64))
    }

    /// Forgets an import's progress once it has finished.
    pub async fn finish_bank_import(&self, bank: &str, input: &str) -> Result<()> {
        sqlx::query("DELETE FROM bank_imports WHERE bank = $1 AND input = $2")
            .bind(bank)
            .bind(input)
            .execute(&self.db.pool)
            .await?;
        Ok(())
    }

    /// Entries with `seq` above `after`, in `seq` order.
    pub async fn bank_entries_after(&self, after: i64) -> Result<Vec<BankEntry>> {
        let rows = sqlx::query(
            "SELECT seq, bank, pdq, quality, source, licence, rights_holder, embedding, embedding_model, \
             descriptor, descriptor_model, frame_ms \
             FROM bank_entries WHERE seq > $1 ORDER BY seq",
        )
        .bind(after)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(BankEntry {
                    seq: r.try_get("seq")?,
                    bank: r.try_get("bank")?,
                    pdq: pdq_column(r)?,
                    quality: r.try_get::<i64, _>("quality")?.clamp(0, 100) as u8,
                    source: r.try_get("source")?,
                    licence: r.try_get("licence")?,
                    rights_holder: r.try_get("rights_holder")?,
                    embedding: entry_vector(r, "embedding", "embedding_model")?,
                    descriptor: entry_vector(r, "descriptor", "descriptor_model")?,
                    frame_ms: r
                        .try_get::<Option<i64>, _>("frame_ms")?
                        .map(|ms| ms.max(0) as u64),
                })
            })
            .collect()
    }

    /// Every bank's kind and tenant (one small query: the bank index asks
    /// whenever it loads new entries).
    pub async fn bank_scopes(&self) -> Result<Vec<BankScope>> {
        let rows = sqlx::query("SELECT name, kind, tenant FROM banks")
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(BankScope {
                    name: r.try_get("name")?,
                    kind: bank_kind(r)?,
                    tenant: r.try_get("tenant")?,
                })
            })
            .collect()
    }

    /// Every bank with its entry count.
    pub async fn banks(&self) -> Result<Vec<BankSummary>> {
        let rows = sqlx::query(
            "SELECT b.name, b.description, b.kind, b.tenant, (SELECT COUNT(*) FROM bank_entries e WHERE e.bank = b.name) AS n \
             FROM banks b ORDER BY b.name",
        )
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(BankSummary {
                    name: r.try_get("name")?,
                    description: r.try_get("description")?,
                    kind: bank_kind(r)?,
                    tenant: r.try_get("tenant")?,
                    entries: r.try_get("n")?,
                })
            })
            .collect()
    }
}

/// The `kind` column.
fn bank_kind(r: &sqlx::any::AnyRow) -> Result<BankKind> {
    let kind: String = r.try_get("kind")?;
    BankKind::parse(&kind).ok_or_else(|| StoreError::Malformed(format!("bank kind {kind:?}")))
}

/// A vector column of a bank entry with its model column.
fn entry_vector(
    r: &sqlx::any::AnyRow,
    column: &str,
    model: &str,
) -> Result<Option<EntryEmbedding>> {
    r.try_get::<Option<Vec<u8>>, _>(column)?
        .map(|bytes| -> Result<EntryEmbedding> {
            Ok(EntryEmbedding {
                model: r.try_get(model)?,
                vector: from_f16_bytes(&bytes),
            })
        })
        .transpose()
}

/// Inserts `entries` in statements of [`INSERT_ROWS`] rows; returns how many
/// were new.
async fn insert_entries(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    entries: &[BankEntry],
) -> Result<u64> {
    const COLUMNS: usize = 12;
    let now = now_ms();
    let mut added = 0;
    for chunk in entries.chunks(INSERT_ROWS) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p: Vec<String> = (1..=COLUMNS)
                    .map(|c| format!("${}", i * COLUMNS + c))
                    .collect();
                format!("({})", p.join(", "))
            })
            .collect();
        // Only placeholders are formatted in; every value is bound.
        let sql = format!(
            "INSERT INTO bank_entries (bank, pdq, quality, source, licence, created_at, rights_holder, \
             embedding, embedding_model, descriptor, descriptor_model, frame_ms) \
             VALUES {} ON CONFLICT (bank, pdq) DO NOTHING",
            rows.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for e in chunk {
            q = q
                .bind(&e.bank)
                .bind(e.pdq.to_vec())
                .bind(i64::from(e.quality))
                .bind(&e.source)
                .bind(&e.licence)
                .bind(now)
                .bind(&e.rights_holder)
                .bind(e.embedding.as_ref().map(|v| to_f16_bytes(&v.vector)))
                .bind(e.embedding.as_ref().map_or("", |v| v.model.as_str()))
                .bind(e.descriptor.as_ref().map(|v| to_f16_bytes(&v.vector)))
                .bind(e.descriptor.as_ref().map_or("", |v| v.model.as_str()))
                .bind(e.frame_ms.map(|ms| ms.min(i64::MAX as u64) as i64));
        }
        added += q.execute(&mut **tx).await?.rows_affected();
    }
    Ok(added)
}
