use image::{ImageBuffer, Luma, RgbImage};

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

/// Pixels PDQ can hash: colour (through Rec. 601 luma, as the reference
/// does) or luma already.
pub trait Pixels {
    /// `(rows, cols)`.
    fn size(&self) -> (usize, usize);
    /// Writes row `row`'s luma (0–255) into `out`, which is `cols` long.
    fn luma_row(&self, row: usize, out: &mut [f32]);
}

impl Pixels for RgbImage {
    fn size(&self) -> (usize, usize) {
        (self.height() as usize, self.width() as usize)
    }

    fn luma_row(&self, row: usize, out: &mut [f32]) {
        let width = out.len();
        let raw = &self.as_raw()[3 * row * width..3 * (row + 1) * width];
        for (o, p) in out.iter_mut().zip(raw.chunks_exact(3)) {
            *o = LUMA[0] * f32::from(p[0]) + LUMA[1] * f32::from(p[1]) + LUMA[2] * f32::from(p[2]);
        }
    }
}

/// Luma as floats, 0–255.
impl Pixels for ImageBuffer<Luma<f32>, Vec<f32>> {
    fn size(&self) -> (usize, usize) {
        (self.height() as usize, self.width() as usize)
    }

    fn luma_row(&self, row: usize, out: &mut [f32]) {
        let width = out.len();
        out.copy_from_slice(&self.as_raw()[row * width..(row + 1) * width]);
    }
}

/// Hashes an image.
pub fn hash_image(img: &dyn Pixels) -> PdqHash {
    let (dct, quality) = dct_of(img);
    PdqHash {
        hash: bits(&dct),
        quality,
    }
}

/// Hashes an image in all eight orientations, in [`Dihedral::ALL`]
/// order, from one filter-and-DCT pass.
pub fn hash_image_dihedral(img: &dyn Pixels) -> [(Dihedral, PdqHash); 8] {
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

/// PDQ's float features ("PDQF"): the 16×16 DCT coefficients, row-major,
/// before they are thresholded into bits. TMK averages these over a
/// video's frames.
pub fn float_features(img: &dyn Pixels) -> [f32; 256] {
    let (dct, _) = dct_of(img);
    let mut out = [0.0; 256];
    for (o, v) in out.iter_mut().zip(dct.iter().flatten()) {
        *o = *v;
    }
    out
}

fn dct_of(img: &dyn Pixels) -> ([[f32; 16]; 16], u8) {
    let (rows, cols) = img.size();
    if rows == 0 || cols == 0 {
        return ([[0.0; 16]; 16], 0);
    }
    let block = filter::filter_and_decimate(img);
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
