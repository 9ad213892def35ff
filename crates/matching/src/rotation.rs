//! Photos rotated by any angle, through the PDQ of their centre.
//!
//! A photo turned by an arbitrary angle (a tilted re-shoot of a screen, an
//! edit) changes nearly every PDQ bit, and the eight dihedral variants only
//! cover quarter turns and flips. The middle of the picture survives,
//! though: turning an image about its centre keeps the content of the
//! inscribed circle, only turned. So each image also stores the PDQ of the
//! square inscribed in that circle — its *centre hash* — and a new image
//! that matched nothing is turned back by each residual angle within ±45°
//! (quarter turns and flips come from the dihedral variants of each) and
//! its centre hashed and looked up among the stored centre hashes.

use bonafide_core::LumaImage;
use bonafide_pdq::{Dihedral, PdqHash, hash_image, hash_image_dihedral};

/// Samples per side of the centre square, as hashed: PDQ's own 64×64
/// grid, so its filter is the identity and its decimation symmetric. (At
/// other sizes PDQ's sampling grid is off by a pixel under a flip, and the
/// dihedral variants of a small unblurred square drift by 15–30 bits.)
const SIDE: u32 = 64;

/// Angle between tried rotations, in degrees: the nearest tried angle is
/// at most 0.5° off, where a centre hash has drifted by about 8 bits.
pub const STEP_DEGREES: f32 = 1.0;

/// Largest residual rotation tried; beyond it a quarter turn is closer.
const MAX_DEGREES: f32 = 45.0;

/// Distance at or below which two centre hashes are taken as one picture.
/// Tighter than whole-image matching: hundreds of turned variants are
/// looked up, and an index probe at ≤ 15 bits is far cheaper than at 31.
pub const TURNED_MATCH_DISTANCE: u32 = 15;

/// The centre hash stored for every image.
pub fn centre_hash(luma: &LumaImage) -> PdqHash {
    hash_image(&turned_centre(&Shrunk::of(luma), 0.0))
}

/// One turned-back centre of a new image, in all eight orientations.
#[derive(Debug, Clone)]
pub struct TurnedCentre {
    /// Degrees the image was turned back by (anticlockwise positive).
    pub degrees: f32,
    /// The centre hash in each orientation, [`Dihedral::ALL`] order.
    pub variants: [(Dihedral, PdqHash); 8],
}

/// The centre hashes of the image turned back by every residual angle in
/// ±45° (0° excluded: that is the stored centre hash itself, and
/// unturned copies are found by the whole-image hash).
pub fn turned_centres(luma: &LumaImage) -> Vec<TurnedCentre> {
    let shrunk = Shrunk::of(luma);
    let steps = (MAX_DEGREES / STEP_DEGREES).round() as i32;
    (-steps..=steps)
        .filter(|&k| k != 0)
        .map(|k| {
            let degrees = k as f32 * STEP_DEGREES;
            TurnedCentre {
                degrees,
                variants: hash_image_dihedral(&turned_centre(&shrunk, degrees)),
            }
        })
        .collect()
}

/// The image box-averaged so the centre square spans about [`SIDE`]
/// samples: bilinear sampling from it then averages over the area each
/// sample stands for (whatever the source resolution, so copies decoded at
/// different sizes sample alike) instead of aliasing.
struct Shrunk {
    luma: LumaImage,
    /// The original image's centre and inscribed square side, in the
    /// shrunk image's continuous coordinates (pixel `i` spans `[i, i+1)`):
    /// shrinking drops a partial block at the right and bottom, which must
    /// not move the centre.
    centre: (f32, f32),
    square: f32,
}

impl Shrunk {
    fn of(luma: &LumaImage) -> Self {
        let (w, h) = luma.dimensions();
        let square = f64::from(w.min(h)) * std::f64::consts::FRAC_1_SQRT_2;
        let factor = ((square / f64::from(SIDE)).round() as u32).max(1);
        let f = factor as f32;
        let geometry = |luma| Self {
            luma,
            centre: (w as f32 / 2.0 / f, h as f32 / 2.0 / f),
            square: square as f32 / f,
        };
        if factor == 1 {
            return geometry(luma.clone());
        }
        let (sw, sh) = (w / factor, h / factor);
        let area = (factor * factor) as f32;
        let (src, width) = (luma.as_raw(), w as usize);
        let mut sums = vec![0f32; sw as usize];
        let mut out = Vec::with_capacity((sw * sh) as usize);
        for y in 0..sh as usize {
            sums.fill(0.0);
            for row in (y * factor as usize..).take(factor as usize) {
                let line = &src[row * width..][..sw as usize * factor as usize];
                for (s, block) in sums.iter_mut().zip(line.chunks_exact(factor as usize)) {
                    *s += block.iter().sum::<f32>();
                }
            }
            out.extend(sums.iter().map(|s| s / area));
        }
        let shrunk = LumaImage::from_raw(sw, sh, out).expect("one sample per pixel");
        geometry(shrunk)
    }
}

/// The square inscribed in the image's centre circle, turned by `degrees`
/// about the centre and sampled at [`SIDE`]² points (bilinear).
fn turned_centre(shrunk: &Shrunk, degrees: f32) -> LumaImage {
    let img = &shrunk.luma;
    let (w, h) = img.dimensions();
    let (cx, cy) = shrunk.centre;
    let square = shrunk.square;
    let step = square / SIDE as f32;
    let (sin, cos) = degrees.to_radians().sin_cos();
    let raw = img.as_raw();
    // Bilinear at a continuous point: pixel centres sit at `i + 0.5`.
    let at = |x: f32, y: f32| {
        let (x, y) = (x - 0.5, y - 0.5);
        let x = x.clamp(0.0, (w - 1) as f32);
        let y = y.clamp(0.0, (h - 1) as f32);
        // Non-negative, so truncation is the floor (and needs no libm call).
        let (x0, y0) = (x as u32, y as u32);
        let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let p = |x: u32, y: u32| raw[(y * w + x) as usize];
        let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
        let bottom = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
        top * (1.0 - fy) + bottom * fy
    };
    LumaImage::from_fn(SIDE, SIDE, |i, j| {
        // Offsets from the centre, in source pixels, then turned.
        let u = (i as f32 + 0.5) * step - square / 2.0;
        let v = (j as f32 + 0.5) * step - square / 2.0;
        image::Luma([at(cx + u * cos - v * sin, cy + u * sin + v * cos)])
    })
}
