//! Pillow's resampling (`Image.resize` with BILINEAR or BICUBIC), bit for
//! bit: the models' references preprocess with Pillow, and the int8 CLIP
//! tower turns a ±1 difference in its input pixels into a cosine of
//! 0.95–0.98 to the reference embedding, so "close" resizing (the `image`
//! crate's) is not enough. Two separable passes, horizontal then vertical,
//! with Pillow's 22-bit fixed-point weights and rounding to 8 bits between
//! them; the kernel widens by the scale factor when shrinking (antialiased).

use image::RgbImage;

/// Pillow's fixed-point precision for 8-bit images.
const PRECISION_BITS: u32 = 32 - 8 - 2;

/// A resampling kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// Triangle, support 1 (Pillow's BILINEAR).
    Bilinear,
    /// Keys cubic with a = −0.5, support 2 (Pillow's BICUBIC).
    Bicubic,
}

impl Filter {
    fn support(self) -> f64 {
        match self {
            Filter::Bilinear => 1.0,
            Filter::Bicubic => 2.0,
        }
    }

    fn weight(self, x: f64) -> f64 {
        let x = x.abs();
        match self {
            Filter::Bilinear => (1.0 - x).max(0.0),
            Filter::Bicubic => {
                const A: f64 = -0.5;
                if x < 1.0 {
                    ((A + 2.0) * x - (A + 3.0)) * x * x + 1.0
                } else if x < 2.0 {
                    (((x - 5.0) * x + 8.0) * x - 4.0) * A
                } else {
                    0.0
                }
            }
        }
    }
}

/// For each output pixel: the first input pixel and the fixed-point weights.
struct Coefficients {
    bounds: Vec<(usize, usize)>,
    weights: Vec<i32>,
    ksize: usize,
}

impl Coefficients {
    fn new(in_size: usize, out_size: usize, filter: Filter) -> Self {
        let scale = in_size as f64 / out_size as f64;
        let filterscale = scale.max(1.0);
        let support = filter.support() * filterscale;
        let ksize = support.ceil() as usize * 2 + 1;
        let mut bounds = Vec::with_capacity(out_size);
        let mut weights = vec![0i32; out_size * ksize];
        let mut k = vec![0f64; ksize];
        for xx in 0..out_size {
            let center = (xx as f64 + 0.5) * scale;
            // C's truncating casts, as Pillow.
            let xmin = ((center - support + 0.5) as i64).max(0) as usize;
            let xmax = ((center + support + 0.5) as i64).min(in_size as i64) as usize - xmin;
            let mut total = 0.0;
            for (x, w) in k.iter_mut().enumerate().take(xmax) {
                *w = filter.weight((x as f64 + xmin as f64 - center + 0.5) / filterscale);
                total += *w;
            }
            for (x, &w) in k.iter().enumerate().take(xmax) {
                let w = if total != 0.0 { w / total } else { w };
                let fixed = w * f64::from(1u32 << PRECISION_BITS);
                weights[xx * ksize + x] = if w < 0.0 {
                    (-0.5 + fixed) as i32
                } else {
                    (0.5 + fixed) as i32
                };
            }
            bounds.push((xmin, xmax));
        }
        Self {
            bounds,
            weights,
            ksize,
        }
    }

    /// Weighted sum of `at(i)` over output pixel `xx`'s inputs, per channel,
    /// rounded and clipped to 8 bits.
    fn apply(&self, xx: usize, at: impl Fn(usize) -> [u8; 3]) -> [u8; 3] {
        let (xmin, count) = self.bounds[xx];
        let k = &self.weights[xx * self.ksize..][..count];
        let mut sum = [1i32 << (PRECISION_BITS - 1); 3];
        for (i, &w) in k.iter().enumerate() {
            let p = at(xmin + i);
            for c in 0..3 {
                sum[c] += i32::from(p[c]) * w;
            }
        }
        sum.map(|s| (s >> PRECISION_BITS).clamp(0, 255) as u8)
    }
}

/// `img` resized to `width × height` exactly as Pillow resizes an RGB image.
pub fn resize(img: &RgbImage, width: u32, height: u32, filter: Filter) -> RgbImage {
    let (in_w, in_h) = (img.width() as usize, img.height() as usize);
    let (out_w, out_h) = (width as usize, height as usize);
    let horizontal = Coefficients::new(in_w, out_w, filter);
    let vertical = Coefficients::new(in_h, out_h, filter);
    let pixel = |im: &RgbImage, x: usize, y: usize| im.get_pixel(x as u32, y as u32).0;

    // Only the rows the vertical pass reads are resampled horizontally.
    let (first_row, last_row) = if out_h == in_h {
        (0, in_h)
    } else {
        let (first, _) = vertical.bounds[0];
        let (start, count) = vertical.bounds[out_h - 1];
        (first, start + count)
    };
    let wide = if out_w != in_w {
        RgbImage::from_fn(width, (last_row - first_row) as u32, |x, y| {
            let row = first_row + y as usize;
            image::Rgb(horizontal.apply(x as usize, |i| pixel(img, i, row)))
        })
    } else if first_row == 0 && last_row == in_h {
        img.clone()
    } else {
        image::imageops::crop_imm(
            img,
            0,
            first_row as u32,
            width,
            (last_row - first_row) as u32,
        )
        .to_image()
    };
    if out_h == in_h {
        return wide;
    }
    RgbImage::from_fn(width, height, |x, y| {
        image::Rgb(vertical.apply(y as usize, |i| pixel(&wide, x as usize, i - first_row)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_stays_flat_and_sizes_are_exact() {
        let img = RgbImage::from_pixel(640, 480, image::Rgb([10, 200, 99]));
        for filter in [Filter::Bilinear, Filter::Bicubic] {
            let out = resize(&img, 299, 224, filter);
            assert_eq!(out.dimensions(), (299, 224));
            assert!(out.pixels().all(|p| p.0 == [10, 200, 99]));
        }
        assert_eq!(resize(&img, 640, 480, Filter::Bicubic), img);
    }
}
