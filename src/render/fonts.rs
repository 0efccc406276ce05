//! The embedded DejaVu fonts: glyph metrics for layout, and per-document subsets for embedding.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::error::{Error, Result};

/// The faces a document uses: three embedded, and one the user may add for characters
/// the embedded ones lack (`--font PATH`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Face {
    /// Body text.
    Regular,
    /// Headings and labels.
    Bold,
    /// Code.
    Mono,
    /// The user's fallback font, see [`register_extra`].
    Extra,
}

/// The user's fallback font, set at most once per process.
static EXTRA: OnceLock<Metrics> = OnceLock::new();

/// Adds a TrueType/OpenType font used for any character the embedded fonts lack.
///
/// Registered once per process, so every document of a run is drawn with the same fonts;
/// registering a second, different font is an error.
pub fn register_extra(bytes: Vec<u8>, name: &str) -> Result<()> {
    let fail = |message: String| Error::Render {
        document: "fonts".into(),
        message,
    };
    if let Some(existing) = EXTRA.get() {
        return if *existing.bytes == *bytes {
            Ok(())
        } else {
            Err(fail("only one extra font can be used per run".into()))
        };
    }
    let font = ParsedFont::from_bytes(&bytes, 0, &mut Vec::new()).ok_or_else(|| {
        fail(format!(
            "`{name}` is not a TrueType or OpenType font interview-kit can read"
        ))
    })?;
    let outlines = tables(&bytes).is_some_and(|t| {
        [b"glyf", b"loca", b"hmtx"]
            .iter()
            .all(|tag| t.iter().any(|(t, _)| t == *tag))
    });
    if !outlines {
        return Err(fail(format!(
            "`{name}` has no TrueType outlines (an OpenType font with PostScript/CFF outlines?); \
             pass a .ttf font"
        )));
    }
    // Losing a race to another thread registering the same font is harmless.
    let _ = EXTRA.set(Metrics::new(bytes.into(), font));
    Ok(())
}

impl Face {
    /// The fixed resource name of this face in every PDF (random ids would break byte-identity).
    pub fn resource_id(self) -> &'static str {
        match self {
            Face::Regular => "F1",
            Face::Bold => "F2",
            Face::Mono => "F3",
            Face::Extra => "F4",
        }
    }

    /// This face and the faces that stand in for characters it lacks, in order.
    pub fn fallbacks(self) -> &'static [Face] {
        let extra = EXTRA.get().is_some();
        match (self, extra) {
            (Face::Regular | Face::Extra, false) => &[Face::Regular],
            (Face::Regular | Face::Extra, true) => &[Face::Regular, Face::Extra],
            (Face::Bold, false) => &[Face::Bold, Face::Regular],
            (Face::Bold, true) => &[Face::Bold, Face::Regular, Face::Extra],
            (Face::Mono, false) => &[Face::Mono, Face::Regular],
            (Face::Mono, true) => &[Face::Mono, Face::Regular, Face::Extra],
        }
    }

    /// Metrics of the full face, parsed once per process.
    pub fn metrics(self) -> &'static Metrics {
        static FACES: OnceLock<[Metrics; 3]> = OnceLock::new();
        let faces = FACES.get_or_init(|| {
            [
                include_bytes!("fonts/DejaVuSans.ttf").as_slice(),
                include_bytes!("fonts/DejaVuSans-Bold.ttf").as_slice(),
                include_bytes!("fonts/DejaVuSansMono.ttf").as_slice(),
            ]
            .map(Metrics::embedded)
        });
        match self {
            Face::Regular => &faces[0],
            Face::Bold => &faces[1],
            Face::Mono => &faces[2],
            // Only chosen by `fallbacks`, which offers it once it is registered.
            Face::Extra => EXTRA.get().unwrap_or(&faces[0]),
        }
    }
}

/// Glyph lookup and advance widths of one face.
pub struct Metrics {
    bytes: std::borrow::Cow<'static, [u8]>,
    font: ParsedFont,
    advances: Vec<u16>,
    /// Points per font unit at a size of one point.
    scale: f32,
}

