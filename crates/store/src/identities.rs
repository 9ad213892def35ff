//! Contributors and devices as seen through their uploads.

use bonafide_core::UploadMeta;
use sqlx::Row;

use crate::{Result, Store};

/// A contributor's history.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ContributorRecord {
    /// Contributor id.
    pub id: String,
    /// First upload (Unix ms).
    pub first_seen_at: i64,
    /// Latest upload (Unix ms).
    pub last_seen_at: i64,
    /// Uploads accepted from them.
    pub uploads: i64,
    /// Devices they uploaded from, most used first.
    pub devices: Vec<DeviceUse>,
}

/// One contributor's use of one device.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DeviceUse {
    /// Device id.
    pub device_id: String,
    /// Uploads from this contributor on it.
    pub uploads: i64,
    /// How many *other* contributors used the same device — one phone
    /// behind many accounts is a fraud signal.
    pub other_contributors: i64,
}

const UPSERT_CONTRIBUTOR: &str = "INSERT INTO contributors (tenant, id, first_seen_at, last_seen_at, uploads) \
     VALUES ($1, $2, $3, $3, 1) ON CONFLICT (tenant, id) DO UPDATE SET last_seen_at = excluded.last_seen_at, \
     uploads = contributors.uploads + 1";

const UPSERT_DEVICE: &str = "INSERT INTO devices (tenant, id, first_seen_at, last_seen_at, uploads) \
     VALUES ($1, $2, $3, $3, 1) ON CONFLICT (tenant, id) DO UPDATE SET last_seen_at = excluded.last_seen_at, \
     uploads = devices.uploads + 1";

impl Store {
    /// Counts an upload against its contributor and device (both its
    /// tenant's), inside the upload's transaction.
    pub(crate) async fn record_sighting_in(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        m: &UploadMeta,
        now: i64,
    ) -> Result<()> {
        sqlx::query(UPSERT_CONTRIBUTOR)
            .bind(&m.tenant)
            .bind(&m.contributor_id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        let Some(device) = &m.device_id else {
            return Ok(());
        };
        sqlx::query(UPSERT_DEVICE)
            .bind(&m.tenant)
            .bind(device)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "INSERT INTO contributor_devices (tenant, contributor_id, device_id, first_seen_at, last_seen_at, uploads) \
             VALUES ($1, $2, $3, $4, $4, 1) ON CONFLICT (tenant, contributor_id, device_id) DO UPDATE SET \
             last_seen_at = excluded.last_seen_at, uploads = contributor_devices.uploads + 1",
        )
        .bind(&m.tenant)
        .bind(&m.contributor_id)
        .bind(device)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// A contributor of `tenant` with their devices, if they ever uploaded
    /// there (other contributors counted on a device are the tenant's too).
    pub async fn contributor(&self, tenant: &str, id: &str) -> Result<Option<ContributorRecord>> {
        let Some(r) = sqlx::query(
            "SELECT first_seen_at, last_seen_at, uploads FROM contributors WHERE tenant = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .fetch_optional(&self.db.pool)
        .await?
        else {
            return Ok(None);
        };
        let devices = sqlx::query(
            "SELECT cd.device_id, cd.uploads, \
             (SELECT COUNT(*) FROM contributor_devices o WHERE o.tenant = cd.tenant \
              AND o.device_id = cd.device_id AND o.contributor_id <> cd.contributor_id) AS others \
             FROM contributor_devices cd WHERE cd.tenant = $1 AND cd.contributor_id = $2 \
             ORDER BY cd.uploads DESC, cd.device_id",
        )
        .bind(tenant)
        .bind(id)
        .fetch_all(&self.db.pool)
        .await?
        .iter()
        .map(|d| {
            Ok(DeviceUse {
                device_id: d.try_get("device_id")?,
                uploads: d.try_get("uploads")?,
                other_contributors: d.try_get("others")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
        Ok(Some(ContributorRecord {
            id: id.to_owned(),
            first_seen_at: r.try_get("first_seen_at")?,
            last_seen_at: r.try_get("last_seen_at")?,
            uploads: r.try_get("uploads")?,
            devices,
        }))
    }
}
