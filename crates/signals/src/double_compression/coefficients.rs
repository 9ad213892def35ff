//! Histograms of a JPEG's quantised luma DCT coefficients, read through
//! libjpeg-turbo's `jpeg_read_coefficients` (entropy decoding only, no
//! inverse DCT). The `mozjpeg` crate wraps decoding to pixels but not this
//! call, so it is made through `mozjpeg-sys` directly, with the crate's own
//! unwinding error handler: libjpeg's default one calls `exit()`.

use std::mem;

use mozjpeg_sys as ffi;

/// Low-frequency AC coefficients, in libjpeg's natural (row-major) order:
/// (0,1) (1,0) (1,1) (0,2) (2,0) (1,2) (2,1) (0,3) (3,0). They carry enough
/// energy to fill a histogram in any photo.
pub const MODES: [usize; 9] = [1, 8, 9, 2, 16, 10, 17, 3, 24];

/// Histogram bins either side of zero.
pub const RANGE: usize = 64;

/// Per low-frequency mode: its quantisation step and the histogram of its
/// quantised values, folded to magnitudes (`counts[k]` holds ±k).
#[derive(Debug, Clone)]
pub struct Histograms {
    /// Quantisation step of each of [`MODES`].
    pub steps: [u16; MODES.len()],
    /// `counts[mode][k]`: blocks whose coefficient has magnitude `k`.
    pub counts: Vec<[u32; RANGE + 1]>,
}

/// Reads the luma histograms; `None` for anything libjpeg refuses.
pub fn luma_histograms(jpeg: &[u8]) -> Option<Histograms> {
    // libjpeg reports fatal errors by unwinding (see the module comment);
    // the guard frees its memory either way.
    std::panic::catch_unwind(|| unsafe { read(jpeg) })
        .ok()
        .flatten()
}

struct Decompress {
    cinfo: ffi::jpeg_decompress_struct,
    // Referenced by `cinfo.common.err`; boxed so it does not move.
    _err: Box<ffi::jpeg_error_mgr>,
}

impl Drop for Decompress {
    fn drop(&mut self) {
        // SAFETY: created by jpeg_create_decompress and destroyed once.
        unsafe { ffi::jpeg_destroy_decompress(&mut self.cinfo) }
    }
}

extern "C-unwind" fn unwind(_cinfo: &mut ffi::jpeg_common_struct) {
    std::panic::resume_unwind(Box::new("libjpeg fatal error"));
}

extern "C-unwind" fn silence(_cinfo: &mut ffi::jpeg_common_struct, _level: std::os::raw::c_int) {}

/// # Safety
/// Calls libjpeg on `jpeg`, which outlives the decompressor.
unsafe fn read(jpeg: &[u8]) -> Option<Histograms> {
    // SAFETY: the structs are plain C data that libjpeg initialises; the
    // error manager is set before any call that can fail.
    unsafe {
        let mut err: Box<ffi::jpeg_error_mgr> = Box::new(mem::zeroed());
        ffi::jpeg_std_error(&mut err);
        err.error_exit = Some(unwind);
        err.emit_message = Some(silence);
        let mut d = Decompress {
            cinfo: mem::zeroed(),
            _err: err,
        };
        d.cinfo.common.err = &mut *d._err;
        ffi::jpeg_create_decompress(&mut d.cinfo);
        ffi::jpeg_mem_src(&mut d.cinfo, jpeg.as_ptr(), jpeg.len() as _);
        ffi::jpeg_read_header(&mut d.cinfo, 1);
        let arrays = ffi::jpeg_read_coefficients(&mut d.cinfo);
        if arrays.is_null() || d.cinfo.num_components < 1 || d.cinfo.comp_info.is_null() {
            return None;
        }
        let luma = &*d.cinfo.comp_info;
        let quant = luma.quant_table.as_ref()?;
        let mut steps = [0u16; MODES.len()];
        for (s, &m) in steps.iter_mut().zip(&MODES) {
            *s = quant.quantval[m];
        }
        let mut counts = vec![[0u32; RANGE + 1]; MODES.len()];
        let access = (*d.cinfo.common.mem).access_virt_barray?;
        for row in 0..luma.height_in_blocks {
            let rows = access(&mut d.cinfo.common, *arrays, row, 1, 0);
            let blocks = std::slice::from_raw_parts(*rows, luma.width_in_blocks as usize);
            for block in blocks {
                for (c, &m) in counts.iter_mut().zip(&MODES) {
                    let k = block[m].unsigned_abs() as usize;
                    if k <= RANGE {
                        c[k] += 1;
                    }
                }
            }
        }
        ffi::jpeg_finish_decompress(&mut d.cinfo);
        Some(Histograms { steps, counts })
    }
}