/// Advance widths of the Basic Multilingual Plane, indexed by code point; `MISSING` where the
/// face has no glyph. Layout measures every character of every line, and a dense table turns
/// each lookup into one index instead of two tree searches.
const MISSING: u16 = u16::MAX;

/// A face cut down to the glyphs one document draws, ready to embed.
pub struct SubsetFont {
    /// The TrueType program: `glyf` outlines without hinting instructions.
    pub program: Vec<u8>,
    /// Each character's glyph id in `program`, sorted by character.
    pub glyphs: Vec<(char, u16)>,
    /// Advance width of each glyph id in `program`, in font units, sorted by glyph id.
    pub widths: Vec<(u16, u16)>,
}

/// The numbers a PDF font descriptor needs, in thousandths of an em.
pub struct Descriptor {
    /// Height above the baseline.
    pub ascent: i32,
    /// Depth below the baseline (negative).
    pub descent: i32,
    /// Height of capital letters.
    pub cap_height: i32,
    /// Bounding box of all glyphs: x min, y min, x max, y max.
    pub bbox: [i32; 4],
    /// Estimated vertical stem width.
    pub stem_v: i32,
}

impl Metrics {
    fn embedded(bytes: &'static [u8]) -> Metrics {
        let font = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
            .expect("the embedded DejaVu fonts parse");
        Metrics::new(bytes.into(), font)
    }

    fn new(bytes: std::borrow::Cow<'static, [u8]>, font: ParsedFont) -> Metrics {
        let mut advances = vec![MISSING; 0x1_0000];
        for (&cp, &gid) in &font.codepoint_to_glyph {
            if let Some(slot) = advances.get_mut(cp as usize) {
                *slot = font.get_glyph_width(gid).unwrap_or(0).min(MISSING - 1);
            }
        }
        let scale = 1.0 / f32::from(font.units_per_em.max(1));
        Metrics {
            bytes,
            font,
            advances,
            scale,
        }
    }

    /// Whether the face has a glyph for `c`.
    pub fn has(&self, c: char) -> bool {
        match self.advances.get(c as usize) {
            Some(&advance) => advance != MISSING,
            None => self.font.lookup_glyph_index(c as u32).is_some(),
        }
    }

    /// Width of `text` at `size` points, summing advances (the PDF is drawn without kerning too).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| self.advance(c)).sum();
        units as f32 * size * self.scale
    }

    /// Width of one character at `size` points.
    #[inline]
    pub fn char_width(&self, c: char, size: f32) -> f32 {
        self.advance(c) as f32 * size * self.scale
    }

    /// Width of `c` at `size` points when the face has a glyph for it (one lookup where
    /// [`Metrics::has`] and [`Metrics::char_width`] take two).
    #[inline]
    pub fn glyph_width(&self, c: char, size: f32) -> Option<f32> {
        let advance = match self.advances.get(c as usize) {
            Some(&MISSING) => return None,
            Some(&advance) => u32::from(advance),
            None => {
                let gid = self.font.lookup_glyph_index(c as u32)?;
                self.font.get_glyph_width(gid).map_or(0, u32::from)
            }
        };
        Some(advance as f32 * size * self.scale)
    }

    #[inline]
    fn advance(&self, c: char) -> u32 {
        match self.advances.get(c as usize) {
            Some(&MISSING) => 0,
            Some(&advance) => u32::from(advance),
            None => self
                .font
                .lookup_glyph_index(c as u32)
                .and_then(|gid| self.font.get_glyph_width(gid))
                .map_or(0, u32::from),
        }
    }

    /// Font units per em.
    pub fn units_per_em(&self) -> u16 {
        self.font.units_per_em.max(1)
    }

    /// The face's PostScript name as PDF `/BaseFont` names it (without the subset tag).
    pub fn postscript_name(&self, face: Face) -> String {
        match face {
            Face::Regular => "DejaVuSans".into(),
            Face::Bold => "DejaVuSans-Bold".into(),
            Face::Mono => "DejaVuSansMono".into(),
            Face::Extra => self
                .font
                .font_name
                .as_deref()
                .map(|n| {
                    n.chars()
                        .filter(char::is_ascii_alphanumeric)
                        .collect::<String>()
                })
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "Fallback".into()),
        }
    }

    /// Ascent, descent, bounding box and stem width scaled to thousandths of an em.
    pub fn descriptor(&self) -> Descriptor {
        let per_mille = 1000.0 * self.scale;
        let scaled = |v: i32| (v as f32 * per_mille).round() as i32;
        let m = &self.font.pdf_font_metrics;
        let ascent = scaled(i32::from(self.font.font_metrics.ascent));
        Descriptor {
            ascent,
            descent: scaled(i32::from(self.font.font_metrics.descent)),
            cap_height: ascent,
            bbox: [
                scaled(i32::from(m.x_min)),
                scaled(i32::from(m.y_min)),
                scaled(i32::from(m.x_max)),
                scaled(i32::from(m.y_max)),
            ],
            stem_v: if m.us_weight_class == 0 {
                80
            } else {
                50 + (f32::from(m.us_weight_class) / 65.0).powi(2).round() as i32
            },
        }
    }

    /// A copy of the face holding only the glyphs for `chars`, without hinting.
    ///
    /// The result depends on `chars` alone, so equal character sets give equal bytes; the
    /// PDF writer caches what it builds from it.
    pub fn subset(&self, chars: &BTreeSet<char>) -> Result<SubsetFont> {
        subset_font(&self.bytes, chars, |c| {
            self.font.lookup_glyph_index(c as u32)
        })
        .ok_or_else(|| Error::Render {
            document: "fonts".into(),
            message: "the font's outline tables are malformed".into(),
        })
    }
}

