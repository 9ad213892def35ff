//! The ten edits copiers make to a web photo before passing it off as
//! their own (issue #21's list): crops, pasting onto another photo, meme
//! bands and captions, stripes, turns, a social app's screenshot, a padded
//! frame with stickers, a perspective warp. Each is seeded, so an
//! evaluation draws the same corner, angle and position every run.

use ab_glyph::Font;
use image::{Rgb, RgbImage, imageops};
use rand::{Rng, SeedableRng, rngs::StdRng};

use super::{Painter, blend};

/// One edit of a copier's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The middle half of each side: a quarter of the area.
    CentreCrop,
    /// 60 % of each side from one corner.
    CornerCrop,
    /// Scaled to about 45 % of another photo's width and pasted onto it.
    Pasted,
    /// A white band on top with a black caption, the picture below.
    Meme,
    /// Half-transparent diagonal stripes across the whole picture.
    Stripes,
    /// Turned by 25–35° either way, the corners filled black.
    Turn,
    /// Inside a social app's screenshot: status bar, avatar and name above,
    /// likes and a comment below.
    SocialScreenshot,
    /// Large outlined words across the middle.
    BigText,
    /// Padded by a quarter of its long side in one colour, with coloured
    /// dots (stickers) on the pad.
    EmojiPad,
    /// Each corner pulled 5–15 % inwards: a photo of a photo, or a warp.
    Perspective,
}

impl Edit {
    /// Every edit, in the order reports list them.
    pub const ALL: [Self; 10] = [
        Self::CentreCrop,
        Self::CornerCrop,
        Self::Pasted,
        Self::Meme,
        Self::Stripes,
        Self::Turn,
        Self::SocialScreenshot,
        Self::BigText,
        Self::EmojiPad,
        Self::Perspective,
    ];

    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::CentreCrop => "centre crop 25%",
            Self::CornerCrop => "corner crop 60%",
            Self::Pasted => "pasted on a photo",
            Self::Meme => "meme band",
            Self::Stripes => "diagonal stripes",
            Self::Turn => "turned 25-35°",
            Self::SocialScreenshot => "social screenshot",
            Self::BigText => "big text",
            Self::EmojiPad => "pad with stickers",
            Self::Perspective => "perspective warp",
        }
    }
}

impl Painter {
    /// Applies `edit` to `img`; `backdrop` is the photo a [`Edit::Pasted`]
    /// copy is pasted onto (ignored by the others) and `seed` picks the
    /// edit's random choices.
    pub fn edit(&self, edit: Edit, img: &RgbImage, backdrop: &RgbImage, seed: u64) -> RgbImage {
        let mut rng = StdRng::seed_from_u64(seed);
        let (w, h) = img.dimensions();
        match edit {
            Edit::CentreCrop => {
                let (cw, ch) = ((w / 2).max(1), (h / 2).max(1));
                imageops::crop_imm(img, (w - cw) / 2, (h - ch) / 2, cw, ch).to_image()
            }
            Edit::CornerCrop => {
                let (cw, ch) = ((w * 3 / 5).max(1), (h * 3 / 5).max(1));
                let corner = rng.random_range(0..4u32);
                let x = if corner % 2 == 0 { 0 } else { w - cw };
                let y = if corner < 2 { 0 } else { h - ch };
                imageops::crop_imm(img, x, y, cw, ch).to_image()
            }
            Edit::Pasted => paste(img, backdrop, &mut rng),
            Edit::Meme => self.meme(img),
            Edit::Stripes => stripes(img, &mut rng),
            Edit::Turn => {
                let degrees = rng.random_range(25.0..35.0f32);
                let sign = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
                rotate(img, sign * degrees)
            }
            Edit::SocialScreenshot => self.social_screenshot(img),
            Edit::BigText => {
                let mut out = img.clone();
                let px = h as f32 * 0.14;
                let text = "NO WAY THIS IS REAL";
                let width = self.width(text, px);
                let x = ((w as f32 - width) / 2.0).max(w as f32 * 0.02);
                self.outlined(&mut out, text, x, h as f32 * 0.43, px);
                out
            }
            Edit::EmojiPad => emoji_pad(img, &mut rng),
            Edit::Perspective => perspective(img, &mut rng),
        }
    }

