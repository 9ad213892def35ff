//! JPEG quantisation tables (the `DQT` segments) and the IJG quality they
//! correspond to: what the encoder was set to, and a fingerprint of the
//! camera or software that wrote the file.

use serde::Serialize;

/// One quantisation table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuantTable {
    /// Table slot 0–3 (0 is usually luma, 1 chroma).
    pub id: u8,
    /// The 64 values in the file's (zig-zag) order.
    pub values: Vec<u16>,
}

/// A JPEG's quantisation tables and the quality they imply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JpegTables {
    /// Every table defined before the first scan.
    pub tables: Vec<QuantTable>,
    /// IJG quality 1–100 that best explains the luma table, when the table
    /// is a scaled standard one (libjpeg, most software); cameras often use
    /// their own tables, and then this is only indicative.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimated_quality: Option<u8>,
}

/// The IJG standard luma table (ITU T.81 Annex K), in zig-zag order.
const STD_LUMA: [u16; 64] = [
    16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49, 35, 37,
    29, 40, 58, 51, 61, 60, 57, 51, 56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81,
    87, 95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99,
];

/// Reads the `DQT` segments of a JPEG up to its first scan; `None` for
/// anything that is not a JPEG or defines no table.
pub fn read_jpeg_tables(bytes: &[u8]) -> Option<JpegTables> {
    let mut tables = Vec::new();
    for s in crate::jpeg_segments(bytes).filter(|s| s.marker == 0xDB) {
        read_dqt(s.body, &mut tables)?;
    }
    if tables.is_empty() {
        return None;
    }
    let estimated_quality = tables
        .iter()
        .find(|t| t.id == 0)
        .and_then(|t| ijg_quality(&t.values));
    Some(JpegTables {
        tables,
        estimated_quality,
    })
}

/// One DQT segment may hold several tables.
fn read_dqt(mut body: &[u8], tables: &mut Vec<QuantTable>) -> Option<()> {
    while let Some((&pq_tq, rest)) = body.split_first() {
        let (precision16, id) = (pq_tq >> 4 == 1, pq_tq & 0x0F);
        let size = if precision16 { 128 } else { 64 };
        let raw = rest.get(..size)?;
        let values = if precision16 {
            raw.chunks_exact(2)
                .map(|b| u16::from_be_bytes([b[0], b[1]]))
                .collect()
        } else {
            raw.iter().map(|&v| u16::from(v)).collect()
        };
        tables.push(QuantTable { id, values });
        body = &rest[size..];
    }
    Some(())
}

/// The IJG quality whose scaled standard table is closest to `luma`
/// (libjpeg: scale = 5000/q below 50, 200 − 2q from 50; values clamped to
/// 1..=255). `None` when even the best fit is far off: not a scaled
/// standard table.
fn ijg_quality(luma: &[u16]) -> Option<u8> {
    let scaled = |q: u32| {
        let scale = if q < 50 { 5000 / q } else { 200 - 2 * q };
        STD_LUMA.map(|v| ((u32::from(v) * scale + 50) / 100).clamp(1, 255) as u16)
    };
    let (q, error) = (1..=100u32)
        .map(|q| {
            let table = scaled(q);
            let error: u32 = table
                .iter()
                .zip(luma)
                .map(|(&a, &b)| u32::from(a.abs_diff(b)))
                .sum();
            (q, error)
        })
        .min_by_key(|&(_, e)| e)?;
    // Within about one step per coefficient: a standard table.
    (error <= 64).then_some(q as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quality_of_scaled_standard_tables() {
        for q in [10u32, 50, 75, 90, 95, 100] {
            let scale = if q < 50 { 5000 / q } else { 200 - 2 * q };
            let table: Vec<u16> = STD_LUMA
                .iter()
                .map(|&v| ((u32::from(v) * scale + 50) / 100).clamp(1, 255) as u16)
                .collect();
            assert_eq!(ijg_quality(&table), Some(q as u8), "q{q}");
        }
        let odd: Vec<u16> = (0..64).map(|i| (i * 7 % 50 + 1) as u16).collect();
        assert_eq!(ijg_quality(&odd), None);
    }
}