/// Characters every subset of a face holds, so that documents drawing only these (most
/// draw little else) share one subset and its compressed program.
///
/// Body text always holds printable ASCII and common typographic marks, so its subset is
/// nearly always the shared one. Code and headings draw few characters, and padding their
/// subsets with all of ASCII would cost more bytes than sharing saves time.
pub fn base_charset(face: Face) -> Vec<char> {
    match face {
        Face::Regular => (' '..='~').chain("•…–—‘’“”·×é".chars()).collect(),
        Face::Bold => ('a'..='z')
            .chain('A'..='Z')
            .chain('0'..='9')
            .chain(" :·&-".chars())
            .collect(),
        Face::Mono | Face::Extra => Vec::new(),
    }
}

fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The tables of an sfnt file by tag.
///
/// A collection (`.ttc`) gives the tables of its first font; table offsets are from the
/// start of the file either way.
fn tables(font: &[u8]) -> Option<Vec<([u8; 4], &[u8])>> {
    let base = if font.starts_with(b"ttcf") {
        be32(font, 12)? as usize
    } else {
        0
    };
    let count = usize::from(be16(font, base + 4)?);
    (0..count)
        .map(|i| {
            let record = base + 12 + 16 * i;
            let tag: [u8; 4] = font.get(record..record + 4)?.try_into().ok()?;
            let offset = be32(font, record + 8)? as usize;
            let length = be32(font, record + 12)? as usize;
            Some((tag, font.get(offset..offset.checked_add(length)?)?))
        })
        .collect()
}

/// Composite glyph flags (OpenType `glyf`).
const ARGS_ARE_WORDS: u16 = 0x0001;
const HAS_SCALE: u16 = 0x0008;
const MORE_COMPONENTS: u16 = 0x0020;
const HAS_XY_SCALE: u16 = 0x0040;
const HAS_2X2: u16 = 0x0080;
const HAS_INSTRUCTIONS: u16 = 0x0100;

/// Calls `each` with the offset of every component record of a composite glyph.
fn components(glyph: &[u8], mut each: impl FnMut(usize, u16)) -> Option<()> {
    let mut at = 10;
    loop {
        let flags = be16(glyph, at)?;
        be16(glyph, at + 2)?;
        each(at, flags);
        at += 4 + if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
        at += if flags & HAS_SCALE != 0 {
            2
        } else if flags & HAS_XY_SCALE != 0 {
            4
        } else if flags & HAS_2X2 != 0 {
            8
        } else {
            0
        };
        if flags & MORE_COMPONENTS == 0 {
            return (at <= glyph.len()).then_some(());
        }
    }
}