    fn meme(&self, img: &RgbImage) -> RgbImage {
        let (w, h) = img.dimensions();
        let band = (h / 4).max(8);
        let mut out = RgbImage::from_pixel(w, h + band, Rgb([255, 255, 255]));
        imageops::overlay(&mut out, img, 0, i64::from(band));
        let text = "me when the wifi drops";
        let mut px = band as f32 * 0.4;
        // Fit the caption to the width, as meme makers do.
        let width = self.width(text, px);
        if width > w as f32 * 0.92 {
            px *= w as f32 * 0.92 / width;
        }
        let x = (w as f32 - self.width(text, px)) / 2.0;
        self.text(
            &mut out,
            text,
            x,
            (band as f32 - px) / 2.0,
            px,
            Rgb([0, 0, 0]),
            1.0,
        );
        out
    }

    fn social_screenshot(&self, img: &RgbImage) -> RgbImage {
        let (sw, sh) = (1080u32, 2340u32);
        let mut screen = RgbImage::from_pixel(sw, sh, Rgb([250, 250, 250]));
        for y in 0..96 {
            for x in 0..sw {
                screen.put_pixel(x, y, Rgb([20, 20, 20]));
            }
        }
        self.text(
            &mut screen,
            "9:41",
            44.0,
            26.0,
            42.0,
            Rgb([255, 255, 255]),
            1.0,
        );
        self.text(
            &mut screen,
            "5G  87%",
            sw as f32 - 220.0,
            26.0,
            38.0,
            Rgb([255, 255, 255]),
            1.0,
        );
        disc(&mut screen, 100.0, 210.0, 60.0, Rgb([214, 120, 80]));
        self.text(
            &mut screen,
            "travel.daily",
            190.0,
            180.0,
            46.0,
            Rgb([20, 20, 20]),
            1.0,
        );
        let top = 300u32;
        let fh =
            (img.height() as u64 * sw as u64 / img.width().max(1) as u64).clamp(1, 1600) as u32;
        let fitted = imageops::resize(img, sw, fh, imageops::FilterType::Triangle);
        imageops::overlay(&mut screen, &fitted, 0, i64::from(top));
        let below = (top + fh + 30) as f32;
        self.text(
            &mut screen,
            "♥ 1,204 likes",
            44.0,
            below,
            46.0,
            Rgb([20, 20, 20]),
            1.0,
        );
        self.text(
            &mut screen,
            "travel.daily what a view! #nofilter",
            44.0,
            below + 72.0,
            38.0,
            Rgb([70, 70, 70]),
            1.0,
        );
        screen
    }

    /// Width of `text` drawn `px` tall.
    fn width(&self, text: &str, px: f32) -> f32 {
        use ab_glyph::ScaleFont;
        let scaled = self.font.as_scaled(ab_glyph::PxScale::from(px));
        text.chars()
            .map(|c| scaled.h_advance(scaled.glyph_id(c)))
            .sum()
    }

    /// White text with a black outline, as caption generators draw it.
    fn outlined(&self, img: &mut RgbImage, text: &str, x: f32, y: f32, px: f32) {
        let stroke = (px / 14.0).max(1.0);
        for (dx, dy) in [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)] {
            self.text(
                img,
                text,
                x + dx * stroke,
                y + dy * stroke,
                px,
                Rgb([0, 0, 0]),
                1.0,
            );
        }
        self.text(img, text, x, y, px, Rgb([255, 255, 255]), 1.0);
    }
}

fn paste(img: &RgbImage, backdrop: &RgbImage, rng: &mut StdRng) -> RgbImage {
    let mut out = backdrop.clone();
    let (bw, bh) = backdrop.dimensions();
    let (w, h) = img.dimensions();
    let mut scale = 0.45 * bw as f32 / w.max(1) as f32;
    if h as f32 * scale > bh as f32 * 0.9 {
        scale = 0.9 * bh as f32 / h.max(1) as f32;
    }
    let (fw, fh) = (
        ((w as f32 * scale) as u32).max(1),
        ((h as f32 * scale) as u32).max(1),
    );
    let small = imageops::resize(img, fw, fh, imageops::FilterType::CatmullRom);
    let x = rng.random_range(0..=bw.saturating_sub(fw));
    let y = rng.random_range(0..=bh.saturating_sub(fh));
    imageops::overlay(&mut out, &small, i64::from(x), i64::from(y));
    out
}

