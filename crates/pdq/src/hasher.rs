use image::RgbImage;

use crate::{Dihedral, Hash256, dct::dct_64_to_16, filter};

/// A PDQ hash with its quality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdqHash {
    /// The 256 bits.
    pub hash: Hash256,
    /// 0–100: how much gradient (detail) the image has; below
    /// [`crate::MIN_QUALITY`] the hash is unreliable.
    pub quality: u8,
}

/// Rec. 601 luma weights, as the reference uses.
const LUMA: [f32; 3] = [0.299, 0.587, 0.114];

/// Hashes an RGB image.
pub fn hash_image(img: &RgbImage) -> PdqHash {
    let (dct, quality) = dct_of(img);
    PdqHash {
        hash: bits(&dct),
        quality,
    }
}

/// Hashes an RGB image in all eight orientations, in [`Dihedral::ALL`]
/// order, from one filter-and-DCT pass.
pub fn hash_image_dihedral(img: &RgbImage) -> [(Dihedral, PdqHash); 8] {
    let (dct, quality) = dct_of(img);
    Dihedral::ALL.map(|d| {
        (
            d,
            PdqHash {
                hash: bits(&d.apply(&dct)),
                quality,
            },
        )
    })
}

/// Hashes a luma buffer (`rows × cols`, row-major, 0–255 floats).
/// `luma` is used as scratch and overwritten.
pub fn hash_luma(luma: &mut [f32], rows: usize, cols: usize) -> PdqHash {
    let (dct, quality) = dct_of_luma(luma, rows, cols);
    PdqHash {
        hash: bits(&dct),
        quality,
    }
}

fn dct_of(img: &RgbImage) -> ([[f32; 16]; 16], u8) {
    let (cols, rows) = (img.width() as usize, img.height() as usize);
    let mut luma: Vec<f32> = img
        .pixels()
        .map(|p| LUMA[0] * f32::from(p[0]) + LUMA[1] * f32::from(p[1]) + LUMA[2] * f32::from(p[2]))
        .collect();
    dct_of_luma(&mut luma, rows, cols)
}

fn dct_of_luma(luma: &mut [f32], rows: usize, cols: usize) -> ([[f32; 16]; 16], u8) {
    assert_eq!(luma.len(), rows * cols, "luma buffer size");
    if rows == 0 || cols == 0 {
        return ([[0.0; 16]; 16], 0);
    }
    let mut scratch = vec![0f32; luma.len()];
    filter::jarosz(luma, &mut scratch, rows, cols, 2);
    let block = filter::decimate(luma, rows, cols);
    (dct_64_to_16(&block), quality(&block))
}

/// The reference's gradient-energy quality: summed absolute differences of
/// neighbouring samples, in percent of full scale, scaled to 0–100.
fn quality(b: &[[f32; 64]; 64]) -> u8 {
    // `as i64` truncates toward zero, like the reference's float-to-int.
    let step = |u: f32, v: f32| (((u - v) * 100.0) / 255.0).abs() as i64;
    let vertical: i64 = b
        .iter()
        .zip(&b[1..])
        .flat_map(|(top, below)| top.iter().zip(below))
        .map(|(&u, &v)| step(u, v))
        .sum();
    let horizontal: i64 = b
        .iter()
        .flat_map(|row| row.windows(2))
        .map(|w| step(w[0], w[1]))
        .sum();
    ((vertical + horizontal) / 90).min(100) as u8
}

/// One bit per coefficient strictly above the median (the 128th smallest,
/// as the reference's Torben median gives).
fn bits(dct: &[[f32; 16]; 16]) -> Hash256 {
    let mut values: Vec<f32> = dct.iter().flatten().copied().collect();
    let (_, median, _) = values.select_nth_unstable_by(127, f32::total_cmp);
    let median = *median;
    let mut hash = Hash256::default();
    for (k, v) in dct.iter().flatten().enumerate() {
        if *v > median {
            hash.set(k);
        }
    }
    hash
}