/// A TrueType subset of `font` holding `.notdef`, the glyphs of `chars` and the glyphs
/// their composites are built from, renumbered in that order.
///
/// Written here rather than by allsorts, which parses the whole `glyf` table of the face
/// for every subset: this reads only the glyphs it keeps. The subset is unhinted — every
/// glyph's instructions dropped (about half of DejaVu's outline bytes), no `cvt `, `fpgm`
/// or `prep` — has a `post` table without glyph names and a `cmap` for `chars`; no `name`
/// table (licence strings no PDF reader looks at). `None` when the font is malformed.
fn subset_font(
    font: &[u8],
    chars: &BTreeSet<char>,
    lookup: impl Fn(char) -> Option<u16>,
) -> Option<SubsetFont> {
    let tables = tables(font)?;
    let table = |tag: &[u8; 4]| tables.iter().find(|(t, _)| t == tag).map(|(_, d)| *d);
    let (head, hhea, hmtx, maxp, loca, glyf) = (
        table(b"head")?,
        table(b"hhea")?,
        table(b"hmtx")?,
        table(b"maxp")?,
        table(b"loca")?,
        table(b"glyf")?,
    );
    let long = be16(head, 50)? != 0;
    let glyph_count = be16(maxp, 4)?;
    let metrics_count = be16(hhea, 34)?;
    let outline = |gid: u16| -> Option<&[u8]> {
        let i = usize::from(gid);
        let (start, end) = if long {
            (be32(loca, 4 * i)? as usize, be32(loca, 4 * i + 4)? as usize)
        } else {
            (
                2 * usize::from(be16(loca, 2 * i)?),
                2 * usize::from(be16(loca, 2 * i + 2)?),
            )
        };
        glyf.get(start..end)
    };

    // Old glyph ids in their new order, and each old id's new one.
    let mut old: Vec<u16> = vec![0];
    let mut new_id: std::collections::BTreeMap<u16, u16> = [(0, 0)].into();
    let mut glyphs: Vec<(char, u16)> = Vec::with_capacity(chars.len());
    let mut add = |gid: u16, old: &mut Vec<u16>| -> u16 {
        *new_id.entry(gid).or_insert_with(|| {
            old.push(gid);
            (old.len() - 1) as u16
        })
    };
    let mut wanted: Vec<(char, u16)> = chars
        .iter()
        .filter_map(|&c| Some((c, lookup(c)?)))
        .filter(|&(_, gid)| gid != 0 && gid < glyph_count)
        .collect();
    wanted.sort_by_key(|&(c, gid)| (gid, c));
    for &(c, gid) in &wanted {
        glyphs.push((c, add(gid, &mut old)));
    }
    glyphs.sort_unstable();
    // Components of composites, breadth first (a component may itself be composite).
    let mut next = 1;
    while next < old.len() {
        let glyph = outline(old[next])?;
        if glyph.len() >= 10 && (be16(glyph, 0)? as i16) < 0 {
            let mut parts = Vec::new();
            components(glyph, |at, _| parts.push(be16(glyph, at + 2).unwrap_or(0)))?;
            for part in parts {
                if part >= glyph_count {
                    return None;
                }
                add(part, &mut old);
            }
        }
        next += 1;
    }

    let mut outlines: Vec<u8> = Vec::new();
    let mut offsets: Vec<usize> = Vec::with_capacity(old.len() + 1);
    let mut hmtx_out: Vec<u8> = Vec::with_capacity(4 * old.len());
    let mut widths: Vec<(u16, u16)> = Vec::with_capacity(old.len());
    for (new, &gid) in old.iter().enumerate() {
        let metric = usize::from(gid.min(metrics_count.checked_sub(1)?));
        let advance = be16(hmtx, 4 * metric)?;
        let bearing = if gid < metrics_count {
            be16(hmtx, 4 * metric + 2)?
        } else {
            be16(
                hmtx,
                4 * usize::from(metrics_count) + 2 * usize::from(gid - metrics_count),
            )?
        };
        hmtx_out.extend_from_slice(&advance.to_be_bytes());
        hmtx_out.extend_from_slice(&bearing.to_be_bytes());
        widths.push((new as u16, advance));

        offsets.push(outlines.len());
        let glyph = outline(gid)?;
        if glyph.is_empty() {
            continue;
        }
        let contours = be16(glyph, 0)? as i16;
        if contours >= 0 {
            let at = 10 + 2 * contours as usize;
            let instructions = usize::from(be16(glyph, at)?);
            outlines.extend_from_slice(glyph.get(..at)?);
            outlines.extend_from_slice(&[0, 0]);
            outlines.extend_from_slice(glyph.get(at + 2 + instructions..)?);
        } else {
            let start = outlines.len();
            // Copy up to the end of the last component, then fix flags and glyph ids.
            let mut last_end = 10;
            components(glyph, |at, flags| {
                let mut size = 4 + if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
                size += if flags & HAS_SCALE != 0 {
                    2
                } else if flags & HAS_XY_SCALE != 0 {
                    4
                } else if flags & HAS_2X2 != 0 {
                    8
                } else {
                    0
                };
                last_end = at + size;
            })?;
            outlines.extend_from_slice(glyph.get(..last_end)?);
            let copied = &mut outlines[start..];
            let mut records = Vec::new();
            components(glyph, |at, flags| records.push((at, flags)))?;
            for (at, flags) in records {
                let part = be16(glyph, at + 2)?;
                let flags = (flags & !HAS_INSTRUCTIONS).to_be_bytes();
                copied[at..at + 2].copy_from_slice(&flags);
                copied[at + 2..at + 4].copy_from_slice(&new_id.get(&part)?.to_be_bytes());
            }
        }
        // Short `loca` counts in words, so every glyph starts at an even offset.
        if outlines.len() % 2 == 1 {
            outlines.push(0);
        }
    }
    offsets.push(outlines.len());
    let short = outlines.len() < 0x2_0000;
    let mut loca_out = Vec::with_capacity(offsets.len() * 4);
    for &offset in &offsets {
        if short {
            loca_out.extend_from_slice(&((offset / 2) as u16).to_be_bytes());
        } else {
            loca_out.extend_from_slice(&(offset as u32).to_be_bytes());
        }
    }
    let count = (old.len() as u16).to_be_bytes();

    let mut head_out = head.get(..54)?.to_vec();
    head_out[8..12].copy_from_slice(&[0; 4]);
    head_out[50..52].copy_from_slice(&u16::from(!short).to_be_bytes());
    let mut hhea_out = hhea.get(..36)?.to_vec();
    hhea_out[34..36].copy_from_slice(&count);
    let mut maxp_out = maxp.get(..maxp.len().min(32))?.to_vec();
    maxp_out[4..6].copy_from_slice(&count);
    if maxp_out.len() == 32 {
        // maxZones 1; no twilight points, storage, function or instruction definitions,
        // stack or instructions.
        maxp_out[14..16].copy_from_slice(&1u16.to_be_bytes());
        maxp_out[16..30].copy_from_slice(&[0; 14]);
    }
    let mut post_out = table(b"post")
        .and_then(|p| p.get(..32))
        .map_or_else(|| vec![0; 32], <[u8]>::to_vec);
    post_out[0..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());

    let mut out_tables: Vec<([u8; 4], Vec<u8>)> = vec![
        (*b"cmap", cmap(&glyphs)),
        (*b"glyf", outlines),
        (*b"head", head_out),
        (*b"hhea", hhea_out),
        (*b"hmtx", hmtx_out),
        (*b"loca", loca_out),
        (*b"maxp", maxp_out),
        (*b"post", post_out),
    ];
    out_tables.sort_by_key(|t| t.0);
    Some(SubsetFont {
        program: assemble(&out_tables),
        glyphs,
        widths,
    })
}

