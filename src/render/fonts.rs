//! The embedded DejaVu fonts: glyph metrics for layout, and per-document subsets for embedding.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
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
        let fail = |message: String| Error::Render {
            document: "fonts".into(),
            message,
        };
        // Glyph 0 (.notdef) must come first, and allsorts wants each glyph once.
        let mut glyphs: Vec<u16> = vec![0];
        let used: BTreeSet<u16> = chars
            .iter()
            .filter_map(|&c| self.font.lookup_glyph_index(c as u32))
            .filter(|&gid| gid != 0)
            .collect();
        glyphs.extend(used);
        let data = ReadScope::new(&self.bytes)
            .read::<FontData<'_>>()
            .map_err(|e| fail(e.to_string()))?;
        let provider = data.table_provider(0).map_err(|e| fail(e.to_string()))?;
        let bytes = subset(&provider, &glyphs, &subset_profile(), CmapTarget::Unicode)
            .map_err(|e| fail(e.to_string()))?;
        let parsed = ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())
            .ok_or_else(|| fail("subset font does not parse".into()))?;
        let glyphs: Vec<(char, u16)> = chars
            .iter()
            .filter_map(|&c| Some((c, parsed.lookup_glyph_index(c as u32)?)))
            .collect();
        let widths: Vec<(u16, u16)> = parsed
            .glyph_widths
            .iter()
            .map(|(&gid, &w)| (gid, w))
            .collect();
        let program =
            strip_hinting(&bytes).ok_or_else(|| fail("subset font is malformed".into()))?;
        Ok(SubsetFont {
            program,
            glyphs,
            widths,
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

/// Tables kept in an embedded subset: what a PDF reader needs to draw glyphs by id. The
/// `name` table (licence and naming strings, several kilobytes) and the hinting programs
/// (`cvt `, `fpgm`, `prep`) are left out; [`strip_hinting`] removes the per-glyph part.
fn subset_profile() -> SubsetProfile {
    use allsorts::tag;
    SubsetProfile::Custom(vec![
        tag::CMAP,
        tag::HEAD,
        tag::HHEA,
        tag::HMTX,
        tag::MAXP,
        tag::POST,
    ])
}

fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// Rewrites a TrueType font without hinting: every glyph's instructions dropped (about half
/// of DejaVu's outline bytes), `maxp` told so, `post` reduced to format 3 (no glyph names),
/// `loca` in its short form. Screens and printers render unhinted outlines well; PDF
/// viewers mostly ignore the hints anyway. `None` when the font is malformed.
fn strip_hinting(font: &[u8]) -> Option<Vec<u8>> {
    let count = usize::from(be16(font, 4)?);
    let mut tables: Vec<([u8; 4], Vec<u8>)> = Vec::with_capacity(count);
    for i in 0..count {
        let record = 12 + 16 * i;
        let tag: [u8; 4] = font.get(record..record + 4)?.try_into().ok()?;
        let offset = be32(font, record + 8)? as usize;
        let length = be32(font, record + 12)? as usize;
        let data = font.get(offset..offset.checked_add(length)?)?.to_vec();
        tables.push((tag, data));
    }
    let find =
        |tables: &[([u8; 4], Vec<u8>)], tag: &[u8; 4]| tables.iter().position(|(t, _)| t == tag);
    let (head, loca, glyf, maxp) = (
        find(&tables, b"head")?,
        find(&tables, b"loca")?,
        find(&tables, b"glyf")?,
        find(&tables, b"maxp")?,
    );
    let post = find(&tables, b"post");
    let long = be16(&tables[head].1, 50)? != 0;
    let glyph_count = usize::from(be16(&tables[maxp].1, 4)?);
    let old_loca = &tables[loca].1;
    let offset_at = |i: usize| -> Option<usize> {
        if long {
            be32(old_loca, 4 * i).map(|v| v as usize)
        } else {
            be16(old_loca, 2 * i).map(|v| 2 * usize::from(v))
        }
    };
    let old = &tables[glyf].1;
    let mut outlines: Vec<u8> = Vec::with_capacity(old.len() / 2);
    let mut offsets: Vec<usize> = Vec::with_capacity(glyph_count + 1);
    for i in 0..glyph_count {
        offsets.push(outlines.len());
        let glyph = old.get(offset_at(i)?..offset_at(i + 1)?)?;
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
            // Composite: walk the components, clear "has instructions" and stop after the last.
            let start = outlines.len();
            outlines.extend_from_slice(glyph.get(..10)?);
            let mut at = 10;
            loop {
                let flags = be16(glyph, at)?;
                let mut size = 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
                size += if flags & 0x0008 != 0 {
                    2
                } else if flags & 0x0040 != 0 {
                    4
                } else if flags & 0x0080 != 0 {
                    8
                } else {
                    0
                };
                let flag_at = outlines.len();
                outlines.extend_from_slice(glyph.get(at..at + size)?);
                let cleared = (flags & !0x0100).to_be_bytes();
                outlines[flag_at..flag_at + 2].copy_from_slice(&cleared);
                at += size;
                if flags & 0x0020 == 0 {
                    break;
                }
            }
            debug_assert!(outlines.len() > start);
        }
        // Short `loca` counts in words, so every glyph starts at an even offset.
        if outlines.len() % 2 == 1 {
            outlines.push(0);
        }
    }
    offsets.push(outlines.len());
    let short = outlines.len() < 0x2_0000;
    let mut new_loca = Vec::with_capacity(offsets.len() * if short { 2 } else { 4 });
    for &offset in &offsets {
        if short {
            new_loca.extend_from_slice(&((offset / 2) as u16).to_be_bytes());
        } else {
            new_loca.extend_from_slice(&(offset as u32).to_be_bytes());
        }
    }
    tables[glyf].1 = outlines;
    tables[loca].1 = new_loca;
    let head_table = &mut tables[head].1;
    head_table
        .get_mut(50..52)?
        .copy_from_slice(&u16::from(!short).to_be_bytes());
    head_table.get_mut(8..12)?.copy_from_slice(&[0; 4]);
    if let Some(maxp_table) = tables.get_mut(maxp).map(|t| &mut t.1)
        && maxp_table.len() >= 32
    {
        // maxZones 1, no twilight points, storage, function or instruction definitions,
        // no stack and no instructions.
        maxp_table[14..16].copy_from_slice(&1u16.to_be_bytes());
        maxp_table[16..28].copy_from_slice(&[0; 12]);
        maxp_table[28..30].copy_from_slice(&0u16.to_be_bytes());
    }
    if let Some(post) = post {
        let table = &mut tables[post].1;
        table.truncate(32);
        if table.len() == 32 {
            table[0..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
        }
    }
    tables.sort_by_key(|t| t.0);
    Some(assemble(&tables))
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