fn stripes(img: &RgbImage, rng: &mut StdRng) -> RgbImage {
    let (w, h) = img.dimensions();
    let step = (w.max(h) / 8).max(6);
    let colour = if rng.random_bool(0.5) {
        Rgb([255, 255, 255])
    } else {
        Rgb([255, 40, 40])
    };
    let mut out = img.clone();
    for y in 0..h {
        for x in 0..w {
            if (x + y) % step < step / 3 {
                blend(&mut out, x, y, colour, 0.43);
            }
        }
    }
    out
}

/// `img` turned by `degrees` (counter-clockwise) on a canvas that holds
/// all of it, bilinear, the corners black.
fn rotate(img: &RgbImage, degrees: f32) -> RgbImage {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (ow, oh) = (
        (w * cos.abs() + h * sin.abs()).ceil() as u32,
        (w * sin.abs() + h * cos.abs()).ceil() as u32,
    );
    let (cx, cy, ocx, ocy) = (w / 2.0, h / 2.0, ow as f32 / 2.0, oh as f32 / 2.0);
    warp(img, ow, oh, |x, y| {
        let (dx, dy) = (x - ocx, y - ocy);
        (cx + dx * cos - dy * sin, cy + dx * sin + dy * cos)
    })
}

fn perspective(img: &RgbImage, rng: &mut StdRng) -> RgbImage {
    let (w, h) = (img.width() as f64, img.height() as f64);
    let mut jitter = |v: f64| v * rng.random_range(0.05..0.15);
    let to = [
        (jitter(w), jitter(h)),
        (w - jitter(w), jitter(h)),
        (w - jitter(w), h - jitter(h)),
        (jitter(w), h - jitter(h)),
    ];
    let from = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
    // The homography from output to input pixels.
    let Some(m) = homography(&to, &from) else {
        return img.clone();
    };
    warp(img, img.width(), img.height(), |x, y| {
        let (x, y) = (f64::from(x), f64::from(y));
        let d = m[6] * x + m[7] * y + 1.0;
        (
            ((m[0] * x + m[1] * y + m[2]) / d) as f32,
            ((m[3] * x + m[4] * y + m[5]) / d) as f32,
        )
    })
}

/// The 8 coefficients of the homography taking each `from` point to its
/// `to` point (Gaussian elimination on the 8×8 system); `None` if the
/// points are degenerate.
fn homography(from: &[(f64, f64); 4], to: &[(f64, f64); 4]) -> Option<[f64; 8]> {
    let mut a = [[0.0f64; 9]; 8];
    for (i, (&(x, y), &(u, v))) in from.iter().zip(to).enumerate() {
        a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
        a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
    }
    for col in 0..8 {
        let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        for row in 0..8 {
            if row != col {
                let pivot_row = a[col];
                let f = a[row][col] / pivot_row[col];
                for (x, p) in a[row].iter_mut().zip(pivot_row).skip(col) {
                    *x -= f * p;
                }
            }
        }
    }
    let mut m = [0.0; 8];
    for (i, v) in m.iter_mut().enumerate() {
        *v = a[i][8] / a[i][i];
    }
    Some(m)
}

/// A `w`×`h` picture whose pixel (x, y) samples `img` bilinearly at
/// `source(x, y)`; black outside it.
fn warp(img: &RgbImage, w: u32, h: u32, source: impl Fn(f32, f32) -> (f32, f32)) -> RgbImage {
    let (iw, ih) = (img.width() as f32, img.height() as f32);
    RgbImage::from_fn(w, h, |x, y| {
        let (sx, sy) = source(x as f32 + 0.5, y as f32 + 0.5);
        let (sx, sy) = (sx - 0.5, sy - 0.5);
        if sx < -0.5 || sy < -0.5 || sx > iw - 0.5 || sy > ih - 0.5 {
            return Rgb([0, 0, 0]);
        }
        let (x0, y0) = (sx.floor(), sy.floor());
        let (fx, fy) = (sx - x0, sy - y0);
        let at = |x: f32, y: f32| {
            let x = x.clamp(0.0, iw - 1.0) as u32;
            let y = y.clamp(0.0, ih - 1.0) as u32;
            img.get_pixel(x, y).0
        };
        let (a, b, c, d) = (
            at(x0, y0),
            at(x0 + 1.0, y0),
            at(x0, y0 + 1.0),
            at(x0 + 1.0, y0 + 1.0),
        );
        let mut px = [0u8; 3];
        for (i, p) in px.iter_mut().enumerate() {
            let top = f32::from(a[i]) * (1.0 - fx) + f32::from(b[i]) * fx;
            let bottom = f32::from(c[i]) * (1.0 - fx) + f32::from(d[i]) * fx;
            *p = (top * (1.0 - fy) + bottom * fy).round() as u8;
        }
        Rgb(px)
    })
}