/// A `cmap` with one format 4 subtable (Windows, Unicode BMP): one segment per character.
fn cmap(glyphs: &[(char, u16)]) -> Vec<u8> {
    let bmp: Vec<(u16, u16)> = glyphs
        .iter()
        .filter_map(|&(c, gid)| Some((u16::try_from(u32::from(c)).ok()?, gid)))
        .filter(|&(c, _)| c != 0xFFFF)
        // The subtable's length is 16 bits; no PDF reader looks up characters in it anyway.
        .take(8000)
        .collect();
    let segments = bmp.len() + 1;
    let power = 1usize << (usize::BITS - 1 - segments.leading_zeros());
    let mut sub = Vec::with_capacity(16 + 8 * segments);
    let length = 16 + 8 * segments;
    for v in [
        4,
        length,
        0,
        2 * segments,
        2 * power,
        power.trailing_zeros() as usize,
        2 * segments - 2 * power,
    ] {
        sub.extend_from_slice(&(v as u16).to_be_bytes());
    }
    let ends = bmp.iter().map(|&(c, _)| c).chain([0xFFFF]);
    for c in ends.clone() {
        sub.extend_from_slice(&c.to_be_bytes());
    }
    sub.extend_from_slice(&[0, 0]);
    for c in ends {
        sub.extend_from_slice(&c.to_be_bytes());
    }
    for &(c, gid) in &bmp {
        sub.extend_from_slice(&gid.wrapping_sub(c).to_be_bytes());
    }
    sub.extend_from_slice(&1u16.to_be_bytes());
    sub.extend_from_slice(&vec![0; 2 * segments]);
    let mut table = Vec::with_capacity(12 + sub.len());
    for v in [0u16, 1, 3, 1] {
        table.extend_from_slice(&v.to_be_bytes());
    }
    table.extend_from_slice(&12u32.to_be_bytes());
    table.extend_from_slice(&sub);
    table
}

/// An sfnt file from its tables (sorted by tag), with checksums and `head`'s adjustment.
fn assemble(tables: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    fn checksum(data: &[u8]) -> u32 {
        data.chunks(4).fold(0u32, |sum, chunk| {
            let mut word = [0u8; 4];
            word[..chunk.len()].copy_from_slice(chunk);
            sum.wrapping_add(u32::from_be_bytes(word))
        })
    }
    let count = tables.len() as u16;
    let power = 1u16 << (15 - count.max(1).leading_zeros());
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&(power * 16).to_be_bytes());
    out.extend_from_slice(&(power.trailing_zeros() as u16).to_be_bytes());
    out.extend_from_slice(&((count - power) * 16).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in tables {
        if tag == b"head" {
            head_at = Some(offset);
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in tables {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

/// The first character of `text` that `face` has no glyph for (control characters aside).
///
/// Returns the first character `face` cannot draw, so the caller can name it in an error
/// instead of letting it vanish from the page.
pub fn missing_char(face: Face, text: &str) -> Option<char> {
    let metrics = face.metrics();
    text.chars().find(|&c| !c.is_control() && !metrics.has(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_glyph_advances() {
        let m = Face::Regular.metrics();
        assert!(m.width("WWW", 10.0) > m.width("iii", 10.0));
        assert_eq!(m.width("", 10.0), 0.0);
        let mono = Face::Mono.metrics();
        assert!((mono.width("iii", 10.0) - mono.width("WWW", 10.0)).abs() < 1e-3);
    }

    #[test]
    fn accented_names_are_covered_and_cjk_is_not() {
        assert_eq!(missing_char(Face::Regular, "José Núñez Łukasz Zoë"), None);
        assert_eq!(missing_char(Face::Bold, "李"), Some('李'));
    }

    #[test]
    fn subsets_are_small_unhinted_and_keep_the_characters() {
        let chars: BTreeSet<char> = "José Núñez".chars().collect();
        let font = Face::Regular.metrics().subset(&chars).unwrap();
        assert!(font.program.len() < 6_000, "{}", font.program.len());
        assert_eq!(font.glyphs.len(), chars.len());
        // The stripped program still parses, with the same glyphs and widths.
        let parsed = ParsedFont::from_bytes(&font.program, 0, &mut Vec::new()).unwrap();
        for &(c, gid) in &font.glyphs {
            assert_eq!(parsed.lookup_glyph_index(c as u32), Some(gid));
        }
        for &(gid, width) in &font.widths {
            assert_eq!(parsed.get_glyph_width(gid), Some(width));
        }
        // And it is smaller than the hinted one, and the same for the same characters.
        assert_eq!(
            Face::Regular.metrics().subset(&chars).unwrap().program,
            font.program
        );
    }
}