fn emoji_pad(img: &RgbImage, rng: &mut StdRng) -> RgbImage {
    let (w, h) = img.dimensions();
    let pad = (w.max(h) / 4).max(4);
    let background = Rgb([rng.random(), rng.random(), rng.random()]);
    let mut out = RgbImage::from_pixel(w + 2 * pad, h + 2 * pad, background);
    imageops::overlay(&mut out, img, i64::from(pad), i64::from(pad));
    let (ow, oh) = out.dimensions();
    let mut placed = 0;
    while placed < 40 {
        let (x, y) = (rng.random_range(0..ow), rng.random_range(0..oh));
        let r = rng.random_range(pad as f32 / 8.0..pad as f32 / 3.0);
        let inside = (pad..pad + w).contains(&x) && (pad..pad + h).contains(&y);
        if !inside {
            disc(
                &mut out,
                x as f32,
                y as f32,
                r,
                Rgb([rng.random(), rng.random(), rng.random()]),
            );
            placed += 1;
        }
    }
    out
}

/// A filled circle.
fn disc(img: &mut RgbImage, cx: f32, cy: f32, r: f32, colour: Rgb<u8>) {
    let (w, h) = (img.width() as i64, img.height() as i64);
    let (x0, x1) = (((cx - r) as i64).max(0), ((cx + r) as i64 + 1).min(w));
    let (y0, y1) = (((cy - r) as i64).max(0), ((cy + r) as i64 + 1).min(h));
    for y in y0..y1 {
        for x in x0..x1 {
            let (dx, dy) = (x as f32 - cx, y as f32 - cy);
            if dx * dx + dy * dy <= r * r {
                img.put_pixel(x as u32, y as u32, colour);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn painter() -> Option<Painter> {
        Painter::load(std::path::Path::new(super::super::DEFAULT_FONT)).ok()
    }

    fn gradient(w: u32, h: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 90]))
    }

    #[test]
    fn edits_have_the_expected_shapes() {
        let Some(p) = painter() else {
            eprintln!("no font at {}: skipped", super::super::DEFAULT_FONT);
            return;
        };
        let (img, backdrop) = (gradient(400, 300), gradient(640, 480));
        let size = |e| p.edit(e, &img, &backdrop, 7).dimensions();
        assert_eq!(size(Edit::CentreCrop), (200, 150));
        assert_eq!(size(Edit::CornerCrop), (240, 180));
        assert_eq!(size(Edit::Pasted), (640, 480));
        assert_eq!(size(Edit::Meme), (400, 375));
        assert_eq!(size(Edit::EmojiPad), (600, 500));
        assert_eq!(size(Edit::SocialScreenshot), (1080, 2340));
        assert_eq!(size(Edit::Perspective), (400, 300));
        let (tw, th) = size(Edit::Turn);
        assert!(tw > 400 && th > 300, "a turned copy grows: {tw}x{th}");
        // Seeded: the same seed, the same copy.
        assert_eq!(
            p.edit(Edit::Stripes, &img, &backdrop, 3),
            p.edit(Edit::Stripes, &img, &backdrop, 3)
        );
    }

    #[test]
    fn a_turn_keeps_the_centre_and_blackens_the_corners() {
        let img = RgbImage::from_pixel(200, 100, Rgb([200, 100, 50]));
        let out = rotate(&img, 30.0);
        let (w, h) = out.dimensions();
        assert_eq!(out.get_pixel(w / 2, h / 2).0, [200, 100, 50]);
        assert_eq!(out.get_pixel(0, 0).0, [0, 0, 0]);
    }

    #[test]
    fn the_homography_maps_corners() {
        let from = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let to = [(1.0, 2.0), (9.0, 1.0), (8.0, 9.0), (2.0, 8.0)];
        let m = homography(&from, &to).unwrap();
        for (&(x, y), &(u, v)) in from.iter().zip(&to) {
            let d = m[6] * x + m[7] * y + 1.0;
            assert!(((m[0] * x + m[1] * y + m[2]) / d - u).abs() < 1e-9);
            assert!(((m[3] * x + m[4] * y + m[5]) / d - v).abs() < 1e-9);
        }
        assert!(homography(&[(0.0, 0.0); 4], &to).is_none());
    }
}
